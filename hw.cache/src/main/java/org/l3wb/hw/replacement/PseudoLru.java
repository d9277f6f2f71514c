package org.l3wb.hw.replacement;

/**
 * Tree pseudo-LRU over the ways of one set, as the i486 uses for its cache and TLB (3 bits for
 * 4 ways; i486 manual, "cache replacement"). Node bits live in a long per set; bit {@code n} of the
 * heap-ordered tree points to the half that holds the next victim.
 */
final class PseudoLru extends Recency {
    private final long[] bits;
    private final int levels;
    private final int ways;
    private final long[] keep;
    private final long[] point;

    PseudoLru(int sets, int ways) {
        this.bits = new long[sets];
        this.ways = ways;
        this.levels = Integer.numberOfTrailingZeros(ways);
        // the bits a touch of each way sets are fixed: precompute them so a touch is one AND and one OR
        keep = new long[ways];
        point = new long[ways];
        for (int way = 0; way < ways; way++) {
            long path = 0;
            long value = 0;
            int node = 1;
            for (int l = levels - 1; l >= 0; l--) {
                int dir = (way >>> l) & 1;
                path |= 1L << node;
                if (dir == 0) {
                    value |= 1L << node;
                }
                node = (node << 1) | dir;
            }
            keep[way] = ~path;
            point[way] = value;
        }
    }

    /** Marks {@code way} most recently used: every node on its path points away from it. */
    @Override
    public void touch(int set, int way) {
        bits[set] = (bits[set] & keep[way]) | point[way];
    }

    /** Touching a pair again changes nothing iff its bits already are what the pair's touches leave. */
    @Override
    public boolean touchAgain(int set, int first, int second, int times) {
        long b = bits[set];
        return (((b & keep[first]) | point[first]) & keep[second] | point[second]) == b;
    }

    @Override
    public int victim(int set) {
        long b = bits[set];
        int node = 1;
        for (int l = 0; l < levels; l++) {
            int dir = (int) ((b >>> node) & 1);
            node = (node << 1) | dir;
        }
        return node - ways;
    }

    @Override
    public void clear() {
        java.util.Arrays.fill(bits, 0L);
    }
}

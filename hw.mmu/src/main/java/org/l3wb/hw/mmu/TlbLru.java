package org.l3wb.hw.mmu;

/** Tree pseudo-LRU per TLB set (3 bits for the i486's 4 ways). */
final class TlbLru {
    private final long[] bits;
    private final int levels;
    private final int ways;
    private final long[] keep;
    private final long[] point;

    TlbLru(int sets, int ways) {
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
    void touch(int set, int way) {
        bits[set] = (bits[set] & keep[way]) | point[way];
    }

    int victim(int set) {
        long b = bits[set];
        int node = 1;
        for (int l = 0; l < levels; l++) {
            node = (node << 1) | (int) ((b >>> node) & 1);
        }
        return node - ways;
    }

    void clear() {
        java.util.Arrays.fill(bits, 0L);
    }
}

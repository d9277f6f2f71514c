package org.l3wb.hw.mmu;

/** Tree pseudo-LRU per TLB set (3 bits for the i486's 4 ways). */
final class TlbLru {
    private final long[] bits;
    private final int levels;
    private final int ways;

    TlbLru(int sets, int ways) {
        this.bits = new long[sets];
        this.ways = ways;
        this.levels = Integer.numberOfTrailingZeros(ways);
    }

    void touch(int set, int way) {
        long b = bits[set];
        int node = 1;
        for (int l = levels - 1; l >= 0; l--) {
            int dir = (way >>> l) & 1;
            b = dir == 0 ? b | (1L << node) : b & ~(1L << node);
            node = (node << 1) | dir;
        }
        bits[set] = b;
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

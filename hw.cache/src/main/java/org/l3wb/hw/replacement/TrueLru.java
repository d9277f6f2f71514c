package org.l3wb.hw.replacement;

import java.util.Arrays;

/**
 * True least-recently-used replacement: each way carries the time of its last touch (a per-structure
 * counter), and the victim is the way touched longest ago (the lowest way among never-touched ones).
 * Unlike tree pseudo-LRU it always evicts the oldest way: with 4 ways, touching 0, 1, 2, 3, 2, 0
 * leaves way 1 oldest, where the pseudo-LRU tree evicts way 3 (the root points away from 0, the
 * right node away from 2).
 */
final class TrueLru extends Recency {
    private final long[] stamps;
    private final int ways;
    private final int waysShift;
    private long clock;

    TrueLru(int sets, int ways) {
        this.ways = ways;
        this.waysShift = Integer.numberOfTrailingZeros(ways);
        this.stamps = new long[sets * ways];
    }

    @Override
    public void touch(int set, int way) {
        stamps[(set << waysShift) + way] = ++clock;
    }

    /**
     * Exact when the pair were the last two touches of the whole structure, in that order: each
     * repetition only advances the clock by two and stamps them with it.
     */
    @Override
    public boolean touchAgain(int set, int first, int second, int times) {
        int base = set << waysShift;
        if (first == second || stamps[base + second] != clock || stamps[base + first] != clock - 1) {
            return false;
        }
        clock += 2L * times;
        stamps[base + first] = clock - 1;
        stamps[base + second] = clock;
        return true;
    }

    @Override
    public int victim(int set) {
        int base = set << waysShift;
        int victim = 0;
        long oldest = stamps[base];
        for (int w = 1; w < ways; w++) {
            if (stamps[base + w] < oldest) {
                oldest = stamps[base + w];
                victim = w;
            }
        }
        return victim;
    }

    @Override
    public void clear() {
        Arrays.fill(stamps, 0L);
        clock = 0;
    }
}

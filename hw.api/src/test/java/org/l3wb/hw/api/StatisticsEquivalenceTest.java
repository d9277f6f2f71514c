package org.l3wb.hw.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * {@link Statistics} counts the current mode's hot counters in fields and adds them into the
 * per-mode arrays at each mode switch and read: it must answer exactly what the frozen
 * {@link ReferenceStatistics} (every counter per mode, updated at once) answers, after every step of
 * long random sequences of updates, mode switches, copies and differences.
 */
class StatisticsEquivalenceTest {

    @Test
    void countsExactlyWhatTheReferenceCounts() {
        for (int seed = 0; seed < 20; seed++) {
            Random random = new Random(seed);
            Statistics s = new Statistics();
            ReferenceStatistics r = new ReferenceStatistics();
            Statistics sMark = s.copy();
            ReferenceStatistics rMark = r.copy();
            for (int step = 0; step < 20_000; step++) {
                int n = random.nextInt(20);
                switch (random.nextInt(16)) {
                    case 0 -> {
                        Mode m = random.nextBoolean() ? Mode.USER : Mode.KERNEL;
                        s.enter(m);
                        r.enter(m);
                    }
                    case 1 -> { s.charge(n); r.charge(n); }
                    case 2 -> { s.instruction(n); r.instruction(n); }
                    case 3 -> { s.tlbHits(n); r.tlbHits(n); }
                    case 4 -> { s.tlbMiss(n); r.tlbMiss(n); }
                    case 5 -> { s.lineFill(n); r.lineFill(n); }
                    case 6 -> { s.cacheHits(n); r.cacheHits(n); }
                    case 7 -> { s.compulsoryMiss(); r.compulsoryMiss(); }
                    case 8 -> { s.capacityMiss(); r.capacityMiss(); }
                    case 9 -> { s.conflictMiss(); r.conflictMiss(); }
                    case 10 -> { s.write(n); r.write(n); }
                    case 11 -> { s.writeStall(n); r.writeStall(n); }
                    case 12 -> { sMark = s.copy(); rMark = r.copy(); }
                    case 13 -> assertSame(r.since(rMark), s.since(sMark), seed, step);
                    case 14 -> assertSame(r, s, seed, step);
                    default -> { // an instruction with a load, as most are
                        s.instruction(1);
                        r.instruction(1);
                        s.tlbHits(1);
                        r.tlbHits(1);
                        s.cacheHits(1);
                        r.cacheHits(1);
                    }
                }
            }
            assertSame(r, s, seed, -1);
            assertSame(r.copy(), s.copy(), seed, -1);
        }
    }

    private static void assertSame(ReferenceStatistics expected, Statistics actual, int seed, int step) {
        String at = " (seed " + seed + ", step " + step + ")";
        assertEquals(expected.now(), actual.now(), "clock" + at);
        assertEquals(expected.mode(), actual.mode(), "mode" + at);
        for (Mode m : Mode.values()) {
            assertEquals(expected.cycles(m), actual.cycles(m), "cycles " + m + at);
            assertEquals(expected.instructions(m), actual.instructions(m), "instructions " + m + at);
            assertEquals(expected.tlbHits(m), actual.tlbHits(m), "TLB hits " + m + at);
            assertEquals(expected.tlbMisses(m), actual.tlbMisses(m), "TLB misses " + m + at);
            assertEquals(expected.cacheHits(m), actual.cacheHits(m), "cache hits " + m + at);
            assertEquals(expected.cacheMisses(m), actual.cacheMisses(m), "cache misses " + m + at);
            assertEquals(expected.compulsoryMisses(m), actual.compulsoryMisses(m), "compulsory " + m + at);
            assertEquals(expected.capacityMisses(m), actual.capacityMisses(m), "capacity " + m + at);
            assertEquals(expected.conflictMisses(m), actual.conflictMisses(m), "conflict " + m + at);
            assertEquals(expected.writes(m), actual.writes(m), "writes " + m + at);
            assertEquals(expected.writeStallCycles(m), actual.writeStallCycles(m), "write stalls " + m + at);
            assertEquals(expected.tlbMissCycles(m), actual.tlbMissCycles(m), "TLB miss cycles " + m + at);
            assertEquals(expected.lineFillCycles(m), actual.lineFillCycles(m), "line fill cycles " + m + at);
        }
        assertEquals(expected.executionCycles(), actual.executionCycles(), "execution cycles" + at);
        assertEquals(expected.instructions(), actual.instructions(), "instructions" + at);
        assertEquals(expected.tlbHits(), actual.tlbHits(), "TLB hits" + at);
        assertEquals(expected.tlbMisses(), actual.tlbMisses(), "TLB misses" + at);
        assertEquals(expected.cacheHits(), actual.cacheHits(), "cache hits" + at);
        assertEquals(expected.cacheMisses(), actual.cacheMisses(), "cache misses" + at);
        assertEquals(expected.toString(), actual.toString(), "toString" + at);
    }
}

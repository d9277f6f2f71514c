package org.l3wb.hw.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.CacheGeometry;
import org.l3wb.hw.api.MemoryTiming;
import org.l3wb.hw.api.Mode;
import org.l3wb.hw.api.Statistics;

class CacheHierarchyTest {
    /** i486: 8 KB, 4 ways, 16-byte lines: 128 sets, so addresses 2 KB apart share a set. */
    static final CacheGeometry I486 = new CacheGeometry(8192, 4, 16);
    static final int SET_STRIDE = 2048;
    static final MemoryTiming BOARD = new MemoryTiming(16 << 20, 256 << 10, 9, 20, 4, 3, 8);

    final Statistics stats = new Statistics();
    final CacheHierarchy cache = new CacheHierarchy(I486, BOARD, stats);

    @Test
    void fourWaysHoldFourLinesOfOneSetAndTheFifthEvictsThePseudoLruVictim() {
        int a = 0x1000;
        int b = a + SET_STRIDE;
        int c = a + 2 * SET_STRIDE;
        int d = a + 3 * SET_STRIDE;
        int e = a + 4 * SET_STRIDE;
        int f = a + 5 * SET_STRIDE;
        for (int x : new int[] {a, b, c, d}) {
            cache.read(x);
        }
        assertTrue(cache.holds(a) && cache.holds(b) && cache.holds(c) && cache.holds(d));
        cache.read(e); // tree after touching ways 0..3 in order points at way 0
        assertFalse(cache.holds(a));
        cache.read(b); // hit on way 1: the tree now points into the right pair, at way 2
        cache.read(f);
        assertFalse(cache.holds(c), "pseudo-LRU evicts way 2, not the true LRU line d");
        assertTrue(cache.holds(b) && cache.holds(d) && cache.holds(e) && cache.holds(f));
        assertEquals(4, cache.validLines(), "one set, four ways valid");
    }

    @Test
    void linesInDifferentSetsDoNotDisturbEachOther() {
        for (int i = 0; i < 128; i++) {
            cache.read(i * 16);
        }
        assertEquals(128, cache.validLines());
        for (int i = 0; i < 128; i++) {
            assertTrue(cache.holds(i * 16));
        }
        assertEquals(128, stats.compulsoryMisses(Mode.KERNEL));
    }

    @Test
    void missesAreSplitCompulsoryConflictAndCapacity() {
        // five lines cycling through one set: compulsory first, then conflict (512 lines would hold them)
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 5; i++) {
                cache.read(i * SET_STRIDE);
            }
        }
        assertEquals(5, stats.compulsoryMisses(Mode.KERNEL));
        // true LRU would miss all 10 re-references; the pseudo-LRU tree happens to keep B once
        assertEquals(9, stats.conflictMisses(Mode.KERNEL));
        assertEquals(1, stats.cacheHits(Mode.KERNEL));
        assertEquals(0, stats.capacityMisses(Mode.KERNEL));

        // a sweep over 1024 consecutive lines is twice the 512-line capacity: the second sweep misses
        // in a fully associative LRU cache too, so every miss is a capacity miss
        Statistics s = new Statistics();
        CacheHierarchy big = new CacheHierarchy(I486, BOARD, s);
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 1024; i++) {
                big.read(0x10000 + i * 16);
            }
        }
        assertEquals(1024, s.compulsoryMisses(Mode.KERNEL));
        assertEquals(1024, s.capacityMisses(Mode.KERNEL));
        assertEquals(0, s.conflictMisses(Mode.KERNEL));
    }

    @Test
    void flushEmptiesTheCacheAndLaterMissesCountAsCompulsoryFillingFromTheExternalCache() {
        cache.read(0x4000);
        assertEquals(BOARD.dramFillCycles(), stats.now(), "first touch fills from DRAM");
        cache.read(0x4000);
        assertEquals(BOARD.dramFillCycles(), stats.now(), "hit costs nothing extra");
        cache.flush();
        assertEquals(0, cache.validLines());
        assertFalse(cache.holds(0x4000));
        cache.read(0x4000);
        assertEquals(BOARD.dramFillCycles() + BOARD.externalFillCycles(), stats.now(),
                "the external cache kept the line");
        assertEquals(2, stats.compulsoryMisses(Mode.KERNEL));
        cache.flushExternal();
        cache.flush();
        cache.read(0x4000);
        assertEquals(2L * BOARD.dramFillCycles() + BOARD.externalFillCycles(), stats.now());
    }

    @Test
    void writesGoThroughWithoutAllocating() {
        cache.write(0x8000);
        assertFalse(cache.holds(0x8000));
        assertEquals(0, cache.validLines());
        assertEquals(1, stats.writes(Mode.KERNEL));
    }

    @Test
    void aFullWriteBufferStallsUntilItsOldestWriteRetires() {
        // DRAM writes take 8 bus cycles each; five writes at the same instant: the fifth waits
        for (int i = 0; i < 4; i++) {
            cache.write(0x8000 + 4 * i);
        }
        assertEquals(0, stats.writeStallCycles(Mode.KERNEL));
        assertEquals(0, stats.now());
        cache.write(0x8010);
        assertEquals(8, stats.writeStallCycles(Mode.KERNEL), "waits for the first write's 8 cycles");
        assertEquals(8, stats.now());
        cache.drainWriteBuffer();
        assertEquals(5 * 8, stats.now(), "draining waits for all five");
    }

    @Test
    void writesPacedAtTheBusRateNeverStall() {
        cache.read(0x9000); // line now in the external cache: writes to it take 3 cycles
        long start = stats.now();
        for (int i = 0; i < 100; i++) {
            stats.charge(3);
            cache.write(0x9000 + 4 * (i % 4));
        }
        assertEquals(0, stats.writeStallCycles(Mode.KERNEL));
        assertEquals(start + 300, stats.now());
    }

    @Test
    void geometryThatIsNotAPowerOfTwoIsRejectedNamingTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CacheGeometry(6000, 4, 16));
        assertTrue(e.getMessage().startsWith("cache.sizeBytes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CacheGeometry(8192, 3, 16));
        assertTrue(e.getMessage().startsWith("cache.ways"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MemoryTiming(16 << 20, 256 << 10, 0, 20, 4, 3, 8));
        assertTrue(e.getMessage().startsWith("memory.externalFillCycles"), e.getMessage());
    }

    /**
     * readWriteAgain vouches only for a destination line not on chip: a line that missed on a write
     * and was filled since (by a read) must be looked up again, not taken for still absent.
     */
    @Test
    void aWrittenLineFilledSinceIsOnChipForReadWriteAgain() {
        int x = 0x4000;
        int z = 0x6000;
        int y = 0x8010; // another set
        cache.write(z); // not on chip: write-through, no allocation
        cache.read(y);
        assertTrue(cache.readWriteAgain(y, z, 2, 3), "z is not on chip: the writes change no cache state");
        cache.write(x); // not on chip either
        cache.read(x);  // now filled
        cache.read(y);  // the source's line is the last access's again
        assertFalse(cache.readWriteAgain(y, x, 2, 3), "x is on chip now: each write must touch it");
        assertEquals(3, stats.cacheHits(Mode.KERNEL), "the two vouched items, then y again (its first read missed)");
    }
}

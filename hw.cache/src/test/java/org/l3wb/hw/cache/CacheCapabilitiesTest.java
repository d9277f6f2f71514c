package org.l3wb.hw.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.CacheGeometry;
import org.l3wb.hw.api.MemoryTiming;
import org.l3wb.hw.api.Replacement;
import org.l3wb.hw.api.Statistics;
import org.l3wb.hw.api.WritePolicy;

/** What the cache hierarchy does for a model that is not an i486: each test fails without its capability. */
class CacheCapabilitiesTest {
    static final CacheGeometry GEOMETRY = new CacheGeometry(8192, 4, 16);
    static final int SET_STRIDE = 2048;
    /** external fill 9, DRAM fill 20, 4 buffered writes, bus write 3 (external) / 8 (DRAM) */
    static final MemoryTiming BOARD = new MemoryTiming(16 << 20, 256 << 10, 9, 20, 4, 3, 8);

    final Statistics stats = new Statistics();

    private CacheHierarchy cache(boolean onChip, boolean external, boolean buffer, WritePolicy policy,
                                 Replacement replacement) {
        return new CacheHierarchy(GEOMETRY, BOARD, stats, onChip, external, buffer, policy, replacement);
    }

    @Test
    void trueLruAndPseudoLruEvictDifferentLinesAfterTouching0123Then2And0() {
        for (Replacement r : Replacement.values()) {
            CacheHierarchy c = cache(true, true, true, WritePolicy.WRITE_THROUGH_NO_ALLOCATE, r);
            int[] way = new int[5];
            for (int i = 0; i < 5; i++) {
                way[i] = 0x1000 + i * SET_STRIDE;
            }
            for (int i : new int[] {0, 1, 2, 3, 2, 0}) {
                c.read(way[i]);
            }
            c.read(way[4]);
            if (r == Replacement.LRU) {
                assertFalse(c.holds(way[1]), "true LRU evicts way 1, touched longest ago");
                assertTrue(c.holds(way[3]));
            } else {
                assertFalse(c.holds(way[3]), "the pseudo-LRU tree points at way 3");
                assertTrue(c.holds(way[1]));
            }
        }
    }

    @Test
    void withoutAnOnChipCacheEveryReadIsABusCycleAndNothingIsHeld() {
        CacheHierarchy c = cache(false, true, true, WritePolicy.WRITE_THROUGH_NO_ALLOCATE, Replacement.PSEUDO_LRU);
        c.read(0x1000); // not in the external cache: a DRAM bus cycle, and the external cache allocates
        assertEquals(8, stats.now());
        c.read(0x1000); // again a bus cycle, now from the external cache
        assertEquals(8 + 3, stats.now());
        c.read(0x1004);
        assertEquals(8 + 3 + 3, stats.now(), "no line is kept on chip, not even the last");
        assertFalse(c.holds(0x1000));
        assertEquals(0, c.validLines());
        assertEquals(0, stats.cacheHits() + stats.cacheMisses(), "no cache: neither hits nor misses");
    }

    @Test
    void withoutAnExternalCacheEveryFillComesFromDram() {
        CacheHierarchy c = cache(true, false, true, WritePolicy.WRITE_THROUGH_NO_ALLOCATE, Replacement.PSEUDO_LRU);
        c.read(0x1000);
        c.flush();
        c.read(0x1000); // with an external cache this refill would cost 9
        assertEquals(20 + 20, stats.now());
    }

    @Test
    void withoutAWriteBufferEveryWriteWaitsForTheBus() {
        CacheHierarchy c = cache(true, true, false, WritePolicy.WRITE_THROUGH_NO_ALLOCATE, Replacement.PSEUDO_LRU);
        c.write(0x1000);
        c.write(0x2000);
        assertEquals(8 + 8, stats.now(), "two DRAM bus writes, each waited for");

        Statistics buffered = new Statistics();
        CacheHierarchy b = new CacheHierarchy(GEOMETRY, BOARD, buffered);
        b.write(0x1000);
        b.write(0x2000);
        assertEquals(0, buffered.now(), "a write buffer takes both without a stall");
    }

    @Test
    void writeBackAllocatesOnAWriteMissAndWbinvdWritesTheDirtyLineBack() {
        CacheHierarchy c = cache(true, true, true, WritePolicy.WRITE_BACK_ALLOCATE, Replacement.PSEUDO_LRU);
        c.write(0x1000);
        assertTrue(c.holds(0x1000), "write-allocate: the miss filled the line");
        assertEquals(20, stats.now(), "the fill from DRAM, no bus write");
        assertEquals(1, c.dirtyLines());
        c.write(0x1004);
        assertEquals(20, stats.now(), "a write hit goes no further than the line");
        assertEquals(0, stats.writes(org.l3wb.hw.api.Mode.KERNEL), "nothing reached the bus yet");

        c.flush();
        assertEquals(20 + 9, stats.now(), "WBINVD: one line written back, a burst to the external cache");
        assertEquals(0, c.dirtyLines());
        assertFalse(c.holds(0x1000));

        CacheHierarchy through = new CacheHierarchy(GEOMETRY, BOARD, new Statistics());
        through.write(0x1000);
        assertFalse(through.holds(0x1000), "the i486 does not allocate on a write miss");
    }

    @Test
    void aWriteBackCacheWritesADirtyVictimBackWhenItIsReplaced() {
        CacheHierarchy c = cache(true, true, false, WritePolicy.WRITE_BACK_ALLOCATE, Replacement.LRU);
        c.write(0x1000); // dirty, way 0
        for (int i = 1; i <= 3; i++) {
            c.read(0x1000 + i * SET_STRIDE);
        }
        long before = stats.now();
        c.read(0x1000 + 4 * SET_STRIDE); // evicts the dirty line (true LRU: touched first)
        assertFalse(c.holds(0x1000));
        assertEquals(9 + 20, stats.now() - before,
                "no write buffer: the write-back (a burst to the external cache) and then the fill from DRAM");
        assertEquals(0, c.dirtyLines());
    }
}

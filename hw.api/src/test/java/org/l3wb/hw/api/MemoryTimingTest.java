package org.l3wb.hw.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** One board setting read and replaced by name, the others kept; bad names and values refused in one line. */
class MemoryTimingTest {
    private static final MemoryTiming BOARD = new MemoryTiming(16 << 20, 256 << 10, 9, 20, 4, 4, 4);

    @Test
    void eachSettingIsReadAndReplacedByItsName() {
        int[] values = {16 << 20, 256 << 10, 9, 20, 4, 4, 4};
        for (int i = 0; i < MemoryTiming.SETTINGS.size(); i++) {
            String name = MemoryTiming.SETTINGS.get(i);
            assertEquals(values[i], BOARD.setting(name), name);
            // a power of two and positive, so valid for every setting; different from the present value
            int other = values[i] == 8 ? 16 : 8;
            if (name.equals("memoryBytes")) {
                other = 32 << 20;
            }
            MemoryTiming changed = BOARD.with(name, other);
            for (String n : MemoryTiming.SETTINGS) {
                assertEquals(n.equals(name) ? other : BOARD.setting(n), changed.setting(n), name + " changed " + n);
            }
        }
        assertEquals(BOARD, BOARD.with("externalWriteCycles", 4), "the same value gives an equal timing");
    }

    @Test
    void anUnknownNameOrAnImpossibleValueIsRefusedNamingIt() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> BOARD.with("externalWriteNs", 3));
        assertEquals("unknown memory timing setting 'externalWriteNs' (one of memoryBytes, externalCacheBytes, "
                + "externalFillCycles, dramFillCycles, writeBufferEntries, externalWriteCycles, dramWriteCycles)",
                unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BOARD.setting("nope"));
        assertEquals("memory.externalCacheBytes must be a positive power of two, got 3000",
                assertThrows(IllegalArgumentException.class, () -> BOARD.with("externalCacheBytes", 3000)).getMessage());
        assertEquals("memory.dramWriteCycles must be positive, got 0",
                assertThrows(IllegalArgumentException.class, () -> BOARD.with("dramWriteCycles", 0)).getMessage());
    }

    @Test
    void nanosecondsBecomeWholeCyclesRoundedUp() {
        assertEquals(4, MemoryTiming.cycles(80, 50));
        assertEquals(3, MemoryTiming.cycles(60, 50));
        assertEquals(8, MemoryTiming.cycles(160, 50));
        assertEquals(9, MemoryTiming.cycles(180, 50));
        assertEquals(3, MemoryTiming.cycles(80, 33), "2.64 cycles end on the third clock edge");
        assertEquals(1, MemoryTiming.cycles(1, 50));
        assertEquals("ns must be positive, got 0",
                assertThrows(IllegalArgumentException.class, () -> MemoryTiming.cycles(0, 50)).getMessage());
    }
}

package org.l3wb.hw.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.MemoryTiming;

class DramTest {
    final Dram dram = new Dram(new MemoryTiming(1 << 20, 64 << 10, 9, 20, 4, 3, 8));

    @Test
    void wordsAndBytesAreLittleEndian() {
        dram.writeWord(0x100, 0x4433_2211);
        assertEquals(0x11, dram.readByte(0x100));
        assertEquals(0x44, dram.readByte(0x103));
        dram.writeByte(0x101, 0xAB);
        assertEquals(0x4433_AB11, dram.readWord(0x100));
    }

    @Test
    void framesComeLowestFirstZeroedAndFrameZeroIsReserved() {
        int total = dram.freeFrames();
        assertEquals(255, total);
        int f1 = dram.allocateFrame();
        int f2 = dram.allocateFrame();
        assertEquals(0x1000, f1);
        assertEquals(0x2000, f2);
        dram.writeWord(f1 + 8, 42);
        dram.freeFrame(f1);
        assertEquals(f1, dram.allocateFrame());
        assertEquals(0, dram.readWord(f1 + 8), "reallocated frame is zeroed");
        assertEquals(total - 2, dram.freeFrames());
        assertThrows(IllegalStateException.class, () -> {
            dram.freeFrame(f2);
            dram.freeFrame(f2);
        });
    }

    @Test
    void badAddressesFailNamingTheAddress() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dram.readWord(0x102));
        assertEquals("unaligned dword access at physical 0x00000102", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> dram.readWord(1 << 20));
    }

    /** copyWords is count dword moves upwards, whatever the overlap; a bad range copies nothing. */
    @Test
    void copyWordsIsADwordByDwordCopyUpwards() {
        int[][] cases = { // source, destination, dwords
            {0x1000, 0x3000, 64}, {0x1000, 0x1004, 64}, {0x1000, 0x1010, 64}, {0x1010, 0x1000, 64},
            {0x1000, 0x1000, 64}, {0x1000, 0x10FC, 64}, {0x1000, 0x1100, 64}, {0x1000, 0x2000, 0}};
        for (int[] c : cases) {
            Dram bulk = new Dram(new MemoryTiming(1 << 20, 64 << 10, 9, 20, 4, 3, 8));
            Dram single = new Dram(new MemoryTiming(1 << 20, 64 << 10, 9, 20, 4, 3, 8));
            for (int a = 0x1000; a < 0x4000; a += 4) {
                bulk.writeWord(a, a * 31 + 7);
                single.writeWord(a, a * 31 + 7);
            }
            bulk.copyWords(c[0], c[1], c[2]);
            for (int n = 0; n < c[2]; n++) {
                single.writeWord(c[1] + 4 * n, single.readWord(c[0] + 4 * n));
            }
            for (int a = 0x1000; a < 0x4000; a += 4) {
                assertEquals(single.readWord(a), bulk.readWord(a), String.format("case %x %x %d at %x", c[0], c[1], c[2], a));
            }
        }
        // the replication only a forward copy makes: each dword copied again
        dram.writeWord(0x2000, 5);
        dram.copyWords(0x2000, 0x2004, 3);
        assertEquals(5, dram.readWord(0x200C));
        // beyond memory: nothing copied
        dram.writeWord(0xFFFF8, 1);
        dram.writeWord(0x1000, 2);
        assertThrows(IllegalArgumentException.class, () -> dram.copyWords(0xFFFF8, 0x1000, 3));
        assertThrows(IllegalArgumentException.class, () -> dram.copyWords(0x1000, 0xFFFF8, 3));
        assertEquals(2, dram.readWord(0x1000));
        assertEquals(1, dram.readWord(0xFFFF8));
    }
}

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
}

package org.l3wb.hw.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The machine's DRAM: the bytes themselves, at physical addresses. Reads and writes here cost no
 * cycles; timed accesses go through {@link Processor}, whose {@link Mmu} and {@link Cache} charge them.
 * The frame allocator hands out zeroed 4 KB frames deterministically (lowest free first).
 */
@ProviderType
public interface PhysicalMemory {
    /** @return installed bytes */
    int size();

    /** @return the little-endian dword at a 4-aligned physical address */
    int readWord(int phys);

    /** Writes the little-endian dword at a 4-aligned physical address. */
    void writeWord(int phys, int value);

    /** @return the byte at a physical address, 0..255 */
    int readByte(int phys);

    /** Writes the low byte of {@code value} at a physical address. */
    void writeByte(int phys, int value);

    /**
     * Copies {@code count} dwords from {@code srcPhys} to {@code dstPhys} (both 4-aligned), one
     * after the other upwards, as REP MOVSD's items do: where the destination lies above the source
     * and overlaps it, the dwords already copied are copied again. The same as {@code count}
     * {@link #readWord}/{@link #writeWord} pairs; an implementation may do it at once (a processor's
     * string move, once its accounting is known to be per line, moves its data per page).
     *
     * @since 2.2
     */
    default void copyWords(int srcPhys, int dstPhys, int count) {
        for (int n = 0; n < count; n++) {
            writeWord(dstPhys + 4 * n, readWord(srcPhys + 4 * n));
        }
    }

    /** @return the physical address of a zeroed free 4 KB frame; fails when memory is exhausted */
    int allocateFrame();

    /** Returns a frame to the free pool. */
    void freeFrame(int phys);

    /** @return number of free frames */
    int freeFrames();
}

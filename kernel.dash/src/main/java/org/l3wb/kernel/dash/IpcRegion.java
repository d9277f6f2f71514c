package org.l3wb.kernel.dash;

import org.l3wb.hw.api.PageFlags;

/**
 * The ipc region of every space (paper 7.2: "a special part of the address space, called the ipc
 * region ... 1 MB long") and the page descriptor a Dash send passes in ECX.
 *
 * <p>The region is the same 1 MB of user space in every task, {@link #BASE} to {@link #END}. It lies
 * inside one 4 MB page-directory slot, so one page-directory entry per space (and one page table)
 * covers all of it: the kernel loads one directory entry per side and then walks the page-table
 * entries of the message's pages in a row.
 *
 * <p>Descriptor (ECX of a send): the page-aligned address of the message's first page, ORed with the
 * number of pages (1 .. {@link #PAGES}) in the low 12 bits. ECX 0 and 1 keep their Table 6 meaning (no
 * send part, a short message in registers); any other ECX is a page descriptor.
 *
 * <p>The lab's page-transfer workload must know {@link #BASE}; it may not depend on this bundle, so it
 * repeats the constant (org.l3wb.lab.ipc.DashTransfer).
 */
final class IpcRegion {
    /** First address of the ipc region, in every space (far above user code and stacks, which lie below 8 MB). */
    public static final int BASE = 0x7F00_0000;
    /** Bytes of the region: 1 MB, as in Dash [Tzo 91]. */
    public static final int SIZE = 1 << 20;
    /** First address above the region. */
    public static final int END = BASE + SIZE;
    /** Pages in the region. */
    public static final int PAGES = SIZE / PageFlags.PAGE_SIZE;
    /** Low bits of a descriptor that hold the page count. */
    public static final int COUNT_MASK = PageFlags.PAGE_SIZE - 1;
    /** Offset of the region's first page-table entry in its page table. */
    static final int FIRST_PTE_OFFSET = ((BASE >>> 12) & 0x3FF) * 4;
    /** Offset of the region's page-directory entry in a page directory. */
    static final int PDE_OFFSET = (BASE >>> 22) * 4;

    static {
        if ((BASE >>> 22) != ((END - 1) >>> 22) || (BASE & (PageFlags.PAGE_SIZE - 1)) != 0) {
            throw new AssertionError("the ipc region must be page-aligned and lie in one page-directory slot");
        }
    }

    private IpcRegion() {
    }

    /** @return the descriptor for {@code pages} pages from {@code firstPage} (for tests and callers) */
    static int descriptor(int firstPage, int pages) {
        return (firstPage & PageFlags.FRAME_MASK) | (pages & COUNT_MASK);
    }
}

package org.l3wb.kernel.core;

import java.util.function.IntConsumer;

import org.l3wb.hw.api.PageFlags;
import org.l3wb.kernel.api.KernelLayout;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;

/**
 * The nucleus's address map above user space, shared by all tasks (one set of kernel page tables
 * referenced from every page directory), except the per-space communication window and own-directory
 * regions.
 *
 * <p>Careful placement (5.5.1, 5.5.2): the on-chip cache indexes sets by address bits 10..4 and the
 * TLB by bits 14..12, so the hot structures sit at offsets and pages that do not crowd one set. With
 * {@link Switch#CONDENSED_TABLES} GDT, TSS, IDT and the hot kernel data share one page; without, each
 * has its own page (same offsets within the page, so only the TLB behaviour differs).
 */
final class Layout implements KernelLayout {
    static final int USER_TOP = 0xC000_0000;
    /** All physical memory, mapped for the kernel (page tables, frame copies). */
    static final int PHYSICAL_MAP = 0xD000_0000;
    static final int KERNEL_CODE = 0xE004_0000;
    static final int CONDENSED = 0xE004_1000;
    static final int SPREAD = 0xE005_0000;
    /**
     * The GDT starts 8 bytes before a line, so that the null descriptor sits alone and the four
     * descriptors INT and IRET read (kernel and user code and stack) fill exactly two cache lines.
     */
    static final int GDT_OFFSET = 0x1F8;
    static final int TSS_OFFSET = 0x280;
    static final int DATA_OFFSET = 0x300;
    static final int IDT_OFFSET = 0x800;
    static final int TCB_TABLE = 0xE008_0000;
    static final int PAGE_DIRECTORIES = 0xE042_0000;
    static final int KERNEL_BUFFER = 0xE0A0_0000;
    /** Room for a twofold copy of the largest message the experiments send; larger strings are cut. */
    static final int KERNEL_BUFFER_BYTES = 256 * 1024;
    /** TCBs when virtual TCBs are off: a heap, one after the other, found through the table. */
    static final int TCB_HEAP = 0xE100_0000;
    /** Kernel stacks when virtual TCBs are off: one page each, apart from the TCBs. */
    static final int STACKS = 0xE200_0000;
    /**
     * 16 MB for each IPC mechanism's tables (port table, port link tables, ...), one region per
     * mechanism that runs on the nucleus, in the order they first ask; the regions end below the
     * window.
     */
    static final int MECHANISM_DATA = 0xE400_0000;
    static final int MECHANISM_DATA_BYTES = KernelLayout.MECHANISM_DATA_BYTES;
    static final int MECHANISM_REGIONS = 10;
    static final int WINDOW = 0xEF00_0000;
    /** TLB set 3: the sets of kernel code and TCB pages (0) and of the tables (1) stay free. */
    static final int OWN_PAGE_DIRECTORY = 0xEFC4_3000;
    static final int TCB_ARRAY = 0xF000_0000;
    static final int THREADS_PER_TASK = 128;
    static final int MAX_TASKS = 128;
    static final int THREAD_MASK = THREADS_PER_TASK * MAX_TASKS - 1;
    static final int WAKEUP_LISTS = 8;

    // hot kernel data words, from kernelData()
    static final int CLOCK_BASE = 0;
    static final int CLOCK_OFFSET = 4;
    static final int TIMESLICE = 8;
    static final int READY_QUEUE = 12;
    static final int WAITING_QUEUE = 16;
    static final int CURRENT_THREAD = 20;
    static final int WAKEUP_HEADS = 32;

    private final boolean condensed;
    /** Which mechanism owns each data region (null: free); set-up bookkeeping, like a linker's. */
    private final String[] mechanismRegions = new String[MECHANISM_REGIONS];
    /** Called with a region's address when a mechanism first gets it (to give it page tables). */
    private final IntConsumer newMechanismRegion;

    Layout(Switches switches, IntConsumer newMechanismRegion) {
        this.condensed = switches.isOn(Switch.CONDENSED_TABLES);
        this.newMechanismRegion = newMechanismRegion;
    }

    /** @return the page holding table {@code index} (0 GDT, 1 TSS, 2 kernel data, 3 IDT) */
    private int page(int index) {
        return condensed ? CONDENSED : SPREAD + index * PageFlags.PAGE_SIZE;
    }

    /** @return the distinct pages the descriptor tables and kernel data occupy */
    int[] tablePages() {
        return condensed ? new int[] {CONDENSED} : new int[] {page(0), page(1), page(2), page(3)};
    }

    @Override
    public int userTop() {
        return USER_TOP;
    }

    @Override
    public int tcbArray() {
        return TCB_ARRAY;
    }

    @Override
    public int threadsPerTask() {
        return THREADS_PER_TASK;
    }

    @Override
    public int threadMask() {
        return THREAD_MASK;
    }

    @Override
    public int tcbTable() {
        return TCB_TABLE;
    }

    @Override
    public int pageDirectories() {
        return PAGE_DIRECTORIES;
    }

    @Override
    public int ownPageDirectory() {
        return OWN_PAGE_DIRECTORY;
    }

    @Override
    public int communicationWindow() {
        return WINDOW;
    }

    @Override
    public int gdt() {
        return page(0) + GDT_OFFSET;
    }

    @Override
    public int tss() {
        return page(1) + TSS_OFFSET;
    }

    @Override
    public int kernelData() {
        return page(2) + DATA_OFFSET;
    }

    @Override
    public int idt() {
        return page(3) + IDT_OFFSET;
    }

    @Override
    public int readyQueue() {
        return kernelData() + READY_QUEUE;
    }

    @Override
    public int waitingQueue() {
        return kernelData() + WAITING_QUEUE;
    }

    @Override
    public int wakeupLists() {
        return kernelData() + WAKEUP_HEADS;
    }

    @Override
    public int wakeupListCount() {
        return WAKEUP_LISTS;
    }

    @Override
    public int clockBase() {
        return kernelData() + CLOCK_BASE;
    }

    @Override
    public int clockOffset() {
        return kernelData() + CLOCK_OFFSET;
    }

    @Override
    public int timesliceLeft() {
        return kernelData() + TIMESLICE;
    }

    @Override
    public int currentThread() {
        return kernelData() + CURRENT_THREAD;
    }

    @Override
    public int kernelBuffer() {
        return KERNEL_BUFFER;
    }

    @Override
    public int kernelBufferBytes() {
        return KERNEL_BUFFER_BYTES;
    }

    @Override
    public int kernelCode() {
        return KERNEL_CODE;
    }

    @Override
    public int physicalMap() {
        return PHYSICAL_MAP;
    }

    @Override
    public int mechanismData(String mechanism) {
        for (int i = 0; i < MECHANISM_REGIONS; i++) {
            if (mechanismRegions[i] == null) {
                mechanismRegions[i] = mechanism;
                newMechanismRegion.accept(regionAddress(i));
                return regionAddress(i);
            }
            if (mechanismRegions[i].equals(mechanism)) {
                return regionAddress(i);
            }
        }
        throw new IllegalStateException("all " + MECHANISM_REGIONS + " mechanism data regions are taken: "
                + String.join(", ", mechanismRegions));
    }

    private static int regionAddress(int i) {
        return MECHANISM_DATA + i * MECHANISM_DATA_BYTES;
    }

    /** @return whether {@code linear} lies in a mechanism data region handed out so far */
    boolean inMechanismData(int linear) {
        for (int i = 0; i < MECHANISM_REGIONS && mechanismRegions[i] != null; i++) {
            if (Integer.compareUnsigned(linear - regionAddress(i), MECHANISM_DATA_BYTES) < 0) {
                return true;
            }
        }
        return false;
    }
}

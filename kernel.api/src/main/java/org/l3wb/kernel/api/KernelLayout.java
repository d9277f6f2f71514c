package org.l3wb.kernel.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where the nucleus keeps its data in the virtual address space every task shares above
 * {@link #userTop()}. The layout depends on the switches: with {@link Switch#CONDENSED_TABLES} the
 * descriptor tables and the hot kernel data share one page; with {@link Switch#VIRTUAL_TCB} TCBs
 * are found by mask and add in a virtual array, otherwise through {@link #tcbTable()}.
 */
@ProviderType
public interface KernelLayout {
    /** @return first address above user space; user buffers must lie below it */
    int userTop();

    /** @return base of the virtual TCB array (thread number x {@link Tcb#SIZE}) */
    int tcbArray();

    /** @return threads a task may have; thread number = task x this + local number */
    int threadsPerTask();

    /** @return mask applied to a uid's low word to get a thread number (5.3.1) */
    int threadMask();

    /** @return table of TCB addresses indexed by thread number (used when virtual TCBs are off) */
    int tcbTable();

    /** @return virtual array of all page directories: task t's at + t x 4096 (5.2.5) */
    int pageDirectories();

    /** @return where each space sees its own page directory */
    int ownPageDirectory();

    /** @return the 8 MB communication window, two directory entries, per space (5.2.3) */
    int communicationWindow();

    int gdt();

    int idt();

    int tss();

    /** @return the hot kernel data: clock, queue heads, current thread, timeslice */
    int kernelData();

    /** @return the ready queue's head link (a TCB address or 0) */
    int readyQueue();

    /** @return strict scheduling's waiting queue head */
    int waitingQueue();

    /** @return first of {@link #wakeupListCount()} wakeup list heads, then the long-time list's */
    int wakeupLists();

    int wakeupListCount();

    /** @return clock base (ms) word; the offset word follows it */
    int clockBase();

    int clockOffset();

    /** @return timeslice ticks left of the running thread */
    int timesliceLeft();

    /** @return the word holding the current TCB (when it cannot be derived from ESP) */
    int currentThread();

    /** @return a kernel buffer for twofold copies (direct transfer off) */
    int kernelBuffer();

    int kernelBufferBytes();

    /** @return start of kernel code; the IPC path lies in its first page */
    int kernelCode();

    /** @return where all physical memory is mapped for the kernel (phys + this) */
    int physicalMap();

    /** Bytes of each mechanism's data region. */
    int MECHANISM_DATA_BYTES = 16 << 20;

    /**
     * A 16 MB kernel region, shared by all spaces, for one IPC mechanism's own tables (ports: port
     * table and port link tables; mach: its IPC spaces, ports and kmsgs). Each mechanism that runs
     * on a nucleus gets a region of its own, so that mechanisms swapped in and out of a running
     * nucleus never meet in each other's tables: the first mechanism to ask gets the first region
     * (the same address whichever it is, so a mechanism running alone sees the same layout), the
     * next one the next region, and a name keeps its region for the nucleus's lifetime. Pages are
     * mapped with {@link KernelContext#mapKernelPage}; the rest stays unmapped.
     *
     * @param mechanism the mechanism's {@link IpcMechanism#name()}
     * @return the region's first address, aligned to 16 MB
     * @throws IllegalStateException when every region is taken by other mechanisms
     */
    int mechanismData(String mechanism);
}

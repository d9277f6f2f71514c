package org.l3wb.kernel.api;

import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.PageFault;
import org.l3wb.hw.api.Processor;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What the nucleus offers an {@link IpcMechanism} and a {@link Scheduler} during one kernel entry.
 * Every method that the real kernel would execute issues its instructions on {@link #cpu()}; the
 * Javadoc of each says which. Mechanisms and schedulers keep no state of their own: it is all in
 * simulated kernel memory, reached through {@link #layout()} and {@link Tcb}.
 */
@ProviderType
public interface KernelContext {
    Processor cpu();

    Machine machine();

    KernelLayout layout();

    Switches switches();

    /**
     * @return the processor's capabilities as the nucleus read them at boot (free: the kernel was
     * set up for them, as a kernel is built for its processor)
     * @since 2.1
     */
    ProcessorFeatures features();

    /**
     * Removes the current space's communication-window entries from the TLB now (5.2.3), with
     * {@code space} the current page directory as the caller holds it: MOV CR3 where a CR3 load flushes
     * the TLB, a flush by tag where it does not (tagged TLB). Global kernel pages survive either.
     * @since 2.1
     */
    void cleanWindow(int space);

    /**
     * A transfer through the communication window ended and an address-space switch follows. Where a
     * CR3 load flushes the TLB the switch cleans the window and this does nothing (5.2.3); on a tagged
     * TLB the switch keeps the entries, so the current space's are flushed by tag now.
     * @since 2.1
     */
    void windowDoneBeforeSwitch();

    /**
     * Removes {@code pages} consecutive pages from {@code first} from the TLB after their page-table
     * entries changed: INVLPG each, or, on a processor without INVLPG, one flush of the current space
     * (by tag) or of the whole TLB (CR3 reload), as a 386 kernel does.
     * @since 2.1
     */
    void invalidatePages(int first, int pages);

    /** @return the bound scheduler, read at this kernel entry */
    Scheduler scheduler();

    /** @return the current TCB: ESP masked (virtual TCB), else the current-thread word loaded */
    int current();

    /**
     * Thread number to TCB: mask and add (virtual TCB, 3 cycles, 5.3.1) or a table load. An access to
     * the TCB of an unused thread page-faults; the handler maps the nucleus's empty TCB page.
     *
     * @return the TCB address of the thread number in {@code uidLow}
     */
    int tcbOf(int uidLow);

    /**
     * {@link #tcbOf} plus the uid check against the TCB (4 cycles when it matches).
     *
     * @return the TCB, or 0 when no such thread exists or the uid is stale
     */
    int lookup(int uidLow, int uidHigh);

    /**
     * Direct process switch from the current thread to {@code to} (5.3.5): save and load the kernel
     * stack pointer, set the TSS's kernel stack, and load CR3 when the space changes; apply the
     * window-clean rules when it does not (5.2.3). Time slice is donated.
     */
    void switchTo(int from, int to);

    /** Leaves the kernel to the current thread: IRET (after reloading segments when that switch is off). */
    void returnToUser();

    /**
     * Continues the current thread as its {@link Tcb#RESUME} says: restores what was saved for it,
     * continues a preempted transfer, then returns to user.
     */
    void resume();

    /** Stores IPC results in a thread's TCB for a thread that will be resumed later, not switched to now. */
    void saveResults(int tcb, int eax, int ebx, int ecx, int edx, int esi);

    /**
     * Handles a page fault raised by kernel code: charges the exception, maps the empty TCB page for
     * an access to an unused TCB, re-establishes the communication window for the current thread's
     * transfer. Returns so that the caller restarts the instruction.
     *
     * @throws PageFault again when the fault is a real error (an unmapped user buffer)
     */
    void pageFault(PageFault fault);

    /** @return the clock in ms (base + offset, read from kernel data) */
    long now();

    /** Picks the next thread when the current one blocked with nobody to switch to, and dispatches it. */
    void dispatchNext();

    /** @return whether the long transfer in progress should yield the processor (timer due) */
    boolean preemptionPending();

    /**
     * Maps a fresh zeroed page at {@code linear} in the kernel area if none is mapped there (kernel
     * memory allocation at set-up time; not an IPC path operation, so it costs no cycles).
     *
     * @throws IllegalArgumentException when {@code linear} is not in a region that
     *         {@link KernelLayout#mechanismData(String)} handed out
     */
    void mapKernelPage(int linear);

    /** Takes the pending clock interrupt inside the kernel; may end the current thread's time slice. */
    boolean clockInterruptInKernel();
}

package org.l3wb.kernel.ipc;

import static org.l3wb.kernel.ipc.L3Ipc.OWN_TCB;

import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.PageFault;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.KernelLayout;
import org.l3wb.kernel.api.KernelStep;
import org.l3wb.kernel.api.Tcb;

/**
 * The direct copy of one {@link Transfer} through the communication window (5.2.3, figure 5): the
 * other side's 8 MB region is mapped into the current space's window by copying two page-directory
 * entries (Table 4), and the kernel reaches the other side's memory at the window's alias. The
 * window is recorded in the current thread's TCB, so that the page-fault handler can map it again
 * after another thread of the space used it; loads, stores and REP MOVSD here survive such a fault.
 */
final class CommunicationWindow {
    private KernelContext k;
    private Processor cpu;
    private KernelLayout layout;
    /** The current thread's TCB, where the window's task and region are recorded. */
    private int me;
    private int windowTask;
    private int windowRegion = -1;
    private boolean windowRemapped;

    /**
     * Sets this (reused, see {@link Transfer#of}) window up for one transfer, as a new one.
     *
     * @return this
     */
    CommunicationWindow reset(KernelContext k, int me) {
        this.k = k;
        this.cpu = k.cpu();
        this.layout = k.layout();
        this.me = me;
        windowTask = 0;
        windowRegion = -1;
        windowRemapped = false;
        return this;
    }

    /** @return whether the transfer has mapped the window (it may still be, or again be, mapped) */
    boolean used() {
        return windowTask != 0;
    }

    /**
     * A preempted transfer resumes: the window still names our mapping; if a thread switch
     * invalidated it, the first access faults and the handler maps it again (5.2.3).
     */
    void resume() {
        windowTask = cpu.load(Reg.EBX, OWN_TCB, me + Tcb.WINDOW_TASK);
        windowRegion = cpu.load(Reg.EBX, OWN_TCB, me + Tcb.WINDOW_REGION);
    }

    /** The transfer is over: the window is no longer in use (the caller cleans the TLB as its case needs). */
    void release() {
        cpu.store(OWN_TCB, me + Tcb.WINDOW_TASK, Reg.NONE, 0);
    }

    /**
     * TEMPORARY_MAPPING (5.2.3, figure 5, Table 4): map the 8 MB region holding {@code address} of
     * {@code task} into our communication window by copying two page-directory entries, unless it is
     * mapped there already; then compute the alias in {@code holder}, the register that holds the
     * address (ESI for the sender's side, EDI for the receiver's).
     *
     * @return the window address that aliases {@code address}
     */
    int temporaryMapping(int task, int address, int bytes, Reg holder) {
        CodeStep outer = cpu.step(KernelStep.TEMPORARY_MAPPING);
        int region = address >>> 22;
        if (task != windowTask || region != windowRegion
                || (address & (PageFlags.REGION_SIZE - 1)) + (long) bytes > 2L * PageFlags.REGION_SIZE) {
            if (windowTask != 0 && windowRemapped) {
                k.cleanWindow(cpu.load(Reg.EBX, OWN_TCB, me + Tcb.SPACE)); // another region in the same transfer: flush stale entries
            }
            cpu.alu(Reg.EBX, holder, address); // calc 8 MB region
            cpu.shift(Reg.EBX, region);
            int directory = layout.pageDirectories() + task * PageFlags.PAGE_SIZE; // load pdir addr
            cpu.alu(Reg.EBP, Reg.NONE, directory);
            // copy pdir entries: MOV EAX, [EBP + EBX*4]; MOV [window's slot in our directory], EAX (the
            // model charges the store in its indexed form, as the load)
            int own = layout.ownPageDirectory() + (layout.communicationWindow() >>> 22) * 4;
            cpu.store(Reg.NONE, Reg.NONE, own, Reg.EAX, cpu.load(Reg.EAX, Reg.EBP, Reg.EBX, directory + region * 4));
            cpu.store(Reg.NONE, Reg.NONE, own + 4, Reg.EAX,
                    cpu.load(Reg.EAX, Reg.EBP, Reg.EBX, directory + (region + 1) * 4));
            cpu.store(OWN_TCB, me + Tcb.WINDOW_TASK, Reg.EBP, task);
            cpu.store(OWN_TCB, me + Tcb.WINDOW_REGION, Reg.EBX, region);
            windowTask = task;
            windowRegion = region;
            windowRemapped = true;
        }
        cpu.alu(holder, Reg.NONE); // calc dest addr: AND, ADD
        cpu.alu(holder, Reg.NONE);
        cpu.step(outer);
        return layout.communicationWindow() + (address - (region << 22));
    }

    /**
     * MOV EAX, [base + disp], surviving a fault on the window: the handler maps this transfer's
     * region again (after another thread of the space used the window) and the load is restarted.
     */
    int read(Reg base, int linear) {
        while (true) {
            try {
                return cpu.load(Reg.EAX, base, linear);
            } catch (PageFault f) {
                k.pageFault(f);
            }
        }
    }

    /** MOV [base + disp], EAX, surviving a fault on the window like {@link #read}. */
    void write(Reg base, int linear, int value) {
        while (true) {
            try {
                cpu.store(base, linear, Reg.EAX, value);
                return;
            } catch (PageFault f) {
                k.pageFault(f);
            }
        }
    }

    /** REP MOVSD (and MOVSB for a tail), restarted after a fault the handler resolves (window). */
    void moveChunk(int src, int dst, int bytes) {
        int dwords = bytes >>> 2;
        int tail = bytes & 3;
        int s = src;
        int d = dst;
        int left = dwords;
        while (true) {
            try {
                cpu.repMovsd(s, d, left);
                break;
            } catch (PageFault f) {
                k.pageFault(f); // rethrows unless it mapped the window again
                s = cpu.reg(Reg.ESI);
                d = cpu.reg(Reg.EDI);
                left = cpu.reg(Reg.ECX);
            }
        }
        if (tail != 0) {
            cpu.repMovsb(src + 4 * dwords, dst + 4 * dwords, tail);
        }
    }
}

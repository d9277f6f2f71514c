package org.l3wb.kernel.core;

import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.PageFault;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.api.Sreg;
import org.l3wb.kernel.api.IpcMechanism;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.KernelCall;
import org.l3wb.kernel.api.KernelStep;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Scheduler;
import org.l3wb.kernel.api.Tcb;

/**
 * The trap path: kernel entry and the segment check (5.2.1, 5.5.3), uid to TCB (5.3.1, 5.2.5), the
 * thread and address-space switch (5.3.5, 5.2.3), and the return to user, directly or through a
 * thread's resume kind. Each method named after a step marks it for a trace.
 *
 * <p>Registers: the message registers of Table 6 stay as the caller left them; EBP holds the TCB the
 * kernel works on (the current one, or the one a uid names), and in {@link #switchTo} the thread
 * switched to while EBX holds the one switched from.
 */
final class TrapPath {
    private static final Reg[] SAVED = {Reg.EAX, Reg.EBX, Reg.ECX, Reg.EDX, Reg.ESI, Reg.EDI, Reg.EBP};

    private final L3Nucleus n;
    private final NucleusState s;
    private final Processor cpu;

    TrapPath(L3Nucleus nucleus, NucleusState state) {
        this.n = nucleus;
        this.s = state;
        this.cpu = state.cpu;
    }

    /** Called by the user stub right after its INT: the kernel runs until it returns to some thread. */
    void systemCall(IpcOperation op) {
        s.ipcs++;
        IpcMechanism m = enterForMechanism();
        if (m != null) {
            n.binding.own(s.current, m);
            m.ipc(n, op);
        }
    }

    /**
     * The latch, the kernel entry and the bound mechanism, shared by IPC and the other calls that go to a
     * mechanism; with none bound, NO_MECHANISM in EAX and back to user.
     * @return the mechanism to continue with, or null when the call has already returned to user
     */
    private IpcMechanism enterForMechanism() {
        n.binding.latch();
        enterKernel();
        IpcMechanism m = n.binding.mechanismNow();
        if (m == null) {
            cpu.movImm(Reg.EAX, ResultCode.NO_MECHANISM.code());
            returnToUser();
        }
        return m;
    }

    /**
     * A system call other than IPC (5.6). {@link KernelCall#NULL} is the bare machine's round trip: the
     * INT's gate leads straight to the IRET, no entry work, no mechanism, nothing saved or checked.
     * {@link KernelCall#THREAD_SELF} enters as an IPC does (the segment check) and goes to the bound
     * mechanism, which returns to user.
     */
    void kernelCall(KernelCall call) {
        if (call == KernelCall.NULL) {
            cpu.step(KernelStep.RETURN_TO_USER);
            cpu.iret();
            cpu.step(KernelStep.USER);
            return;
        }
        IpcMechanism m = enterForMechanism();
        if (m != null) {
            m.threadSelf(n);
        }
    }

    /** The thread ends (system call {@code exit}). */
    void exitCall() {
        n.binding.latch();
        enterKernel();
        int me = current();
        n.threads.kill(me);
        dispatchNext();
    }

    /**
     * Entry after INT (5.2.1): the segment registers, then whatever the entry is for. The INT itself
     * is marked {@link KernelStep#ENTER_KERNEL} by the user stub.
     */
    private void enterKernel() {
        cpu.step(KernelStep.ENTER_KERNEL);
        segmentCheck();
    }

    /**
     * Check that DS and ES hold the flat descriptor (5.5.3, 10 cycles), or, with that switch off, save
     * the user's four data segment registers and load the kernel's. A processor without segments
     * (7.4) has no segment registers to check or reload: nothing.
     */
    private void segmentCheck() {
        CodeStep previous = cpu.step(KernelStep.SEGMENT_CHECK);
        if (s.checkSegments) {
            cpu.readSegment(Sreg.DS);
            cpu.alu(Reg.EBP, Reg.NONE);             // CMP ebp, flat data selector
            cpu.jcc(false);                         // JNE reload
            cpu.readSegment(Sreg.ES);
            cpu.alu(Reg.EBP, Reg.NONE);
            cpu.jcc(false);
        } else if (s.reloadSegments) {
            cpu.pushSegment(Sreg.DS);
            cpu.pushSegment(Sreg.ES);
            cpu.pushSegment(Sreg.FS);
            cpu.pushSegment(Sreg.GS);
            cpu.loadSegment(Sreg.DS, Boot.KERNEL_DS);
            cpu.loadSegment(Sreg.ES, Boot.KERNEL_DS);
        }
        cpu.step(previous);
    }

    /** @return the current thread's TCB: from ESP with virtual TCBs (5.2.5), else a kernel variable */
    int current() {
        if (s.virtualTcb) {
            cpu.alu(Reg.EBP, Reg.ESP);              // MOV ebp, esp
            cpu.alu(Reg.EBP, Reg.NONE);             // AND ebp, -SIZE: the TCB holds the kernel stack (5.2.5)
            return s.current;
        }
        cpu.load(Reg.EBP, Reg.NONE, s.layout.currentThread());
        return s.current;
    }

    /** Uid to TCB (5.3.1): mask and add on the virtual TCB array, else through the TCB table. */
    int tcbOf(int uidLow) {
        CodeStep previous = cpu.step(KernelStep.UID_TO_TCB);
        int tcb;
        if (s.virtualTcb) {
            cpu.alu(Reg.EBP, Reg.NONE);             // AND with the thread mask
            cpu.alu(Reg.EBP, Reg.NONE);             // ADD the TCB array base
            tcb = Layout.TCB_ARRAY + (uidLow & (Layout.THREAD_MASK * Tcb.SIZE));
        } else {
            cpu.alu(Reg.EBP, Reg.NONE);             // AND with the thread mask
            cpu.shift(Reg.EBP, uidLow >>> 10);      // to a table index
            tcb = loadKernel(Layout.TCB_TABLE + ((uidLow >>> 10) & Layout.THREAD_MASK) * 4);
        }
        cpu.step(previous);
        return tcb;
    }

    /** MOV ebp, [table + ebp*4] that survives faults on unused TCBs (the handler maps the empty TCB page). */
    private int loadKernel(int linear) {
        while (true) {
            try {
                return cpu.load(Reg.EBP, Reg.NONE, Reg.EBP, linear);
            } catch (PageFault f) {
                n.clock.pageFault(f);
            }
        }
    }

    /** CMP r, [ebp + disp] that survives faults on unused TCBs. */
    private int compareKernel(Reg r, int linear) {
        while (true) {
            try {
                return cpu.compare(r, Reg.EBP, linear);
            } catch (PageFault f) {
                n.clock.pageFault(f);
            }
        }
    }

    /** Uid to TCB, then the uid compared (5.3.1, 5.2.5): @return the TCB, 0 when no such thread */
    int lookup(int uidLow, int uidHigh) {
        int tcb = tcbOf(uidLow);
        CodeStep previous = cpu.step(KernelStep.UID_TO_TCB);
        try {
            if (tcb == 0) {
                cpu.alu(Reg.EBP, Reg.EBP);          // TEST ebp, ebp
                cpu.jcc(true);                      // JZ no_partner
                return 0;
            }
            if (cpu.jcc(compareKernel(Reg.EDX, tcb + Tcb.UID_LOW) != uidLow)) { // CMP edx, [ebp+uid]
                return 0;
            }
            boolean highMatches = !cpu.jcc(compareKernel(Reg.ESI, tcb + Tcb.UID_HIGH) != uidHigh);
            return highMatches && uidHigh != 0 ? tcb : 0;
        } finally {
            cpu.step(previous);
        }
    }

    /** Direct process switch (5.3.5): the kernel stack, then the address space. */
    void switchTo(int from, int to) {
        CodeStep previous = switchThread(from, to);
        switchAddressSpace(from, to);
        s.current = to;
        cpu.step(previous);
    }

    /** Switches kernel stacks: the 386 TSS's ESP0 too where INT takes the kernel stack from it. */
    private CodeStep switchThread(int from, int to) {
        CodeStep previous = cpu.step(KernelStep.SWITCH_THREAD);
        cpu.store(Reg.EBX, from + Tcb.STACK_POINTER, Reg.ESP, cpu.reg(Reg.ESP)); // switch stack
        cpu.loadRegister(Reg.ESP, Reg.EBP, to + Tcb.STACK_POINTER);
        // the 386 segment system takes the kernel stack from the TSS's ESP0 on INT; without segments
        // the processor keeps the supervisor stack pointer itself, left by the IRET to user mode (7.4)
        int stackTop = 0;
        if (s.virtualTcb) {
            if (s.segments) {
                stackTop = to + Tcb.SIZE;
                cpu.alu(Reg.EBP, Reg.NONE, stackTop); // ADD: the new kernel stack bottom
            }
        } else {
            if (s.segments) {
                stackTop = cpu.load(Reg.EAX, Reg.EBP, to + Tcb.STACK_TOP);
            }
            cpu.store(Reg.NONE, s.layout.currentThread(), Reg.EBP, to);
        }
        if (s.segments) {
            cpu.store(Reg.NONE, s.layout.tss() + Processor.TSS_ESP0, s.virtualTcb ? Reg.EBP : Reg.EAX, stackTop);
        }
        return previous;
    }

    /** Loads the partner's page directory, or, in the same space, cleans the window (5.2.3). */
    private void switchAddressSpace(int from, int to) {
        cpu.step(KernelStep.SWITCH_ADDRESS_SPACE);
        int space = cpu.load(Reg.EAX, Reg.EBP, to + Tcb.SPACE); // switch address space
        cpu.alu(Reg.EAX, Reg.NONE);                 // CMP eax, cr3 (kept in a variable)
        if (!cpu.jcc(space == s.mmu.cr3())) {
            // flushes an untagged TLB: the window is clean (5.2.3); a tagged TLB keeps the entries, so
            // every transfer that leaves the window flushed it by tag already (windowDoneBeforeSwitch)
            cpu.movCr3(space);
        } else {
            windowCleanOnSameSpaceSwitch(from);
        }
    }

    /**
     * Same space, other thread: if {@code from}'s transfer uses the communication window, invalidate
     * the window's directory entries and flush the TLB (5.2.3, rules 1 and 2). The thread finds the
     * window unmapped when it continues and the page-fault handler maps it again.
     */
    private void windowCleanOnSameSpaceSwitch(int from) {
        int windowTask = cpu.load(Reg.EAX, Reg.EBX, from + Tcb.WINDOW_TASK);
        cpu.alu(Reg.EAX, Reg.EAX);                  // TEST eax, eax
        if (!cpu.jcc(windowTask == 0)) {
            invalidateWindow();
        }
    }

    /** Clears the window's two directory entries in this space and cleans the TLB (5.2.3). */
    private void invalidateWindow() {
        int pde = Layout.OWN_PAGE_DIRECTORY + (Layout.WINDOW >>> 22) * 4;
        cpu.store(Reg.NONE, pde, Reg.NONE, 0);
        cpu.store(Reg.NONE, pde + 4, Reg.NONE, 0);
        cleanWindow(s.mmu.cr3());
    }

    /** MOV CR3, or a flush by tag where a CR3 load does not flush (5.2.3, 7.4). */
    void cleanWindow(int space) {
        if (s.taggedTlb) {
            cpu.flushTlbTag(space); // a CR3 load keeps a tagged TLB's entries (5.2.3, 7.4)
        } else {
            cpu.movCr3(space);
        }
    }

    void windowDoneBeforeSwitch() {
        if (s.taggedTlb) {
            cpu.flushTlbTag(s.mmu.cr3()); // the switch's CR3 load will not clean the window (5.2.3)
        }
    }

    void invalidatePages(int first, int pages) {
        if (s.features.invlpg()) {
            for (int i = 0; i < pages; i++) {
                cpu.invlpg(first + i * PageFlags.PAGE_SIZE);
            }
        } else {
            // no INVLPG: drop every entry of this space, as a window clean does (a 386 reloads CR3,
            // flushing the whole TLB; a tagged TLB flushes the space's tag)
            cleanWindow(s.mmu.cr3());
        }
    }

    /**
     * The user's segment registers back (with the reload of 5.5.3 off), IRET. The instructions after the
     * IRET are the user's ({@link KernelStep#USER}).
     */
    void returnToUser() {
        cpu.step(KernelStep.RETURN_TO_USER);
        if (s.reloadSegments) {
            cpu.popSegment(Sreg.GS);
            cpu.popSegment(Sreg.FS);
            cpu.popSegment(Sreg.ES);
            cpu.popSegment(Sreg.DS);
        }
        cpu.iret();
        cpu.step(KernelStep.USER);
    }

    /** Continues the current thread as its resume kind says: results, interrupted, or a continuation. */
    void resume() {
        cpu.step(KernelStep.RETURN_TO_USER);
        int me = s.current;
        int how = cpu.load(Reg.EAX, Reg.EBP, me + Tcb.RESUME);
        cpu.alu(Reg.EAX, Reg.NONE);                 // CMP eax, RESUME_DIRECT
        cpu.jcc(how != Tcb.RESUME_DIRECT);
        switch (how) {
            case Tcb.RESUME_DIRECT -> returnToUser();
            case Tcb.RESUME_RESULTS -> {
                cpu.loadRegister(Reg.EAX, Reg.EBP, me + Tcb.SAVED_EAX);
                cpu.loadRegister(Reg.EBX, Reg.EBP, me + Tcb.SAVED_EBX);
                cpu.loadRegister(Reg.ECX, Reg.EBP, me + Tcb.SAVED_ECX);
                cpu.loadRegister(Reg.EDX, Reg.EBP, me + Tcb.SAVED_EDX);
                cpu.loadRegister(Reg.ESI, Reg.EBP, me + Tcb.SAVED_ESI);
                cpu.store(Reg.EBP, me + Tcb.RESUME, Reg.NONE, Tcb.RESUME_DIRECT);
                returnToUser();
            }
            case Tcb.RESUME_INTERRUPTED -> {
                cpu.store(Reg.EBP, me + Tcb.RESUME, Reg.NONE, Tcb.RESUME_DIRECT);
                popRegisters();
                returnToUser();
            }
            case Tcb.RESUME_TRANSFER -> resumeTransfer(me);
            case Tcb.RESUME_RECEIVE -> resumeReceive(me);
            default -> throw new IllegalStateException("TCB " + Integer.toHexString(me) + " has resume kind " + how);
        }
    }

    /** A preempted long transfer goes on, under its own mechanism (or the bound one, see runnerFor). */
    private void resumeTransfer(int me) {
        MechanismBinding binding = n.binding;
        if (binding.runnerFor(me) == MechanismBinding.DEFER) {
            binding.park(me);
            return;
        }
        cpu.store(Reg.EBP, me + Tcb.RESUME, Reg.NONE, Tcb.RESUME_DIRECT);
        // another thread of this space may have used the window since: invalidate it, so the
        // transfer's first access faults and the handler maps this thread's region again (5.2.3)
        invalidateWindow();
        IpcMechanism m = binding.runnerFor(me);
        if (m == null) {
            // nothing can continue the transfer: the send ends with NO_MECHANISM, undelivered,
            // and the receiver is unlocked and goes on waiting (as when a sender dies)
            n.threads.abandonTransfer(me);
            cpu.store(Reg.EBP, me + Tcb.STATE, Reg.NONE, Tcb.READY);
            cpu.movImm(Reg.EAX, ResultCode.NO_MECHANISM.code());
            returnToUser();
        } else {
            binding.own(me, m);
            m.resumeTransfer(n);
        }
    }

    /** The receive part of a call whose send part completed while the thread was not running. */
    private void resumeReceive(int me) {
        MechanismBinding binding = n.binding;
        if (binding.runnerFor(me) == MechanismBinding.DEFER) {
            binding.park(me);
            return;
        }
        cpu.store(Reg.EBP, me + Tcb.RESUME, Reg.NONE, Tcb.RESUME_DIRECT);
        cpu.loadRegister(Reg.EAX, Reg.EBP, me + Tcb.RECEIVE_BUFFER);
        cpu.loadRegister(Reg.EDX, Reg.EBP, me + Tcb.PARTNER_LOW);
        cpu.loadRegister(Reg.ESI, Reg.EBP, me + Tcb.PARTNER_HIGH);
        cpu.loadRegister(Reg.EDI, Reg.EBP, me + Tcb.TIMEOUTS);
        IpcMechanism m = binding.runnerFor(me);
        if (m == null) {
            cpu.movImm(Reg.EAX, ResultCode.NO_MECHANISM.code());
            returnToUser();
        } else {
            binding.own(me, m);
            m.ipc(n, IpcOperation.RECEIVE);
        }
    }

    /** PUSH of the registers an interrupt from user level saves. */
    void pushRegisters() {
        for (Reg r : SAVED) {
            cpu.push(r, cpu.reg(r));
        }
    }

    /** POP of the registers {@link #pushRegisters} saved, back into the register file. */
    void popRegisters() {
        for (int i = SAVED.length - 1; i >= 0; i--) {
            cpu.setReg(SAVED[i], cpu.pop(SAVED[i]));
        }
    }

    void saveResults(int tcb, int eax, int ebx, int ecx, int edx, int esi) {
        cpu.store(Reg.EBP, tcb + Tcb.SAVED_EAX, Reg.EAX, eax);
        cpu.store(Reg.EBP, tcb + Tcb.SAVED_EBX, Reg.EBX, ebx);
        cpu.store(Reg.EBP, tcb + Tcb.SAVED_ECX, Reg.ECX, ecx);
        cpu.store(Reg.EBP, tcb + Tcb.SAVED_EDX, Reg.EDX, edx);
        cpu.store(Reg.EBP, tcb + Tcb.SAVED_ESI, Reg.ESI, esi);
        cpu.store(Reg.EBP, tcb + Tcb.RESUME, Reg.NONE, Tcb.RESUME_RESULTS);
    }

    /** The scheduler's next thread runs; with none, the idle loop. */
    void dispatchNext() {
        Scheduler scheduler = n.binding.scheduler();
        int next = scheduler.next(n);
        int from = s.current;
        if (next == 0) {
            if (from != s.idle) {
                switchTo(from, s.idle);
            }
            cpu.step(KernelStep.SWITCH_THREAD); // to the idle loop, which waits for the clock
            cpu.jumpTo(Boot.IDLE_CODE);
            // the idle loop keeps nothing on its stack: start it afresh, whatever frames were left
            cpu.movImm(Reg.ESP, s.idleStackTop);
            return;
        }
        scheduler.newTimeslice(n);
        if (next != from) {
            switchTo(from, next);
        }
        resume();
    }
}

package org.l3wb.kernel.mach;

import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.KernelContext;

/**
 * What the pieces of the Mach path share during one entry into the kernel: the nucleus's context and
 * processor, where Mach's text and data lie, the current thread (its TCB and its Mach thread), the
 * system call's parameters as the caller left them in its registers (Table 6), and the step of the code
 * that trapped, restored when the kernel hands the processor back to the nucleus. The nucleus's other
 * calls (abort, endpoint) see a trap without a current thread or call.
 *
 * <p>It also holds the calling convention of compiled C, which every C routine on the path follows:
 * {@link #enter} (the caller's pushes and CALL, the callee's frame) and {@link #leave} (the callee's
 * pops, LEAVE, RET, the caller's ADD ESP). Both mark the routine's step in the trace.
 */
final class Trap {
    /** Register variables of compiled C, saved and restored by the routine that uses them. */
    private static final Reg[] CALLEE_SAVED = {Reg.EBX, Reg.ESI, Reg.EDI};
    /** Where a routine loads its arguments once its register variables are taken. */
    private static final Reg[] SCRATCH = {Reg.EAX, Reg.EDX, Reg.ECX};

    final KernelContext k;
    final Processor cpu;
    /** The mechanism's data region; Mach's text at its start, its globals at {@link MachData#ZONE}. */
    final int data;
    final int text;
    final int globals;
    /** The current thread's TCB and Mach thread state (0 outside a system call). */
    final int me;
    final int thread;
    /** The system call's registers (Table 6): EAX receive buffer, ECX send descriptor, EDX/ESI destination, EDI timeouts, EBX/EBP words. */
    final IpcOperation op;
    final int receive;
    final int send;
    final int destLow;
    final int destHigh;
    final int timeouts;
    final int word0;
    final int word1;
    /** The step of the code that trapped (or resumed the thread), restored when Mach hands back. */
    private CodeStep trapper;

    private Trap(KernelContext k, int me, IpcOperation op, boolean ofThread) {
        this.k = k;
        this.cpu = k.cpu();
        this.data = k.layout().mechanismData(MachIpc.MECHANISM);
        this.text = data + MachData.TEXT;
        this.globals = data + MachData.ZONE;
        this.me = me;
        this.op = op;
        boolean call = op != null;
        // the registers as the caller left them, before any kernel instruction writes one
        this.receive = call ? cpu.reg(Reg.EAX) : 0;
        this.send = call ? cpu.reg(Reg.ECX) : 0;
        this.destLow = call ? cpu.reg(Reg.EDX) : 0;
        this.destHigh = call ? cpu.reg(Reg.ESI) : 0;
        this.timeouts = call ? cpu.reg(Reg.EDI) : 0;
        this.word0 = call ? cpu.reg(Reg.EBX) : 0;
        this.word1 = call ? cpu.reg(Reg.EBP) : 0;
        this.thread = ofThread ? SetUp.threadState(k, me) : 0;
        this.trapper = cpu.step();
    }

    /** The system call {@code op} of the current thread: its TCB, its Mach thread, its registers. */
    static Trap call(KernelContext k, IpcOperation op) {
        return new Trap(k, k.current(), op, true);
    }

    /** A system call without IPC registers (mach_thread_self): the current thread's TCB and Mach thread. */
    static Trap kernelCall(KernelContext k) {
        return new Trap(k, k.current(), null, true);
    }

    /** A call of the nucleus outside a system call (abort, endpoint): no current thread, no registers. */
    static Trap outside(KernelContext k) {
        return new Trap(k, 0, null, false);
    }

    /** @return the linear address of routine {@code r} */
    int at(Routine r) {
        return text + r.offset();
    }

    /** The trap (or the continuation) starts {@code routine}: the step it replaces is the trapper's. */
    void trapped(Routine routine) {
        trapper = cpu.step(routine);
    }

    /** Mach gives the processor back to the nucleus (IRET, or the next thread): the trapper's step again. */
    void handBack() {
        cpu.step(trapper);
    }

    /**
     * A call of the C routine {@code r}: the caller pushes the arguments (right to left; their values are
     * not modelled) and CALLs, the callee builds its frame ({@link #prologue}).
     *
     * @return the caller's step, for {@link #leave}
     */
    CodeStep enter(Routine r) {
        for (int i = 0; i < r.args(); i++) {
            cpu.push(Reg.NONE, 0); // PUSH argument
        }
        cpu.call(at(r));
        CodeStep caller = cpu.step(r);
        prologue(r);
        return caller;
    }

    /** PUSH EBP; MOV EBP, ESP; PUSH of the register variables; each argument loaded from the frame. */
    void prologue(Routine r) {
        if (r.frame()) {
            cpu.push(Reg.EBP, cpu.reg(Reg.EBP));
            cpu.alu(Reg.EBP, Reg.ESP, cpu.reg(Reg.ESP));
        }
        for (int i = 0; i < r.saved(); i++) {
            cpu.push(CALLEE_SAVED[i], cpu.reg(CALLEE_SAVED[i]));
        }
        Reg base = r.frame() ? Reg.EBP : Reg.ESP;
        int args = r.frame() ? cpu.reg(Reg.EBP) + 8 : cpu.reg(Reg.ESP) + 4 + 4 * r.saved();
        for (int i = 0; i < r.args(); i++) {
            Reg into = i < r.saved() ? CALLEE_SAVED[i] : SCRATCH[(i - r.saved()) % SCRATCH.length];
            cpu.load(into, base, args + 4 * i);
        }
    }

    /** Return from the routine whose text EIP is in, to {@code caller}, which drops the arguments. */
    void leave(CodeStep caller) {
        leave(caller, true);
    }

    /**
     * Return from the routine whose text EIP is in: register variables popped, LEAVE, RET, the caller's
     * step again; the caller drops its arguments (ADD ESP) when {@code dropArguments}.
     */
    void leave(CodeStep caller, boolean dropArguments) {
        Routine r = Routine.at(cpu.eip() - text);
        if (r == null) {
            throw new IllegalStateException("return outside the Mach text at " + Integer.toHexString(cpu.eip()));
        }
        r.ranThrough(cpu.eip() - text - r.offset());
        for (int i = r.saved() - 1; i >= 0; i--) {
            cpu.setReg(CALLEE_SAVED[i], cpu.pop(CALLEE_SAVED[i]));
        }
        if (r.frame()) {
            cpu.alu(Reg.ESP, Reg.EBP, cpu.reg(Reg.EBP)); // LEAVE: MOV ESP, EBP; POP EBP
            cpu.setReg(Reg.EBP, cpu.pop(Reg.EBP));
        }
        cpu.ret();
        cpu.step(caller);
        if (dropArguments && r.args() > 0) {
            cpu.alu(Reg.ESP, Reg.NONE, cpu.reg(Reg.ESP) + 4 * r.args()); // ADD ESP, 4 x args
        }
    }
}

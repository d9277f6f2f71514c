package org.l3wb.kernel.core;

import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.KernelCall;
import org.l3wb.kernel.api.KernelStep;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.api.UserContext;

/**
 * The user-level view of the running thread. Its system-call stub is what a compiler would inline
 * (5.4): a jump back to the stub when the program loops, one MOV r, imm per parameter register of
 * Table 6, and INT. Its instructions are the user's ({@link KernelStep#USER}, marked by the IRET that
 * returned to it); the INT is the kernel entry's ({@link KernelStep#ENTER_KERNEL}).
 */
final class UserThread implements UserContext {
    private final L3Nucleus nucleus;
    private final Processor cpu;
    private int tcb;
    private boolean trapped;

    UserThread(L3Nucleus nucleus) {
        this.nucleus = nucleus;
        this.cpu = nucleus.cpu();
    }

    void enter(int thread) {
        this.tcb = thread;
        this.trapped = false;
    }

    boolean trapped() {
        return trapped;
    }

    @Override
    public Processor cpu() {
        return cpu;
    }

    @Override
    public ThreadId self() {
        return new ThreadId(nucleus.state.readKernelWord(tcb + Tcb.UID_LOW), nucleus.state.readKernelWord(tcb + Tcb.UID_HIGH));
    }

    @Override
    public int task() {
        return nucleus.state.readKernelWord(tcb + Tcb.TASK);
    }

    /** @return where this thread's stub sits: the start of its code */
    private int stub() {
        int local = (nucleus.state.uidLow(tcb) >>> 10) % Layout.THREADS_PER_TASK;
        return Boot.USER_CODE + local * PageFlags.PAGE_SIZE + Boot.USER_CODE_OFFSET;
    }

    private void enterStub() {
        if (trapped) {
            throw new IllegalStateException("a program makes one system call per run; " + self() + " made two");
        }
        int stub = stub();
        if (cpu.eip() != stub) {
            cpu.jmp(stub); // the program's loop jumps back to its stub
        }
    }

    @Override
    public void ipc(IpcOperation op, long partner, int send, int receive, int word0, int word1, int timeouts) {
        enterStub();
        cpu.movImm(Reg.EAX, receive);
        cpu.movImm(Reg.ECX, send);
        cpu.movImm(Reg.EDX, (int) partner);
        cpu.movImm(Reg.ESI, (int) (partner >>> 32));
        cpu.movImm(Reg.EDI, timeouts);
        cpu.movImm(Reg.EBX, word0);
        cpu.movImm(Reg.EBP, word1);
        cpu.step(KernelStep.ENTER_KERNEL);
        cpu.softwareInterrupt(op.vector());
        trapped = true;
        nucleus.systemCall(op);
    }

    /** INT with the call's vector, nothing loaded before it (section 5.6's null and thread-self calls). */
    @Override
    public void kernelCall(KernelCall call) {
        enterStub();
        cpu.step(KernelStep.ENTER_KERNEL);
        cpu.softwareInterrupt(call.vector());
        trapped = true;
        nucleus.kernelCall(call);
    }

    @Override
    public void exit() {
        enterStub();
        cpu.step(KernelStep.ENTER_KERNEL);
        cpu.softwareInterrupt(Boot.EXIT_VECTOR);
        trapped = true;
        nucleus.exitCall();
    }

    @Override
    public int peek(int linear) {
        return nucleus.peek(task(), linear);
    }

    @Override
    public void poke(int linear, int value) {
        nucleus.poke(task(), linear, value);
    }
}

package org.l3wb.kernel.mach;

import static org.l3wb.kernel.mach.MachData.T_REPLY_NAME;
import static org.l3wb.kernel.mach.MachData.T_SERVICE_NAME;
import static org.l3wb.kernel.mach.MachData.T_WAITING;

import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.IpcMechanism;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Switch;
import org.osgi.service.component.annotations.Component;

/**
 * A conventional IPC in the style of Mach 3 ({@code mach_msg}), the comparison column of the paper's
 * Table 7, built from the CMU Mach 3.0 kernel sources (i386 {@code locore.s}, {@code spl.s},
 * {@code ipc/mach_msg.c}, {@code ipc/ipc_kmsg.c}, {@code ipc/ipc_mqueue.c}, {@code kern/ipc_sched.c},
 * {@code kern/sched_prim.c}, {@code kern/kalloc.c}, {@code kern/zalloc.c}) and run on the same simulated
 * 486 as L3. Nothing here is a cycle figure: each step is the instructions the Mach path executes,
 * issued on {@link KernelContext#cpu()} at simulated addresses, so cache and TLB misses come from the
 * layout.
 *
 * <p>The path, per element, its sources and what is coarse are in readme.md. A CALL or
 * REPLY_AND_RECEIVE_NEXT is two system calls, as with Mach's separate send and receive options: a send
 * trap, the user stub, a receive trap, each through locore's general trap path and mach_msg_trap's
 * general path. Registers follow Table 6: the receiver gets EAX result, EBX/ECX the sender's EBX/EBP,
 * EDX the name of the send-once reply right (0 when the message carried none: only CALLs carry one) and
 * ESI 0.
 *
 * <h2>The classes, as the sources are split</h2>
 * This class is the entry point (the two traps of an RPC and the user stub between them); the path
 * lives in {@link Locore} (the trap path, mach_msg_trap, continuations), {@link Spl}, {@link MsgSend},
 * {@link MsgReceive}, {@link Kmsgs} (ikm_cache, kalloc, zalloc), {@link Copies} (copyinmsg, copyoutmsg),
 * {@link Spaces} (IPC entries, port references), {@link Scheduling} (thread_go .. switch_ktss) and
 * {@link SetUp}; {@link Trap} carries what they share, {@link Routine} the routines of the sources, which
 * are also the steps a trace shows, {@link MachData} the layout of Mach's memory.
 */
@Component(service = IpcMechanism.class, property = {"name=mach", "fallback.rank:Integer=40"})
public class MachIpc implements IpcMechanism {
    /** The mechanism's name: its service property and the owner of its data region. */
    static final String MECHANISM = "mach";

    @Override
    public String name() {
        return MECHANISM;
    }

    @Override
    public void ipc(KernelContext k, IpcOperation op) {
        Trap t = Trap.call(k, op);
        Processor cpu = t.cpu;
        boolean nucleusSavesSegments = !k.switches().isOn(Switch.SEGMENT_REGISTERS);
        if (op == IpcOperation.RECEIVE) {
            // a thread woken in mach_msg_receive resumes here, in its continuation
            int waiting = cpu.load(Reg.EAX, Reg.EDX, t.thread + T_WAITING);
            cpu.alu(Reg.EAX, Reg.EAX);
            if (cpu.jcc(waiting != 0)) {
                Locore.callContinuation(t);
                Locore.syscallReturn(t, MsgReceive.continueReceive(t));
                return;
            }
        }
        SetUp.ensureThread(t, t.me, t.thread); // (a thread's ports and the trap table exist before its first trap)
        Locore.syscall(t, !nucleusSavesSegments);
        if (op == IpcOperation.RECEIVE) {
            receiveTrapped(t, T_SERVICE_NAME);
            return;
        }
        int result = Locore.msgTrapSend(t);
        Locore.returnFromTrap(t, false, result); // mach_msg returns its code in EAX; the other registers as saved
        if (op == IpcOperation.SEND) {
            return;
        }
        // the user stub: TEST EAX, EAX; JNZ error (a failed send skips the receive)
        cpu.alu(Reg.EAX, Reg.EAX);
        if (cpu.jcc(result != ResultCode.OK.code() && result != ResultCode.MESSAGE_CUT.code())) {
            return;
        }
        // ... load the receive parameters and trap again: the second system call
        cpu.movImm(Reg.EAX, t.receive);
        cpu.movImm(Reg.EDX, 0);
        cpu.movImm(Reg.ESI, 0);
        cpu.movImm(Reg.EDI, t.timeouts);
        cpu.softwareInterrupt(IpcOperation.RECEIVE.vector());
        Locore.syscall(t, true); // the nucleus's entry work and Mach's, all in the general path
        receiveTrapped(t, op == IpcOperation.CALL ? T_REPLY_NAME : T_SERVICE_NAME);
    }

    /** The receive trap, on the port whose name the thread keeps at {@code nameField}, and its return (unless it blocked). */
    private static void receiveTrapped(Trap t, int nameField) {
        int[] results = Locore.msgTrapReceive(t, nameField);
        if (results != null) {
            Locore.returnFromTrap(t, false, results);
        }
    }

    /**
     * Mach's {@code mach_thread_self} trap (section 5.6's "18 µs ... mach thread self call"): the nucleus's
     * INT and entry work, locore's general trap path for trap 27 (no arguments), the trap body
     * ({@link ThreadSelf}), locore's return and the nucleus's IRET. The name of a send right to the
     * thread's kernel port in its task's space comes back in EAX. The user side (libmach's stub, its
     * {@code MOVL $-27, %eax; LCALL}) is not issued.
     */
    @Override
    public void threadSelf(KernelContext k) {
        Trap t = Trap.kernelCall(k);
        boolean nucleusSavesSegments = !k.switches().isOn(Switch.SEGMENT_REGISTERS);
        SetUp.ensureThread(t, t.me, t.thread); // (as before an IPC trap: the thread's ports and the trap table)
        Locore.syscall(t, !nucleusSavesSegments, MachData.MACH_THREAD_SELF);
        int name = ThreadSelf.threadSelf(t);
        Locore.returnFromTrap(t, false, name); // mach_call_call: MOVL %eax, R_EAX(%esp); _return_from_trap
    }

    @Override
    public void resumeTransfer(KernelContext k) {
        // transfers are never preempted under mach (copies run to completion)
        k.cpu().movImm(Reg.EAX, ResultCode.OK.code());
        k.returnToUser();
    }

    @Override
    public void abort(KernelContext k, int tcb, ResultCode result) {
        MsgReceive.abort(Trap.outside(k), tcb, result);
    }

    @Override
    public long endpoint(KernelContext k, int caller, int target) {
        return SetUp.sendRight(Trap.outside(k), caller, target);
    }
}

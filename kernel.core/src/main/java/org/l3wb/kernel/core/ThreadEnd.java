package org.l3wb.kernel.core;

import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.IpcMechanism;
import org.l3wb.kernel.api.KernelStep;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Scheduler;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.kernel.api.Timeout;

/**
 * The ends of threads and of waits: a thread deleted or exiting ({@link KernelStep#SET_UP}), a wait
 * that times out or loses its partner, a long send that ends unfinished.
 */
final class ThreadEnd {
    private final L3Nucleus n;
    private final NucleusState s;
    private final Processor cpu;

    ThreadEnd(L3Nucleus nucleus, NucleusState state) {
        this.n = nucleus;
        this.s = state;
        this.cpu = state.cpu;
    }

    /**
     * A thread ends: its state becomes free and its uid stale (the generation moves on), and every
     * thread polling it or waiting to receive from it gets {@link ResultCode#CANCELLED}.
     */
    void kill(int tcb) {
        CodeStep previous = cpu.step(KernelStep.SET_UP);
        int low = cpu.load(Reg.EDX, Reg.EBP, tcb + Tcb.UID_LOW);
        int high = cpu.load(Reg.ESI, Reg.EBP, tcb + Tcb.UID_HIGH);
        if (cpu.load(Reg.EAX, Reg.EBP, tcb + Tcb.STATE) == Tcb.TRANSFERRING) {
            // it dies in the middle of a long send: its receiver is unlocked and goes on waiting
            abandonTransfer(tcb);
        }
        cpu.store(Reg.EBP, tcb + Tcb.STATE, Reg.NONE, Tcb.FREE);
        cpu.store(Reg.EBP, tcb + Tcb.UID_HIGH, Reg.ESI, high + (1 << 16));
        n.binding.own(tcb, null);
        s.programs[low >>> 10] = null;
        for (int number = 1; number <= Layout.THREAD_MASK; number++) {
            int other = s.tcbByNumber[number];
            if (other == 0 || other == tcb) {
                continue;
            }
            int state = s.readKernelWord(other + Tcb.STATE);
            if ((state == Tcb.POLLING || state == Tcb.RECEIVING || state == Tcb.LOCKED)
                    && s.readKernelWord(other + Tcb.PARTNER_LOW) == low
                    && s.readKernelWord(other + Tcb.PARTNER_HIGH) == high) {
                abortWait(other, ResultCode.CANCELLED);
            } else if (state == Tcb.TRANSFERRING && s.readKernelWord(other + Tcb.TRANSFER_PARTNER) == tcb) {
                // its receiver died during the transfer: the send ends cancelled
                cpu.store(Reg.EDI, other + Tcb.WINDOW_TASK, Reg.NONE, 0);
                abortWait(other, ResultCode.CANCELLED);
            }
        }
        cpu.step(previous);
    }

    /** A long send of {@code tcb} ends unfinished: its receiver is unlocked and goes on waiting. */
    void abandonTransfer(int tcb) {
        int receiver = cpu.load(Reg.EDI, Reg.EBP, tcb + Tcb.TRANSFER_PARTNER);
        if (cpu.load(Reg.EAX, Reg.EDI, receiver + Tcb.STATE) == Tcb.LOCKED) {
            cpu.store(Reg.EDI, receiver + Tcb.STATE, Reg.NONE, Tcb.RECEIVING);
            // while locked, lazy clean-up may have dropped its wakeup entry: arm its timeout again
            int timeout = cpu.load(Reg.EAX, Reg.EDI, receiver + Tcb.TIMEOUTS) & 0xFFFF;
            if (timeout != 0xFFFF && timeout != 0) {
                n.binding.scheduler().wakeupAt(n, receiver, n.clock.now() + Timeout.decode(timeout).ms());
            }
        }
        cpu.store(Reg.EBP, tcb + Tcb.WINDOW_TASK, Reg.NONE, 0);
    }

    /** A waiting thread gives up: it gets {@code result} and becomes ready. */
    void abortWait(int tcb, ResultCode result) {
        IpcMechanism m = n.binding.runnerFor(tcb);
        if (m == MechanismBinding.DEFER) {
            // only its own mechanism, gone now, can end this wait: look again in 1 ms
            n.binding.scheduler().wakeupAt(n, tcb, n.clock.now() + 1);
            return;
        }
        if (m != null) {
            m.abort(n, tcb, result);
        } else {
            n.trap.saveResults(tcb, result.code(), 0, 0, 0, 0);
        }
        cpu.store(Reg.EDI, tcb + Tcb.STATE, Reg.NONE, Tcb.READY);
        Scheduler scheduler = n.binding.scheduler();
        scheduler.wakeupCancelled(n, tcb);
        scheduler.preempted(n, tcb);
    }
}

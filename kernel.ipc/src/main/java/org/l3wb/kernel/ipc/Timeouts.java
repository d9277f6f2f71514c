package org.l3wb.kernel.ipc;

import static org.l3wb.kernel.ipc.L3Ipc.OWN_TCB;
import static org.l3wb.kernel.ipc.L3Ipc.SCRATCH;

import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.KernelStep;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.kernel.api.Timeout;

/**
 * TIMEOUTS (5.3.3): where L3's IPC path waits. A receive part with timeout 0 may not wait; a finite
 * timeout enters the thread into the wakeup lists, infinity needs nothing. Used by {@link L3Ipc} on
 * the paths taken when a partner is not ready; the helpers that run inside another step restore its
 * mark when they return.
 */
final class Timeouts {
    private Timeouts() {
    }

    /**
     * TIMEOUTS (5.3.3): the receive part of a call or reply-and-receive-next after its send part: a
     * receive timeout of 0 ends the operation, otherwise the sender waits to receive from
     * {@code from} (nil: anyone), in the wakeup lists if the timeout is finite.
     */
    static void waitForMessage(KernelContext k, int me, long from, IpcRegisters in) {
        Processor cpu = k.cpu();
        cpu.step(KernelStep.TIMEOUTS);
        if (mayWait(k, me, in.timeouts())) {
            waitToReceive(cpu, OWN_TCB, me, from, in.receiveBuffer());
            waitWithTimeout(k, OWN_TCB, me, in.receiveTimeout(), in.timeouts());
            k.scheduler().blocked(k, me);
        }
    }

    /**
     * A receive part with timeout 0 may not wait (5.3.3): the thread stays ready and its operation
     * ends with {@link ResultCode#RECEIVE_TIMEOUT}, its send part having been done. Part of TIMEOUTS,
     * marked so within whatever step asks.
     *
     * @return whether the receive timeout allows waiting
     */
    static boolean mayWait(KernelContext k, int thread, int timeouts) {
        Processor cpu = k.cpu();
        CodeStep outer = cpu.step(KernelStep.TIMEOUTS);
        cpu.alu(Reg.EDI, Reg.NONE); // TEST DI, DI: the receive timeout
        boolean zero = cpu.jcc((timeouts & 0xFFFF) == 0);
        if (zero) {
            k.saveResults(thread, ResultCode.RECEIVE_TIMEOUT.code(), 0, 0, 0, 0);
            k.scheduler().preempted(k, thread);
        }
        cpu.step(outer);
        return !zero;
    }

    /**
     * A finite receive timeout enters the thread into the wakeup lists; infinity needs nothing (5.3.3).
     * Part of TIMEOUTS, marked so within whatever step asks.
     */
    static void waitWithTimeout(KernelContext k, Reg base, int tcb, int encoded, int timeouts) {
        Processor cpu = k.cpu();
        CodeStep outer = cpu.step(KernelStep.TIMEOUTS);
        // kept for whoever must re-arm or inspect the wait later (a receiver unlocked by a dying sender)
        cpu.store(base, tcb + Tcb.TIMEOUTS, Reg.EDI, timeouts);
        cpu.alu(Reg.EDI, Reg.NONE); // CMP DI, 0FFFFh
        if (cpu.jcc(encoded != 0xFFFF)) {
            k.scheduler().wakeupAt(k, tcb, k.now() + Timeout.decode(encoded).ms());
        }
        cpu.step(outer);
    }

    /** The thread at {@code tcb} waits to receive from a partner (nil: anyone) into {@code receive}. */
    static void waitToReceive(Processor cpu, Reg base, int tcb, long from, int receive) {
        cpu.store(base, tcb + Tcb.STATE, Reg.NONE, Tcb.RECEIVING);
        cpu.store(base, tcb + Tcb.PARTNER_LOW, SCRATCH, Uid.low(from));
        cpu.store(base, tcb + Tcb.PARTNER_HIGH, SCRATCH, Uid.high(from));
        cpu.store(base, tcb + Tcb.RECEIVE_BUFFER, Reg.EAX, receive);
    }
}

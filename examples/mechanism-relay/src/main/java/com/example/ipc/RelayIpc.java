package com.example.ipc;

import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.IpcMechanism;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.kernel.api.ThreadIpc;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * An IPC mechanism bundle in its simplest useful form: threads name each other by uid, as under
 * {@code l3}; this mechanism resolves the destination itself and hands the rendezvous and the message
 * transfer to L3's thread-to-thread IPC ({@link ThreadIpc}, the service {@code kernel.ipc} registers
 * with {@code name=l3}). A mechanism that adds indirection (ports, 7.1) has this shape: resolve its
 * own names through its own tables, then continue as L3 IPC.
 * <p>
 * Every step the real kernel would execute is an instruction on {@code k.cpu()} ({@link
 * KernelContext#lookup} is the virtual-TCB mask and add plus the uid check; {@code load} reads the TCB),
 * so the machine model charges its cycles and TLB/cache misses: {@code lab:pingpong --mechanism relay}
 * costs l3's path plus the few instructions of the hand-over.
 * <p>
 * Stateless: it keeps nothing between calls; all state is in the TCBs in simulated memory.
 * Without {@code kernel.ipc} (no ThreadIpc), DS does not activate it and it is not offered.
 */
@Component(service = IpcMechanism.class,
        property = {IpcMechanism.NAME + "=" + RelayIpc.NAME, "fallback.rank:Integer=100"})
public class RelayIpc implements IpcMechanism {
    static final String NAME = "relay";

    private final ThreadIpc threads;

    @Activate
    public RelayIpc(@Reference(target = "(name=l3)") ThreadIpc threads) {
        this.threads = threads;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Yes: every wait, pending receive part and preempted transfer of this mechanism is L3's thread IPC
     * in the TCBs. So when this bundle goes away while threads it ran wait, the nucleus hands them to the
     * mechanism then bound (their timeouts end the waits as usual) instead of keeping them for
     * {@code relay}'s return. A mechanism with state of its own must not say so (the default is false).
     */
    @Override
    public boolean keepsItsStateInThreadIpc() {
        return true;
    }

    /**
     * One IPC system call, with the caller's registers as Table 6 defines them: EAX receive
     * descriptor, ECX send descriptor, EDX/ESI the destination's uid, EBX/EBP message words 0 and 1,
     * EDI the timeouts. Ends in some thread's user mode, EAX holding the result code.
     */
    @Override
    public void ipc(KernelContext k, IpcOperation op) {
        Processor cpu = k.cpu();
        if (op == IpcOperation.RECEIVE) {
            threads.ipcTo(k, op, 0, 0, 0); // L3's receive reads the source (EDX, ESI) itself
            return;
        }
        int dest = k.lookup(cpu.reg(Reg.EDX), cpu.reg(Reg.ESI)); // thread number -> TCB, uid check
        if (dest == 0) {
            cpu.movImm(Reg.EAX, ResultCode.NO_PARTNER.code()); // no such thread (or a stale uid)
            k.returnToUser();
            return;
        }
        int me = k.current();
        int myLow = cpu.load(Reg.EDX, Reg.EBX, me + Tcb.UID_LOW); // the receiver gets our uid in EDX, ESI
        int myHigh = cpu.load(Reg.ESI, Reg.EBX, me + Tcb.UID_HIGH);
        threads.ipcTo(k, op, dest, myLow, myHigh);
    }

    /** A long transfer preempted by the clock continues where L3's transfer left it. */
    @Override
    public void resumeTransfer(KernelContext k) {
        threads.resumeTransfer(k);
    }

    // endpoint(...): the default (the target's uid, loaded from its TCB) is this mechanism's naming.
    // abort(...): the default (store the result code in the waiting thread's TCB) fits, since
    // waiting threads sit in L3's queues.
}

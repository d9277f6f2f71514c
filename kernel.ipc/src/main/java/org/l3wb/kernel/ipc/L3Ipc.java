package org.l3wb.kernel.ipc;

import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.IpcMechanism;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Scheduler;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.kernel.api.ThreadIpc;
import org.l3wb.kernel.api.Timeout;
import org.osgi.service.component.annotations.Component;

/**
 * L3's IPC (paper, section 5): thread to thread, no kernel buffering, call and reply-and-receive-next
 * as single system calls, short messages in registers, long messages copied once through temporary
 * mapping, lazy scheduling through the bound {@link Scheduler}, direct process switch.
 *
 * <p>The main stream of the common case is straight-line code with untaken jumps (5.5.5); rarely
 * needed checks (send to self, timeouts) sit on the paths taken when the partner is not ready.
 * Registers follow Table 6: the sender's EBX and EBP reach the receiver's EBX and ECX, the sender's
 * uid its EDX and ESI, the result code its EAX.
 */
@Component(service = {IpcMechanism.class, ThreadIpc.class}, property = {"name=l3", "fallback.rank:Integer=10"})
public class L3Ipc implements IpcMechanism, ThreadIpc {
    static final int REGISTERS_ONLY = 1;

    @Override
    public String name() {
        return "l3";
    }

    /** Yes: all IPC state is in the TCBs. */
    @Override
    public boolean keepsItsStateInThreadIpc() {
        return true;
    }

    @Override
    public void ipc(KernelContext k, IpcOperation op) {
        Processor cpu = k.cpu();
        int me = k.current();
        int receive = cpu.reg(Reg.EAX);
        int send = cpu.reg(Reg.ECX);
        int partnerLow = cpu.reg(Reg.EDX);
        int partnerHigh = cpu.reg(Reg.ESI);
        int timeouts = cpu.reg(Reg.EDI);
        int word0 = cpu.reg(Reg.EBX);
        int word1 = cpu.reg(Reg.EBP);
        if (op == IpcOperation.RECEIVE) {
            receive(k, me, partnerLow, partnerHigh, receive, timeouts);
            return;
        }
        // ---- send part: find the destination (5.3.1)
        int dest = k.lookup(partnerLow, partnerHigh);
        if (dest == 0) {
            fail(k, ResultCode.NO_PARTNER);
            return;
        }
        int myLow = cpu.load(me + Tcb.UID_LOW); // the receiver gets our id in EDX, ESI
        int myHigh = cpu.load(me + Tcb.UID_HIGH);
        sendTo(k, op, me, dest, partnerLow, partnerHigh, myLow, myHigh, myLow, myHigh, send, receive, word0, word1,
                timeouts);
    }

    @Override
    public void ipcTo(KernelContext k, IpcOperation op, int dest, int identifyLow, int identifyHigh) {
        Processor cpu = k.cpu();
        int me = k.current();
        int receive = cpu.reg(Reg.EAX);
        if (op == IpcOperation.RECEIVE) {
            receive(k, me, cpu.reg(Reg.EDX), cpu.reg(Reg.ESI), receive, cpu.reg(Reg.EDI));
            return;
        }
        cpu.alu();
        cpu.jcc(dest == 0);
        if (dest == 0) {
            fail(k, ResultCode.NO_PARTNER);
            return;
        }
        int destLow = cpu.load(dest + Tcb.UID_LOW); // a call then waits for the reply of this uid
        int destHigh = cpu.load(dest + Tcb.UID_HIGH);
        int myLow = cpu.load(me + Tcb.UID_LOW);
        int myHigh = cpu.load(me + Tcb.UID_HIGH);
        sendTo(k, op, me, dest, destLow, destHigh, myLow, myHigh, identifyLow, identifyHigh, cpu.reg(Reg.ECX),
                receive, cpu.reg(Reg.EBX), cpu.reg(Reg.EBP), cpu.reg(Reg.EDI));
    }

    /**
     * The send part once the destination's TCB is known: check that it waits for us, move the message,
     * complete. The receiver gets {@code identifyLow}/{@code identifyHigh} as the sender's identity
     * (our uid under l3; a reply index under ports).
     */
    private void sendTo(KernelContext k, IpcOperation op, int me, int dest, int partnerLow, int partnerHigh,
                        int myLow, int myHigh, int identifyLow, int identifyHigh, int send, int receive, int word0,
                        int word1, int timeouts) {
        Processor cpu = k.cpu();
        int state = cpu.load(dest + Tcb.STATE);
        cpu.alu();
        boolean receiving = state == Tcb.RECEIVING;
        cpu.jcc(!receiving);
        boolean forUs = false;
        if (receiving) {
            int wantLow = cpu.load(dest + Tcb.PARTNER_LOW);
            cpu.alu(); // from anyone?
            cpu.jcc(wantLow == 0);
            if (wantLow == 0) {
                forUs = true;
            } else {
                int wantHigh = cpu.load(dest + Tcb.PARTNER_HIGH);
                cpu.alu();
                cpu.alu();
                forUs = wantLow == myLow && wantHigh == myHigh;
                cpu.jcc(!forUs);
            }
        }
        if (!forUs) {
            sendMustWait(k, op, me, dest, state, partnerLow, partnerHigh, identifyLow, identifyHigh, send, receive,
                    word0, word1, timeouts);
            return;
        }
        // ---- the destination is ready for us: move the message
        int result = ResultCode.OK.code();
        Transfer deferred = null;
        boolean windowUsed = false;
        cpu.alu(); // CMP ECX, 1: a short message needs nothing more (5.3.6)
        cpu.jcc(isMemory(send));
        if (isMemory(send)) {
            int buffer = cpu.load(dest + Tcb.RECEIVE_BUFFER);
            Transfer t = new Transfer(k, me, dest, send, buffer, true);
            result = t.run(0, 0);
            if (result == Transfer.PREEMPTED) {
                preempt(k, op, me, dest, partnerLow, partnerHigh, identifyLow, identifyHigh, send, receive, word0,
                        word1, timeouts, t);
                return;
            }
            if (t.deferred()) {
                deferred = t; // twofold copy: the copy out follows the switch to the receiver
            }
            windowUsed = t.usedWindow();
            cpu.alu();
            cpu.jcc(failed(result));
            if (failed(result)) {
                // a bad message or buffer: the sender learns it, the receiver keeps waiting
                fail(k, ResultCode.of(result));
                return;
            }
        }
        completeSend(k, op, me, dest, identifyLow, identifyHigh, partnerLow, partnerHigh, receive, word0, word1,
                timeouts, result, deferred, windowUsed);
    }

    /**
     * The message has reached {@code dest}: wake it, then block, wait or stay ready according to the
     * operation's receive part, and switch directly to the receiver (5.3.5).
     */
    private void completeSend(KernelContext k, IpcOperation op, int me, int dest, int identifyLow, int identifyHigh,
                              int partnerLow, int partnerHigh, int receive, int word0, int word1, int timeouts,
                              int result, Transfer deferred, boolean windowUsed) {
        Processor cpu = k.cpu();
        Scheduler s = k.scheduler();
        cpu.store(dest + Tcb.STATE, Tcb.READY);
        s.wakeupCancelled(k, dest);
        switch (op) {
            case SEND -> {
                // the sender stays ready: one of the three cases that must enter it in the ready queue
                k.saveResults(me, result, 0, 0, 0, 0);
                s.preempted(k, me);
            }
            case CALL -> {
                if (mayWait(k, me, timeouts)) {
                    waitToReceive(cpu, me, partnerLow, partnerHigh, receive);
                    waitWithTimeout(k, me, timeouts & 0xFFFF, timeouts);
                    s.blocked(k, me);
                }
            }
            default -> { // REPLY_AND_RECEIVE_NEXT
                int next = s.firstPolling(k, me, 0, 0);
                cpu.alu();
                cpu.jcc(next != 0);
                if (next != 0) {
                    // another sender polls us: its IPC starts before the replied-to thread continues (5.3.5)
                    if (deferred != null) {
                        // twofold copy: the reply must leave the kernel buffer before the request enters it
                        int mySpace = cpu.load(me + Tcb.SPACE);
                        cpu.movCr3(cpu.load(dest + Tcb.SPACE));
                        int second = deferred.secondCopy();
                        cpu.movCr3(mySpace);
                        deferred = null;
                        result = second == ResultCode.OK.code() ? result : second;
                        cpu.alu();
                        cpu.jcc(failed(second));
                        if (failed(second)) {
                            // the reply did not arrive: both partners learn it, and as when a direct
                            // transfer fails, the send part's failure ends the operation
                            next = 0;
                            k.saveResults(me, second, 0, 0, 0, 0);
                        }
                    } else if (windowUsed) {
                        // no address-space switch came between the reply's copy and this one: drop the
                        // reply's window entries from the TLB, so the window is clean again (5.2.3)
                        k.cleanWindow(cpu.load(me + Tcb.SPACE));
                    }
                    if (next != 0) {
                        takeFromPoller(k, me, next, receive);
                        k.saveResults(me, cpu.reg(Reg.EAX), cpu.reg(Reg.EBX), cpu.reg(Reg.ECX), cpu.reg(Reg.EDX),
                                cpu.reg(Reg.ESI));
                    }
                    s.preempted(k, me);
                } else if (mayWait(k, me, timeouts)) {
                    waitToReceive(cpu, me, 0, 0, receive);
                    waitWithTimeout(k, me, timeouts & 0xFFFF, timeouts);
                    s.blocked(k, me);
                }
            }
        }
        s.unblocked(k, dest);
        // the receiver's registers: result, message, our identity
        cpu.movImm(Reg.EAX, result);
        cpu.alu(Reg.ECX, word1); // MOV ECX, EBP
        cpu.setReg(Reg.EBX, word0);
        cpu.setReg(Reg.EDX, identifyLow);
        cpu.setReg(Reg.ESI, identifyHigh);
        k.switchTo(me, dest);
        if (deferred != null) {
            int second = deferred.secondCopy(); // twofold copy: kernel buffer to the receiver, now in its space
            cpu.alu();
            cpu.jcc(second != ResultCode.OK.code());
            if (second != ResultCode.OK.code() && (op == IpcOperation.SEND || failed(second))) {
                sendPartFailedLate(k, op, me, second);
            }
            cpu.setReg(Reg.EAX, second == ResultCode.OK.code() ? result : second);
            cpu.setReg(Reg.EBX, word0);
            cpu.setReg(Reg.ECX, word1);
            cpu.setReg(Reg.EDX, identifyLow);
            cpu.setReg(Reg.ESI, identifyHigh);
        }
        k.returnToUser();
    }

    /**
     * Twofold copy: the copy out of the kernel buffer failed or cut the message after the switch to
     * the receiver, which learns it in EAX. A sender of a plain send, not running, learns it too when
     * it runs. A call or reply-and-receive-next whose message did not arrive ends as when a direct
     * transfer fails: the sender gets the failure and gives up its receive part. (A cut message did
     * arrive: then the receive part goes on, as after a direct transfer that cut.)
     */
    private static void sendPartFailedLate(KernelContext k, IpcOperation op, int me, int failure) {
        Processor cpu = k.cpu();
        if (op == IpcOperation.SEND) {
            cpu.store(me + Tcb.SAVED_EAX, failure);
            return;
        }
        int state = cpu.load(me + Tcb.STATE);
        cpu.alu();
        cpu.jcc(state == Tcb.RECEIVING);
        k.saveResults(me, failure, 0, 0, 0, 0);
        if (state == Tcb.RECEIVING) {
            cpu.store(me + Tcb.STATE, Tcb.READY);
            k.scheduler().wakeupCancelled(k, me);
            k.scheduler().preempted(k, me);
        }
    }

    /**
     * A receive part with timeout 0 may not wait (5.3.3): the thread stays ready and its operation
     * ends with {@link ResultCode#RECEIVE_TIMEOUT}, its send part having been done.
     *
     * @return whether the receive timeout allows waiting
     */
    private static boolean mayWait(KernelContext k, int thread, int timeouts) {
        Processor cpu = k.cpu();
        boolean zero = (timeouts & 0xFFFF) == 0;
        cpu.alu();
        cpu.jcc(zero);
        if (zero) {
            k.saveResults(thread, ResultCode.RECEIVE_TIMEOUT.code(), 0, 0, 0, 0);
            k.scheduler().preempted(k, thread);
        }
        return !zero;
    }

    /** A finite receive timeout enters the thread into the wakeup lists; infinity needs nothing (5.3.3). */
    private static void waitWithTimeout(KernelContext k, int me, int encoded, int timeouts) {
        Processor cpu = k.cpu();
        // kept for whoever must re-arm or inspect the wait later (a receiver unlocked by a dying sender)
        cpu.store(me + Tcb.TIMEOUTS, timeouts);
        cpu.alu();
        boolean finite = encoded != 0xFFFF;
        cpu.jcc(finite);
        if (finite) {
            k.scheduler().wakeupAt(k, me, k.now() + Timeout.decode(encoded).ms());
        }
    }

    /** The destination is not ready for us: rare checks, then poll or give up (5.5.5). */
    private void sendMustWait(KernelContext k, IpcOperation op, int me, int dest, int state, int partnerLow,
                              int partnerHigh, int identifyLow, int identifyHigh, int send, int receive, int word0,
                              int word1, int timeouts) {
        Processor cpu = k.cpu();
        cpu.alu();
        cpu.jcc(state == Tcb.FREE);
        if (state == Tcb.FREE) {
            // reached through a port whose thread has gone (a uid would have been stale already)
            fail(k, ResultCode.NO_PARTNER);
            return;
        }
        cpu.alu();
        cpu.jcc(dest == me);
        if (dest == me) {
            fail(k, ResultCode.SEND_TO_SELF);
            return;
        }
        int sendTimeout = timeouts >>> 16;
        cpu.alu();
        cpu.jcc(sendTimeout == 0);
        if (sendTimeout == 0) {
            fail(k, ResultCode.SEND_TIMEOUT);
            return;
        }
        cpu.store(me + Tcb.STATE, Tcb.POLLING);
        rememberSend(cpu, me, op, partnerLow, partnerHigh, identifyLow, identifyHigh, send, receive, word0, word1,
                timeouts);
        Scheduler s = k.scheduler();
        s.enqueuePolling(k, dest, me);
        if (sendTimeout != 0xFFFF) {
            s.wakeupAt(k, me, k.now() + Timeout.decode(sendTimeout).ms());
        }
        s.blocked(k, me);
        k.dispatchNext();
    }

    /** Keeps the parameters of a send that cannot finish now in the TCB, for whoever completes it. */
    private static void rememberSend(Processor cpu, int me, IpcOperation op, int partnerLow, int partnerHigh,
                                     int identifyLow, int identifyHigh, int send, int receive, int word0, int word1,
                                     int timeouts) {
        cpu.store(me + Tcb.PARTNER_LOW, partnerLow);
        cpu.store(me + Tcb.PARTNER_HIGH, partnerHigh);
        cpu.store(me + Tcb.IDENTIFY_LOW, identifyLow);
        cpu.store(me + Tcb.IDENTIFY_HIGH, identifyHigh);
        cpu.store(me + Tcb.SEND_MESSAGE, send);
        cpu.store(me + Tcb.SEND_WORD0, word0);
        cpu.store(me + Tcb.SEND_WORD1, word1);
        cpu.store(me + Tcb.SEND_OPERATION, op.ordinal());
        cpu.store(me + Tcb.RECEIVE_BUFFER, receive);
        cpu.store(me + Tcb.TIMEOUTS, timeouts);
    }

    /** The thread waits to receive from a partner (nil: anyone) into {@code receive}. */
    private static void waitToReceive(Processor cpu, int me, int fromLow, int fromHigh, int receive) {
        cpu.store(me + Tcb.STATE, Tcb.RECEIVING);
        cpu.store(me + Tcb.PARTNER_LOW, fromLow);
        cpu.store(me + Tcb.PARTNER_HIGH, fromHigh);
        cpu.store(me + Tcb.RECEIVE_BUFFER, receive);
    }

    /** Receive: take the first sender polling us, or wait (5.3.2, 5.3.5). */
    private void receive(KernelContext k, int me, int fromLow, int fromHigh, int receive, int timeouts) {
        Processor cpu = k.cpu();
        Scheduler s = k.scheduler();
        int sender = s.firstPolling(k, me, fromLow, fromHigh);
        cpu.alu();
        cpu.jcc(sender == 0);
        if (sender != 0) {
            takeFromPoller(k, me, sender, receive);
            k.returnToUser();
            return;
        }
        boolean specific = fromLow != 0 || fromHigh != 0;
        cpu.alu();
        cpu.jcc(specific);
        if (specific && k.lookup(fromLow, fromHigh) == 0) {
            fail(k, ResultCode.NO_PARTNER);
            return;
        }
        int encoded = timeouts & 0xFFFF;
        cpu.alu();
        cpu.jcc(encoded == 0);
        if (encoded == 0) {
            fail(k, ResultCode.RECEIVE_TIMEOUT);
            return;
        }
        waitToReceive(cpu, me, fromLow, fromHigh, receive);
        waitWithTimeout(k, me, encoded, timeouts);
        s.blocked(k, me);
        k.dispatchNext();
    }

    /**
     * The current thread receives the message of {@code sender}, which has been polling it: copy from
     * the sender's space (through the window, mapping the sender's region into ours), then let the
     * sender continue with the receive part of its own operation. Leaves the results in our registers.
     */
    private void takeFromPoller(KernelContext k, int me, int sender, int receive) {
        Processor cpu = k.cpu();
        Scheduler s = k.scheduler();
        s.dequeuePolling(k, me, sender);
        s.wakeupCancelled(k, sender);
        int send = cpu.load(sender + Tcb.SEND_MESSAGE);
        int word0 = cpu.load(sender + Tcb.SEND_WORD0);
        int word1 = cpu.load(sender + Tcb.SEND_WORD1);
        int op = cpu.load(sender + Tcb.SEND_OPERATION);
        int result = ResultCode.OK.code();
        cpu.alu();
        cpu.jcc(isMemory(send));
        if (isMemory(send)) {
            result = new Transfer(k, sender, me, send, receive, false).run(0, 0);
        }
        int senderLow = cpu.load(sender + Tcb.IDENTIFY_LOW); // its uid, or what its mechanism says instead
        int senderHigh = cpu.load(sender + Tcb.IDENTIFY_HIGH);
        cpu.alu();
        cpu.jcc(op != IpcOperation.CALL.ordinal());
        if (failed(result)) {
            // the transfer failed: both learn it, the sender is not left waiting for a reply
            cpu.store(sender + Tcb.STATE, Tcb.READY);
            k.saveResults(sender, result, 0, 0, 0, 0);
            s.preempted(k, sender);
        } else if (op == IpcOperation.CALL.ordinal()) {
            // the caller now waits for our reply; its receive buffer and timeouts are in its TCB already
            int timeouts = cpu.load(sender + Tcb.TIMEOUTS);
            if (mayWait(k, sender, timeouts)) {
                int myLow = cpu.load(me + Tcb.UID_LOW);
                int myHigh = cpu.load(me + Tcb.UID_HIGH);
                cpu.store(sender + Tcb.STATE, Tcb.RECEIVING);
                cpu.store(sender + Tcb.PARTNER_LOW, myLow);
                cpu.store(sender + Tcb.PARTNER_HIGH, myHigh);
                waitWithTimeout(k, sender, timeouts & 0xFFFF, timeouts);
            } else {
                cpu.store(sender + Tcb.STATE, Tcb.READY);
            }
        } else if (op == IpcOperation.REPLY_AND_RECEIVE_NEXT.ordinal()) {
            // it replied; now it receives from anyone, which it does itself when it next runs
            cpu.store(sender + Tcb.STATE, Tcb.READY);
            cpu.store(sender + Tcb.PARTNER_LOW, 0);
            cpu.store(sender + Tcb.PARTNER_HIGH, 0);
            cpu.store(sender + Tcb.RESUME, Tcb.RESUME_RECEIVE);
            s.preempted(k, sender);
        } else {
            cpu.store(sender + Tcb.STATE, Tcb.READY);
            k.saveResults(sender, result, 0, 0, 0, 0);
            s.preempted(k, sender);
        }
        cpu.movImm(Reg.EAX, result);
        cpu.setReg(Reg.EBX, word0);
        cpu.alu(Reg.ECX, word1);
        cpu.setReg(Reg.EDX, senderLow);
        cpu.setReg(Reg.ESI, senderHigh);
    }

    /**
     * A long transfer was preempted (5.2.3: "interrupted by timeslice exhaustion"): remember the IPC in
     * our TCB, lock the receiver, and let the scheduler run someone else. The transfer continues in
     * {@link #resumeTransfer}.
     */
    private void preempt(KernelContext k, IpcOperation op, int me, int dest, int partnerLow, int partnerHigh,
                         int identifyLow, int identifyHigh, int send, int receive, int word0, int word1, int timeouts,
                         Transfer t) {
        Processor cpu = k.cpu();
        rememberSend(cpu, me, op, partnerLow, partnerHigh, identifyLow, identifyHigh, send, receive, word0, word1,
                timeouts);
        cpu.store(me + Tcb.TRANSFER_PARTNER, dest);
        cpu.store(me + Tcb.STATE, Tcb.TRANSFERRING);
        cpu.store(me + Tcb.RESUME, Tcb.RESUME_TRANSFER);
        cpu.store(dest + Tcb.STATE, Tcb.LOCKED);
        t.saveProgress();
        k.scheduler().preempted(k, me);
        k.dispatchNext();
    }

    @Override
    public void resumeTransfer(KernelContext k) {
        Processor cpu = k.cpu();
        int me = k.current();
        int dest = cpu.load(me + Tcb.TRANSFER_PARTNER);
        int send = cpu.load(me + Tcb.SEND_MESSAGE);
        int buffer = cpu.load(dest + Tcb.RECEIVE_BUFFER);
        int stage = cpu.load(me + Tcb.TRANSFER_STAGE);
        int done = cpu.load(me + Tcb.TRANSFER_SOURCE);
        IpcOperation op = IpcOperation.values()[cpu.load(me + Tcb.SEND_OPERATION)];
        int partnerLow = cpu.load(me + Tcb.PARTNER_LOW);
        int partnerHigh = cpu.load(me + Tcb.PARTNER_HIGH);
        int receive = cpu.load(me + Tcb.RECEIVE_BUFFER);
        int timeouts = cpu.load(me + Tcb.TIMEOUTS);
        int word0 = cpu.load(me + Tcb.SEND_WORD0);
        int word1 = cpu.load(me + Tcb.SEND_WORD1);
        cpu.store(me + Tcb.STATE, Tcb.READY);
        Transfer t = new Transfer(k, me, dest, send, buffer, true);
        int result = t.run(stage, done);
        int identifyLow = cpu.load(me + Tcb.IDENTIFY_LOW);
        int identifyHigh = cpu.load(me + Tcb.IDENTIFY_HIGH);
        if (result == Transfer.PREEMPTED) {
            preempt(k, op, me, dest, partnerLow, partnerHigh, identifyLow, identifyHigh, send, receive, word0, word1,
                    timeouts, t);
            return;
        }
        completeSend(k, op, me, dest, identifyLow, identifyHigh, partnerLow, partnerHigh, receive, word0, word1,
                timeouts, result, t.deferred() ? t : null, t.usedWindow());
    }

    /** @return whether a transfer result means nothing usable was delivered */
    static boolean failed(int result) {
        return result == ResultCode.INVALID_BUFFER.code() || result == ResultCode.INVALID_DOPE.code();
    }

    /** @return whether a send descriptor names a message in memory (not 0, not registers only) */
    static boolean isMemory(int descriptor) {
        return Integer.compareUnsigned(descriptor, REGISTERS_ONLY) > 0;
    }

    /** The IPC fails at once: the result code goes back to the caller. */
    private static void fail(KernelContext k, ResultCode code) {
        k.cpu().movImm(Reg.EAX, code.code());
        k.returnToUser();
    }

    /** @return whether {@code k}'s switches copy twice through a kernel buffer */
    static boolean twofold(KernelContext k) {
        return !k.switches().isOn(Switch.DIRECT_TRANSFER);
    }
}

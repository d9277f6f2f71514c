package org.l3wb.kernel.ipc;

import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.IpcMechanism;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.KernelStep;
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
 * <p>The path is written as the paper's steps ({@link KernelStep}), one method each, marking its step
 * on entry: {@code UID_TO_TCB} is the nucleus's look-up, then {@link #checkPartner CHECK_PARTNER},
 * {@link #transferMessage TRANSFER_MESSAGE} (with {@code TEMPORARY_MAPPING} inside {@link Transfer}),
 * {@link Timeouts TIMEOUTS} where the path waits, the nucleus's thread and address-space switch
 * and return to user. The main stream of the common case is straight-line code with untaken jumps
 * (5.5.5); rarely needed checks (send to self, timeouts) sit on the paths taken when the partner is
 * not ready.
 *
 * <p>Registers follow Table 6 ({@link IpcRegisters}, read once at entry): the sender's EBX and EBP
 * reach the receiver's EBX and ECX, the sender's uid its EDX and ESI, the result code its EAX. While
 * the message waits in them, the kernel's instructions address the current thread's TCB through
 * {@link #OWN_TCB} (its kernel stack lies in it, 5.2.5, at a depth fixed at each point of the path),
 * the partner's TCB through {@link #PARTNER_TCB} (the destination uid's low word, masked and added
 * to the TCB array base, 5.3.1), and load TCB words they compare at once into {@link #SCRATCH}.
 */
@Component(service = {IpcMechanism.class, ThreadIpc.class}, property = {"name=l3", "fallback.rank:Integer=10"})
public class L3Ipc implements IpcMechanism, ThreadIpc {
    static final int REGISTERS_ONLY = 1;
    /** Base register of the current thread's TCB: ESP, the kernel stack lying in the TCB (5.2.5). */
    static final Reg OWN_TCB = Reg.ESP;
    /** Base register of the other thread's TCB (destination, polling sender): EDX, where the uid was. */
    static final Reg PARTNER_TCB = Reg.EDX;
    /** The register TCB words are loaded into to be compared or stored at once (the uid's high half is in the TCB). */
    static final Reg SCRATCH = Reg.ESI;

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
        int me = k.current();
        IpcRegisters in = IpcRegisters.read(k.cpu());
        if (op == IpcOperation.RECEIVE) {
            receive(k, me, in);
            return;
        }
        long destination = in.destination();
        int dest = k.lookup(Uid.low(destination), Uid.high(destination)); // UID_TO_TCB, the nucleus's (5.3.1)
        if (dest == 0) {
            fail(k, ResultCode.NO_PARTNER);
            return;
        }
        checkPartner(k, op, me, dest, destination, false, 0L, in);
    }

    @Override
    public void ipcTo(KernelContext k, IpcOperation op, int dest, int identifyLow, int identifyHigh) {
        int me = k.current();
        IpcRegisters in = IpcRegisters.read(k.cpu()); // as the mechanism in front left them
        if (op == IpcOperation.RECEIVE) {
            receive(k, me, in);
            return;
        }
        checkPartner(k, op, me, dest, Uid.NIL, true, Uid.of(identifyLow, identifyHigh), in);
    }

    /**
     * CHECK_PARTNER (5.3.2): is the destination waiting for a message from us? Then the message moves;
     * else the rare checks and the wait follow ({@link #sendMustWait}).
     *
     * @param partner  the destination uid as the sender named it, unless {@code resolved}
     * @param resolved whether a mechanism in front resolved the destination ({@link #ipcTo}): then the TCB
     *                 is checked and its uid loaded, and the receiver gets {@code source} as the sender's
     *                 identity (else our uid)
     */
    private void checkPartner(KernelContext k, IpcOperation op, int me, int dest, long partner, boolean resolved,
                              long source, IpcRegisters in) {
        Processor cpu = k.cpu();
        cpu.step(KernelStep.CHECK_PARTNER);
        long destUid = partner;
        if (resolved) {
            cpu.alu(PARTNER_TCB, PARTNER_TCB); // TEST: did the mechanism find a thread?
            if (cpu.jcc(dest == 0)) {
                fail(k, ResultCode.NO_PARTNER);
                return;
            }
            destUid = uidOf(cpu, PARTNER_TCB, dest); // a call then waits for the reply of this uid
        }
        long myUid = uidOf(cpu, OWN_TCB, me);
        SendPart send = SendPart.of(op, me, dest, destUid, resolved ? source : myUid, in);
        int state = cpu.load(SCRATCH, PARTNER_TCB, dest + Tcb.STATE);
        cpu.alu(SCRATCH, Reg.NONE); // CMP state, RECEIVING
        if (cpu.jcc(state != Tcb.RECEIVING) || !waitsFor(cpu, dest, myUid)) {
            sendMustWait(k, send, state);
            return;
        }
        transferMessage(k, send);
    }

    /** @return the uid in the TCB at {@code tcb}, reached through {@code base} (two loads) */
    private static long uidOf(Processor cpu, Reg base, int tcb) {
        int low = cpu.load(SCRATCH, base, tcb + Tcb.UID_LOW);
        int high = cpu.load(SCRATCH, base, tcb + Tcb.UID_HIGH);
        return Uid.of(low, high);
    }

    /** @return whether the receiving {@code dest} waits for anyone or for {@code myUid} (its partner word) */
    private static boolean waitsFor(Processor cpu, int dest, long myUid) {
        int wantLow = cpu.load(SCRATCH, PARTNER_TCB, dest + Tcb.PARTNER_LOW);
        cpu.alu(SCRATCH, SCRATCH); // from anyone?
        if (cpu.jcc(wantLow == 0)) {
            return true;
        }
        int wantHigh = cpu.load(SCRATCH, PARTNER_TCB, dest + Tcb.PARTNER_HIGH);
        cpu.alu(SCRATCH, Reg.NONE); // CMP with our uid, both halves
        cpu.alu(SCRATCH, Reg.NONE);
        return !cpu.jcc(wantLow != Uid.low(myUid) || wantHigh != Uid.high(myUid));
    }

    /**
     * TRANSFER_MESSAGE (5.2.2, 5.3.6): the destination is ready for us. A short message stays in the
     * registers; a long one is copied now ({@link Transfer}), or half of it when copied twice.
     */
    private void transferMessage(KernelContext k, SendPart send) {
        Processor cpu = k.cpu();
        cpu.step(KernelStep.TRANSFER_MESSAGE);
        cpu.alu(Reg.ECX, Reg.NONE); // CMP ECX, 1: a short message needs nothing more (5.3.6)
        if (!cpu.jcc(isMemory(send.in().sendMessage()))) {
            completeSend(k, send, ResultCode.OK.code(), null);
            return;
        }
        int buffer = cpu.load(SCRATCH, PARTNER_TCB, send.dest() + Tcb.RECEIVE_BUFFER);
        Transfer t = Transfer.of(k, send.me(), send.dest(), send.in().sendMessage(), buffer, true);
        int result = t.run(0, 0);
        if (result == Transfer.PREEMPTED) {
            preempt(k, send, t);
            return;
        }
        cpu.alu(Reg.EAX, Reg.NONE); // CMP the transfer's result
        if (cpu.jcc(failed(result))) {
            // a bad message or buffer: the sender learns it, the receiver keeps waiting
            fail(k, ResultCode.of(result));
            return;
        }
        completeSend(k, send, result, t);
    }

    /**
     * The message has reached the destination: wake it, then block, wait or stay ready according to
     * the operation's receive part, and switch directly to the receiver (5.3.5).
     *
     * @param t the long message's transfer, null for a short message
     */
    private void completeSend(KernelContext k, SendPart send, int result, Transfer t) {
        Processor cpu = k.cpu();
        Scheduler s = k.scheduler();
        // twofold copy: the copy out follows the switch to the receiver
        Transfer deferred = t != null && t.deferred() ? t : null;
        boolean windowUsed = t != null && t.usedWindow();
        int me = send.me();
        int dest = send.dest();
        cpu.store(PARTNER_TCB, dest + Tcb.STATE, Reg.NONE, Tcb.READY);
        s.wakeupCancelled(k, dest);
        switch (send.op()) {
            case SEND -> {
                // the sender stays ready: one of the three cases that must enter it in the ready queue
                k.saveResults(me, result, 0, 0, 0, 0);
                s.preempted(k, me);
            }
            case CALL -> Timeouts.waitForMessage(k, me, send.partner(), send.in());
            default -> { // REPLY_AND_RECEIVE_NEXT
                int next = s.firstPolling(k, me, 0, 0);
                cpu.alu(PARTNER_TCB, PARTNER_TCB); // TEST: a sender polls us?
                if (cpu.jcc(next != 0)) {
                    result = receiveFromPoller(k, send, next, result, deferred, windowUsed);
                    deferred = null; // its copy out is done
                } else {
                    Timeouts.waitForMessage(k, me, Uid.NIL, send.in());
                }
            }
        }
        s.unblocked(k, dest);
        messageToReceiver(cpu, send, result);
        k.switchTo(me, dest);
        if (deferred != null) {
            copyOutAfterSwitch(k, send, result, deferred);
        }
        k.returnToUser();
    }

    /**
     * TRANSFER_MESSAGE: a reply-and-receive-next whose replied-to receiver is ready, and another
     * sender polls us: its IPC starts before the replied-to thread continues (5.3.5).
     *
     * @return the reply's result, for the replied-to thread
     */
    private int receiveFromPoller(KernelContext k, SendPart send, int next, int result, Transfer deferred,
                                  boolean windowUsed) {
        Processor cpu = k.cpu();
        cpu.step(KernelStep.TRANSFER_MESSAGE);
        int me = send.me();
        int delivered = result;
        boolean take = true;
        if (deferred != null) {
            // twofold copy: the reply must leave the kernel buffer before the request enters it
            int mySpace = cpu.load(SCRATCH, OWN_TCB, me + Tcb.SPACE);
            cpu.movCr3(cpu.load(SCRATCH, PARTNER_TCB, send.dest() + Tcb.SPACE));
            int second = deferred.secondCopy();
            cpu.movCr3(mySpace);
            delivered = second == ResultCode.OK.code() ? result : second;
            cpu.alu(Reg.EAX, Reg.NONE);
            if (cpu.jcc(failed(second))) {
                // the reply did not arrive: both partners learn it, and as when a direct transfer
                // fails, the send part's failure ends the operation
                take = false;
                k.saveResults(me, second, 0, 0, 0, 0);
            }
        } else if (windowUsed) {
            // no address-space switch came between the reply's copy and this one: drop the reply's
            // window entries from the TLB, so the window is clean again (5.2.3)
            k.cleanWindow(cpu.load(SCRATCH, OWN_TCB, me + Tcb.SPACE));
        }
        if (take) {
            takeFromPoller(k, me, next, send.in().receiveBuffer());
            k.saveResults(me, cpu.reg(Reg.EAX), cpu.reg(Reg.EBX), cpu.reg(Reg.ECX), cpu.reg(Reg.EDX),
                    cpu.reg(Reg.ESI));
        }
        k.scheduler().preempted(k, me);
        return delivered;
    }

    /**
     * TRANSFER_MESSAGE: the receiver's registers, result, message and the sender's identity (Table 6:
     * bytes 0..3 in EBX, 4..7 in ECX, source thread id in EDX+ESI), before the switch to it.
     */
    private static void messageToReceiver(Processor cpu, SendPart send, int result) {
        cpu.step(KernelStep.TRANSFER_MESSAGE);
        IpcRegisters in = send.in();
        cpu.movImm(Reg.EAX, result);
        cpu.alu(Reg.ECX, Reg.EBP, in.bytes4to7()); // MOV ECX, EBP
        cpu.setReg(Reg.EBX, in.bytes0to3());
        cpu.setReg(Reg.EDX, Uid.low(send.source()));
        cpu.setReg(Reg.ESI, Uid.high(send.source()));
    }

    /** TRANSFER_MESSAGE, twofold copy: from the kernel buffer to the receiver, now in its space. */
    private static void copyOutAfterSwitch(KernelContext k, SendPart send, int result, Transfer deferred) {
        Processor cpu = k.cpu();
        cpu.step(KernelStep.TRANSFER_MESSAGE);
        int second = deferred.secondCopy();
        cpu.alu(Reg.EAX, Reg.NONE);
        if (cpu.jcc(second != ResultCode.OK.code()) && (send.op() == IpcOperation.SEND || failed(second))) {
            sendPartFailedLate(k, send.op(), send.me(), second);
        }
        IpcRegisters in = send.in();
        cpu.setReg(Reg.EAX, second == ResultCode.OK.code() ? result : second);
        cpu.setReg(Reg.EBX, in.bytes0to3());
        cpu.setReg(Reg.ECX, in.bytes4to7());
        cpu.setReg(Reg.EDX, Uid.low(send.source()));
        cpu.setReg(Reg.ESI, Uid.high(send.source()));
    }

    /**
     * Twofold copy: the copy out of the kernel buffer failed or cut the message after the switch to
     * the receiver, which learns it in EAX. A sender of a plain send, not running, learns it too when
     * it runs. A call or reply-and-receive-next whose message did not arrive ends as when a direct
     * transfer fails: the sender gets the failure and gives up its receive part. (A cut message did
     * arrive: then the receive part goes on, as after a direct transfer that cut.)
     */
    private static void sendPartFailedLate(KernelContext k, IpcOperation op, int sender, int failure) {
        Processor cpu = k.cpu();
        // after the switch the sender is the other thread
        if (op == IpcOperation.SEND) {
            cpu.store(PARTNER_TCB, sender + Tcb.SAVED_EAX, Reg.EAX, failure);
            return;
        }
        int state = cpu.load(SCRATCH, PARTNER_TCB, sender + Tcb.STATE);
        cpu.alu(SCRATCH, Reg.NONE);
        boolean receiving = cpu.jcc(state == Tcb.RECEIVING);
        k.saveResults(sender, failure, 0, 0, 0, 0);
        if (receiving) {
            cpu.store(PARTNER_TCB, sender + Tcb.STATE, Reg.NONE, Tcb.READY);
            k.scheduler().wakeupCancelled(k, sender);
            k.scheduler().preempted(k, sender);
        }
    }

    /** The destination is not ready for us: rare checks (5.5.5), still CHECK_PARTNER, then the wait. */
    private void sendMustWait(KernelContext k, SendPart send, int state) {
        Processor cpu = k.cpu();
        cpu.alu(SCRATCH, Reg.NONE); // CMP state, FREE
        if (cpu.jcc(state == Tcb.FREE)) {
            // reached through a port whose thread has gone (a uid would have been stale already)
            fail(k, ResultCode.NO_PARTNER);
            return;
        }
        cpu.alu(PARTNER_TCB, Reg.NONE); // CMP with our TCB
        if (cpu.jcc(send.dest() == send.me())) {
            fail(k, ResultCode.SEND_TO_SELF);
            return;
        }
        pollPartner(k, send);
    }

    /**
     * TIMEOUTS (5.3.3, 5.3.4): the sender polls the destination, which finds it when it next receives;
     * a send timeout of 0 may not wait, a finite one enters the wakeup lists.
     */
    private void pollPartner(KernelContext k, SendPart send) {
        Processor cpu = k.cpu();
        cpu.step(KernelStep.TIMEOUTS);
        int sendTimeout = send.in().sendTimeout();
        cpu.alu(Reg.EDI, Reg.NONE); // TEST EDI, 0FFFF0000h
        if (cpu.jcc(sendTimeout == 0)) {
            fail(k, ResultCode.SEND_TIMEOUT);
            return;
        }
        int me = send.me();
        cpu.store(OWN_TCB, me + Tcb.STATE, Reg.NONE, Tcb.POLLING);
        rememberSend(cpu, send);
        Scheduler s = k.scheduler();
        s.enqueuePolling(k, send.dest(), me);
        if (sendTimeout != 0xFFFF) {
            s.wakeupAt(k, me, k.now() + Timeout.decode(sendTimeout).ms());
        }
        s.blocked(k, me);
        k.dispatchNext();
    }

    /** Keeps the parameters of a send that cannot finish now in the TCB, for whoever completes it. */
    private static void rememberSend(Processor cpu, SendPart send) {
        int me = send.me();
        IpcRegisters in = send.in();
        cpu.store(OWN_TCB, me + Tcb.PARTNER_LOW, SCRATCH, Uid.low(send.partner()));
        cpu.store(OWN_TCB, me + Tcb.PARTNER_HIGH, SCRATCH, Uid.high(send.partner()));
        cpu.store(OWN_TCB, me + Tcb.IDENTIFY_LOW, SCRATCH, Uid.low(send.source()));
        cpu.store(OWN_TCB, me + Tcb.IDENTIFY_HIGH, SCRATCH, Uid.high(send.source()));
        cpu.store(OWN_TCB, me + Tcb.SEND_MESSAGE, Reg.ECX, in.sendMessage());
        cpu.store(OWN_TCB, me + Tcb.SEND_WORD0, Reg.EBX, in.bytes0to3());
        cpu.store(OWN_TCB, me + Tcb.SEND_WORD1, Reg.EBP, in.bytes4to7());
        cpu.store(OWN_TCB, me + Tcb.SEND_OPERATION, Reg.NONE, send.op().ordinal());
        cpu.store(OWN_TCB, me + Tcb.RECEIVE_BUFFER, Reg.EAX, in.receiveBuffer());
        cpu.store(OWN_TCB, me + Tcb.TIMEOUTS, Reg.EDI, in.timeouts());
    }

    /**
     * Receive, CHECK_PARTNER (5.3.2): take the first sender polling us (the source in EDX+ESI, nil:
     * any), or wait for one.
     */
    private void receive(KernelContext k, int me, IpcRegisters in) {
        Processor cpu = k.cpu();
        cpu.step(KernelStep.CHECK_PARTNER);
        long from = in.destination();
        int sender = k.scheduler().firstPolling(k, me, Uid.low(from), Uid.high(from));
        cpu.alu(PARTNER_TCB, PARTNER_TCB); // TEST: a sender polls us?
        if (!cpu.jcc(sender == 0)) {
            takeFromPoller(k, me, sender, in.receiveBuffer());
            k.returnToUser();
            return;
        }
        cpu.alu(Reg.EDX, Reg.ESI); // OR EDX, ESI: from a specific sender?
        if (cpu.jcc(from != Uid.NIL) && k.lookup(Uid.low(from), Uid.high(from)) == 0) {
            fail(k, ResultCode.NO_PARTNER);
            return;
        }
        awaitSender(k, me, from, in);
    }

    /** TIMEOUTS (5.3.3): no sender polls us: a receive timeout of 0 fails, otherwise the receiver waits. */
    private void awaitSender(KernelContext k, int me, long from, IpcRegisters in) {
        Processor cpu = k.cpu();
        cpu.step(KernelStep.TIMEOUTS);
        int encoded = in.receiveTimeout();
        cpu.alu(Reg.EDI, Reg.NONE); // TEST DI, DI
        if (cpu.jcc(encoded == 0)) {
            fail(k, ResultCode.RECEIVE_TIMEOUT);
            return;
        }
        Timeouts.waitToReceive(cpu, OWN_TCB, me, from, in.receiveBuffer());
        Timeouts.waitWithTimeout(k, OWN_TCB, me, encoded, in.timeouts());
        k.scheduler().blocked(k, me);
        k.dispatchNext();
    }

    /**
     * TRANSFER_MESSAGE: the current thread receives the message of {@code sender}, which has been
     * polling it: copy from the sender's space (through the window, mapping the sender's region into
     * ours), then let the sender continue with the receive part of its own operation. Leaves the
     * results in our registers.
     */
    private void takeFromPoller(KernelContext k, int me, int sender, int receive) {
        Processor cpu = k.cpu();
        cpu.step(KernelStep.TRANSFER_MESSAGE);
        Scheduler s = k.scheduler();
        s.dequeuePolling(k, me, sender);
        s.wakeupCancelled(k, sender);
        int send = cpu.load(Reg.ECX, PARTNER_TCB, sender + Tcb.SEND_MESSAGE);
        int word0 = cpu.load(Reg.EBX, PARTNER_TCB, sender + Tcb.SEND_WORD0);
        int word1 = cpu.load(Reg.EBP, PARTNER_TCB, sender + Tcb.SEND_WORD1);
        int op = cpu.load(SCRATCH, PARTNER_TCB, sender + Tcb.SEND_OPERATION);
        int result = ResultCode.OK.code();
        cpu.alu(Reg.ECX, Reg.NONE); // CMP ECX, 1
        if (cpu.jcc(isMemory(send))) {
            result = Transfer.of(k, sender, me, send, receive, false).run(0, 0);
        }
        // its uid, or what its mechanism says instead
        long source = Uid.of(cpu.load(SCRATCH, PARTNER_TCB, sender + Tcb.IDENTIFY_LOW),
                cpu.load(SCRATCH, PARTNER_TCB, sender + Tcb.IDENTIFY_HIGH));
        cpu.alu(SCRATCH, Reg.NONE); // CMP its operation, CALL
        boolean call = !cpu.jcc(op != IpcOperation.CALL.ordinal());
        if (failed(result)) {
            // the transfer failed: both learn it, the sender is not left waiting for a reply
            cpu.store(PARTNER_TCB, sender + Tcb.STATE, Reg.NONE, Tcb.READY);
            k.saveResults(sender, result, 0, 0, 0, 0);
            s.preempted(k, sender);
        } else if (call) {
            callerWaitsForReply(k, me, sender);
        } else if (op == IpcOperation.REPLY_AND_RECEIVE_NEXT.ordinal()) {
            // it replied; now it receives from anyone, which it does itself when it next runs
            cpu.store(PARTNER_TCB, sender + Tcb.STATE, Reg.NONE, Tcb.READY);
            cpu.store(PARTNER_TCB, sender + Tcb.PARTNER_LOW, Reg.NONE, 0);
            cpu.store(PARTNER_TCB, sender + Tcb.PARTNER_HIGH, Reg.NONE, 0);
            cpu.store(PARTNER_TCB, sender + Tcb.RESUME, Reg.NONE, Tcb.RESUME_RECEIVE);
            s.preempted(k, sender);
        } else {
            cpu.store(PARTNER_TCB, sender + Tcb.STATE, Reg.NONE, Tcb.READY);
            k.saveResults(sender, result, 0, 0, 0, 0);
            s.preempted(k, sender);
        }
        cpu.movImm(Reg.EAX, result);
        cpu.setReg(Reg.EBX, word0);
        cpu.alu(Reg.ECX, Reg.EBP, word1); // MOV ECX, EBP
        cpu.setReg(Reg.EDX, Uid.low(source));
        cpu.setReg(Reg.ESI, Uid.high(source));
    }

    /** The polling caller, its message taken, now waits for our reply; its receive buffer and timeouts are in its TCB already. */
    private static void callerWaitsForReply(KernelContext k, int me, int caller) {
        Processor cpu = k.cpu();
        int timeouts = cpu.load(Reg.EDI, PARTNER_TCB, caller + Tcb.TIMEOUTS);
        if (Timeouts.mayWait(k, caller, timeouts)) {
            long myUid = uidOf(cpu, OWN_TCB, me);
            cpu.store(PARTNER_TCB, caller + Tcb.STATE, Reg.NONE, Tcb.RECEIVING);
            cpu.store(PARTNER_TCB, caller + Tcb.PARTNER_LOW, SCRATCH, Uid.low(myUid));
            cpu.store(PARTNER_TCB, caller + Tcb.PARTNER_HIGH, SCRATCH, Uid.high(myUid));
            Timeouts.waitWithTimeout(k, PARTNER_TCB, caller, timeouts & 0xFFFF, timeouts);
        } else {
            cpu.store(PARTNER_TCB, caller + Tcb.STATE, Reg.NONE, Tcb.READY);
        }
    }

    /**
     * A long transfer was preempted (5.2.3: "interrupted by timeslice exhaustion"): remember the IPC in
     * our TCB, lock the receiver, and let the scheduler run someone else. The transfer continues in
     * {@link #resumeTransfer}.
     */
    private void preempt(KernelContext k, SendPart send, Transfer t) {
        Processor cpu = k.cpu();
        int me = send.me();
        int dest = send.dest();
        rememberSend(cpu, send);
        cpu.store(OWN_TCB, me + Tcb.TRANSFER_PARTNER, PARTNER_TCB, dest);
        cpu.store(OWN_TCB, me + Tcb.STATE, Reg.NONE, Tcb.TRANSFERRING);
        cpu.store(OWN_TCB, me + Tcb.RESUME, Reg.NONE, Tcb.RESUME_TRANSFER);
        cpu.store(PARTNER_TCB, dest + Tcb.STATE, Reg.NONE, Tcb.LOCKED);
        t.saveProgress();
        k.scheduler().preempted(k, me);
        k.dispatchNext();
    }

    /** TRANSFER_MESSAGE, continued: the send part as {@link #preempt} left it in our TCB. */
    @Override
    public void resumeTransfer(KernelContext k) {
        Processor cpu = k.cpu();
        int me = k.current();
        cpu.step(KernelStep.TRANSFER_MESSAGE);
        int dest = cpu.load(PARTNER_TCB, OWN_TCB, me + Tcb.TRANSFER_PARTNER);
        int send = cpu.load(Reg.ECX, OWN_TCB, me + Tcb.SEND_MESSAGE);
        int buffer = cpu.load(SCRATCH, PARTNER_TCB, dest + Tcb.RECEIVE_BUFFER);
        int stage = cpu.load(SCRATCH, OWN_TCB, me + Tcb.TRANSFER_STAGE);
        int done = cpu.load(SCRATCH, OWN_TCB, me + Tcb.TRANSFER_SOURCE);
        IpcOperation op = IpcOperation.values()[cpu.load(SCRATCH, OWN_TCB, me + Tcb.SEND_OPERATION)];
        long partner = uidWords(cpu, me + Tcb.PARTNER_LOW, me + Tcb.PARTNER_HIGH);
        int receive = cpu.load(Reg.EAX, OWN_TCB, me + Tcb.RECEIVE_BUFFER);
        int timeouts = cpu.load(Reg.EDI, OWN_TCB, me + Tcb.TIMEOUTS);
        int word0 = cpu.load(Reg.EBX, OWN_TCB, me + Tcb.SEND_WORD0);
        int word1 = cpu.load(Reg.EBP, OWN_TCB, me + Tcb.SEND_WORD1);
        cpu.store(OWN_TCB, me + Tcb.STATE, Reg.NONE, Tcb.READY);
        Transfer t = Transfer.of(k, me, dest, send, buffer, true);
        int result = t.run(stage, done);
        long source = uidWords(cpu, me + Tcb.IDENTIFY_LOW, me + Tcb.IDENTIFY_HIGH);
        SendPart resumed = SendPart.of(op, me, dest, partner,
                source, IpcRegisters.of(receive, send, partner, timeouts, word0, word1));
        if (result == Transfer.PREEMPTED) {
            preempt(k, resumed, t);
            return;
        }
        completeSend(k, resumed, result, t);
    }

    /** @return the two words of a thread id kept in our TCB at {@code low} and {@code high} */
    private static long uidWords(Processor cpu, int low, int high) {
        return Uid.of(cpu.load(SCRATCH, OWN_TCB, low), cpu.load(SCRATCH, OWN_TCB, high));
    }

    /** @return whether a transfer result means nothing usable was delivered */
    static boolean failed(int result) {
        return result == ResultCode.INVALID_BUFFER.code() || result == ResultCode.INVALID_DOPE.code();
    }

    /** @return whether a send descriptor names a message in memory (not 0, not registers only) */
    static boolean isMemory(int descriptor) {
        return Integer.compareUnsigned(descriptor, REGISTERS_ONLY) > 0;
    }

    /** RETURN_TO_USER: the IPC fails at once, the result code goes back to the caller (5.2.1). */
    private static void fail(KernelContext k, ResultCode code) {
        k.cpu().step(KernelStep.RETURN_TO_USER);
        k.cpu().movImm(Reg.EAX, code.code());
        k.returnToUser();
    }

    /** @return whether {@code k}'s switches copy twice through a kernel buffer */
    static boolean twofold(KernelContext k) {
        return !k.switches().isOn(Switch.DIRECT_TRANSFER);
    }
}

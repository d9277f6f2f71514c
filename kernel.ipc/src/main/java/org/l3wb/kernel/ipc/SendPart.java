package org.l3wb.kernel.ipc;

import org.l3wb.kernel.api.IpcOperation;

/**
 * The send part of one IPC once its destination's TCB is known: what the steps after
 * {@code CHECK_PARTNER} need, as one value.
 *
 * <p>Like {@link IpcRegisters}, one value per kernel entry, reused by each host thread rather than
 * allocated per IPC; set once, by {@link #of}, then only read.
 */
final class SendPart {
    private static final IpcOperation[] OPERATIONS = IpcOperation.values();
    private static final ThreadLocal<SendPart> ENTRY = ThreadLocal.withInitial(() -> new SendPart(IpcRegisters.entry()));

    // ints and longs only, set per IPC: a reference stored into this long-lived object would cost a garbage
    // collector's write barrier each time
    private int op;
    private int me;
    private int dest;
    private long partner;
    private long source;
    /** This thread's {@link IpcRegisters}: the only value an entry's send part is given. */
    private final IpcRegisters in;

    private SendPart(IpcRegisters in) {
        this.in = in;
    }

    /**
     * @param op      the operation; its receive part follows the send part
     * @param me      the sender's TCB (the current thread, unless a preempted transfer resumes)
     * @param dest    the destination's TCB
     * @param partner the destination's uid ({@link Uid}): a call then waits for the reply of this thread (5.3.2)
     * @param source  what the receiver gets in EDX+ESI as Table 6's "source thread id": our uid under l3,
     *                what the mechanism says instead (a reply index under ports, 7.1)
     * @param in      the sender's parameters (Table 6), as it passed them: this entry's
     * @return this entry's send part, holding these
     */
    static SendPart of(IpcOperation op, int me, int dest, long partner, long source, IpcRegisters in) {
        SendPart s = ENTRY.get();
        if (in != s.in) {
            throw new IllegalArgumentException("another thread's or entry's IpcRegisters");
        }
        s.op = op.ordinal();
        s.me = me;
        s.dest = dest;
        s.partner = partner;
        s.source = source;
        return s;
    }

    IpcOperation op() {
        return OPERATIONS[op];
    }

    int me() {
        return me;
    }

    int dest() {
        return dest;
    }

    long partner() {
        return partner;
    }

    long source() {
        return source;
    }

    IpcRegisters in() {
        return in;
    }
}

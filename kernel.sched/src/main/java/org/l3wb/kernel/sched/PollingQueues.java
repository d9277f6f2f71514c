package org.l3wb.kernel.sched;

import org.l3wb.hw.api.Processor;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.Tcb;

/**
 * Polling-me queues (paper 5.3.2, 5.3.5): per receiver, the threads trying to send to it, in the
 * order they invoked their IPC, so that no sender can dominate a receiver. The kernel buffers no
 * messages; it queues the polling senders.
 *
 * <pre>
 *  receiver R: POLLING_FIRST --> S1 --POLL_NEXT--> S2 --POLL_NEXT--> S3 --POLL_NEXT--> 0
 *              POLLING_LAST  ------------------------------------------^
 *  back links: S3.POLL_PREV = S2, S2.POLL_PREV = S1, S1.POLL_PREV = R  (the first points at its receiver)
 *  a sender is queued  iff  its POLL_PREV != 0
 * </pre>
 *
 * The first sender's back link names the receiver rather than 0, so one load says whether a sender
 * is still queued somewhere, and a sender that must be unlinked from a queue it no longer belongs
 * to (it gave up polling and now polls someone else) can find that queue's receiver by following
 * back links. All links are TCB addresses; walking touches only TCBs in the queue and the receiver,
 * so it never page-faults (5.3.2).
 *
 * <p>Stale entries are allowed (lazy, 5.3.4): an entry whose STATE is not POLLING or whose partner
 * is not the receiver is unlinked when {@link #first} meets it.
 */
final class PollingQueues {
    private PollingQueues() {
    }

    /** Appends {@code sender} to {@code receiver}'s queue (FIFO). */
    static void enqueue(KernelContext k, int receiver, int sender) {
        Processor cpu = k.cpu();
        int p = cpu.load(sender + Tcb.POLL_PREV);           // MOV eax, [s+pprev]
        cpu.alu();                                          // TEST eax, eax
        if (p != 0) {
            // still in a queue it left lazily: unlink it there first (rare, out of line)
            int back = Code.fallThrough(cpu);
            cpu.jcc(true, Code.outOfLine(cpu));             // JNZ relink
            int n = cpu.load(sender + Tcb.POLL_NEXT);
            unlink(cpu, receiverOf(cpu, sender, p), sender, n, p);
            cpu.jmp(back);
        } else {
            cpu.jcc(false);
        }
        int last = cpu.load(receiver + Tcb.POLLING_LAST);   // MOV edx, [r+last]
        cpu.store(sender + Tcb.POLL_NEXT, 0);
        cpu.alu();                                          // TEST edx, edx
        cpu.jcc(last == 0, Code.ahead(cpu));                // JZ empty
        if (last == 0) {
            cpu.store(sender + Tcb.POLL_PREV, receiver);
            cpu.store(receiver + Tcb.POLLING_FIRST, sender);
        } else {
            cpu.store(sender + Tcb.POLL_PREV, last);
            cpu.store(last + Tcb.POLL_NEXT, sender);
        }
        cpu.store(receiver + Tcb.POLLING_LAST, sender);
    }

    /**
     * @return the first sender in {@code receiver}'s queue that still polls it and, unless
     * {@code fromLow}/{@code fromHigh} is nil, has that uid; 0 if none. Stale entries met on the way
     * are unlinked; live senders that do not match the filter stay.
     */
    static int first(KernelContext k, int receiver, int fromLow, int fromHigh) {
        Processor cpu = k.cpu();
        int uidLow = cpu.load(receiver + Tcb.UID_LOW);      // the receiver's uid, to check partners
        int uidHigh = cpu.load(receiver + Tcb.UID_HIGH);
        cpu.alu();                                          // MOV ecx, fromLow
        cpu.alu();                                          // OR ecx, fromHigh
        boolean any = (fromLow | fromHigh) == 0;
        cpu.jcc(!any, Code.ahead(cpu));                     // JNZ filtered_loop
        int cur = cpu.load(receiver + Tcb.POLLING_FIRST);
        int top = cpu.eip();
        while (true) {
            cpu.alu();                                      // TEST esi, esi
            cpu.jcc(cur == 0, Code.ahead(cpu));             // JZ none
            if (cur == 0) {
                return 0;
            }
            int n = cpu.load(cur + Tcb.POLL_NEXT);
            if (polls(cpu, cur, uidLow, uidHigh)) {
                if (any || matches(cpu, cur, fromLow, fromHigh)) {
                    return cur;
                }
            } else {
                int p = cpu.load(cur + Tcb.POLL_PREV);
                unlink(cpu, receiver, cur, n, p);           // stale: lazy cleanup
            }
            cpu.alu();                                      // MOV esi, next
            cur = n;
            cpu.jmp(top);
        }
    }

    /** Removes {@code sender} from {@code receiver}'s queue; nothing if it is in no queue. */
    static void dequeue(KernelContext k, int receiver, int sender) {
        Processor cpu = k.cpu();
        int p = cpu.load(sender + Tcb.POLL_PREV);
        cpu.alu();                                          // TEST eax, eax
        cpu.jcc(p == 0, Code.ahead(cpu));                   // JZ done
        if (p != 0) {
            int n = cpu.load(sender + Tcb.POLL_NEXT);
            unlink(cpu, receiver, sender, n, p);
        }
    }

    /** @return whether {@code s} still polls the receiver whose uid is in registers */
    private static boolean polls(Processor cpu, int s, int uidLow, int uidHigh) {
        int state = cpu.load(s + Tcb.STATE);
        cpu.alu();                                          // CMP eax, POLLING
        cpu.jcc(state != Tcb.POLLING, Code.ahead(cpu));
        if (state != Tcb.POLLING) {
            return false;
        }
        int low = cpu.compare(s + Tcb.PARTNER_LOW);         // CMP [s+partner], uid
        cpu.jcc(low != uidLow, Code.ahead(cpu));
        if (low != uidLow) {
            return false;
        }
        int high = cpu.compare(s + Tcb.PARTNER_HIGH);
        cpu.jcc(high != uidHigh, Code.ahead(cpu));
        return high == uidHigh;
    }

    /** @return whether {@code s} has the uid the receiver asked for */
    private static boolean matches(Processor cpu, int s, int fromLow, int fromHigh) {
        int low = cpu.compare(s + Tcb.UID_LOW);
        cpu.jcc(low != fromLow, Code.ahead(cpu));
        if (low != fromLow) {
            return false;
        }
        int high = cpu.compare(s + Tcb.UID_HIGH);
        cpu.jcc(high != fromHigh, Code.ahead(cpu));
        return high == fromHigh;
    }

    /**
     * Unlinks {@code s} from {@code r}'s queue; its next and back links {@code n}, {@code p} are in
     * registers. 2 stores relink the neighbours (or the receiver's first/last), 1 marks it unqueued.
     */
    private static void unlink(Processor cpu, int r, int s, int n, int p) {
        cpu.alu();                                          // CMP edx, r
        boolean first = p == r;
        cpu.jcc(first, Code.ahead(cpu));                    // JE was_first
        if (first) {
            cpu.store(r + Tcb.POLLING_FIRST, n);
        } else {
            cpu.store(p + Tcb.POLL_NEXT, n);
        }
        cpu.alu();                                          // TEST eax, eax
        cpu.jcc(n == 0, Code.ahead(cpu));                   // JZ was_last
        if (n == 0) {
            cpu.store(r + Tcb.POLLING_LAST, first ? 0 : p);
        } else {
            cpu.store(n + Tcb.POLL_PREV, p);                // a new first points at r
        }
        cpu.store(s + Tcb.POLL_PREV, 0);                    // in no queue
    }

    /**
     * Follows back links from {@code s} (whose back link {@code p} is in a register) to the receiver
     * of the queue it is in: the TCB whose POLLING_FIRST is the element we came from.
     */
    private static int receiverOf(Processor cpu, int s, int p) {
        int cur = s;
        int top = cpu.eip();
        for (int steps = 0; ; steps++) {
            if (p == 0 || steps > Tcb.SIZE * 1024) {
                throw new IllegalStateException(String.format(
                        "polling-me queue of TCB 0x%08x has no receiver: back links loop", s));
            }
            int first = cpu.compare(p + Tcb.POLLING_FIRST);  // CMP [edx+first], ecx
            cpu.jcc(first == cur, Code.ahead(cpu));         // JE found
            if (first == cur) {
                return p;
            }
            cpu.alu();                                      // MOV ecx, edx
            cur = p;
            p = cpu.load(p + Tcb.POLL_PREV);
            cpu.jmp(top);
        }
    }
}

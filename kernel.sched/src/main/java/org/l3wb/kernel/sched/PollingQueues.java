package org.l3wb.kernel.sched;

import static org.l3wb.kernel.sched.JumpTargets.ahead;
import static org.l3wb.kernel.sched.JumpTargets.fallThrough;
import static org.l3wb.kernel.sched.JumpTargets.over;

import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
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
 *
 * <p>Registers: EBX holds the receiver, EDI the sender enqueued or dequeued, ESI the sender looked at
 * while walking, EAX its next link, EDX its back link (or the queue's last), ECX the filter of a
 * receive from a given sender, EBP the receiver's uid it compares with.
 */
final class PollingQueues {
    private PollingQueues() {
    }

    /** Appends {@code sender} to {@code receiver}'s queue (FIFO). */
    static void enqueue(KernelContext k, int receiver, int sender) {
        Processor cpu = k.cpu();
        int p = cpu.load(Reg.EDX, Reg.EDI, sender + Tcb.POLL_PREV); // MOV edx, [edi+pprev]
        cpu.alu(Reg.EDX, Reg.EDX);                          // TEST edx, edx
        int back = fallThrough(cpu);
        if (cpu.jcc(p != 0, over(cpu, JumpTargets.OUT_OF_LINE))) { // JNZ relink (out of line)
            // still in a queue it left lazily: unlink it there first (rare)
            int n = cpu.load(Reg.EAX, Reg.EDI, sender + Tcb.POLL_NEXT);
            unlink(cpu, receiverOf(cpu, sender, p), sender, n, p);
            cpu.jmp(back);
        }
        int last = cpu.load(Reg.EDX, Reg.EBX, receiver + Tcb.POLLING_LAST); // MOV edx, [ebx+last]
        cpu.store(Reg.EDI, sender + Tcb.POLL_NEXT, Reg.NONE, 0);
        cpu.alu(Reg.EDX, Reg.EDX);                          // TEST edx, edx
        if (cpu.jcc(last == 0, ahead(cpu))) {               // JZ empty
            cpu.store(Reg.EDI, sender + Tcb.POLL_PREV, Reg.EBX, receiver);
            cpu.store(Reg.EBX, receiver + Tcb.POLLING_FIRST, Reg.EDI, sender);
        } else {
            cpu.store(Reg.EDI, sender + Tcb.POLL_PREV, Reg.EDX, last);
            cpu.store(Reg.EDX, last + Tcb.POLL_NEXT, Reg.EDI, sender);
        }
        cpu.store(Reg.EBX, receiver + Tcb.POLLING_LAST, Reg.EDI, sender);
    }

    /**
     * @return the first sender in {@code receiver}'s queue that still polls it and, unless
     * {@code fromLow}/{@code fromHigh} is nil, has that uid; 0 if none. Stale entries met on the way
     * are unlinked; live senders that do not match the filter stay.
     */
    static int first(KernelContext k, int receiver, int fromLow, int fromHigh) {
        Processor cpu = k.cpu();
        int uidLow = cpu.load(Reg.EBP, Reg.EBX, receiver + Tcb.UID_LOW); // the receiver's uid, to
        int uidHigh = cpu.load(Reg.EBP, Reg.EBX, receiver + Tcb.UID_HIGH); // check partners
        cpu.alu(Reg.ECX, Reg.EDX);                          // MOV ecx, fromLow
        cpu.alu(Reg.ECX, Reg.ESI);                          // OR ecx, fromHigh
        boolean any = (fromLow | fromHigh) == 0;
        cpu.jcc(!any, ahead(cpu));                          // JNZ filtered_loop
        int cur = cpu.load(Reg.ESI, Reg.EBX, receiver + Tcb.POLLING_FIRST);
        int top = cpu.eip();
        while (true) {
            cpu.alu(Reg.ESI, Reg.ESI);                      // TEST esi, esi
            if (cpu.jcc(cur == 0, ahead(cpu))) {            // JZ none
                return 0;
            }
            int n = cpu.load(Reg.EAX, Reg.ESI, cur + Tcb.POLL_NEXT);
            if (polls(cpu, cur, uidLow, uidHigh)) {
                if (any || matches(cpu, cur, fromLow, fromHigh)) {
                    return cur;
                }
            } else {
                int p = cpu.load(Reg.EDX, Reg.ESI, cur + Tcb.POLL_PREV);
                unlink(cpu, receiver, cur, n, p);           // stale: lazy cleanup
            }
            cpu.alu(Reg.ESI, Reg.EAX);                      // MOV esi, eax
            cur = n;
            cpu.jmp(top);
        }
    }

    /** Removes {@code sender} from {@code receiver}'s queue; nothing if it is in no queue. */
    static void dequeue(KernelContext k, int receiver, int sender) {
        Processor cpu = k.cpu();
        int p = cpu.load(Reg.EDX, Reg.EDI, sender + Tcb.POLL_PREV); // MOV edx, [edi+pprev]
        cpu.alu(Reg.EDX, Reg.EDX);                          // TEST edx, edx
        if (!cpu.jcc(p == 0, ahead(cpu))) {                 // JZ done
            int n = cpu.load(Reg.EAX, Reg.EDI, sender + Tcb.POLL_NEXT);
            unlink(cpu, receiver, sender, n, p);
        }
    }

    /** @return whether {@code s} still polls the receiver whose uid is in registers */
    private static boolean polls(Processor cpu, int s, int uidLow, int uidHigh) {
        int state = cpu.load(Reg.EDX, Reg.ESI, s + Tcb.STATE); // MOV edx, [esi+state]
        cpu.alu(Reg.EDX, Reg.NONE);                         // CMP edx, POLLING
        if (cpu.jcc(state != Tcb.POLLING, ahead(cpu))) {    // JNE no
            return false;
        }
        int low = cpu.compare(Reg.EBP, Reg.ESI, s + Tcb.PARTNER_LOW); // CMP [esi+partner], ebp
        if (cpu.jcc(low != uidLow, ahead(cpu))) {
            return false;
        }
        int high = cpu.compare(Reg.EBP, Reg.ESI, s + Tcb.PARTNER_HIGH);
        return !cpu.jcc(high != uidHigh, ahead(cpu));
    }

    /** @return whether {@code s} has the uid the receiver asked for */
    private static boolean matches(Processor cpu, int s, int fromLow, int fromHigh) {
        int low = cpu.compare(Reg.EDX, Reg.ESI, s + Tcb.UID_LOW); // CMP [esi+uid], edx (Table 6)
        if (cpu.jcc(low != fromLow, ahead(cpu))) {
            return false;
        }
        int high = cpu.compare(Reg.ESI, Reg.ESI, s + Tcb.UID_HIGH);
        return !cpu.jcc(high != fromHigh, ahead(cpu));
    }

    /**
     * Unlinks {@code s} from {@code r}'s queue; its next and back links {@code n}, {@code p} are in
     * registers. 2 stores relink the neighbours (or the receiver's first/last), 1 marks it unqueued.
     */
    private static void unlink(Processor cpu, int r, int s, int n, int p) {
        cpu.alu(Reg.EDX, Reg.EBX);                          // CMP edx, ebx
        boolean first = cpu.jcc(p == r, ahead(cpu));        // JE was_first
        if (first) {
            cpu.store(Reg.EBX, r + Tcb.POLLING_FIRST, Reg.EAX, n);
        } else {
            cpu.store(Reg.EDX, p + Tcb.POLL_NEXT, Reg.EAX, n);
        }
        cpu.alu(Reg.EAX, Reg.EAX);                          // TEST eax, eax
        if (cpu.jcc(n == 0, ahead(cpu))) {                  // JZ was_last
            cpu.store(Reg.EBX, r + Tcb.POLLING_LAST, Reg.EDX, first ? 0 : p);
        } else {
            cpu.store(Reg.EAX, n + Tcb.POLL_PREV, Reg.EDX, p); // a new first points at r
        }
        cpu.store(Reg.EDI, s + Tcb.POLL_PREV, Reg.NONE, 0); // in no queue
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
            int first = cpu.compare(Reg.ECX, Reg.EDX, p + Tcb.POLLING_FIRST); // CMP [edx+first], ecx
            if (cpu.jcc(first == cur, ahead(cpu))) {        // JE found
                return p;
            }
            cpu.alu(Reg.ECX, Reg.EDX);                      // MOV ecx, edx
            cur = p;
            p = cpu.load(Reg.EDX, Reg.EDX, p + Tcb.POLL_PREV);
            cpu.jmp(top);
        }
    }
}

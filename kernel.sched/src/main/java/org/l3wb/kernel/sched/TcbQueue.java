package org.l3wb.kernel.sched;

import org.l3wb.hw.api.Processor;
import org.l3wb.kernel.api.Tcb;

/**
 * A circular doubly linked queue of TCBs whose links live in the TCBs (paper 5.3.2) and whose head
 * is one word of kernel data. Used for the ready queue, strict scheduling's waiting queue and each
 * wakeup list.
 *
 * <pre>
 *   head word --> T1 --next--> T2 --next--> T3 --next--> T1      (T1.prev = T3: the tail is head.prev)
 *   a thread is queued  iff  its next link != 0  (one load tells; a sole element links to itself)
 * </pre>
 *
 * Insertion at the tail is the enqueued check plus 2 loads (head, tail) and 4 stores: the 7 loads and
 * stores 5.3.4 counts. Deletion is 2 loads (next, prev) and 2 stores relinking the neighbours, plus
 * clearing the next link (so the one-load check stays true) and a compare with the head word.
 *
 * <p>Every access goes to the real addresses through the processor; the link values are TCB
 * addresses, 0 for "not queued". Nothing outside the queue is touched, so walking and relinking never
 * page-faults (5.3.2: a TCB is unlinked from all queues before it is unmapped).
 */
final class TcbQueue {
    static final TcbQueue READY = new TcbQueue(Tcb.READY_NEXT, Tcb.READY_PREV);
    static final TcbQueue WAITING = new TcbQueue(Tcb.WAIT_NEXT, Tcb.WAIT_PREV);
    static final TcbQueue WAKEUP = new TcbQueue(Tcb.WAKEUP_NEXT, Tcb.WAKEUP_PREV);

    /** Offsets of the two links in a TCB. */
    final int next;
    final int prev;

    private TcbQueue(int next, int prev) {
        this.next = next;
        this.prev = prev;
    }

    /**
     * Inserts {@code t} at the tail unless it is queued already. The enqueued check is one load, a
     * TEST and a Jcc; {@code expectQueued} chooses the code layout: the expected case falls through
     * (not-taken jump), the other jumps.
     *
     * @return whether {@code t} was inserted
     */
    boolean insertUnlessQueued(Processor cpu, int head, int t, boolean expectQueued) {
        int n = cpu.load(t + next);                 // MOV eax, [t+next]
        cpu.alu();                                  // TEST eax, eax
        boolean queued = n != 0;
        if (expectQueued) {
            if (queued) {
                cpu.jcc(false);                  // JZ insert: not taken, already queued
                return false;
            }
            int back = Code.fallThrough(cpu);
            cpu.jcc(true, Code.outOfLine(cpu));     // JZ insert (out of line)
            append(cpu, head, t);
            cpu.jmp(back);
            return true;
        }
        cpu.jcc(queued, Code.ahead(cpu));           // JNZ done
        if (queued) {
            return false;
        }
        append(cpu, head, t);
        return true;
    }

    /** Links {@code t}, known not to be queued, in at the tail. */
    void append(Processor cpu, int head, int t) {
        int h = cpu.load(head);                     // MOV eax, [head]
        cpu.alu();                                  // TEST eax, eax
        if (h == 0) {
            cpu.jcc(true, Code.ahead(cpu));         // JZ empty
            cpu.store(t + next, t);                 // a ring of one
            cpu.store(t + prev, t);
            cpu.store(head, t);
            return;
        }
        cpu.jcc(false);
        int tail = cpu.load(h + prev);              // MOV edx, [eax+prev]
        cpu.store(t + next, h);
        cpu.store(t + prev, tail);
        cpu.store(tail + next, t);
        cpu.store(h + prev, t);
    }

    /**
     * Unlinks {@code t} if it is queued: one load, TEST and a Jcc that is not taken when it is (the
     * case strict scheduling expects).
     *
     * @return whether {@code t} was queued
     */
    boolean removeIfQueued(Processor cpu, int head, int t) {
        int n = cpu.load(t + next);                 // MOV eax, [t+next]
        cpu.alu();                                  // TEST eax, eax
        cpu.jcc(n == 0, Code.ahead(cpu));           // JZ done
        if (n == 0) {
            return false;
        }
        unlink(cpu, head, t, n);
        return true;
    }

    /**
     * Unlinks {@code t}, known to be queued, whose next link {@code n} is already in a register.
     */
    void unlink(Processor cpu, int head, int t, int n) {
        int p = cpu.load(t + prev);                 // MOV edx, [t+prev]
        cpu.store(p + next, n);                     // MOV [edx+next], eax
        cpu.store(n + prev, p);                     // MOV [eax+prev], edx
        cpu.store(t + next, 0);                     // not queued any more
        int h = cpu.compare(head);                  // CMP [head], t
        cpu.jcc(h != t, Code.ahead(cpu));           // JNE done
        if (h == t) {
            cpu.alu();                              // CMP eax, t: was it the only one?
            cpu.jcc(n != t, Code.ahead(cpu));
            if (n == t) {
                cpu.alu();                          // XOR eax, eax
            }
            cpu.store(head, n == t ? 0 : n);        // the successor becomes the head
        }
    }

    /** Unlinks {@code h}, the head (in a register already). */
    void removeFirst(Processor cpu, int head, int h) {
        int n = cpu.load(h + next);                 // MOV eax, [h+next]
        cpu.alu();                                  // CMP eax, h
        cpu.jcc(n == h, Code.ahead(cpu));           // JE single
        if (n == h) {
            cpu.store(head, 0);
        } else {
            int p = cpu.load(h + prev);
            cpu.store(p + next, n);
            cpu.store(n + prev, p);
            cpu.store(head, n);
        }
        cpu.store(h + next, 0);                     // not queued any more
    }
}

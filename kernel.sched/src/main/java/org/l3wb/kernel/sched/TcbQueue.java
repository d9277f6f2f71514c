package org.l3wb.kernel.sched;

import static org.l3wb.kernel.sched.JumpTargets.ahead;
import static org.l3wb.kernel.sched.JumpTargets.fallThrough;
import static org.l3wb.kernel.sched.JumpTargets.over;

import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
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
 *
 * <p>Registers: EDI holds the thread queued or unlinked, EAX its next link, EDX its previous one (or
 * the tail), ESI a head taken from the queue; the head word is addressed absolutely (ready and waiting
 * queue) or through EBX (a wakeup list, whose head the caller computed with LEA).
 */
final class TcbQueue {
    static final TcbQueue READY = new TcbQueue(Tcb.READY_NEXT, Tcb.READY_PREV, Reg.NONE);
    static final TcbQueue WAITING = new TcbQueue(Tcb.WAIT_NEXT, Tcb.WAIT_PREV, Reg.NONE);
    static final TcbQueue WAKEUP = new TcbQueue(Tcb.WAKEUP_NEXT, Tcb.WAKEUP_PREV, Reg.EBX);

    /** Offsets of the two links in a TCB. */
    final int next;
    final int prev;
    /** The register the head word is addressed through (NONE: an absolute address). */
    private final Reg headBase;

    private TcbQueue(int next, int prev, Reg headBase) {
        this.next = next;
        this.prev = prev;
        this.headBase = headBase;
    }

    /**
     * Inserts {@code t} at the tail unless it is queued already. The enqueued check is one load, a
     * TEST and a Jcc; {@code expectQueued} chooses the code layout: the expected case falls through
     * (not-taken jump), the other jumps.
     *
     * @return whether {@code t} was inserted
     */
    boolean insertUnlessQueued(Processor cpu, int head, int t, boolean expectQueued) {
        int n = cpu.load(Reg.EAX, Reg.EDI, t + next);  // MOV eax, [edi+next]
        cpu.alu(Reg.EAX, Reg.EAX);                  // TEST eax, eax
        boolean queued = n != 0;
        if (expectQueued) {
            int back = fallThrough(cpu);
            if (cpu.jcc(!queued, over(cpu, JumpTargets.OUT_OF_LINE))) { // JZ insert (out of line)
                append(cpu, head, t);
                cpu.jmp(back);
                return true;
            }
            return false;                           // already queued: not taken
        }
        if (cpu.jcc(queued, ahead(cpu))) {          // JNZ done
            return false;
        }
        append(cpu, head, t);
        return true;
    }

    /** Links {@code t}, known not to be queued, in at the tail. */
    void append(Processor cpu, int head, int t) {
        int h = cpu.load(Reg.EAX, headBase, head); // MOV eax, [head]
        cpu.alu(Reg.EAX, Reg.EAX);                  // TEST eax, eax
        if (cpu.jcc(h == 0, ahead(cpu))) {          // JZ empty
            cpu.store(Reg.EDI, t + next, Reg.EDI, t); // a ring of one
            cpu.store(Reg.EDI, t + prev, Reg.EDI, t);
            cpu.store(headBase, head, Reg.EDI, t);
            return;
        }
        int tail = cpu.load(Reg.EDX, Reg.EAX, h + prev); // MOV edx, [eax+prev]
        cpu.store(Reg.EDI, t + next, Reg.EAX, h);
        cpu.store(Reg.EDI, t + prev, Reg.EDX, tail);
        cpu.store(Reg.EDX, tail + next, Reg.EDI, t);
        cpu.store(Reg.EAX, h + prev, Reg.EDI, t);
    }

    /**
     * Unlinks {@code t} if it is queued: one load, TEST and a Jcc that is not taken when it is (the
     * case strict scheduling expects).
     *
     * @return whether {@code t} was queued
     */
    boolean removeIfQueued(Processor cpu, int head, int t) {
        int n = cpu.load(Reg.EAX, Reg.EDI, t + next);  // MOV eax, [edi+next]
        cpu.alu(Reg.EAX, Reg.EAX);                  // TEST eax, eax
        if (cpu.jcc(n == 0, ahead(cpu))) {          // JZ done
            return false;
        }
        unlink(cpu, head, t, n);
        return true;
    }

    /**
     * Unlinks {@code t}, known to be queued, whose next link {@code n} is already in a register.
     */
    void unlink(Processor cpu, int head, int t, int n) {
        int p = cpu.load(Reg.EDX, Reg.EDI, t + prev);  // MOV edx, [edi+prev]
        cpu.store(Reg.EDX, p + next, Reg.EAX, n);   // MOV [edx+next], eax
        cpu.store(Reg.EAX, n + prev, Reg.EDX, p);   // MOV [eax+prev], edx
        cpu.store(Reg.EDI, t + next, Reg.NONE, 0);  // not queued any more
        int h = cpu.compare(Reg.EDI, headBase, head); // CMP [head], edi
        if (!cpu.jcc(h != t, ahead(cpu))) {         // JNE done
            cpu.alu(Reg.EAX, Reg.EDI);              // CMP eax, edi: was it the only one?
            if (!cpu.jcc(n != t, ahead(cpu))) {
                cpu.alu(Reg.EAX, Reg.EAX);          // XOR eax, eax
            }
            cpu.store(headBase, head, Reg.EAX, n == t ? 0 : n); // the successor becomes the head
        }
    }

    /** Unlinks {@code h}, the head (in a register already). */
    void removeFirst(Processor cpu, int head, int h) {
        int n = cpu.load(Reg.EAX, Reg.ESI, h + next);  // MOV eax, [esi+next]
        cpu.alu(Reg.EAX, Reg.ESI);                  // CMP eax, esi
        if (cpu.jcc(n == h, ahead(cpu))) {          // JE single
            cpu.store(headBase, head, Reg.NONE, 0);
        } else {
            int p = cpu.load(Reg.EDX, Reg.ESI, h + prev);
            cpu.store(Reg.EDX, p + next, Reg.EAX, n);
            cpu.store(Reg.EAX, n + prev, Reg.EDX, p);
            cpu.store(headBase, head, Reg.EAX, n);
        }
        cpu.store(Reg.ESI, h + next, Reg.NONE, 0);  // not queued any more
    }
}

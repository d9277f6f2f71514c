package org.l3wb.kernel.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.api.Statistics;
import org.l3wb.kernel.api.Tcb;

class StrictSchedulerTest {
    final SchedMachine m = new SchedMachine();
    final StrictScheduler s = new StrictScheduler();

    /** One TCB per page, so each TCB access shows in the TLB: threads 4, 8, 12, ... */
    int a, b, c, d, e, f;

    /**
     * A server system in the middle of work: ready [D, A, E] with A running (strict: the running
     * thread stays queued), waiting [C, B, F].
     */
    void busySystem() {
        a = m.thread(4, Tcb.READY);
        b = m.thread(8, Tcb.READY);
        c = m.thread(12, Tcb.READY);
        d = m.thread(16, Tcb.READY);
        e = m.thread(20, Tcb.READY);
        f = m.thread(24, Tcb.READY);
        for (int t : new int[] {d, a, e, c, b, f}) {
            s.preempted(m.k, t);
        }
        for (int t : new int[] {c, b, f}) {
            m.state(t, Tcb.RECEIVING);
            s.blocked(m.k, t);
        }
        assertEquals(List.of(d, a, e), m.readyQueue());
        assertEquals(List.of(c, b, f), m.waitingQueue());
    }

    /** The scheduling part of one call from {@code from} to the waiting {@code to}. */
    void ipc(int from, int to) {
        m.state(from, Tcb.RECEIVING);
        s.blocked(m.k, from);
        m.state(to, Tcb.READY);
        s.unblocked(m.k, to);
    }

    @Test
    void anIpcMovesBothThreadsBetweenTheQueues() {
        busySystem();
        m.measure(() -> ipc(a, b));
        assertEquals(List.of(d, e, b), m.readyQueue());
        assertEquals(List.of(c, f, a), m.waitingQueue());
        m.measure(() -> ipc(b, a)); // the reply
        assertEquals(List.of(d, e, a), m.readyQueue());
        assertEquals(List.of(c, f, b), m.waitingQueue());
    }

    @Test
    void anIpcPairCostsMoreThan20ExecutionCyclesWithWarmTlbAndCache() {
        busySystem();
        for (int i = 0; i < 4; i++) { // ping-pong until TLB and cache are warm
            m.measure(() -> ipc(a, b));
            m.measure(() -> ipc(b, a));
        }
        Statistics st = m.measure(() -> ipc(a, b));
        System.out.printf("strict blocked+unblocked, warm: %d cycles (%d execution), %d instructions, "
                + "%d TLB misses, %d cache misses%n", st.now(), st.executionCycles(), st.instructions(),
                st.tlbMisses(), st.cacheMisses());
        assertEquals(0, st.tlbMisses());
        assertEquals(0, st.cacheMisses());
        assertTrue(st.executionCycles() > 20, "execution cycles " + st.executionCycles());
    }

    @Test
    void afterATlbFlushTheQueueOperationsMissOnEveryTcbPageTheyTouch() {
        busySystem();
        m.measure(() -> ipc(a, b));
        m.measure(() -> ipc(b, a));
        m.machine.mmu().flushTlb();
        Set<Integer> missed = new LinkedHashSet<>();
        m.machine.mmu().onTlbMiss(missed::add);
        Statistics st = m.measure(() -> ipc(a, b));
        m.machine.mmu().onTlbMiss(null);
        // A and B, and their neighbours: D, E (ready queue), C, F (waiting queue)
        for (int t : new int[] {a, b, c, d, e, f}) {
            assertTrue(missed.contains(SchedMachine.page(t)), "TLB miss on the TCB page of " + Integer.toHexString(t));
        }
        assertTrue(missed.contains(SchedMachine.DATA_PAGE), "queue heads");
        assertEquals(missed.size(), st.tlbMisses());
        System.out.printf("strict blocked+unblocked, TLB flushed: %d cycles, %d TLB misses%n", st.now(), st.tlbMisses());
    }

    @Test
    void inAnIpcTheQueueOperationsCostTheCyclesAndMissesThePaperCounts() {
        // 5.3.4: "Insertion needs at least 7, and deletion 4, load/store operations. Together with 4
        // expected TLB misses this will take at least 58 cycles." The IPC itself touches kernel code,
        // kernel data and the TCBs of A and B; what the queues add are the neighbours' TCBs.
        busySystem();
        for (int i = 0; i < 4; i++) {
            m.measure(() -> ipc(a, b));
            m.measure(() -> ipc(b, a));
        }
        assertEquals(List.of(d, e, a), m.readyQueue());
        assertEquals(List.of(c, f, b), m.waitingQueue());
        m.machine.mmu().flushTlb(); // the address-space switch of the previous IPC
        m.measure(() -> { // what the IPC path has touched before it tells the scheduler
            m.cpu.load(Reg.ESI, Reg.NONE, SchedMachine.READY);
            m.cpu.load(Reg.EAX, Reg.EBX, a + Tcb.STATE);
            m.cpu.load(Reg.EAX, Reg.EBP, b + Tcb.STATE);
        });
        List<Integer> missed = new ArrayList<>();
        m.machine.mmu().onTlbMiss(missed::add);
        m.cpu.jumpTo(SchedMachine.CODE + 0x40); // same code page, next line
        Statistics before = m.machine.statistics().copy();
        ipc(a, b);
        Statistics st = m.machine.statistics().since(before);
        m.machine.mmu().onTlbMiss(null);
        System.out.printf("strict blocked+unblocked inside an IPC: %d cycles = %d execution + %d TLB-miss "
                + "cycles (%d misses) + %d stall cycles%n", st.now(), st.executionCycles(),
                st.tlbMissCycles(org.l3wb.hw.api.Mode.KERNEL), st.tlbMisses(),
                st.lineFillCycles(org.l3wb.hw.api.Mode.KERNEL) + st.writeStallCycles(org.l3wb.hw.api.Mode.KERNEL));
        // after the warm-up, ready is [D, E, A] and waiting [C, F, B]: A's neighbours are E and D,
        // its insertion reads the waiting queue's head C, B's removal relinks C and F
        assertEquals(List.of(SchedMachine.page(e), SchedMachine.page(d), SchedMachine.page(c),
                SchedMachine.page(f)), missed, "the 4 expected TLB misses: the neighbours' TCBs");
        assertTrue(st.now() >= 58, "at least 58 cycles, got " + st.now());
    }

    @Test
    void aPingPongPairWithNobodyElseIsCheaperButStillPaysTheQueues() {
        a = m.thread(4, Tcb.READY);
        b = m.thread(8, Tcb.READY);
        s.preempted(m.k, a);
        s.preempted(m.k, b);
        m.state(b, Tcb.RECEIVING);
        s.blocked(m.k, b);
        for (int i = 0; i < 4; i++) {
            m.measure(() -> ipc(a, b));
            m.measure(() -> ipc(b, a));
        }
        Statistics st = m.measure(() -> ipc(a, b));
        System.out.printf("strict blocked+unblocked, two threads only, warm: %d cycles (%d execution)%n",
                st.now(), st.executionCycles());
        assertEquals(List.of(b), m.readyQueue());
        assertEquals(List.of(a), m.waitingQueue());
        assertTrue(st.executionCycles() > 20);
    }

    @Test
    void nextRotatesTheHeadToTheTail() {
        int x = m.thread(1, Tcb.READY);
        int y = m.thread(2, Tcb.READY);
        int z = m.thread(3, Tcb.READY);
        for (int t : new int[] {x, y, z}) {
            s.preempted(m.k, t);
        }
        assertEquals(x, s.next(m.k));
        assertEquals(List.of(y, z, x), m.readyQueue(), "the running thread stays queued");
        s.preempted(m.k, x); // end of x's slice: already queued
        assertEquals(y, s.next(m.k));
        assertEquals(z, s.next(m.k));
        assertEquals(x, s.next(m.k));
        m.state(x, Tcb.RECEIVING);
        s.blocked(m.k, x);
        assertEquals(List.of(y, z), m.readyQueue());
        assertEquals(List.of(x), m.waitingQueue());
    }

    @Test
    void aWaitEndedByTimeoutLeavesTheWaitingQueueWhenPreempted() {
        int x = m.thread(1, Tcb.READY);
        s.preempted(m.k, x);
        m.state(x, Tcb.RECEIVING);
        s.blocked(m.k, x);
        assertEquals(List.of(x), m.waitingQueue());
        m.state(x, Tcb.READY); // the nucleus aborts the wait: state, wakeupCancelled, preempted
        s.wakeupCancelled(m.k, x);
        s.preempted(m.k, x);
        assertEquals(List.of(), m.waitingQueue());
        assertEquals(List.of(x), m.readyQueue());
    }

    @Test
    void threadsLeftByLazySchedulingAreSortedOutByNext() {
        // hot swap: under lazy scheduling the ready queue kept threads that blocked since
        LazyScheduler lazy = new LazyScheduler();
        int x = m.thread(1, Tcb.READY);
        int y = m.thread(2, Tcb.READY);
        int z = m.thread(3, Tcb.READY);
        for (int t : new int[] {x, y, z}) {
            lazy.preempted(m.k, t);
        }
        m.state(x, Tcb.RECEIVING);
        m.state(y, Tcb.FREE); // deleted
        assertEquals(z, s.next(m.k));
        assertEquals(List.of(z), m.readyQueue());
        assertEquals(List.of(x), m.waitingQueue(), "blocked: where strict scheduling keeps it");
        m.state(x, Tcb.READY);
        s.unblocked(m.k, x);
        assertEquals(List.of(z, x), m.readyQueue());
        assertEquals(List.of(), m.waitingQueue());
    }
}

package org.l3wb.kernel.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.InstructionCosts;
import org.l3wb.hw.api.Statistics;
import org.l3wb.kernel.api.Tcb;

class LazySchedulerTest {
    final SchedMachine m = new SchedMachine();
    final LazyScheduler s = new LazyScheduler();
    final InstructionCosts costs = m.machine.model().costs();

    @Test
    void blockedAndUnblockedIssueNoInstructionAndCostNothing() {
        int a = m.thread(1, Tcb.READY);
        int b = m.thread(2, Tcb.RECEIVING);
        m.state(a, Tcb.RECEIVING); // the IPC path writes the states itself
        m.state(b, Tcb.READY);
        Statistics st = m.measure(() -> {
            s.blocked(m.k, a);
            s.unblocked(m.k, b);
        });
        assertEquals(0, st.now(), "cycles");
        assertEquals(0, st.instructions());
        assertEquals(0, st.tlbHits() + st.tlbMisses() + st.cacheHits() + st.cacheMisses(), "memory accesses");
        assertEquals(List.of(), m.readyQueue());
    }

    @Test
    void preemptingAQueuedThreadIsOneLoadOneCompareAndANotTakenJump() {
        int a = m.thread(1, Tcb.READY);
        m.measure(() -> s.preempted(m.k, a)); // inserts
        m.measure(() -> s.preempted(m.k, a)); // warms the check's code line
        Statistics st = m.measure(() -> s.preempted(m.k, a));
        assertEquals(3, st.instructions(), "MOV eax,[t+next]; TEST eax,eax; JZ insert");
        assertEquals(costs.load() + costs.alu() + costs.jccNotTaken(), st.now(), "cycles");
        assertEquals(0, st.writes(org.l3wb.hw.api.Mode.KERNEL), "no store");
        assertEquals(List.of(a), m.readyQueue());
    }

    @Test
    void insertionIsSevenLoadsAndStores() {
        int a = m.thread(1, Tcb.READY);
        int b = m.thread(2, Tcb.READY);
        m.measure(() -> s.preempted(m.k, a));
        Statistics st = m.measure(() -> s.preempted(m.k, b));
        // check (1 load), head (1 load), tail (1 load), 4 stores: 5.3.4's "at least 7"
        assertEquals(4, st.writes(org.l3wb.hw.api.Mode.KERNEL), "stores");
        assertEquals(List.of(a, b), m.readyQueue());
    }

    @Test
    void nextServesTheQueueInOrderAndDequeues() {
        int a = m.thread(1, Tcb.READY);
        int b = m.thread(5, Tcb.READY);
        int c = m.thread(9, Tcb.READY);
        for (int t : new int[] {a, b, c, a}) {
            m.measure(() -> s.preempted(m.k, t));
        }
        assertEquals(List.of(a, b, c), m.readyQueue(), "a queued once");
        assertEquals(a, s.next(m.k));
        assertEquals(List.of(b, c), m.readyQueue(), "the current thread need not be queued");
        assertEquals(b, s.next(m.k));
        assertEquals(c, s.next(m.k));
        assertEquals(0, s.next(m.k));
        assertEquals(List.of(), m.readyQueue());
    }

    @Test
    void nextUnlinksAndSkipsThreadsThatAreNoLongerReady() {
        int a = m.thread(1, Tcb.READY);
        int b = m.thread(2, Tcb.READY);
        int c = m.thread(3, Tcb.READY);
        int d = m.thread(4, Tcb.READY);
        for (int t : new int[] {a, b, c, d}) {
            s.preempted(m.k, t);
        }
        m.state(a, Tcb.RECEIVING); // blocked lazily: still queued
        m.state(b, Tcb.POLLING);
        m.state(c, Tcb.TRANSFERRING); // ready, in the middle of a long transfer
        assertEquals(List.of(a, b, c, d), m.readyQueue());
        assertEquals(c, s.next(m.k));
        assertEquals(List.of(d), m.readyQueue(), "a and b removed on the way");
        assertEquals(0, m.peek(a + Tcb.READY_NEXT));
        assertEquals(0, m.peek(b + Tcb.READY_NEXT));
        m.state(d, Tcb.LOCKED);
        assertEquals(0, s.next(m.k), "nothing ready");
        assertEquals(List.of(), m.readyQueue());
        // a blocked thread that got ready again is queued again when preempted
        m.state(a, Tcb.READY);
        s.preempted(m.k, a);
        assertEquals(a, s.next(m.k));
    }

    @Test
    void theReadyQueueInvariantHoldsUnderRandomIpcTraffic() {
        // 5.3.4: the ready queue contains at least all ready threads, except possibly the current one
        int n = 12;
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = m.thread(i + 1, Tcb.READY);
            s.preempted(m.k, t[i]);
        }
        int current = s.next(m.k);
        Random random = new Random(42);
        for (int step = 0; step < 2000; step++) {
            m.enter();
            int other = t[random.nextInt(n)];
            switch (random.nextInt(4)) {
                case 0 -> { // call / reply: current blocks, a waiting partner runs by direct switch
                    if (other != current && m.peek(other + Tcb.STATE) != Tcb.READY) {
                        m.state(current, Tcb.RECEIVING);
                        s.blocked(m.k, current);
                        m.state(other, Tcb.READY);
                        s.unblocked(m.k, other);
                        current = other;
                    }
                }
                case 1 -> { // send: the partner becomes ready, current stays ready but yields to it
                    if (other != current && m.peek(other + Tcb.STATE) != Tcb.READY) {
                        m.state(other, Tcb.READY);
                        s.unblocked(m.k, other);
                        s.preempted(m.k, current);
                        current = other;
                    }
                }
                case 2 -> { // end of time slice
                    s.preempted(m.k, current);
                    current = s.next(m.k);
                }
                default -> { // current blocks with nobody to switch to
                    m.state(current, Tcb.RECEIVING);
                    s.blocked(m.k, current);
                    int next = s.next(m.k);
                    if (next == 0) { // deadlock in this toy: wake someone up
                        m.state(current, Tcb.READY);
                        next = current;
                    }
                    current = next;
                }
            }
            List<Integer> queue = m.readyQueue(); // checks the ring and "queued iff next != 0"
            for (int x : t) {
                if (x != current && m.peek(x + Tcb.STATE) == Tcb.READY) {
                    assertTrue(queue.contains(x), "ready thread missing from the ready queue");
                }
            }
            assertEquals(Tcb.READY, m.peek(current + Tcb.STATE));
        }
        List<Integer> order = new ArrayList<>(m.readyQueue());
        assertTrue(order.size() <= n);
    }
}

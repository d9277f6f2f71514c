package org.l3wb.kernel.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.l3wb.kernel.api.Scheduler;
import org.l3wb.kernel.api.Tcb;

class DeterminismTest {
    /** @return the statistics of a fixed workload of all scheduler services on a fresh machine */
    static String run(Scheduler s) {
        SchedMachine m = new SchedMachine();
        int[] t = new int[12];
        for (int i = 0; i < t.length; i++) {
            t[i] = m.thread(2 * i + 1, Tcb.READY);
            m.enter();
            s.preempted(m.k, t[i]);
        }
        for (int round = 0; round < 300; round++) {
            int a = t[round % t.length];
            int b = t[(round * 7 + 3) % t.length];
            if (a == b) {
                continue;
            }
            m.enter();
            m.state(a, Tcb.RECEIVING);
            s.blocked(m.k, a);
            s.wakeupAt(m.k, a, m.now() + 1 + round % 200);
            m.state(b, Tcb.READY);
            s.unblocked(m.k, b);
            s.wakeupCancelled(m.k, b);
            m.polls(t[(round + 5) % t.length], b);
            s.enqueuePolling(m.k, b, t[(round + 5) % t.length]);
            s.firstPolling(m.k, b, 0, 0);
            m.enter();
            for (int x : s.tick(m.k)) {
                m.state(x, Tcb.READY);
                s.preempted(m.k, x);
            }
            m.enter();
            if (s.timesliceExhausted(m.k)) {
                s.next(m.k);
                s.newTimeslice(m.k);
            }
        }
        return m.machine.statistics().toString() + " writes=" + m.machine.statistics().writes(org.l3wb.hw.api.Mode.KERNEL);
    }

    @Test
    void theSameSequenceGivesTheSameCyclesTwice() {
        for (Scheduler s : new Scheduler[] {new LazyScheduler(), new StrictScheduler()}) {
            String first = run(s);
            String second = run(s);
            System.out.println(s + ": " + first);
            assertEquals(first, second, s.name());
        }
    }
}

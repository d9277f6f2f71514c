package org.l3wb.kernel.sched;

import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.Scheduler;

/**
 * What lazy and strict scheduling share: wakeup lists and clock (5.3.3), polling-me queues (5.3.2,
 * 5.3.5) and the time slice. Stateless: every datum is in simulated kernel memory, reached through
 * the {@link KernelContext} of the call, so one instance serves any number of machines.
 */
abstract class SchedulerBase implements Scheduler {
    @Override
    public void wakeupAt(KernelContext k, int tcb, long wakeupMs) {
        WakeupLists.enter(k, tcb, wakeupMs);
    }

    @Override
    public int[] tick(KernelContext k) {
        return Clock.tick(k);
    }

    @Override
    public void enqueuePolling(KernelContext k, int receiver, int sender) {
        PollingQueues.enqueue(k, receiver, sender);
    }

    @Override
    public int firstPolling(KernelContext k, int receiver, int fromLow, int fromHigh) {
        return PollingQueues.first(k, receiver, fromLow, fromHigh);
    }

    @Override
    public void dequeuePolling(KernelContext k, int receiver, int sender) {
        PollingQueues.dequeue(k, receiver, sender);
    }

    @Override
    public boolean timesliceExhausted(KernelContext k) {
        return Clock.exhausted(k);
    }

    @Override
    public void newTimeslice(KernelContext k) {
        Clock.newTimeslice(k);
    }

    @Override
    public String toString() {
        return name() + " scheduler";
    }
}

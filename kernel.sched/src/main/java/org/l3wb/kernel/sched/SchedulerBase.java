package org.l3wb.kernel.sched;

import org.l3wb.hw.api.CodeStep;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.KernelStep;
import org.l3wb.kernel.api.Scheduler;

/**
 * What lazy and strict scheduling share: wakeup lists and clock (5.3.3), polling-me queues (5.3.2,
 * 5.3.5) and the time slice. Stateless: every datum is in simulated kernel memory, reached through
 * the {@link KernelContext} of the call, so one instance serves any number of machines.
 *
 * <p>Each entry point marks the step it belongs to for a trace: the wakeup lists are
 * {@link KernelStep#TIMEOUTS}, the ready, waiting and polling-me queues and the time slice
 * {@link KernelStep#SCHEDULE}; the step of the caller goes on afterwards.
 */
abstract class SchedulerBase implements Scheduler {
    @Override
    public void wakeupAt(KernelContext k, int tcb, long wakeupMs) {
        CodeStep previous = k.cpu().step(KernelStep.TIMEOUTS);
        WakeupLists.enter(k, tcb, wakeupMs);
        k.cpu().step(previous);
    }

    @Override
    public int[] tick(KernelContext k) {
        return Clock.tick(k);
    }

    @Override
    public void enqueuePolling(KernelContext k, int receiver, int sender) {
        CodeStep previous = k.cpu().step(KernelStep.SCHEDULE);
        PollingQueues.enqueue(k, receiver, sender);
        k.cpu().step(previous);
    }

    @Override
    public int firstPolling(KernelContext k, int receiver, int fromLow, int fromHigh) {
        CodeStep previous = k.cpu().step(KernelStep.SCHEDULE);
        int first = PollingQueues.first(k, receiver, fromLow, fromHigh);
        k.cpu().step(previous);
        return first;
    }

    @Override
    public void dequeuePolling(KernelContext k, int receiver, int sender) {
        CodeStep previous = k.cpu().step(KernelStep.SCHEDULE);
        PollingQueues.dequeue(k, receiver, sender);
        k.cpu().step(previous);
    }

    @Override
    public boolean timesliceExhausted(KernelContext k) {
        CodeStep previous = k.cpu().step(KernelStep.SCHEDULE);
        boolean exhausted = Clock.exhausted(k);
        k.cpu().step(previous);
        return exhausted;
    }

    @Override
    public void newTimeslice(KernelContext k) {
        CodeStep previous = k.cpu().step(KernelStep.SCHEDULE);
        Clock.newTimeslice(k);
        k.cpu().step(previous);
    }

    @Override
    public String toString() {
        return name() + " scheduler";
    }
}

package org.l3wb.kernel.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Scheduling policy, registered as a service with property {@code name} ({@code lazy}, {@code strict}).
 * Stateless: the ready queue, waiting queue, wakeup lists, polling-me queues and clock live in
 * simulated kernel memory ({@link KernelLayout}, {@link Tcb}), and every load and store the real
 * kernel makes is issued on {@link KernelContext#cpu()}.
 *
 * <p>The IPC path writes a thread's {@link Tcb#STATE} itself and then tells the scheduler: lazy
 * scheduling (5.3.4) does nothing more on {@link #blocked} and {@link #unblocked}, strict
 * scheduling moves the thread between ready and waiting queues each time.
 */
@ConsumerType
public interface Scheduler {
    /** Service property carrying the scheduler's name. */
    String NAME = "name";

    String name();

    /** {@code tcb} (running until now) has just been set to a waiting state. */
    void blocked(KernelContext k, int tcb);

    /** {@code tcb} has just been set ready (it may be switched to directly next). */
    void unblocked(KernelContext k, int tcb);

    /**
     * {@code tcb} loses the processor but stays ready (end of time slice, interrupt, send): make sure
     * it is in the ready queue (5.3.4's three situations).
     */
    void preempted(KernelContext k, int tcb);

    /**
     * @return the next thread to run from the ready queue (removing threads found not ready), or 0
     * when none is ready
     */
    int next(KernelContext k);

    /** Enters {@code tcb} into the wakeup lists to be woken at {@code wakeupMs} (absolute, ms). */
    void wakeupAt(KernelContext k, int tcb, long wakeupMs);

    /**
     * {@code tcb} stopped waiting for a reason other than {@link #tick} returning it (it got its
     * message, or was aborted): its wakeup entry must not fire. Strict unlinks it; lazy marks the entry
     * dead with one store ({@link Tcb#WAKEUP_TIME} = never) and leaves the unlinking to the next
     * inspection of its list. Required at every such transition.
     */
    void wakeupCancelled(KernelContext k, int tcb);

    /**
     * One clock tick (1 ms): advance the clock (rebasing when the offset reaches 2^24), count down
     * the time slice, inspect the wakeup list due, move long-time waiters back when their time nears.
     *
     * @return the threads whose timeout expired, each still in its waiting state, for the nucleus to
     * abort; an empty array when none
     */
    int[] tick(KernelContext k);

    /** Appends {@code sender} to {@code receiver}'s polling-me queue (FIFO, 5.3.5). */
    void enqueuePolling(KernelContext k, int receiver, int sender);

    /**
     * @return the first thread in {@code receiver}'s polling-me queue that still polls it (and, if
     * {@code fromLow}/{@code fromHigh} is not nil, is that thread), removing stale entries; 0 if none
     */
    int firstPolling(KernelContext k, int receiver, int fromLow, int fromHigh);

    /** Removes {@code sender} from {@code receiver}'s polling-me queue. */
    void dequeuePolling(KernelContext k, int receiver, int sender);

    /** @return whether the running thread's time slice is used up (issues the compare and the branch) */
    boolean timesliceExhausted(KernelContext k);

    /** Gives the thread about to run from the ready queue a fresh time slice. */
    void newTimeslice(KernelContext k);
}

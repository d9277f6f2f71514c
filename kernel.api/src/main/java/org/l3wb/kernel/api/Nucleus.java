package org.l3wb.kernel.api;

import java.util.function.BooleanSupplier;

import org.l3wb.hw.api.Machine;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One booted kernel on one machine: create tasks and threads, run them, inspect state.
 *
 * <h2>Mechanism binding and hot swap</h2>
 * The nucleus keeps a <em>requested</em> mechanism ({@link #useMechanism}, {@link #mechanismName}) and
 * a <em>bound</em> one ({@link #boundMechanism}). The simulation runs on one host thread; the bound
 * mechanism changes only at a kernel entry of that thread — a system call, the clock interrupt, a
 * thread's exit, or set-up work that runs kernel code ({@link #createThread}, {@link #endpoint},
 * {@link #deleteThread}) — and holds for the whole entry, so a swap is never seen in the middle of an
 * IPC. {@link #useMechanism} and {@link #useScheduler} may be called from any thread (they write a
 * volatile request the next kernel entry reads); so may the mechanism bundles come and go.
 *
 * <p>At each kernel entry after a request or after a mechanism service came or went, the nucleus binds
 * the requested mechanism if it is registered, else the <em>next available</em> one: the registered
 * mechanism with the lowest {@link #FALLBACK_RANK}, a service property each mechanism declares
 * ({@code l3} 10, {@code ports} 20, {@code dash} 30, {@code mach} 40); equal ranks, and mechanisms
 * without one (after all ranked ones), by name. The order is the mechanisms' own declaration, so a
 * third-party mechanism places itself in it. The request stays: when the requested mechanism's bundle starts again, the next kernel entry binds it
 * again. With no mechanism registered at all, every IPC system call returns
 * {@link ResultCode#NO_MECHANISM} at once and does nothing else; threads already waiting in IPC stay
 * waiting (their state is in their TCBs; finite timeouts still expire through the clock), and the
 * first kernel entry after a mechanism is registered again binds it.
 *
 * <p>What carries over a change: a mechanism that declares
 * {@link IpcMechanism#keepsItsStateInThreadIpc} keeps every IPC's state in the TCBs (L3's thread IPC) —
 * {@code l3}, {@code ports}, {@code dash}, and a third-party mechanism built the same way (resolve its
 * own names, then continue as {@link ThreadIpc}) — so a thread blocked in a call or a receive under one
 * of them completes under any other of them. Destinations are the mechanism's own names
 * ({@link #endpoint}), and a program that may see swaps must expect a name of the previous mechanism
 * to be foreign to the new one: {@code l3} and {@code dash} reject a port index (its high word is 0,
 * which no uid has), {@code ports} rejects a uid (its low bits select link 0, whose write word holds no
 * right: the load of the port entry faults whatever the sender's space maps, also at index 0), and
 * {@code mach} rejects a uid (ESI is not 0) — each with {@link ResultCode#NO_PARTNER}, before anything
 * is delivered and before the receive part starts. The program then obtains the endpoint for the
 * mechanism that answered ({@link #boundMechanism}) and sends again; no message is lost or duplicated
 * by the swap.
 *
 * <p>Continuations (the receive part of an operation whose send part completed while the thread was not
 * running, a preempted long transfer) and the ends of waits (timeout, partner deleted) belong to the
 * mechanism that ran the thread's latest system call: while a mechanism of that name is registered it
 * finishes them, bound or not. When it is gone and it had declared {@link
 * IpcMechanism#keepsItsStateInThreadIpc} (recorded with the thread when its system call ran), they go to
 * the bound mechanism (which runs the pending receive part, ends the wait at its timeout; with none bound
 * the thread gets {@link ResultCode#NO_MECHANISM} for it). A mechanism that does not declare it keeps them
 * until a mechanism of its name is registered again, as {@code mach} does (its continuation state and
 * kernel stack are its own): its queued messages (kmsgs) stay in its tables in simulated memory; its
 * waiters stay waiting (a timeout or cancellation due meanwhile is looked at again every millisecond and
 * ends the wait as a timeout once {@code mach} is back); a thread it had woken but which had not run yet
 * is parked at its dispatch (state {@link Tcb#LOCKED}: off the ready queue, no sender starts on it) and
 * made ready at the first clock tick after a mechanism named {@code mach} is registered again, whose
 * continuation then delivers its message. Nothing is lost; nothing runs under another mechanism's code.
 * Not guarded: addressing a thread that waits in {@code mach} through a mechanism that keeps its state in
 * L3's thread IPC (to L3 it looks like a thread receiving from anyone). A thread blocked in L3's thread
 * IPC is no waiter on a {@code mach} port: it stays blocked while {@code mach} is bound.
 */
@ProviderType
public interface Nucleus {
    /**
     * The service property, an integer, by which an {@link IpcMechanism} service places itself in the
     * order the nucleus falls back in when the requested mechanism is not registered: the lowest rank
     * first; equal ranks, and mechanisms without the property (after every ranked one), by name. Part
     * of the mechanism contract, declared beside {@link IpcMechanism#NAME}:
     * {@code @Component(service = IpcMechanism.class, property = {"name=l3", "fallback.rank:Integer=10"})}.
     *
     * @since 3.0
     */
    String FALLBACK_RANK = "fallback.rank";

    Machine machine();

    KernelLayout layout();

    Switches switches();

    /** @return a new task (address space) with empty user space; its number */
    int createTask();

    /**
     * Maps {@code pages} fresh zeroed user pages at {@code linear} in {@code task} (free, setup).
     *
     * @throws IllegalArgumentException when the range is not in user space
     */
    void mapUser(int task, int linear, int pages, boolean writable);

    /** @return a new thread of {@code task} that will run {@code program} at user level */
    ThreadId createThread(int task, UserProgram program);

    /**
     * Binds the mechanism now in effect (as a kernel entry does) and asks it for a name.
     *
     * @return the destination {@code caller} uses to address {@code target} under the bound mechanism
     * (the uid under l3, a port index with a send right under ports); obtain it once per mechanism
     * (under ports each call allocates a port link)
     * @throws IllegalStateException when no mechanism is registered
     */
    ThreadId endpoint(ThreadId caller, ThreadId target);

    /** Deletes a thread: partners waiting for it get {@link ResultCode#CANCELLED}; its uid goes stale. */
    void deleteThread(ThreadId thread);

    /**
     * Runs threads until {@code done} holds or {@code maxCycles} more cycles have passed.
     *
     * @return whether {@code done} held
     */
    boolean run(BooleanSupplier done, long maxCycles);

    /** @return the requested mechanism's name (see {@link #boundMechanism} for the one in effect) */
    String mechanismName();

    /**
     * Requests another IPC mechanism; it is bound at the next kernel entry (or the next available one,
     * if it is not registered). Any thread may call this.
     */
    void useMechanism(String name);

    /**
     * @return the name of the mechanism bound at the simulation's latest kernel entry (or set-up call),
     * null when none was registered then; any thread may call this
     * @since 1.1
     */
    String boundMechanism();

    /** @return the bound scheduler's name */
    String schedulerName();

    /** Binds another scheduler; takes effect at the next kernel entry. Any thread may call this. */
    void useScheduler(String name);

    /** @return a thread's {@link Tcb#STATE} (debugger view, free) */
    int state(ThreadId thread);

    /** @return a user dword of {@code task} (debugger view, free) */
    int peek(int task, int linear);

    /** Writes a user dword of {@code task} (setup, free). */
    void poke(int task, int linear, int value);

    /**
     * Checks the kernel's invariants in simulated memory (no thread in two states, queue links
     * consistent, ...) without cycles.
     *
     * @throws IllegalStateException naming the first violation
     */
    void checkInvariants();

    /** @return IPC system calls executed so far */
    long ipcCount();
}

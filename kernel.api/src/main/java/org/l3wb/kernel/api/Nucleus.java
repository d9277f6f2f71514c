package org.l3wb.kernel.api;

import java.util.function.BooleanSupplier;

import org.l3wb.hw.api.Machine;
import org.osgi.annotation.versioning.ProviderType;

/** One booted kernel on one machine: create tasks and threads, run them, inspect state. */
@ProviderType
public interface Nucleus {
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
     * @return the destination {@code caller} uses to address {@code target} under the bound mechanism
     * (the uid under l3, a port index with a send right under ports); obtain it once, at set-up
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

    /** @return the bound mechanism's name */
    String mechanismName();

    /** Binds another IPC mechanism; takes effect at the next system call. */
    void useMechanism(String name);

    /** @return the bound scheduler's name */
    String schedulerName();

    /** Binds another scheduler; takes effect at the next kernel entry. */
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

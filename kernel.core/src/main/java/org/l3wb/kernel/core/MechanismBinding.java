package org.l3wb.kernel.core;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.IpcMechanism;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.KernelStep;
import org.l3wb.kernel.api.Scheduler;
import org.l3wb.kernel.api.Tcb;

/**
 * Mechanism binding and hot swap ({@link org.l3wb.kernel.api.Nucleus}, "Mechanism binding and hot
 * swap"): the requested mechanism and scheduler, any host thread may change them; the bound ones,
 * latched at each kernel entry of the simulation thread; and who owns each thread's continuation.
 * The bookkeeping is the host's, free; only parking a thread and making it ready again issue kernel
 * instructions.
 */
final class MechanismBinding {
    /** What {@link #runnerFor} answers when only the thread's own, unregistered, mechanism may continue it. */
    static final IpcMechanism DEFER = new IpcMechanism() {
        @Override
        public String name() {
            return "(deferred)";
        }

        @Override
        public void ipc(KernelContext k, IpcOperation operation) {
            throw new IllegalStateException("deferred");
        }

        @Override
        public void resumeTransfer(KernelContext k) {
            throw new IllegalStateException("deferred");
        }
    };

    private final KernelComponent kernel;
    private final L3Nucleus n;
    private final NucleusState s;
    // requested by any host thread (useMechanism, useScheduler); read by the simulation at kernel entry
    private volatile String mechanism;
    private volatile String scheduler;
    private final AtomicInteger requests = new AtomicInteger();
    /*
     * The bound services, latched at each kernel entry (latch) and used for the whole entry: re-resolved
     * only when the kernel's references changed or a request came since the last latch.
     */
    private int resolvedChanges = -1;
    private int registeredAt = -1;
    private int resolvedRequests = -1;
    private IpcMechanism boundMechanism;
    private Scheduler boundScheduler;
    /** The bound mechanism's name, for other host threads (written only when the binding changes). */
    private volatile String boundMechanismName;
    /** The mechanisms registered at the latest latch, by name. */
    private Map<String, IpcMechanism> registered = Map.of();
    /**
     * Per TCB (indexed by its address / 1 KB), the mechanism that ran the thread's latest system call or
     * continuation: it owns the thread's pending continuation and wait (host bookkeeping, like which
     * service object implements a call, not kernel data).
     */
    private final IpcMechanism[] owners = new IpcMechanism[Layout.THREAD_MASK + 1];
    /**
     * Per TCB, what its owner declared ({@link IpcMechanism#keepsItsStateInThreadIpc}) when it ran the
     * thread: asked then, since the owner's service (and bundle) may be gone when the answer is needed.
     */
    private final boolean[] ownerInThreadIpc = new boolean[Layout.THREAD_MASK + 1];
    /** Threads whose continuation waits for its own mechanism to be registered again (state LOCKED). */
    private final List<Integer> parked = new ArrayList<>();
    /** The registered mechanisms changed while threads were parked: look at them at the next clock tick. */
    private boolean unparkPending;

    MechanismBinding(KernelComponent kernel, L3Nucleus nucleus, NucleusState state, String mechanism,
            String scheduler) {
        this.kernel = kernel;
        this.n = nucleus;
        this.s = state;
        this.mechanism = mechanism;
        this.scheduler = scheduler;
    }

    String mechanismName() {
        return mechanism;
    }

    void useMechanism(String name) {
        mechanism = name;
        requests.incrementAndGet(); // after the name: a latch that sees the count sees the name
    }

    String boundMechanismName() {
        return boundMechanismName;
    }

    String schedulerName() {
        return scheduler;
    }

    void useScheduler(String name) {
        if (kernel.scheduler(name) == null) {
            throw new IllegalArgumentException("unknown scheduler '" + name + "': installed are " + kernel.schedulers());
        }
        scheduler = name;
        requests.incrementAndGet();
    }

    /**
     * At a kernel entry (simulation thread only): re-binds the mechanism and scheduler when a service
     * came or went or a request came since the last entry. The requested mechanism, or the next
     * available one ({@link KernelComponent#available}). Free: the host's bookkeeping, not kernel code.
     */
    void latch() {
        int changes = kernel.changes();
        int requested = requests.get();
        if (changes != resolvedChanges || requested != resolvedRequests) {
            resolvedChanges = changes;
            resolvedRequests = requested;
            IpcMechanism m = kernel.available(mechanism);
            if (changes != registeredAt) {
                registered = kernel.registered();
                registeredAt = changes;
                unparkPending = !parked.isEmpty();
            }
            boundMechanism = m;
            boundScheduler = kernel.scheduler(scheduler);
            boundMechanismName = m == null ? null : m.name();
        }
    }

    /** @return the mechanism bound at this kernel entry, or null */
    IpcMechanism mechanismNow() {
        return boundMechanism;
    }

    /** @return the scheduler bound at this kernel entry */
    Scheduler scheduler() {
        Scheduler bound = boundScheduler;
        if (bound == null) {
            throw new IllegalStateException("scheduler '" + scheduler + "' is not installed");
        }
        return bound;
    }

    /** Records that {@code m} (null: none) runs {@code tcb}'s system call or continuation, and its declaration. */
    void own(int tcb, IpcMechanism m) {
        int i = (tcb >>> 10) & Layout.THREAD_MASK;
        owners[i] = m;
        ownerInThreadIpc[i] = m != null && m.keepsItsStateInThreadIpc();
    }

    /**
     * Who continues (a pending receive part or preempted transfer) or aborts (timeout, lost partner)
     * what {@code tcb} waits in. Such state belongs to the mechanism that ran the thread's latest
     * system call or continuation, its owner: while a mechanism of the owner's name is registered, that
     * one (bound or not). Once none is: for an owner that declared, when it ran the thread, that all its
     * waiting state is L3's thread IPC in the TCBs ({@link IpcMechanism#keepsItsStateInThreadIpc}: l3,
     * ports, dash, a third-party mechanism built on ThreadIpc), the bound mechanism (null when none); for
     * any other (mach: its continuation state and kernel stack are its own) {@link #DEFER}: nobody may,
     * until the owner is registered again.
     */
    IpcMechanism runnerFor(int tcb) {
        IpcMechanism owner = owners[(tcb >>> 10) & Layout.THREAD_MASK];
        IpcMechanism bound = boundMechanism;
        if (owner == null || owner == bound) {
            return bound;
        }
        IpcMechanism now = registered.get(owner.name());
        if (now != null) {
            return now;
        }
        return ownerInThreadIpc[(tcb >>> 10) & Layout.THREAD_MASK] ? bound : DEFER;
    }

    /**
     * The current thread's continuation must wait for its own mechanism: it leaves the processor in
     * state LOCKED (no sender starts on it; its kernel stack and RESUME kept as they are) until a
     * mechanism of that name is registered again ({@link #unpark}).
     */
    void park(int me) {
        CodeStep previous = s.cpu.step(KernelStep.SCHEDULE);
        parked.add(me);
        s.cpu.store(Reg.EBP, me + Tcb.STATE, Reg.NONE, Tcb.LOCKED);
        scheduler().blocked(n, me);
        s.cpu.step(previous);
        n.trap.dispatchNext();
    }

    /** @return whether the registered mechanisms changed while threads were parked */
    boolean unparkPending() {
        return unparkPending;
    }

    /** At a clock tick after the registered mechanisms changed: parked threads whose owner is back get ready. */
    void unpark() {
        unparkPending = false;
        for (Iterator<Integer> it = parked.iterator(); it.hasNext(); ) {
            int t = it.next();
            IpcMechanism owner = owners[(t >>> 10) & Layout.THREAD_MASK];
            if (s.readKernelWord(t + Tcb.STATE) != Tcb.LOCKED || owner == null) {
                it.remove(); // deleted meanwhile
            } else if (registered.containsKey(owner.name())) {
                it.remove();
                s.cpu.store(Reg.EBP, t + Tcb.STATE, Reg.NONE, Tcb.READY);
                scheduler().preempted(n, t);
            }
        }
    }
}

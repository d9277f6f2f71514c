package org.l3wb.kernel.api;

import org.l3wb.hw.api.Reg;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An IPC design, registered as a service with property {@code name}. The nucleus calls
 * {@link #ipc} for every IPC system call with the caller's registers as Table 6 defines them:
 *
 * <pre>
 *  EAX  receive: 0 none, 1 short message in registers only, else receive-buffer address
 *  ECX  send:    0 none, 1 short message in registers only, else message address
 *  EDX, ESI  destination uid (send), or source to receive from (receive; nil = any)
 *  EBX, EBP  message bytes 0..3, 4..7
 *  EDI  send timeout (high half) and receive timeout (low half), see {@link Timeout}
 * </pre>
 * The INT vector selects the {@link IpcOperation}. On return to user: EAX result code, EBX and ECX
 * message bytes 0..7, EDX and ESI source uid. Mechanisms are stateless: their state is in simulated
 * memory.
 */
@ConsumerType
public interface IpcMechanism {
    /** Service property carrying the mechanism's name. */
    String NAME = "name";

    String name();

    /** Executes one IPC system call of the current thread; ends by returning to some thread's user mode. */
    void ipc(KernelContext k, IpcOperation operation);

    /** Continues a long transfer the current thread was preempted in; ends by returning to user. */
    void resumeTransfer(KernelContext k);

    /**
     * The destination words (EDX, ESI) {@code caller} passes to address {@code target} under this
     * mechanism: the target's uid for thread-addressed IPC, a port index with a send right for ports.
     * Called at set-up time in kernel mode; may allocate and initialise the mechanism's tables.
     *
     * @return EDX in the low 32 bits, ESI in the high 32 bits
     */
    default long endpoint(KernelContext k, int caller, int target) {
        int low = k.cpu().load(Reg.EDX, Reg.EBX, target + Tcb.UID_LOW);
        int high = k.cpu().load(Reg.ESI, Reg.EBX, target + Tcb.UID_HIGH);
        return (long) high << 32 | (low & 0xFFFF_FFFFL);
    }

    /**
     * Whether all of this mechanism's waiting state is L3's thread IPC state in the TCBs: its waits,
     * pending receive parts, preempted transfers, timeouts and cancellations are those of L3's
     * thread-to-thread IPC (as when it resolves its own names and then continues as {@link ThreadIpc}),
     * with nothing of its own on the thread's kernel stack or in its tables. Then any other such
     * mechanism can finish a thread's pending receive, transfer, timeout or cancellation: when this
     * mechanism's service goes away while a thread it last ran waits, the nucleus hands the thread to
     * the bound mechanism instead of keeping it until a mechanism of this name returns.
     * <p>
     * The nucleus asks at each system call and continuation and records the answer with the thread
     * (the service may be gone when the answer is needed), so it must be a constant of the mechanism.
     * The default, false, is always safe: a thread this mechanism last ran waits for a mechanism of
     * its name to be registered again (parked at dispatch; an expiring wait looked at again every
     * millisecond), as {@code mach}'s do, whose continuation state is its own.
     *
     * @return true only if all of this mechanism's waiting state is L3's thread IPC state in the TCBs
     * @since 2.0
     */
    default boolean keepsItsStateInThreadIpc() {
        return false;
    }

    /**
     * The current thread asks for its own name ({@link KernelCall#THREAD_SELF}); the nucleus has taken
     * the INT and done its entry work (the segment check), as for {@link #ipc}. Ends by returning to
     * user. The default answers with the thread's uid, the name thread-addressed IPC uses: EAX 0 (OK),
     * EDX and ESI the uid, loaded from the current TCB. A mechanism with names of its own (ports,
     * Mach's port rights) overrides it.
     *
     * @since 3.1
     */
    default void threadSelf(KernelContext k) {
        int tcb = k.current();
        k.cpu().loadRegister(Reg.EDX, Reg.EBP, tcb + Tcb.UID_LOW);
        k.cpu().loadRegister(Reg.ESI, Reg.EBP, tcb + Tcb.UID_HIGH);
        k.cpu().movImm(Reg.EAX, ResultCode.OK.code());
        k.returnToUser();
    }

    /**
     * A thread waiting in this mechanism timed out or lost its partner: give it its result.
     * The default stores the result code; mechanisms with own queues override.
     */
    default void abort(KernelContext k, int tcb, ResultCode result) {
        k.saveResults(tcb, result.code(), 0, 0, 0, 0);
    }
}

package org.l3wb.kernel.api;

/**
 * System calls other than IPC, each on its own INT vector (after the IPC operations' and the
 * nucleus's exit at 0x34): the measurements of section 5.6, "18 µs for the mach thread self call
 * ... whereas the bare machine time for user → kernel → user is 2 µs".
 *
 * <pre>
 *  user.kernelCall(KernelCall.NULL);         // INT, the kernel's trap entry, IRET: nothing else
 *  user.kernelCall(KernelCall.THREAD_SELF);  // the bound mechanism's thread-self call; name in EAX
 * </pre>
 *
 * @since 3.1
 */
public enum KernelCall {
    /**
     * The bare user → kernel → user round trip: the nucleus's INT gate leads straight to an IRET. No
     * mechanism is involved; registers come back as they went in.
     */
    NULL,
    /**
     * The calling thread's name for itself, answered by the bound mechanism
     * ({@link IpcMechanism#threadSelf}): under {@code mach}, {@code mach_thread_self}, a send right to
     * the thread's port in its task's IPC space, its name in EAX; under thread-addressed mechanisms the
     * thread's uid in EDX/ESI and EAX 0 (OK). With no mechanism registered, EAX is
     * {@link ResultCode#NO_MECHANISM}.
     */
    THREAD_SELF;

    /** INT vector of {@link #NULL}; the others follow. */
    public static final int FIRST_VECTOR = 0x38;

    /** @return the INT vector of this call */
    public int vector() {
        return FIRST_VECTOR + ordinal();
    }
}

package org.l3wb.kernel.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * L3's thread-to-thread IPC entered with the destination already resolved, for mechanisms that
 * extend it with indirection (ports, paper 7.1: "we extend L3 ipc to support indirection and port
 * rights"). Provided, as a service with property {@code name=l3}, by the bundle that provides the
 * {@code l3} mechanism.
 */
@ProviderType
public interface ThreadIpc {
    /**
     * Continues the current thread's system call as L3 IPC to {@code dest}: the caller's registers
     * hold the message and receive parameters as {@link IpcMechanism} describes; the destination words
     * are ignored.
     *
     * @param dest          the destination TCB, 0 when there is none
     * @param identifyLow   what the receiver gets in EDX instead of the sender's uid
     * @param identifyHigh  what the receiver gets in ESI
     */
    void ipcTo(KernelContext k, IpcOperation op, int dest, int identifyLow, int identifyHigh);

    /** Continues a long transfer the current thread was preempted in (see {@link IpcMechanism#resumeTransfer}). */
    void resumeTransfer(KernelContext k);
}

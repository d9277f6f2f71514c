package org.l3wb.kernel.ipc;

import org.l3wb.kernel.api.IpcOperation;

/**
 * The send part of one IPC once its destination's TCB is known: what the steps after
 * {@code CHECK_PARTNER} need, as one value.
 *
 * @param op       the operation; its receive part follows the send part
 * @param me       the sender's TCB (the current thread, unless a preempted transfer resumes)
 * @param dest     the destination's TCB
 * @param partner  the destination's uid ({@link Uid}): a call then waits for the reply of this thread (5.3.2)
 * @param source   what the receiver gets in EDX+ESI as Table 6's "source thread id": our uid under
 *                 l3, what the mechanism says instead (a reply index under ports, 7.1)
 * @param in       the sender's parameters (Table 6), as it passed them
 */
record SendPart(IpcOperation op, int me, int dest, long partner, long source,
                IpcRegisters in) {
}

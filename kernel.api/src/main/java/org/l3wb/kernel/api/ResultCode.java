package org.l3wb.kernel.api;

/** What an IPC returns in EAX (paper Table 6, "result code"). */
public enum ResultCode {
    /** The message was transferred. */
    OK,
    /** The destination does not exist or its uid is stale. */
    NO_PARTNER,
    /** The receiver was not ready within the send timeout. */
    SEND_TIMEOUT,
    /** No message arrived within the receive timeout. */
    RECEIVE_TIMEOUT,
    /** The partner was deleted while this thread waited for it. */
    CANCELLED,
    /** The message did not fit the receive buffer; what fits was delivered, nothing past it written. */
    MESSAGE_CUT,
    /** A thread sent to itself (checked only when the destination is not ready, 5.5.5). */
    SEND_TO_SELF,
    /** The dope vector is malformed (current above maximum, or beyond the paper's limits). */
    INVALID_DOPE,
    /** A message or buffer address lies outside user space or is not mapped. */
    INVALID_BUFFER,
    /**
     * No IPC mechanism is registered with the kernel: the system call did nothing. (A thread whose send
     * part completed while it was not running, and whose receive part was to start when it next ran,
     * gets this for the receive part alone, as it would get {@link #RECEIVE_TIMEOUT}.)
     */
    NO_MECHANISM;

    private static final ResultCode[] ALL = values();

    /** @return the value in EAX */
    public int code() {
        return ordinal();
    }

    /** @return the result code a register value stands for */
    public static ResultCode of(int code) {
        ResultCode[] all = ALL;
        if (code < 0 || code >= all.length) {
            throw new IllegalArgumentException("no IPC result code " + code);
        }
        return all[code];
    }
}

package org.l3wb.kernel.api;

/** The IPC system calls (5.2.1); the vector of the INT selects one. */
public enum IpcOperation {
    /** Send to the destination and return. */
    SEND,
    /** Receive from the given source (EDX/ESI), or from anyone when it is nil. */
    RECEIVE,
    /** Send to the destination, then receive from it: one system call per RPC direction. */
    CALL,
    /** Send (the reply) to the destination, then receive from anyone. */
    REPLY_AND_RECEIVE_NEXT;

    /** INT vector of the first operation; the others follow. */
    public static final int FIRST_VECTOR = 0x30;

    public int vector() {
        return FIRST_VECTOR + ordinal();
    }
}

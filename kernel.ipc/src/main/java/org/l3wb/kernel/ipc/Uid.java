package org.l3wb.kernel.ipc;

/**
 * A thread's uid as the IPC path holds it: one {@code long}, the low word (EDX) in its low 32 bits and
 * the high word (ESI) in its high 32 bits, as a pair of registers holds it, not a {@code ThreadId}
 * object: the path runs for every simulated IPC and allocates nothing for its uids.
 */
final class Uid {
    /** The nil uid: a receive from it takes any sender. */
    static final long NIL = 0L;

    private Uid() {
    }

    static long of(int low, int high) {
        return (long) high << 32 | (low & 0xFFFF_FFFFL);
    }

    static int low(long uid) {
        return (int) uid;
    }

    static int high(long uid) {
        return (int) (uid >>> 32);
    }
}

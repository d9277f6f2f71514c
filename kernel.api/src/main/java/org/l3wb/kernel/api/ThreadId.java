package org.l3wb.kernel.api;

/**
 * A 64-bit thread uid (paper 5.3.1): the low word holds the thread number so that masking it and
 * adding the TCB array base gives the TCB address; the high word holds generation (time
 * uniqueness), station and chief, and the whole uid is checked against the one stored in the TCB.
 *
 * <pre>
 *  low  word: thread number x {@link Tcb#SIZE} (task x threads-per-task + local thread, pre-shifted so
 *             that "and mask, add base" is the whole TCB address computation)
 *  high word: bits 31..16 generation (at least 1), bits 15..8 station, bits 7..0 chief
 * </pre>
 *
 * @param low  the word passed in EDX
 * @param high the word passed in ESI
 */
public record ThreadId(int low, int high) {
    /** The uid no thread has; a receive from NIL is a receive from any sender. */
    public static final ThreadId NIL = new ThreadId(0, 0);

    /** @return the uid of thread {@code threadNumber} in its {@code generation} on station 0 */
    public static ThreadId of(int threadNumber, int generation, int chief) {
        return new ThreadId(threadNumber * Tcb.SIZE, (generation & 0xFFFF) << 16 | (chief & 0xFF));
    }

    public int threadNumber() {
        return low >>> Integer.numberOfTrailingZeros(Tcb.SIZE);
    }

    public int generation() {
        return high >>> 16;
    }

    public int station() {
        return (high >>> 8) & 0xFF;
    }

    public int chief() {
        return high & 0xFF;
    }

    public boolean isNil() {
        return low == 0 && high == 0;
    }

    /** @return the uid as one long: high word above low word */
    public long value() {
        return (long) high << 32 | (low & 0xFFFF_FFFFL);
    }

    @Override
    public String toString() {
        return isNil() ? "nil" : "thread " + threadNumber() + "." + generation();
    }
}

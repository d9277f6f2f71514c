package org.l3wb.kernel.api;

/**
 * An IPC timeout (paper 5.3.3): 0 (fail at once unless the partner is ready), infinite, or t ms, at
 * most 2^31 ms. Send and receive timeouts travel together in EDI, send timeout in the high half:
 * each half is 0 for zero, 0xFFFF for infinite, otherwise a mantissa m (bits 11..0) and exponent e
 * (bits 15..12) meaning m x 4^e ms.
 *
 * @param ms milliseconds, or {@code -1} for infinite
 */
public record Timeout(long ms) {
    public static final Timeout ZERO = new Timeout(0);
    public static final Timeout NEVER = new Timeout(-1);
    /** The paper's upper bound for a finite timeout. */
    public static final long MAX_MS = 1L << 31;

    public Timeout {
        if (ms < -1 || ms > MAX_MS) {
            throw new IllegalArgumentException("timeout must be 0.." + MAX_MS + " ms or infinite, got " + ms);
        }
    }

    public static Timeout ms(long ms) {
        return new Timeout(ms);
    }

    public boolean isInfinite() {
        return ms < 0;
    }

    /** @return the 16-bit encoding */
    public int encode() {
        if (ms < 0) {
            return 0xFFFF;
        }
        long m = ms;
        int e = 0;
        while (m > 0xFFF) {
            m = (m + 3) >>> 2;
            e++;
        }
        return e << 12 | (int) m;
    }

    /** @return the timeout a 16-bit encoding stands for */
    public static Timeout decode(int bits) {
        bits &= 0xFFFF;
        if (bits == 0xFFFF) {
            return NEVER;
        }
        return new Timeout(Math.min(MAX_MS, (long) (bits & 0xFFF) << (2 * (bits >>> 12))));
    }

    /** @return EDI for a send and a receive timeout */
    public static int pair(Timeout send, Timeout receive) {
        return send.encode() << 16 | receive.encode();
    }

    @Override
    public String toString() {
        return ms < 0 ? "never" : ms + " ms";
    }
}

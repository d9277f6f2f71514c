package org.l3wb.hw.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The cache hierarchy behind the processor: a set-associative on-chip cache (unified; the i486's is
 * write-through, no write-allocate), a direct-mapped external cache, DRAM and the write buffer, each
 * present as the model's {@link ProcessorModel#memoryUnits()} say. It holds tags only;
 * the bytes live in {@link PhysicalMemory}, which write-through keeps current. Each access charges its
 * stall cycles to the machine's statistics and counts hits and misses there, misses split into
 * compulsory (first touch since the cache was last empty), capacity (a fully associative cache of the
 * same size would also miss) and conflict (it would not).
 */
@ProviderType
public interface Cache {
    /** Reads (or fetches) the line holding {@code phys}, filling it on a miss. */
    void read(int phys);

    /** Writes through: updates a hit line's recency and queues the write in the write buffer. */
    void write(int phys);

    /**
     * Simulates {@code times} more of the item pairs a string move just made: each {@code cyclesEach}
     * cycles (charged here, as the write buffer's timing depends on them), then a read of the line
     * holding {@code src}, then a write to {@code dst}, if the cache can tell that the reads hit the
     * line of the last access and the writes change no on-chip state. Each write still enters the
     * write buffer at its own time, with its own stall. The data is the caller's.
     *
     * @return whether it simulated them; if not, nothing changed and the caller reads and writes each one
     * @since 2.1
     */
    default boolean readWriteAgain(int src, int dst, int times, int cyclesEach) {
        return false;
    }

    /**
     * WBINVD: writes every dirty on-chip line back (a write-back cache; each write-back is one line
     * transfer on the bus, the processor waiting for all of them), then invalidates every on-chip
     * line. The external cache keeps its contents.
     */
    void flush();

    /**
     * @return number of dirty on-chip lines (always 0 in a write-through cache)
     * @since 1.1
     */
    int dirtyLines();

    /** Invalidates the external cache too. */
    void flushExternal();

    /** @return number of valid on-chip lines */
    int validLines();

    /** @return whether the on-chip cache holds the line containing {@code phys} */
    boolean holds(int phys);

    /** @return the on-chip cache's shape */
    CacheGeometry geometry();

    /** Waits until the write buffer is empty, charging the stall. */
    void drainWriteBuffer();
}

package org.l3wb.hw.api;

/**
 * Timing of what lies behind the on-chip cache: the board's external cache, its DRAM and the
 * processor's write buffer. The paper fixes none of these; a processor model documents where its
 * values come from. All cycle counts are in processor clock cycles.
 *
 * @param memoryBytes            installed DRAM, a power of two (the paper's PC has 16 MB)
 * @param externalCacheBytes     external (second-level) cache size, a power of two; direct mapped,
 *                               with lines as long as the on-chip cache's
 * @param externalFillCycles     stall to fill one on-chip line from the external cache
 * @param dramFillCycles         stall to fill one on-chip line from DRAM (external cache miss)
 * @param writeBufferEntries     depth of the processor's write buffer (the i486 has 4)
 * @param externalWriteCycles    bus cycles one buffered write occupies when it hits the external cache
 * @param dramWriteCycles        bus cycles one buffered write occupies when it goes to DRAM
 */
public record MemoryTiming(int memoryBytes, int externalCacheBytes, int externalFillCycles, int dramFillCycles,
                           int writeBufferEntries, int externalWriteCycles, int dramWriteCycles) {
    /** Rejects impossible settings, naming them. */
    public MemoryTiming {
        Geometry.powerOfTwo("memory.memoryBytes", memoryBytes);
        if (memoryBytes < (1 << 20)) {
            throw new IllegalArgumentException("memory.memoryBytes must be at least 1 MB, got " + memoryBytes);
        }
        Geometry.powerOfTwo("memory.externalCacheBytes", externalCacheBytes);
        Geometry.positive("memory.externalFillCycles", externalFillCycles);
        Geometry.positive("memory.dramFillCycles", dramFillCycles);
        Geometry.positive("memory.writeBufferEntries", writeBufferEntries);
        Geometry.positive("memory.externalWriteCycles", externalWriteCycles);
        Geometry.positive("memory.dramWriteCycles", dramWriteCycles);
    }
}

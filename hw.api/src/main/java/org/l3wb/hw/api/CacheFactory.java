package org.l3wb.hw.api;

import org.osgi.annotation.versioning.ProviderType;

/** Service creating memories and cache hierarchies; one of each per machine. */
@ProviderType
public interface CacheFactory {
    /** @return zeroed DRAM of {@code timing.memoryBytes()} */
    PhysicalMemory createMemory(MemoryTiming timing);

    /**
     * @return a cold cache hierarchy: on-chip cache of the given shape, external cache, DRAM timing
     * and write buffer as {@code timing} says
     */
    Cache createCache(CacheGeometry onChip, MemoryTiming timing, Statistics statistics);
}

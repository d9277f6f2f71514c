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

    /**
     * @return a cold cache hierarchy as {@code model} declares it: the parts present
     * ({@link ProcessorModel#memoryUnits()}), the on-chip cache's shape, write policy and replacement,
     * and the board's timing
     * @since 1.1
     */
    Cache createCache(ProcessorModel model, Statistics statistics);
}

package org.l3wb.hw.api;

/**
 * Parts of the memory system a processor or its board may lack ({@link ProcessorModel#memoryUnits()}).
 * An absent part is absent: no lookups, no hits, no cycles of its own.
 */
public enum MemoryUnit {
    /** The on-chip cache (the 386 has none: every access is a bus cycle). */
    ON_CHIP_CACHE,
    /** The board's external (second-level) cache: without it every line fill comes from DRAM. */
    EXTERNAL_CACHE,
    /** The processor's write buffer: without it every bus write stalls the processor until it is done. */
    WRITE_BUFFER
}

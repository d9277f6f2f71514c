package org.l3wb.hw.cpu486;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Settings of an i486 model and its board. Memory timings are given in nanoseconds, as a board's
 * data sheet would, and turned into cycles at the model's clock, so the DX-33 and DX-50 share one
 * board description. The values are the workbench's documented assumptions (see hw.cpu486/readme.md);
 * the paper fixes none of them.
 */
@ObjectClassDefinition(name = "i486 processor model",
        description = "Clock, caches and board timing of an Intel 486 DX machine")
@interface I486Config {
    @AttributeDefinition(description = "Processor clock in MHz; simulated us = cycles / clock")
    int clockMHz() default 50;

    @AttributeDefinition(description = "Installed DRAM in bytes (the paper's PC: 16 MB)")
    int memoryBytes() default 16 << 20;

    @AttributeDefinition(description = "External (second-level) cache in bytes (the paper's PC: 256 KB)")
    int externalCacheBytes() default 256 << 10;

    @AttributeDefinition(description = "Time to fill one on-chip line from the external cache, ns (3-2-2-2 burst at 20 ns)")
    int externalFillNs() default 180;

    @AttributeDefinition(description = "Time to fill one on-chip line from DRAM, ns (8-4-4-4 burst at 20 ns, 70 ns DRAM)")
    int dramFillNs() default 400;

    @AttributeDefinition(description = "Bus time of one write that hits the external cache, ns (2 clocks + 2 wait states)")
    int externalWriteNs() default 80;

    @AttributeDefinition(description = "Bus time of one write to DRAM as the chipset posts it, ns (2 clocks + 2 wait states)")
    int dramWriteNs() default 80;

    @AttributeDefinition(description = "Write buffer depth (i486: 4)")
    int writeBufferEntries() default 4;

    @AttributeDefinition(description = "On-chip cache size in bytes (i486: 8192)")
    int cacheBytes() default 8192;

    @AttributeDefinition(description = "On-chip cache ways (i486: 4)")
    int cacheWays() default 4;

    @AttributeDefinition(description = "On-chip cache line size in bytes (i486: 16)")
    int cacheLineBytes() default 16;

    @AttributeDefinition(description = "TLB entries (i486: 32)")
    int tlbEntries() default 32;

    @AttributeDefinition(description = "TLB ways (i486: 4)")
    int tlbWays() default 4;
}

package org.l3wb.hw.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One simulated PC: processor, MMU, caches and memory sharing one {@link Statistics}. A machine is
 * single-threaded and deterministic: the same instruction stream on the same model gives the same
 * cycle count, bit for bit. Independent machines may run on different host threads.
 */
@ProviderType
public interface Machine {
    ProcessorModel model();

    Processor cpu();

    Mmu mmu();

    Cache cache();

    PhysicalMemory memory();

    Statistics statistics();

    /** @return simulated microseconds for {@code cycles} at the model's clock */
    default double micros(double cycles) {
        return cycles / model().clockMHz();
    }
}

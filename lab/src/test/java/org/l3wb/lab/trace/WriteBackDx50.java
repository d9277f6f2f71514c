package org.l3wb.lab.trace;

import org.l3wb.hw.api.CacheGeometry;
import org.l3wb.hw.api.InstructionCosts;
import org.l3wb.hw.api.MemoryTiming;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.TlbGeometry;
import org.l3wb.hw.api.WritePolicy;
import org.l3wb.hw.cpu486.StandardModels;

/**
 * A processor as a plugin would declare one: the DX-50 with its on-chip cache run write-back (writes
 * allocate lines, so a write may fill one and a victim be written back), at 66 MHz (a cycle is no
 * whole number of nanoseconds).
 */
final class WriteBackDx50 implements ProcessorModel {
    private final ProcessorModel dx50 = StandardModels.i486dx50();

    @Override
    public String name() {
        return "wb-dx66-test";
    }

    @Override
    public String description() {
        return "the DX-50's core and board, its cache write-back, at 66 MHz (lab.trace tests)";
    }

    @Override
    public int clockMHz() {
        return 66;
    }

    @Override
    public InstructionCosts costs() {
        return dx50.costs();
    }

    @Override
    public TlbGeometry tlb() {
        return dx50.tlb();
    }

    @Override
    public CacheGeometry onChipCache() {
        return dx50.onChipCache();
    }

    @Override
    public MemoryTiming memoryTiming() {
        return dx50.memoryTiming();
    }

    @Override
    public boolean hasSegments() {
        return dx50.hasSegments();
    }

    @Override
    public boolean taggedTlb() {
        return dx50.taggedTlb();
    }

    @Override
    public WritePolicy writePolicy() {
        return WritePolicy.WRITE_BACK_ALLOCATE;
    }

    @Override
    public String toString() {
        return name();
    }
}

package org.l3wb.lab.ipc;

import java.util.Set;

import org.l3wb.hw.api.CacheGeometry;
import org.l3wb.hw.api.Instruction;
import org.l3wb.hw.api.InstructionCosts;
import org.l3wb.hw.api.MemoryTiming;
import org.l3wb.hw.api.MemoryUnit;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.Replacement;
import org.l3wb.hw.api.Segmentation;
import org.l3wb.hw.api.TlbGeometry;
import org.l3wb.hw.api.WritePolicy;

/**
 * A model described as another with some answers changed: every {@link ProcessorModel} method returns
 * the base model's answer unless a subclass overrides it. The base's own answers are asked for, never
 * the interface's defaults, so a variant that changes nothing builds the base's machine and gives its
 * cycles. Used by section 7.4's {@link Hypothetical} processors and by {@link BoardVariant}.
 */
abstract class ModelVariant implements ProcessorModel {
    /** The model this one varies. */
    protected final ProcessorModel base;

    ModelVariant(ProcessorModel base) {
        this.base = base;
    }

    @Override
    public String name() {
        return base.name();
    }

    @Override
    public String description() {
        return base.description();
    }

    @Override
    public int clockMHz() {
        return base.clockMHz();
    }

    @Override
    public InstructionCosts costs() {
        return base.costs();
    }

    @Override
    public TlbGeometry tlb() {
        return base.tlb();
    }

    @Override
    public CacheGeometry onChipCache() {
        return base.onChipCache();
    }

    @Override
    public MemoryTiming memoryTiming() {
        return base.memoryTiming();
    }

    @Override
    public boolean hasSegments() {
        return base.hasSegments();
    }

    @Override
    public boolean taggedTlb() {
        return base.taggedTlb();
    }

    @Override
    public Segmentation segmentation() {
        return base.segmentation();
    }

    @Override
    public boolean globalPages() {
        return base.globalPages();
    }

    @Override
    public Set<Instruction> instructions() {
        return base.instructions();
    }

    @Override
    public Set<MemoryUnit> memoryUnits() {
        return base.memoryUnits();
    }

    @Override
    public WritePolicy writePolicy() {
        return base.writePolicy();
    }

    @Override
    public Replacement cacheReplacement() {
        return base.cacheReplacement();
    }

    @Override
    public Replacement tlbReplacement() {
        return base.tlbReplacement();
    }

    @Override
    public boolean writeProtect() {
        return base.writeProtect();
    }
}

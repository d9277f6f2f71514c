package org.l3wb.hw.cpu486;

import org.l3wb.hw.api.Cache;
import org.l3wb.hw.api.CacheFactory;
import org.l3wb.hw.api.CacheGeometry;
import org.l3wb.hw.api.InstructionCosts;
import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.MemoryTiming;
import org.l3wb.hw.api.Mmu;
import org.l3wb.hw.api.MmuFactory;
import org.l3wb.hw.api.PhysicalMemory;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.Statistics;
import org.l3wb.hw.api.TlbGeometry;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Builds machines: the 486 core of this bundle executes any {@link ProcessorModel}'s cost table, on
 * an MMU and a cache hierarchy from the {@link MmuFactory} and {@link CacheFactory} services.
 */
@Component(service = MachineFactory.class)
public class MachineFactoryComponent implements MachineFactory {
    private final MmuFactory mmus;
    private final CacheFactory caches;

    @Activate
    public MachineFactoryComponent(@Reference MmuFactory mmus, @Reference CacheFactory caches) {
        this.mmus = mmus;
        this.caches = caches;
    }

    @Override
    public Machine create(ProcessorModel model) {
        return assemble(model, mmus, caches);
    }

    static Machine assemble(ProcessorModel model, MmuFactory mmus, CacheFactory caches) {
        String name = model.name();
        try {
            if (model.clockMHz() <= 0) {
                throw new IllegalArgumentException("clockMHz must be positive, got " + model.clockMHz());
            }
            InstructionCosts costs = require(model.costs(), "costs");
            TlbGeometry tlb = require(model.tlb(), "tlb");
            CacheGeometry onChip = require(model.onChipCache(), "onChipCache");
            MemoryTiming timing = require(model.memoryTiming(), "memoryTiming");
            Statistics stats = new Statistics();
            PhysicalMemory memory = caches.createMemory(timing);
            Cache cache = caches.createCache(onChip, timing, stats);
            Mmu mmu = mmus.create(tlb, model.taggedTlb(), costs.tlbMiss(), memory, cache, stats);
            X86Processor cpu = new X86Processor(model, mmu, cache, memory, stats);
            return new SimulatedMachine(model, cpu, mmu, cache, memory, stats);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("processor " + name + ": " + e.getMessage(), e);
        }
    }

    private static <T> T require(T value, String setting) {
        if (value == null) {
            throw new IllegalArgumentException(setting + " is missing");
        }
        return value;
    }
}

package org.l3wb.hw.cpu486;

import org.l3wb.hw.api.Cache;
import org.l3wb.hw.api.CacheFactory;
import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.Mmu;
import org.l3wb.hw.api.MmuFactory;
import org.l3wb.hw.api.PhysicalMemory;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.Statistics;
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
        ProcessorModel.validate(model); // one message naming the setting; nothing built yet
        String name = model.name();
        try {
            Statistics stats = new Statistics();
            PhysicalMemory memory = caches.createMemory(model.memoryTiming());
            Cache cache = caches.createCache(model, stats);
            Mmu mmu = mmus.create(model, memory, cache, stats);
            X86Processor cpu = new X86Processor(model, mmu, cache, memory, stats);
            return new SimulatedMachine(model, cpu, mmu, cache, memory, stats);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("processor " + name + ": " + e.getMessage(), e);
        }
    }
}

package org.l3wb.hw.cache;

import java.util.Set;

import org.l3wb.hw.api.Cache;
import org.l3wb.hw.api.CacheFactory;
import org.l3wb.hw.api.CacheGeometry;
import org.l3wb.hw.api.MemoryTiming;
import org.l3wb.hw.api.MemoryUnit;
import org.l3wb.hw.api.PhysicalMemory;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.Statistics;
import org.osgi.service.component.annotations.Component;

/** Registers the cache hierarchy and DRAM models as the {@link CacheFactory} service. */
@Component(service = CacheFactory.class)
public class CacheFactoryComponent implements CacheFactory {
    @Override
    public PhysicalMemory createMemory(MemoryTiming timing) {
        return new Dram(timing);
    }

    @Override
    public Cache createCache(CacheGeometry onChip, MemoryTiming timing, Statistics statistics) {
        return new CacheHierarchy(onChip, timing, statistics);
    }

    @Override
    public Cache createCache(ProcessorModel model, Statistics statistics) {
        Set<MemoryUnit> units = model.memoryUnits();
        return new CacheHierarchy(model.onChipCache(), model.memoryTiming(), statistics,
                units.contains(MemoryUnit.ON_CHIP_CACHE), units.contains(MemoryUnit.EXTERNAL_CACHE),
                units.contains(MemoryUnit.WRITE_BUFFER), model.writePolicy(), model.cacheReplacement());
    }
}

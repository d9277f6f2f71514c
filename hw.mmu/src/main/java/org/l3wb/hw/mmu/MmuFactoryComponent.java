package org.l3wb.hw.mmu;

import org.l3wb.hw.api.Cache;
import org.l3wb.hw.api.Mmu;
import org.l3wb.hw.api.MmuFactory;
import org.l3wb.hw.api.PhysicalMemory;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.Statistics;
import org.l3wb.hw.api.TlbGeometry;
import org.osgi.service.component.annotations.Component;

/** Registers the 486 paging unit as the {@link MmuFactory} service. */
@Component(service = MmuFactory.class)
public class MmuFactoryComponent implements MmuFactory {
    @Override
    public Mmu create(TlbGeometry tlb, boolean tagged, int tlbMissCost, PhysicalMemory memory, Cache cache,
                      Statistics statistics) {
        return new PagingUnit(tlb, tagged, tlbMissCost, memory, cache, statistics);
    }

    @Override
    public Mmu create(ProcessorModel model, PhysicalMemory memory, Cache cache, Statistics statistics) {
        return new PagingUnit(model.tlb(), model.taggedTlb(), model.globalPages(), model.writeProtect(),
                model.tlbReplacement(), model.costs().tlbMiss(), memory, cache, statistics);
    }
}

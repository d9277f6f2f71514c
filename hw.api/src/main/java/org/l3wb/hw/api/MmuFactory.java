package org.l3wb.hw.api;

import org.osgi.annotation.versioning.ProviderType;

/** Service creating paging units; one per machine. */
@ProviderType
public interface MmuFactory {
    /**
     * @param tlb         the TLB's shape
     * @param tagged      whether entries are tagged by address space (CR3 loads then do not flush)
     * @param tlbMissCost cycles of a miss whose walk hits the cache
     * @param memory      where page tables live
     * @param cache       through which walks read page-directory and page-table entries
     * @param statistics  where misses and their cycles are counted
     */
    Mmu create(TlbGeometry tlb, boolean tagged, int tlbMissCost, PhysicalMemory memory, Cache cache,
               Statistics statistics);

    /**
     * @return a paging unit as {@code model} declares it: TLB shape and replacement, tags and global
     * pages, write protection and the miss cost from its cost table
     * @since 1.1
     */
    Mmu create(ProcessorModel model, PhysicalMemory memory, Cache cache, Statistics statistics);
}

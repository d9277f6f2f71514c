package org.l3wb.hw.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A processor a machine can be built from: clock, cost table, TLB and cache geometry, board timing.
 * Register an implementation as an OSGi service with the service property {@code name} equal to
 * {@link #name()}; the workbench lists it ({@code hw:processors}) and {@link MachineFactory} builds
 * machines from it. A bundle adding a processor needs nothing but this package.
 *
 * <pre>
 * &#64;Component(property = "name=i486dx66")
 * public class I486Dx66 implements ProcessorModel {
 *     public String name() { return "i486dx66"; }
 *     public String description() { return "Intel 486 DX2-66, clock-doubled 486 DX core"; }
 *     public int clockMHz() { return 66; }
 *     public InstructionCosts costs() { return new InstructionCosts(1, 1, 2, 1, 1, 1, 2, 3, 1, 3, 3, 5, 1, 1,
 *             71, 44, 36, 20, 4, 12, 9, 3, 12, 3, 9, 5, 11); }
 *     public TlbGeometry tlb() { return new TlbGeometry(32, 4); }
 *     public CacheGeometry onChipCache() { return new CacheGeometry(8192, 4, 16); }
 *     public MemoryTiming memoryTiming() { return new MemoryTiming(16 &lt;&lt; 20, 256 &lt;&lt; 10, 12, 26, 4, 5, 10); }
 *     public boolean hasSegments() { return true; }
 *     public boolean taggedTlb() { return false; }
 * }
 * </pre>
 */
@ConsumerType
public interface ProcessorModel {
    /** Service property carrying the model's name. */
    String NAME = "name";

    /** @return short unique name, e.g. {@code i486dx50} */
    String name();

    /** @return one line describing the processor and its board */
    String description();

    /** @return clock rate; simulated microseconds are cycles divided by it */
    int clockMHz();

    /** @return the cycles of each instruction when operands hit cache and TLB */
    InstructionCosts costs();

    /** @return the TLB's shape */
    TlbGeometry tlb();

    /** @return the on-chip cache's shape */
    CacheGeometry onChipCache();

    /** @return external cache, DRAM and write-buffer timing */
    MemoryTiming memoryTiming();

    /**
     * @return whether the processor has the 386 segment system: INT, IRET and segment loads read
     * descriptors from the GDT (paper 7.4 discusses a 486 without it)
     */
    boolean hasSegments();

    /**
     * @return whether TLB entries are tagged by address space, so that loading CR3 does not flush
     * the TLB (paper 5.2.3, "Different Processor")
     */
    boolean taggedTlb();
}

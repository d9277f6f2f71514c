package org.l3wb.hw.api;

import java.util.EnumSet;
import java.util.Set;

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
 *
 * <p>Since 1.1 a model also declares its capabilities, each a default method returning the i486's
 * behaviour, so a model written against 1.0 describes an i486 as before: {@link #segmentation()},
 * {@link #globalPages()}, {@link #instructions()}, {@link #memoryUnits()}, {@link #writePolicy()},
 * {@link #cacheReplacement()}, {@link #tlbReplacement()}, {@link #writeProtect()}. The machine reads
 * them once, when it is built, and {@link #validate} rejects impossible combinations.
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

    /**
     * @return how INT and IRET enter and leave the kernel; by default {@link Segmentation#PROTECTED_MODE}
     * when {@link #hasSegments()}, else no segments at the cost table's {@code intToInner} and
     * {@code iretToOuter} (a 1.0 model saying "no segments" keeps its cycles). Must agree with
     * {@link #hasSegments()}.
     * @since 1.1
     */
    default Segmentation segmentation() {
        return hasSegments() ? Segmentation.PROTECTED_MODE
                : Segmentation.none(costs().intToInner(), costs().iretToOuter());
    }

    /**
     * @return whether the TLB honours the page-table entries' {@link PageFlags#GLOBAL} bit: a global
     * entry matches in every address space and survives CR3 loads and flushes by tag (only
     * {@link Mmu#flushTlb()} removes it). The i486 has no global pages: false.
     * @since 1.1
     */
    default boolean globalPages() {
        return false;
    }

    /**
     * @return the optional instructions this processor has; executing another is an
     * {@link InvalidOpcode}. The i486: INVLPG and WBINVD (and flush by tag when its TLB is tagged).
     * @since 1.1
     */
    default Set<Instruction> instructions() {
        return taggedTlb() ? EnumSet.allOf(Instruction.class) : EnumSet.of(Instruction.INVLPG, Instruction.WBINVD);
    }

    /**
     * @return the parts of the memory system present; the i486 board has all of them
     * @since 1.1
     */
    default Set<MemoryUnit> memoryUnits() {
        return EnumSet.allOf(MemoryUnit.class);
    }

    /**
     * @return the on-chip cache's write policy; the i486: write-through, no write allocation
     * @since 1.1
     */
    default WritePolicy writePolicy() {
        return WritePolicy.WRITE_THROUGH_NO_ALLOCATE;
    }

    /**
     * @return which way of a full on-chip cache set is replaced; the i486: pseudo-LRU
     * @since 1.1
     */
    default Replacement cacheReplacement() {
        return Replacement.PSEUDO_LRU;
    }

    /**
     * @return which way of a full TLB set is replaced; the i486: pseudo-LRU
     * @since 1.1
     */
    default Replacement tlbReplacement() {
        return Replacement.PSEUDO_LRU;
    }

    /**
     * @return whether supervisor-mode writes to read-only pages fault (the i486's CR0.WP, set here);
     * false models the 386, whose supervisor writes ignore the page's write bit
     * @since 1.1
     */
    default boolean writeProtect() {
        return true;
    }

    /**
     * Checks that a model describes a processor that can exist, reading each of its settings once.
     *
     * @throws IllegalArgumentException with ONE message {@code processor NAME: SETTING ...} naming the
     * first impossible setting: a missing value, a zero clock, a cache line larger than a page, a
     * tagged TLB without a flush by tag, a write-back cache without WBINVD or without an on-chip
     * cache, segmentation contradicting {@link #hasSegments()}
     * @since 1.1
     */
    static void validate(ProcessorModel model) {
        String name = model.name();
        try {
            if (model.clockMHz() <= 0) {
                throw new IllegalArgumentException("clockMHz must be positive, got " + model.clockMHz());
            }
            require(model.costs(), "costs");
            TlbGeometry tlb = require(model.tlb(), "tlb");
            CacheGeometry onChip = require(model.onChipCache(), "onChipCache");
            require(model.memoryTiming(), "memoryTiming");
            if ((long) tlb.sets() * tlb.ways() != tlb.entries()) {
                throw new IllegalArgumentException("tlb.entries must be sets x ways, got " + tlb.entries());
            }
            if (onChip.lineBytes() > PageFlags.PAGE_SIZE) {
                throw new IllegalArgumentException("onChipCache.lineBytes must not exceed the "
                        + PageFlags.PAGE_SIZE + "-byte page, got " + onChip.lineBytes());
            }
            Segmentation segmentation = require(model.segmentation(), "segmentation");
            if (segmentation.protectedMode() != model.hasSegments()) {
                throw new IllegalArgumentException("segmentation.protectedMode is " + segmentation.protectedMode()
                        + " but hasSegments() is " + model.hasSegments());
            }
            Set<Instruction> instructions = require(model.instructions(), "instructions");
            Set<MemoryUnit> units = require(model.memoryUnits(), "memoryUnits");
            WritePolicy policy = require(model.writePolicy(), "writePolicy");
            require(model.cacheReplacement(), "cacheReplacement");
            require(model.tlbReplacement(), "tlbReplacement");
            boolean tagged = model.taggedTlb();
            if (tagged && !instructions.contains(Instruction.FLUSH_TLB_TAG)) {
                throw new IllegalArgumentException("instructions: a tagged TLB needs FLUSH_TLB_TAG, "
                        + "since loading CR3 does not flush it");
            }
            if (!tagged && instructions.contains(Instruction.FLUSH_TLB_TAG)) {
                throw new IllegalArgumentException("instructions: FLUSH_TLB_TAG needs a tagged TLB (taggedTlb() is false)");
            }
            if (policy == WritePolicy.WRITE_BACK_ALLOCATE) {
                if (!units.contains(MemoryUnit.ON_CHIP_CACHE)) {
                    throw new IllegalArgumentException("writePolicy WRITE_BACK_ALLOCATE needs an on-chip cache "
                            + "(memoryUnits lacks ON_CHIP_CACHE)");
                }
                if (!instructions.contains(Instruction.WBINVD)) {
                    throw new IllegalArgumentException("writePolicy WRITE_BACK_ALLOCATE needs WBINVD in instructions, "
                            + "the only way to write dirty lines back");
                }
            }
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

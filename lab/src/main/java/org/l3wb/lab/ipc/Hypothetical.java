package org.l3wb.lab.ipc;

import java.util.EnumSet;
import java.util.Set;

import org.l3wb.hw.api.Instruction;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.Segmentation;

/**
 * Section 7.4's hypothetical processors as variants of a model: the same processor and board,
 * without the segment system, with a tagged TLB (and global pages), or both. A variant is a
 * description handed to the machine factory; it is never registered, so it appears in no
 * {@code hw:processors} list. Only the capabilities change: the savings are what the kernel and the
 * machine make of them, never an input.
 *
 * <p>Without segments, kernel entry and exit cost the i486's own real-address-mode clocks, where INT
 * and IRET read no descriptor: INT n 30, IRET 15 (Intel, i486 Microprocessor Programmer's Reference
 * Manual, 1990, instruction set chapter: INT n "real address mode 30", IRET "real address mode 15").
 * Paper 7.4: "a 486-compatible processor without the segment system", so these are the figures of a
 * 486 core entering and leaving without descriptors.
 */
public final class Hypothetical extends ModelVariant {
    /** i486 INT n in real-address mode: no descriptor is read (i486 PRM). */
    public static final int I486_REAL_MODE_INT = 30;
    /** i486 IRET in real-address mode (i486 PRM). */
    public static final int I486_REAL_MODE_IRET = 15;

    /** The four rows of {@code lab:hypothetical}: the model, and which of 7.4's changes each variant makes. */
    public enum Change {
        /** The model as it is. */
        NONE("base", false, false),
        /** No segment system: INT/IRET at the real-mode clocks, no descriptors, no segment checks. */
        NO_SEGMENTS("no_segments", true, false),
        /** A TLB tagged by address space (multi-address-space TLB) with global pages and flush by tag. */
        TAGGED_TLB("tagged_tlb", false, true),
        /** Both. */
        BOTH("both", true, true);

        private final String key;
        private final boolean noSegments;
        private final boolean tagged;

        Change(String key, boolean noSegments, boolean tagged) {
            this.key = key;
            this.noSegments = noSegments;
            this.tagged = tagged;
        }

        public String key() {
            return key;
        }

        /** @return the variant of {@code model} this change makes ({@code model} itself for {@link #NONE}) */
        public ProcessorModel of(ProcessorModel model) {
            return this == NONE ? model : new Hypothetical(model, noSegments, tagged);
        }
    }

    private final boolean noSegments;
    private final boolean tagged;

    private Hypothetical(ProcessorModel base, boolean noSegments, boolean tagged) {
        super(base);
        this.noSegments = noSegments || !base.hasSegments();
        this.tagged = tagged || base.taggedTlb();
    }

    @Override
    public String name() {
        return base.name() + (noSegments && base.hasSegments() ? "-noseg" : "")
                + (tagged && !base.taggedTlb() ? "-tagged" : "");
    }

    @Override
    public String description() {
        return base.description() + (noSegments ? "; without segments" : "") + (tagged ? "; tagged TLB, global pages" : "");
    }

    @Override
    public boolean hasSegments() {
        return !noSegments;
    }

    @Override
    public Segmentation segmentation() {
        if (!base.hasSegments()) {
            return base.segmentation();
        }
        return noSegments ? Segmentation.none(I486_REAL_MODE_INT, I486_REAL_MODE_IRET) : base.segmentation();
    }

    @Override
    public boolean taggedTlb() {
        return tagged;
    }

    @Override
    public boolean globalPages() {
        return tagged || base.globalPages();
    }

    @Override
    public Set<Instruction> instructions() {
        Set<Instruction> s = EnumSet.noneOf(Instruction.class);
        s.addAll(base.instructions());
        if (tagged) {
            s.add(Instruction.FLUSH_TLB_TAG);
        }
        return s;
    }
}

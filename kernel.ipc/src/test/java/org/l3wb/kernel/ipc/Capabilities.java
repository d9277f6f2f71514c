package org.l3wb.kernel.ipc;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.l3wb.hw.api.CacheGeometry;
import org.l3wb.hw.api.Instruction;
import org.l3wb.hw.api.InstructionCosts;
import org.l3wb.hw.api.MemoryTiming;
import org.l3wb.hw.api.MemoryUnit;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.Segmentation;
import org.l3wb.hw.api.TlbGeometry;
import org.l3wb.hw.api.WritePolicy;
import org.l3wb.hw.cpu486.StandardModels;

/**
 * A synthetic processor for tests: the i486 DX-50's cost table, geometry and board, with the
 * capabilities of hw.api 1.1 overridden (paper 7.4, "a different processor"). Nothing here is a
 * cycle figure of its own: every cost is the i486's.
 */
record Capabilities(boolean tagged, boolean global, boolean segments, boolean invlpg, boolean onChipCache,
                    boolean externalCache, boolean writeBack, boolean writeProtect) {

    /** The i486 as shipped. */
    static final Capabilities I486 = new Capabilities(false, false, true, true, true, true, false, true);

    Capabilities withTagged(boolean t, boolean g) {
        return new Capabilities(t, g, segments, invlpg, onChipCache, externalCache, writeBack, writeProtect);
    }

    Capabilities withSegments(boolean s) {
        return new Capabilities(tagged, global, s, invlpg, onChipCache, externalCache, writeBack, writeProtect);
    }

    Capabilities withInvlpg(boolean i) {
        return new Capabilities(tagged, global, segments, i, onChipCache, externalCache, writeBack, writeProtect);
    }

    Capabilities withCaches(boolean onChip, boolean external, boolean back) {
        return new Capabilities(tagged, global, segments, invlpg, onChip, external, back, writeProtect);
    }

    Capabilities withWriteProtect(boolean wp) {
        return new Capabilities(tagged, global, segments, invlpg, onChipCache, externalCache, writeBack, wp);
    }

    /** A 386-like processor as the 7.4 discussion sees it: no INVLPG, no supervisor write protection. */
    static final Capabilities I386_LIKE = I486.withInvlpg(false).withWriteProtect(false);

    /** The one the issue names: tagged TLB, no segments, no INVLPG. */
    static final Capabilities TAGGED_FLAT_NO_INVLPG = I486.withTagged(true, false).withSegments(false).withInvlpg(false);

    /**
     * Every combination of tagged (with or without global pages) x segments x INVLPG x on-chip cache
     * present x external cache present, plus write-back and no-write-protect variants of some.
     */
    static List<Capabilities> combinations() {
        List<Capabilities> all = new ArrayList<>();
        boolean[] tf = {false, true};
        for (int tlb = 0; tlb < 3; tlb++) {
            for (boolean seg : tf) {
                for (boolean inv : tf) {
                    for (boolean onChip : tf) {
                        for (boolean ext : tf) {
                            all.add(I486.withTagged(tlb > 0, tlb == 2).withSegments(seg).withInvlpg(inv)
                                    .withCaches(onChip, ext, false));
                        }
                    }
                }
            }
        }
        all.add(I486.withCaches(true, true, true));
        all.add(I486.withTagged(true, true).withSegments(false).withCaches(true, false, true));
        all.add(I386_LIKE);
        all.add(I386_LIKE.withTagged(true, false).withSegments(false));
        return all;
    }

    String name() {
        return (tagged ? (global ? "tagged+global" : "tagged") : (global ? "global" : "untagged"))
                + (segments ? "" : ",no-segments") + (invlpg ? "" : ",no-INVLPG")
                + (onChipCache ? "" : ",no-on-chip-cache") + (externalCache ? "" : ",no-external-cache")
                + (writeBack ? ",write-back" : "") + (writeProtect ? "" : ",no-WP");
    }

    @Override
    public String toString() {
        return name();
    }

    ProcessorModel model() {
        return model(StandardModels.i486dx50());
    }

    ProcessorModel model(ProcessorModel base) {
        Capabilities c = this;
        return new ProcessorModel() {
            @Override
            public String name() {
                return base.name() + "[" + c.name() + "]";
            }

            @Override
            public String description() {
                return "test processor: " + base.description() + " with " + c.name();
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
                return c.segments;
            }

            @Override
            public boolean taggedTlb() {
                return c.tagged;
            }

            @Override
            public Segmentation segmentation() {
                return c.segments ? Segmentation.PROTECTED_MODE
                        : Segmentation.none(base.costs().intToInner(), base.costs().iretToOuter());
            }

            @Override
            public boolean globalPages() {
                return c.global;
            }

            @Override
            public Set<Instruction> instructions() {
                Set<Instruction> s = EnumSet.of(Instruction.WBINVD);
                if (c.invlpg) {
                    s.add(Instruction.INVLPG);
                }
                if (c.tagged) {
                    s.add(Instruction.FLUSH_TLB_TAG);
                }
                return s;
            }

            @Override
            public Set<MemoryUnit> memoryUnits() {
                Set<MemoryUnit> s = EnumSet.of(MemoryUnit.WRITE_BUFFER);
                if (c.onChipCache) {
                    s.add(MemoryUnit.ON_CHIP_CACHE);
                }
                if (c.externalCache) {
                    s.add(MemoryUnit.EXTERNAL_CACHE);
                }
                return s;
            }

            @Override
            public WritePolicy writePolicy() {
                return c.writeBack ? WritePolicy.WRITE_BACK_ALLOCATE : WritePolicy.WRITE_THROUGH_NO_ALLOCATE;
            }

            @Override
            public boolean writeProtect() {
                return c.writeProtect;
            }
        };
    }
}

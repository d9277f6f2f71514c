package org.l3wb.kernel.core.testing;

import java.util.EnumSet;
import java.util.Set;

import org.l3wb.hw.api.CacheGeometry;
import org.l3wb.hw.api.Instruction;
import org.l3wb.hw.api.InstructionCosts;
import org.l3wb.hw.api.MemoryTiming;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.Segmentation;
import org.l3wb.hw.api.TlbGeometry;
import org.l3wb.hw.cpu486.StandardModels;

/**
 * Paper 7.4's different processor for tests: the i486 DX-50's costs and board with a TLB tagged by
 * address space (flush by tag, no global pages), no segments and no INVLPG, and (optionally) no
 * supervisor write protection. (kernel.ipc's tests combine every capability; this is the one model
 * each mechanism's tests also run on; shared through this test-jar.)
 */
public final class DifferentProcessor {
    private DifferentProcessor() {
    }

    public static ProcessorModel taggedFlatNoInvlpg() {
        ProcessorModel base = StandardModels.i486dx50();
        return new ProcessorModel() {
            public String name() {
                return "i486dx50-tagged-flat-no-invlpg";
            }

            public String description() {
                return base.description() + ", tagged TLB, no segments, no INVLPG, no write protection";
            }

            public int clockMHz() {
                return base.clockMHz();
            }

            public InstructionCosts costs() {
                return base.costs();
            }

            public TlbGeometry tlb() {
                return base.tlb();
            }

            public CacheGeometry onChipCache() {
                return base.onChipCache();
            }

            public MemoryTiming memoryTiming() {
                return base.memoryTiming();
            }

            public boolean hasSegments() {
                return false;
            }

            public boolean taggedTlb() {
                return true;
            }

            @Override
            public Segmentation segmentation() {
                return Segmentation.none(base.costs().intToInner(), base.costs().iretToOuter());
            }

            @Override
            public Set<Instruction> instructions() {
                return EnumSet.of(Instruction.WBINVD, Instruction.FLUSH_TLB_TAG);
            }

            @Override
            public boolean writeProtect() {
                return false;
            }
        };
    }
}

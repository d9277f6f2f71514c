package org.l3wb.lab.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.cpu386.I386Dx20;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.kernel.api.Switches;
import org.l3wb.lab.format.Table;

/**
 * Issue 9, items 3 and 5: Table 2 compares each processor with the paper's row for that processor
 * only; the 386 DX-20 runs the paper's ping-pong; section 7.4's variants save cycles by mechanism.
 */
class ProcessorFiguresTest {
    private static Experiments experiments(ProcessorModel model, int rounds) {
        return new Experiments(Lab.pingPong(), new PingPong.Config(model, "l3", "lazy", Switches.ALL_ON, 8, rounds, false));
    }

    private static Object cell(Table t, int row, String column) {
        return t.rows().get(row)[t.columns().indexOf(column)];
    }

    @Test
    void table2ComparesEachProcessorWithItsOwnRowOnly() {
        ProcessorModel dx66 = new ProcessorModelStub(StandardModels.i486dx50(), "i486dx66", 66);
        ProcessorModel dx50At33 = new ProcessorModelStub(StandardModels.i486dx50(), "x486dx33", 33);
        Table t = experiments(StandardModels.i486dx50(), 30).table2(List.of(new I386Dx20(), StandardModels.i486dx33(),
                StandardModels.i486dx50(), dx66, dx50At33, StandardModels.h486dx50()));
        assertEquals(60.0, cell(t, 0, "paper"));
        assertEquals(15.0, cell(t, 1, "paper"));
        assertEquals(10.0, cell(t, 2, "paper"));
        assertNull(cell(t, 3, "paper"), "no paper row for a DX2-66");
        assertNull(cell(t, 4, "paper"), "a 33 MHz processor that is not the paper's DX-33 has no paper row");
        assertNull(cell(t, 5, "paper"), "the hypothetical processor has no Table 2 row");
    }

    /**
     * The issue's target for Table 2's 386 row: the null RPC (two short IPCs) within 60 us +- 20 %. The
     * model is the manual's cost table and a cited board; see hw.cpu386/readme.md.
     */
    @Test
    void the386NullRpcIsWithinTheIssuesTolerance() {
        Table t = experiments(StandardModels.i486dx50(), 200).table2(List.of(new I386Dx20()));
        double rpc = (Double) cell(t, 0, "simulated");
        assertTrue(rpc >= 48 && rpc <= 72, "386/20 null RPC " + rpc + " us, target 60 us +- 20 %");
    }

    @Test
    void hypotheticalVariantsSaveCyclesAgainstTheirBase() {
        Table t = experiments(StandardModels.i486dx50(), 200).hypothetical();
        assertEquals(List.of("base", "no_segments", "tagged_tlb", "both"),
                t.rows().stream().map(r -> r[0]).toList());
        assertNull(cell(t, 0, "saving"));
        double noSegments = (Double) cell(t, 1, "saving");
        double tagged = (Double) cell(t, 2, "saving");
        double both = (Double) cell(t, 3, "saving");
        assertTrue(noSegments > 0, "no segments saves cycles: " + noSegments);
        assertTrue(tagged > 0, "a tagged TLB saves cycles: " + tagged);
        assertTrue(both > noSegments && both > tagged, "both save more than either: " + both);
        // issue 9's targets, reached by the kernel dropping its segment work and mapping its pages global
        // (the savings are outputs: nothing in the kernel or the models names 80, 45 or 125)
        assertTrue(Math.abs(noSegments - 80) <= 20, "segment saving " + noSegments + ", target 80 +- 20");
        assertTrue(Math.abs(tagged - 45) <= 12, "tagged-TLB saving " + tagged + ", target 45 +- 12");
        assertTrue(Math.abs(both - 125) <= 25, "both " + both + ", target 125 +- 25");
        // savings are differences of measured runs
        double base = (Double) cell(t, 0, "cycles_per_ipc");
        assertEquals(Math.round((base - (Double) cell(t, 3, "cycles_per_ipc")) * 10) / 10.0, both, 0.11);
        assertEquals(80.0, cell(t, 1, "paper_saving"));
        assertEquals(45.0, cell(t, 2, "paper_saving"));
        assertEquals(125.0, cell(t, 3, "paper_saving"));
        assertTrue((Double) cell(t, 2, "tlb_misses_per_ipc") < (Double) cell(t, 0, "tlb_misses_per_ipc"),
                "a tagged TLB keeps entries across CR3 loads");
    }

    @Test
    void hypotheticalVariantsAreValidAndUnregisteredDescriptions() {
        for (Hypothetical.Change c : Hypothetical.Change.values()) {
            ProcessorModel m = c.of(StandardModels.i486dx50());
            ProcessorModel.validate(m);
            assertEquals(c == Hypothetical.Change.NONE || c == Hypothetical.Change.TAGGED_TLB, m.hasSegments(), c.key());
        }
        assertEquals("i486dx50-noseg-tagged", Hypothetical.Change.BOTH.of(StandardModels.i486dx50()).name());
        // the shipped model is the same processor as the 'both' variant of the DX-50
        ProcessorModel shipped = StandardModels.h486dx50();
        ProcessorModel both = Hypothetical.Change.BOTH.of(StandardModels.i486dx50());
        assertEquals(both.segmentation(), shipped.segmentation());
        assertEquals(both.taggedTlb(), shipped.taggedTlb());
        assertEquals(both.globalPages(), shipped.globalPages());
        assertEquals(both.instructions(), shipped.instructions());
        assertEquals(both.costs(), shipped.costs());
        assertEquals(both.memoryTiming(), shipped.memoryTiming());
    }

    @Test
    void hypotheticalOnAnotherProcessorHasNoPaperColumn() {
        Table t = experiments(new I386Dx20(), 50).hypothetical();
        for (int i = 0; i < 4; i++) {
            assertNull(cell(t, i, "paper_saving"));
        }
    }

    /** Another processor with a given name and clock, otherwise {@code base}. */
    private record ProcessorModelStub(ProcessorModel base, String name, int clockMHz) implements ProcessorModel {
        public String description() {
            return name;
        }

        public org.l3wb.hw.api.InstructionCosts costs() {
            return base.costs();
        }

        public org.l3wb.hw.api.TlbGeometry tlb() {
            return base.tlb();
        }

        public org.l3wb.hw.api.CacheGeometry onChipCache() {
            return base.onChipCache();
        }

        public org.l3wb.hw.api.MemoryTiming memoryTiming() {
            return base.memoryTiming();
        }

        public boolean hasSegments() {
            return true;
        }

        public boolean taggedTlb() {
            return false;
        }
    }
}

package org.l3wb.lab.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;
import org.l3wb.lab.format.Table;

/** The paper's figures stand only beside runs of the paper's kernel (and, for Table 7, machine). */
class PaperColumnTest {
    private static Experiments experiments(String scheduler, Switches switches, org.l3wb.hw.api.ProcessorModel model) {
        return new Experiments(Lab.pingPong(), new PingPong.Config(model, "l3", scheduler, switches, 8, 30, false));
    }

    private static Object paperOf(Table t, int row) {
        return t.rows().get(row)[t.columns().indexOf("paper")];
    }

    @Test
    void theFullKernelOnTheDx50HasThePapersFigures() {
        Experiments e = experiments("lazy", Switches.ALL_ON, StandardModels.i486dx50());
        assertNotNull(paperOf(e.footprint(), 0));
        assertNotNull(paperOf(e.table2(List.of(StandardModels.i486dx50())), 0));
    }

    @Test
    void anotherKernelOrMachineHasNone() {
        Experiments twofold = experiments("lazy", Switches.allBut(Switch.DIRECT_TRANSFER), StandardModels.i486dx50());
        assertNull(paperOf(twofold.footprint(), 0));
        assertNull(paperOf(twofold.table2(List.of(StandardModels.i486dx50())), 0));
        assertNull(paperOf(twofold.ports(), 2), "ports_minus_l3");
        Experiments strict = experiments("strict", Switches.allBut(Switch.LAZY_SCHEDULING), StandardModels.i486dx50());
        assertNull(paperOf(strict.footprint(), 0));
        Experiments dx33 = experiments("lazy", Switches.ALL_ON, StandardModels.i486dx33());
        Table t7 = dx33.table7();
        assertEquals("l3", t7.rows().get(0)[1]);
        assertNull(paperOf(t7, 0), "Table 7 was measured on the DX-50");
        assertNotNull(paperOf(dx33.table2(List.of(StandardModels.i486dx33())), 0), "Table 2 has a DX-33 line");
    }
}

package org.l3wb.lab.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.kernel.api.Switches;
import org.l3wb.lab.format.Table;
import org.l3wb.lab.plot.Charts;
import org.l3wb.lab.plot.Plot;

/**
 * lab:sensitivity's runs: at the model's own board value they are the commands' figures bit for bit; another
 * value moves what it should; bad parameters and values fail in one line before anything runs.
 */
class SensitivityTest {
    private static final int ROUNDS = 10;
    private static final int FIGURE8_ROUNDS = 5;
    private static final ProcessorModel DX50 = StandardModels.i486dx50();

    private static PingPong.Config base(ProcessorModel model) {
        return new PingPong.Config(model, "l3", "lazy", Switches.ALL_ON, 8, ROUNDS, false);
    }

    /** @return the rows of {@code t} for value {@code v}, as the experiment printed them (size, column, ...) */
    private static List<Object[]> rowsAt(Table t, int v, String figure) {
        List<Object[]> rows = new ArrayList<>();
        for (Object[] r : t.rows()) {
            if (r[1].equals(v) && r[3].equals(figure)) {
                rows.add(r);
            }
        }
        return rows;
    }

    private static void assertSame(Table expected, List<Object[]> actual, int size, int column, String what) {
        assertEquals(expected.rows().size(), actual.size(), what);
        for (int i = 0; i < actual.size(); i++) {
            Object[] e = expected.rows().get(i);
            Object[] a = actual.get(i);
            assertArrayEquals(new Object[] {e[size], e[column], e[2], e[3], e[4], e[5]},
                    new Object[] {a[4], a[5], a[6], a[7], a[8], a[9]}, what + " row " + i);
        }
    }

    private static double simulated(Table t, int value, String key) {
        for (Object[] r : t.rows()) {
            if (r[1].equals(value) && Sensitivity.key(r).equals(key)) {
                return ((Number) r[6]).doubleValue();
            }
        }
        throw new AssertionError("no row " + key + " at " + value);
    }

    @Test
    void theModelsOwnValueReproducesTheCommandsFiguresAndASlowerWriteMovesTheSlope() {
        // the DX-50's board posts a write to DRAM in 80 ns (4 cycles): the model's own value
        assertEquals(4, DX50.memoryTiming().dramWriteCycles());
        Table t = new Sensitivity(Lab.MACHINES, Lab.KERNEL).run(base(DX50), "dramWriteNs", new int[] {80, 160},
                FIGURE8_ROUNDS, Experiments.Progress.NONE, phase -> { });
        Experiments plain = new Experiments(Lab.pingPong(), base(DX50));
        assertSame(plain.table7(false), rowsAt(t, 80, "table7"), 0, 1, "table7");
        assertSame(new Figure8(Lab.MACHINES, Lab.KERNEL).table(DX50, FIGURE8_ROUNDS), rowsAt(t, 80, "figure8"), 0, 1,
                "figure8");
        assertSame(plain.table1(), rowsAt(t, 80, "table1"), 1, 0, "table1");
        assertEquals("dramWriteCycles=4", t.rows().get(0)[2]);
        assertEquals("dramWriteCycles=8", rowsAt(t, 160, "table7").get(0)[2]);
        // section 6's per-byte slope is the posted write's (the receive buffer's lines are not in the external
        // cache, which allocates on reads): twice the write time, a much slower long message
        double at80 = simulated(t, 80, "table7 l3 4096");
        double at160 = simulated(t, 160, "table7 l3 4096");
        assertTrue(at160 > 1.5 * at80, "4 KB IPC: " + at80 + " us at 80 ns, " + at160 + " us at 160 ns");
        assertTrue(simulated(t, 160, "figure8 bare_copy 4096") > 1.5 * simulated(t, 80, "figure8 bare_copy 4096"));
        // the same table draws the same plot, byte for byte, with the followed figures in it
        Plot p = Charts.sensitivity(t, Sensitivity::key, Sensitivity.PLOTTED, "dramWriteNs", "dramWriteCycles=4",
                "i486dx50");
        assertTrue(p.svg().contains("table7 l3 4096"), "legend names the 4 KB IPC");
        // nine followed figures, eight colours: the ninth is the first one's hue darker, not the same blue
        assertEquals(9, Sensitivity.PLOTTED.size());
        java.awt.Color ninth = new java.awt.Color(0x1f77b4).darker();
        assertTrue(p.svg().contains("rgb(" + ninth.getRed() + "," + ninth.getGreen() + "," + ninth.getBlue() + ")"),
                "the first colour darker for the ninth series");
        assertEquals(p.svg(), Charts.sensitivity(t, Sensitivity::key, Sensitivity.PLOTTED, "dramWriteNs",
                "dramWriteCycles=4", "i486dx50").svg());
    }

    @Test
    void aVariantChangesOneSettingAndKeepsTheModel() {
        BoardVariant v = BoardVariant.of(DX50, "externalWriteNs", 60);
        assertEquals("externalWriteCycles=3", v.board(), "60 ns at 50 MHz: 3 cycles");
        assertEquals(DX50.memoryTiming().with("externalWriteCycles", 3), v.memoryTiming());
        assertEquals(DX50.name(), v.name(), "the same machine on another board assumption");
        assertEquals(DX50.costs(), v.costs());
        assertEquals(DX50.memoryTiming(), BoardVariant.of(DX50, "dramFillCycles", 20).memoryTiming(),
                "the model's own value: the model's timing");
        assertEquals("externalCacheBytes=131072", BoardVariant.of(DX50, "externalCacheBytes", 128 << 10).board());
        assertEquals(6, BoardVariant.of(StandardModels.i486dx33(), "externalFillNs", 180).memoryTiming()
                .externalFillCycles(), "converted at the model's clock");
    }

    @Test
    void badParametersAndValuesFailInOneLineNamingThem() {
        String unknown = assertThrows(IllegalArgumentException.class, () -> BoardVariant.of(DX50, "cacheWays", 2))
                .getMessage();
        assertEquals("unknown board parameter 'cacheWays' (one of memoryBytes, externalCacheBytes, externalFillCycles, "
                + "dramFillCycles, writeBufferEntries, externalWriteCycles, dramWriteCycles, externalFillNs, dramFillNs, "
                + "externalWriteNs, dramWriteNs)", unknown);
        assertEquals("board parameter externalCacheBytes cannot be 3000: memory.externalCacheBytes must be a positive "
                + "power of two, got 3000", assertThrows(IllegalArgumentException.class,
                        () -> Sensitivity.variants(DX50, "externalCacheBytes", new int[] {4096, 3000})).getMessage());
        assertEquals("board parameter dramWriteNs must be positive, got -5",
                assertThrows(IllegalArgumentException.class, () -> BoardVariant.of(DX50, "dramWriteNs", -5)).getMessage());
        assertEquals("--values: 'fast' is not a whole number",
                assertThrows(IllegalArgumentException.class, () -> Sensitivity.values("60, fast")).getMessage());
        assertEquals("--values: '' is not a whole number",
                assertThrows(IllegalArgumentException.class, () -> Sensitivity.values("60,,80")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sensitivity.values(" "));
        assertArrayEquals(new int[] {60, 80, 160}, Sensitivity.values("60, 80,160"));
    }
}

package org.l3wb.lab.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.kernel.api.Switches;
import org.l3wb.lab.format.Table;
import org.l3wb.lab.reference.PaperFigures;

/**
 * Table 7's Mach column on the simulated 486 DX-50 (kernel.mach, strict scheduling, the conventional
 * switch set of {@link Figure8#MACH_SWITCHES}).
 *
 * <p>The model follows the CMU Mach 3.0 sources instruction by instruction where they were read (locore's
 * trap path, the C routines of mach_msg's general send and receive paths as compiled C with frames and
 * arguments, splsched/splx, the kmsg cache and kalloc/zalloc, thread_go/thread_select/thread_invoke/
 * stack_handoff/switch_ktss, copyinmsg/copyoutmsg with its page-table write check) and lays the routines
 * out where gcc puts them in the compiled Mach objects, so the path's text spreads over the kernel as
 * it does in Mach (kernel.mach/readme.md). It measures about 83 us for 8 bytes against Table 7's 115 us
 * (-27 %) and about 341 us for 4096 bytes against 460 us (-26 %); between, the paper's column rises
 * faster (180 us at 128 bytes) than the model (93 us). No constant closes the gap (see the readme for
 * what is still missing). These assertions pin the measured values (5 %), keep every size below the
 * paper's, and check the slope between 512 and 4096 bytes: about 0.060 us per byte (Table 7's own:
 * 0.069; the paper's fitted "0.08 n"), two copies against l3's one, and Mach several times slower than l3.
 */
class MachTest {
    static final ProcessorModel DX50 = StandardModels.i486dx50();
    static final int ROUNDS = 30;
    /** Measured with this model (us per IPC), in the order of PaperFigures.TABLE7_SIZES. */
    static final double[] MEASURED = {83.5, 83.9, 93.1, 127.9, 151.3, 212.7, 341.5};

    static List<PingPong.Result> machColumn() {
        List<PingPong.Config> configs = new ArrayList<>();
        for (int size : PaperFigures.TABLE7_SIZES) {
            configs.add(Figure8.mach(DX50, size, ROUNDS));
        }
        return Parallel.map(configs, Lab.pingPong()::run);
    }

    @Test
    void machColumnIsTheMeasuredOneAndBelowThePapers() {
        List<PingPong.Result> r = machColumn();
        for (int i = 0; i < MEASURED.length; i++) {
            int size = PaperFigures.TABLE7_SIZES[i];
            double us = r.get(i).microsPerIpc();
            assertEquals(MEASURED[i], us, MEASURED[i] * 0.05, size + " bytes");
            // below Table 7's Mach value: the model leaves out what it does not know instruction by instruction
            assertTrue(us < PaperFigures.table7Mach(size), size + " bytes: " + us);
        }
        double slope = (r.get(6).microsPerIpc() - r.get(3).microsPerIpc()) / (4096 - 512);
        assertTrue(slope > 0.052 && slope < 0.068, "slope 512..4096: " + slope + " us/byte");
    }

    @Test
    void machIsSeveralTimesSlowerThanL3AndCopiesTwice() {
        PingPong p = Lab.pingPong();
        double l3Small = p.run(new PingPong.Config(DX50, "l3", "lazy", Switches.ALL_ON, 8, ROUNDS, false)).microsPerIpc();
        double l3Large = p.run(new PingPong.Config(DX50, "l3", "lazy", Switches.ALL_ON, 4096, ROUNDS, false))
                .microsPerIpc();
        double machSmall = p.run(Figure8.mach(DX50, 8, ROUNDS)).microsPerIpc();
        double machLarge = p.run(Figure8.mach(DX50, 4096, ROUNDS)).microsPerIpc();
        assertTrue(machSmall > 5 * l3Small, machSmall + " vs " + l3Small);
        assertTrue(machLarge > 2 * l3Large, machLarge + " vs " + l3Large);
        double machSlope = (machLarge - machSmall) / (4096 - 8);
        double l3Slope = (l3Large - l3Small) / (4096 - 8);
        assertTrue(machSlope > 1.8 * l3Slope, "twofold copy: " + machSlope + " vs " + l3Slope);
    }

    @Test
    void figure8HasEveryColumnBesideThePaper() {
        Table t = new Figure8(Lab.MACHINES, Lab.KERNEL).table(DX50, 5);
        assertEquals(PaperFigures.TABLE7_SIZES.length * Figure8.COLUMNS.length, t.rows().size());
        for (Object[] row : t.rows()) {
            assertTrue(row[3] != null, "paper value for " + row[0] + " " + row[1]);
            assertTrue(((Number) row[2]).doubleValue() > 0);
        }
        Object[] copy = t.rows().get(3);
        assertEquals("bare_copy", copy[1]);
        assertEquals(0.12, ((Number) copy[3]).doubleValue(), 1e-9);
    }
}

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
 * <p>The honest model misses the paper: it measures about 33 us for 8 bytes against Table 7's 115 us
 * (-71 %) and about 250 us for 4096 bytes against 460 us (-46 %). Every modelled step of Mach 3's path
 * is there (two full traps per IPC, kmsg copy in and out, name translation in both spaces, port
 * queues, strict scheduling with a continuation), but with a handful of instructions per routine; the
 * real NORMA MK13 path executes far more (the paper measured 18 us for the null mach_thread_self
 * trap alone, our general trap path costs a few us) and its text floods the 8 KB on-chip cache, which
 * this model's compact text does not (kernel.mach/readme.md). So these assertions pin the measured
 * values and the shape: a slope between 512 and 4096 bytes of about 0.054 us per byte (paper's Table 7:
 * 0.069; its fitted "0.08 n"), two copies against l3's one, and Mach several times slower than l3.
 */
class MachTest {
    static final ProcessorModel DX50 = StandardModels.i486dx50();
    static final int ROUNDS = 30;
    /** Measured with this model (us per IPC), in the order of PaperFigures.TABLE7_SIZES. */
    static final double[] MEASURED = {32.8, 33.0, 37.7, 55.1, 80.8, 129.8, 249.1};

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
        assertTrue(slope > 0.045 && slope < 0.065, "slope 512..4096: " + slope + " us/byte");
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

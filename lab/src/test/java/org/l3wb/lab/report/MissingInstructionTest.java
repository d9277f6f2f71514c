package org.l3wb.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.cpu386.I386Dx20;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.kernel.api.Switches;

/**
 * Issue 9's bad input: an experiment that needs an instruction the processor lacks says so in one line
 * (the Dash-style mechanism invalidates each moved page with INVLPG, which the 386 lacks), and
 * lab:report shows it skipped with that line while the other experiments run.
 */
class MissingInstructionTest {
    private static Setup on386() {
        return new Setup(TestBench.MACHINES, TestBench.KERNEL, new I386Dx20(), "l3", "lazy", Switches.ALL_ON,
                List.of(new I386Dx20(), StandardModels.i486dx50()));
    }

    @Test
    void dashOnA386IsOneLineNamingTheInstruction() {
        IllegalArgumentException e = assertThrows(Experiment.Unsupported.class, () -> Experiment.DASH.run(on386(), 5, null));
        String expected = "lab:dash cannot run on i386dx20: the kernel executes INVLPG, which i386dx20 lacks";
        // a kernel that reloads CR3 instead (as a 386 kernel does) makes the experiment run: then no message
        assertEquals(expected, e.getMessage());
    }

    @Test
    void theReportSkipsItWithThatLineAndRunsTheRest() {
        Report r = Report.run(on386(), TestBench.fewRounds(), ConsoleProgress.silent());
        assertEquals("lab:dash cannot run on i386dx20: the kernel executes INVLPG, which i386dx20 lacks",
                r.section(Experiment.DASH).skipped());
        for (Experiment e : List.of(Experiment.TABLE2, Experiment.HYPOTHETICAL, Experiment.TABLE7, Experiment.APPENDIX)) {
            assertNotNull(r.section(e).table(), e.key());
            assertNull(r.section(e).skipped(), e.key());
        }
    }
}

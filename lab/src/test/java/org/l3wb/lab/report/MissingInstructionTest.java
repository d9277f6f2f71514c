package org.l3wb.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.Instruction;
import org.l3wb.hw.api.InvalidOpcode;
import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.cpu386.I386Dx20;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.kernel.api.Switches;

/**
 * Issue 9's bad input: an experiment whose kernel executes an instruction the processor lacks says so in
 * one line, and lab:report shows it skipped with that line while the other experiments run. The kernel
 * itself adapts by mechanism (a 386 without INVLPG gets a whole-TLB flush), so on the shipped 386 every
 * experiment runs; the one-line path is driven by a machine that raises the invalid-opcode fault.
 */
class MissingInstructionTest {
    private static Setup on386(MachineFactory machines) {
        return new Setup(machines, TestBench.KERNEL, new I386Dx20(), "l3", "lazy", Switches.ALL_ON,
                List.of(new I386Dx20(), StandardModels.i486dx50()));
    }

    /** Builds no machine: the processor faults as a kernel path executing INVLPG on a 386 would. */
    private static final MachineFactory FAULTING = model -> {
        throw new InvalidOpcode(Instruction.INVLPG, model.name());
    };

    @Test
    void dashRunsOnA386BecauseTheKernelFlushesTheTlbInsteadOfInvlpg() {
        // Dash invalidates the moved pages through KernelContext.invalidatePages: a CR3 reload on a 386
        assertNotNull(Experiment.DASH.run(on386(TestBench.MACHINES), 5, null));
        Report r = Report.run(on386(TestBench.MACHINES), TestBench.fewRounds(), ConsoleProgress.silent());
        for (Experiment e : Experiment.values()) {
            if (!e.optional()) { // the board sensitivity runs when asked for only
                assertNull(r.section(e).skipped(), e.key());
            }
        }
    }

    @Test
    void anInvalidOpcodeIsOneLineNamingTheInstructionAndTheReportSkipsOnlyThat() {
        IllegalArgumentException e = assertThrows(Experiment.Unsupported.class,
                () -> Experiment.DASH.run(on386(FAULTING), 5, null));
        assertEquals("lab:dash cannot run on i386dx20: the kernel executes INVLPG, which i386dx20 lacks",
                e.getMessage());
        Report r = Report.run(on386(FAULTING), TestBench.fewRounds(), ConsoleProgress.silent());
        assertEquals("lab:dash cannot run on i386dx20: the kernel executes INVLPG, which i386dx20 lacks",
                r.section(Experiment.DASH).skipped());
    }
}

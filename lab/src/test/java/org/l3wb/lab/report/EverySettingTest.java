package org.l3wb.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;

/**
 * Issue 10, item 6: every experiment runs under every selection a user can make with one command
 * ({@code ipc:switches NAME=off}, {@code ipc:use NAME}, {@code ipc:scheduler strict}), so that
 * {@code lab:report} never fails because of what happens to be selected.
 */
class EverySettingTest {
    /** Each selection one command away from the defaults, by the command that makes it. */
    static Map<String, Setup> settings() {
        Map<String, Setup> s = new LinkedHashMap<>();
        for (Switch sw : Switch.values()) {
            boolean lazy = sw == Switch.LAZY_SCHEDULING;
            s.put("ipc:switches " + sw.key() + "=off", setup("l3", lazy ? "strict" : "lazy", Switches.allBut(sw)));
        }
        s.put("ipc:switches all=off", setup("l3", "strict", Switches.ALL_OFF));
        for (String m : TestBench.KERNEL.mechanisms()) { // every installed mechanism, whatever its name
            s.put("ipc:use " + m, setup(m, "lazy", Switches.ALL_ON));
        }
        s.put("ipc:scheduler strict", setup("l3", "strict", Switches.allBut(Switch.LAZY_SCHEDULING)));
        return s;
    }

    private static Setup setup(String mechanism, String scheduler, Switches switches) {
        return new Setup(TestBench.MACHINES, TestBench.KERNEL, StandardModels.i486dx50(), mechanism, scheduler,
                switches, List.of(StandardModels.i486dx33(), StandardModels.i486dx50()));
    }

    @Test
    void everyExperimentRunsUnderEverySelectionOrSaysInOneLineWhatItNeeds() {
        List<String> failures = new ArrayList<>();
        List<String> unsupported = new ArrayList<>();
        for (Map.Entry<String, Setup> s : settings().entrySet()) {
            for (Experiment e : Experiment.values()) {
                if (e.optional()) {
                    continue; // runs when lab:report is asked for it: ReportSectionsTest
                }
                String why = e.unsupported(s.getValue());
                try {
                    e.run(s.getValue(), e.defaultRounds() == 0 ? 0 : 4, null);
                    if (why != null) {
                        failures.add("after '" + s.getKey() + "', lab:" + e.key() + " ran though: " + why);
                    }
                } catch (IllegalArgumentException x) {
                    if (why == null || !why.equals(x.getMessage()) || why.contains("\n")) {
                        failures.add("after '" + s.getKey() + "', lab:" + e.key() + " failed: " + x.getMessage());
                    }
                    unsupported.add(s.getKey() + ": " + e.key());
                } catch (RuntimeException x) {
                    failures.add("after '" + s.getKey() + "', lab:" + e.key() + " failed: " + x.getMessage());
                }
            }
        }
        assertEquals(List.of(), failures, String.join("\n", failures));
        // what may not run: only the ping-pong's long messages under dash, which carries pages and short ones
        assertEquals(List.of("ipc:use dash: table7", "ipc:use dash: table1"), unsupported);
    }

    @Test
    void theReportSkipsWhatTheSelectionCannotRunAndSaysWhy() {
        Report r = Report.run(settings().get("ipc:use dash"), TestBench.fewRounds(), ConsoleProgress.silent());
        assertEquals("lab:table7 cannot run: IPC mechanism 'dash' carries pages and messages of up to 8 bytes in "
                + "registers only, not 4096-byte messages: select another (ipc:use l3)",
                r.section(Experiment.TABLE7).skipped());
        assertEquals(null, r.section(Experiment.DASH).skipped());
    }
}

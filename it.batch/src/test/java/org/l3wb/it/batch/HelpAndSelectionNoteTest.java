package org.l3wb.it.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l3wb.it.batch.WorkbenchProcess.Result;

/**
 * Issue 14, items 1 and 3, from the command line: {@code --help}, {@code -h} and {@code help} print the
 * usage and the workbench's commands grouped by scope; the interactive shell's banner, {@code exit},
 * {@code quit} and clear errors; selections that differ from the paper's configuration are named in one
 * stderr line (batch) and the prompt (shell), and {@code wb:reset} returns to it.
 */
class HelpAndSelectionNoteTest {
    @TempDir
    Path tmp;

    @Test
    void helpPrintsUsageAndTheWorkbenchsCommandsByScope() throws Exception {
        WorkbenchProcess workbench = new WorkbenchProcess(tmp.resolve("config"), tmp);
        for (String asked : List.of("--help", "-h", "help")) {
            Result r = workbench.run(asked);
            String what = asked + "\n" + r;
            assertEquals(0, r.exitStatus(), what);
            assertEquals(List.of(), r.stderr(), what);
            List<String> out = r.stdout();
            assertTrue(out.get(0).startsWith("L3 Workbench"), what);
            assertTrue(out.stream().anyMatch(l -> l.startsWith("usage: ./workbench ")), what);
            assertTrue(out.stream().anyMatch(l -> l.contains("WORKBENCH_JAVA_OPTS")), what);
            assertTrue(out.stream().anyMatch(l -> l.contains("plugins/")), what);
            assertTrue(out.stream().anyMatch(l -> l.contains("state/config/")), what);
            // each scope a header line, then its commands, one line each with the description they declare
            for (String scope : List.of("hw", "ipc", "lab", "wb")) {
                assertTrue(out.contains(scope), "scope " + scope + ": " + what);
            }
            assertTrue(out.indexOf("hw") < out.indexOf("ipc") && out.indexOf("ipc") < out.indexOf("lab"), what);
            assertTrue(out.stream().anyMatch(l -> l.matches("  lab:pingpong +ping-pong between two address spaces.*")),
                    what);
            assertTrue(out.stream().anyMatch(l -> l.matches("  wb:reset +return to the paper's configuration.*")), what);
            assertTrue(out.stream().anyMatch(l -> l.matches("  ipc:switches +show the Table 1 optimisation switches.*")),
                    what);
            // Gogo's own commands are left out
            assertFalse(out.stream().anyMatch(l -> l.contains("felix:lb") || l.contains("gogo:echo")
                    || l.contains("scr:list") || l.contains("cm:")), what);
        }
        // help COMMAND still shows one command's details (Gogo's felix:help)
        Result one = workbench.run("help lab:pingpong");
        assertEquals(0, one.exitStatus(), one::toString);
        assertTrue(one.out().contains("--size"), one::toString);
        assertTrue(one.out().contains("scope: lab"), one::toString);
    }

    @Test
    void differingSelectionsAreNamedOnStderrUntilReset() throws Exception {
        WorkbenchProcess workbench = new WorkbenchProcess(tmp.resolve("config"), tmp);
        Result paper = workbench.run("hw:processors --format csv");
        assertEquals(0, paper.exitStatus(), paper::toString);
        assertEquals(List.of(), paper.stderr(), "the paper's configuration: no note\n" + paper);

        Result tour = workbench.run("ipc:use ports", "ipc:switches direct=off");
        assertEquals(0, tour.exitStatus(), tour::toString);
        assertEquals(List.of(WorkbenchProcess.SELECTION_NOTE + "mechanism=ports (paper: l3), "
                + "switches.off=direct (paper: none); wb:reset returns to it"), tour.stderr(), tour::toString);
        assertFalse(tour.out().contains("note:"), "never on stdout\n" + tour);

        // the next run says so too, whatever it runs; a failing run keeps its one error line
        Result next = workbench.run("hw:use i486dx33", "ipc:scheduler strict", "ipc:mechanisms --format csv");
        assertEquals(0, next.exitStatus(), next::toString);
        assertEquals(List.of(WorkbenchProcess.SELECTION_NOTE + "processor=i486dx33 (paper: i486dx50), "
                + "mechanism=ports (paper: l3), scheduler=strict (paper: lazy), switches.off=direct (paper: none); "
                + "wb:reset returns to it"), next.stderr(), next::toString);
        Result failed = workbench.run("ipc:use nosuch");
        assertEquals(1, failed.exitStatus(), failed::toString);
        assertEquals(1, failed.stderr().size(), failed::toString);
        assertTrue(failed.stderr().get(0).startsWith("error: "), failed::toString);

        Result reset = workbench.run("wb:reset");
        assertEquals(0, reset.exitStatus(), reset::toString);
        assertEquals(List.of("selections reset: processor i486dx50, mechanism l3, scheduler lazy, switches off: none"),
                reset.stdout(), reset::toString);
        assertEquals(List.of(), reset.stderr(), reset::toString);
        Result after = workbench.run("hw:processors --format csv", "ipc:mechanisms --format csv",
                "ipc:switches --format csv");
        assertEquals(List.of(), after.stderr(), after::toString);
        assertEquals(List.of("i486dx50"), CsvTables.selected(after.stdout(), "selected,name,clock_mhz,description"));
        assertEquals(List.of("l3"), CsvTables.selected(after.stdout(), "selected,name"));
        assertEquals("on", CsvTables.switches(after.stdout()).get("direct"), after::toString);
        assertEquals("on", CsvTables.switches(after.stdout()).get("lazy"), after::toString);
    }

    @Test
    void theShellSaysHowToGetHelpAndLeaveShowsSelectionsAndClearErrors() throws Exception {
        WorkbenchProcess workbench = new WorkbenchProcess(tmp.resolve("config"), tmp);
        Result select = workbench.run("ipc:use ports");
        assertEquals(0, select.exitStatus(), select::toString);

        Result shell = workbench.shell("lab:pingpong --size abc\nwb:reset\nexit 3\n");
        String out = shell.out();
        assertEquals(3, shell.exitStatus(), "exit 3 ends the workbench with 3\n" + shell);
        assertTrue(out.contains("L3 Workbench"), shell::toString);
        assertTrue(out.contains("help lists the workbench's commands"), shell::toString);
        assertTrue(out.contains("exit or quit"), shell::toString);
        assertTrue(out.contains(WorkbenchProcess.SELECTION_NOTE + "mechanism=ports (paper: l3)"), "banner\n" + shell);
        assertTrue(out.contains("wb mechanism=ports> "), "prompt\n" + shell);
        assertTrue(out.contains("error: bad arguments for lab:pingpong: '--size abc' (help lab:pingpong lists its options)"),
                "batch mode's line\n" + shell);
        assertTrue(out.contains("selections reset:"), shell::toString);
        assertTrue(out.contains("wb> "), "prompt after the reset\n" + shell);
        assertFalse(out.contains("Cannot coerce exit"), shell::toString);

        for (String leave : List.of("quit\n", "exit\n")) {
            Result left = workbench.shell("hw:processors --format csv\n" + leave);
            assertEquals(0, left.exitStatus(), leave + left);
            assertTrue(left.out().contains("selected,name,clock_mhz,description"), leave + left);
            assertFalse(left.out().contains("Command not found"), leave + left);
            assertFalse(left.out().contains("Exception"), leave + left);
        }
    }
}

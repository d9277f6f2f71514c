package org.l3wb.it.batch;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.l3wb.it.batch.WorkbenchProcess.Result;

/**
 * Batch mode (issue 10, item 2): one argument is one command line, taken literally. Gogo syntax that
 * would give it another meaning (redirection, pipes, several statements, assignment, expansion,
 * closures, …) is refused with one {@code error:} line naming the construct, exit status 1, before
 * anything runs; quoted words stay allowed.
 */
class BatchSyntaxTest {
    @TempDir
    Path tmp;

    /** A refused line and what its error line must contain. */
    record Refused(String line, String construct) {
    }

    @Test
    void gogoSyntaxIsRefusedWithOneErrorLineAndNothingRuns() throws Exception {
        WorkbenchProcess workbench = new WorkbenchProcess(tmp.resolve("config"), tmp);
        Path file = Files.writeString(tmp.resolve("kept.txt"), "keep me");
        List<Refused> cases = List.of(
                new Refused("hw:processors > " + file, "'>'"),
                new Refused("hw:processors >> " + file, "'>>'"),
                new Refused("hw:processors | grep dx", "'|'"),
                new Refused("ipc:use ports ; ipc:use dash", "';'"),
                new Refused("ipc:use ports\nipc:use dash", "newline"),
                new Refused("ipc:switches =off", "'='"),
                new Refused("x=5", "'='"),
                new Refused("ipc:use $x", "'$'"),
                new Refused("ipc:use \"$x\"", "'$'"),
                new Refused("each [1 2] { ipc:use ports }", "'['"),
                new Refused("ipc:use (ipc:use ports)", "'('"),
                new Refused("ipc:use 'ports", "quote"));
        List<Executable> checks = new ArrayList<>();
        for (Refused c : cases) {
            checks.add(() -> {
                // a selection before the bad line: it must not run either (the line is refused before any runs)
                Result r = workbench.run("ipc:use dash", c.line());
                assertAll(c.line(),
                        () -> assertEquals(1, r.exitStatus(), r::toString),
                        () -> assertEquals(List.of(), r.stdout(), r::toString),
                        () -> assertEquals(1, r.stderr().size(), () -> "one line on stderr\n" + r),
                        () -> assertTrue(r.stderr().get(0).startsWith("error: "), r::toString),
                        () -> assertTrue(r.stderr().get(0).contains(c.construct()),
                                "error line names " + c.construct() + "\n" + r));
            });
        }
        assertAll(checks.stream());
        assertEquals("keep me", Files.readString(file), "a refused redirection leaves the file alone");

        // nothing ran: the mechanism is still the default, and ipc:switches still works
        Result after = workbench.run("ipc:mechanisms --format csv", "ipc:switches --format csv");
        assertEquals(0, after.exitStatus(), after::toString);
        assertEquals(List.of("l3"), CsvTables.selected(after.stdout(), "selected,name"), after::toString);
        assertEquals("on", CsvTables.switches(after.stdout()).get("direct"), after::toString);
        assertFalse(Files.exists(tmp.resolve("config/org/l3wb/workbench.config")), "nothing stored");
    }

    @Test
    void quotedWordsAndPlainArgumentsStillWork() throws Exception {
        WorkbenchProcess workbench = new WorkbenchProcess(tmp.resolve("config"), tmp);
        Result r = workbench.run("ipc:use 'ports'", "ipc:switches \"direct=off\" vtcb=off",
                "hw:processors --format csv", "ipc:mechanisms --format csv", "ipc:switches --format csv");
        assertEquals(0, r.exitStatus(), r::toString);
        assertEquals(List.of(), r.diagnostics(), r::toString);
        assertEquals(List.of("ports"), CsvTables.selected(r.stdout(), "selected,name"), r::toString);
        assertEquals("off", CsvTables.switches(r.stdout()).get("direct"), r::toString);
        assertEquals("off", CsvTables.switches(r.stdout()).get("vtcb"), r::toString);
    }
}

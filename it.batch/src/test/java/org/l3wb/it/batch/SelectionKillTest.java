package org.l3wb.it.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l3wb.it.batch.WorkbenchProcess.Result;

/**
 * Fault test (issue 10, item 9, selections): the workbench is killed with SIGKILL in the middle of
 * storing a selection, and nothing selected before is lost, nothing is mixed, and the next process
 * selects normally (the kill released the store's lock, its leftovers go).
 * <p>
 * The points come from the store's test hook {@code -Dl3wb.store.pause=POINT}: the store announces the
 * point on stderr and waits there; the test kills it on that line (no sleeps). {@code locked}: lock
 * taken, nothing written; {@code written}: the new file written and forced beside the old one, not yet
 * renamed; {@code moved}: renamed into place, lock still held. A second test kills a process that
 * selects in a loop after a varying number of its selections, without any hook.
 */
class SelectionKillTest {
    /** Hang guards only (a sound workbench starts and is killed in seconds), minutes on a loaded host. */
    private static final long TIMEOUT_SECONDS = 180;
    static final String PROCESSORS = "selected,name,clock_mhz,description";
    static final String[] LISTING = {
        "hw:processors --format csv", "ipc:mechanisms --format csv", "ipc:switches --format csv"
    };

    @TempDir
    Path tmp;

    @Test
    void aKillAtAnyPointOfStoringKeepsTheEarlierSelections() throws Exception {
        for (String point : List.of("locked", "written", "moved")) {
            Path dir = tmp.resolve(point);
            WorkbenchProcess workbench = new WorkbenchProcess(dir.resolve("config"), dir);
            Result before = workbench.run("hw:use i486dx33", "ipc:switches vtcb=off");
            assertEquals(0, before.exitStatus(), before::toString);

            Process p = bounded(workbench.start(List.of("-Dl3wb.store.pause=" + point), "ipc:use ports"));
            try {
                awaitLine(p.getErrorStream(), "l3wb.store: paused at " + point, p);
            } finally {
                p.destroyForcibly(); // SIGKILL on Unix
                p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            // killed before the rename: the old selection; after it: the new one. Never a mix, never none.
            assertSelection(workbench, point, point.equals("moved") ? "ports" : "l3");

            Result next = workbench.run("ipc:use dash");
            assertEquals(0, next.exitStatus(), () -> point + ": the lock died with the process\n" + next);
            assertSelection(workbench, point + ", then ipc:use dash", "dash");
            try (Stream<Path> files = Files.list(dir.resolve("config/org/l3wb"))) {
                assertEquals(List.of("workbench.config"), files.map(f -> f.getFileName().toString()).toList(),
                        point + ": the killed writer's temporary file is gone");
            }
        }
    }

    @Test
    void aKillAmidRepeatedSelectionsLosesNothing() throws Exception {
        WorkbenchProcess workbench = new WorkbenchProcess(tmp.resolve("config"), tmp);
        Result before = workbench.run("hw:use i486dx33", "ipc:switches vtcb=off");
        assertEquals(0, before.exitStatus(), before::toString);
        List<String> loop = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            loop.add(i % 2 == 0 ? "ipc:use ports" : "ipc:use l3");
        }
        for (int trial = 1; trial <= 6; trial++) {
            int killAfter = trial * 3; // selections printed before the kill
            Process p = bounded(workbench.start(List.of(), loop.toArray(String[]::new)));
            try {
                BufferedReader out = reader(p.getInputStream());
                for (int seen = 0; seen < killAfter;) {
                    String line = out.readLine();
                    if (line == null) {
                        fail("trial " + trial + ": the workbench ended after " + seen + " selections");
                    }
                    if (line.endsWith(" selected")) {
                        seen++;
                    }
                }
            } finally {
                p.destroyForcibly();
                p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            assertSelection(workbench, "trial " + trial, null);
        }
    }

    /** Lists the selection: readable, processor and switches as selected before, mechanism as expected. */
    private static void assertSelection(WorkbenchProcess workbench, String when, String mechanism) throws Exception {
        Result r = workbench.run(LISTING);
        String what = when + "\n" + r;
        assertEquals(0, r.exitStatus(), what);
        assertEquals(List.of(), r.diagnostics(), what);
        assertEquals(List.of("i486dx33"), CsvTables.selected(r.stdout(), PROCESSORS), what);
        List<String> mechanisms = CsvTables.selected(r.stdout(), "selected,name");
        if (mechanism != null) {
            assertEquals(List.of(mechanism), mechanisms, what);
        } else {
            assertTrue(mechanisms.equals(List.of("ports")) || mechanisms.equals(List.of("l3")), what);
        }
        Map<String, String> sw = CsvTables.switches(r.stdout());
        assertEquals("off", sw.get("vtcb"), what);
        assertEquals("on", sw.get("direct"), what);
    }

    /** A bound, not a synchronisation: a hung workbench is killed, and the reads waiting on it end. */
    private static Process bounded(Process p) {
        CompletableFuture.delayedExecutor(2 * TIMEOUT_SECONDS, TimeUnit.SECONDS).execute(p::destroyForcibly);
        return p;
    }

    /** Reads {@code in} until a line equal to {@code expected}; fails if the process ends first. */
    private static void awaitLine(InputStream in, String expected, Process p) throws IOException {
        BufferedReader r = reader(in);
        List<String> lines = new ArrayList<>();
        for (String line; (line = r.readLine()) != null;) {
            if (line.equals(expected)) {
                return;
            }
            lines.add(line);
        }
        fail("the workbench ended without '" + expected + "' on stderr: " + String.join("\n", lines));
    }

    private static BufferedReader reader(InputStream in) {
        return new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()));
    }
}

package org.l3wb.it.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l3wb.it.batch.WorkbenchProcess.Result;

/**
 * Selections under concurrency and damage (issue 10, item 3): what concurrent workbench processes select
 * all holds; a damaged store is reported with one {@code error:} line naming the file and how to reset,
 * and kept as it is; a store that cannot be written fails the selecting command with one line; stdout
 * carries nothing but command output.
 */
class SelectionStoreTest {
    static final String PROCESSORS = "selected,name,clock_mhz,description";
    static final String[] LISTING = {
        "hw:processors --format csv", "ipc:mechanisms --format csv", "ipc:switches --format csv"
    };

    @TempDir
    Path tmp;

    /**
     * Four processes started together each select one thing — two of them different switches, which
     * live in one property — and all four selections hold afterwards. Several trials, each from an empty
     * store (every process starts believing nothing is stored) and once more over an existing one.
     */
    @Test
    void selectionsOfConcurrentProcessesAllHold() throws Exception {
        String[] selections = {"ipc:use ports", "hw:use i486dx33", "ipc:switches direct=off", "ipc:switches vtcb=off"};
        ExecutorService pool = Executors.newFixedThreadPool(selections.length);
        try {
            for (int trial = 0; trial < 5; trial++) {
                Path dir = tmp.resolve("trial" + trial);
                WorkbenchProcess workbench = new WorkbenchProcess(dir.resolve("config"), dir);
                if (trial == 4) {
                    Result before = workbench.run("ipc:scheduler strict");
                    assertEquals(0, before.exitStatus(), before::toString);
                }
                List<Future<Result>> runs = new ArrayList<>();
                for (String s : selections) {
                    runs.add(pool.submit(() -> workbench.run(s)));
                }
                for (Future<Result> f : runs) {
                    Result r = f.get();
                    assertEquals(0, r.exitStatus(), r::toString);
                    assertEquals(List.of(), r.diagnostics(), r::toString);
                }
                Result after = workbench.run(LISTING);
                assertEquals(0, after.exitStatus(), after::toString);
                String trialName = "trial " + trial + "\n" + after;
                assertEquals(List.of("i486dx33"), CsvTables.selected(after.stdout(), PROCESSORS), trialName);
                assertEquals(List.of("ports"), CsvTables.selected(after.stdout(), "selected,name"), trialName);
                Map<String, String> sw = CsvTables.switches(after.stdout());
                assertEquals("off", sw.get("direct"), trialName);
                assertEquals("off", sw.get("vtcb"), trialName);
                assertEquals(trial == 4 ? "off" : "on", sw.get("lazy"), trialName);
                assertEquals("on", sw.get("condensed"), trialName);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDamagedStoreIsReportedAndKept() throws Exception {
        for (String damage : List.of("truncated", "garbled")) {
            Path dir = tmp.resolve(damage);
            WorkbenchProcess workbench = new WorkbenchProcess(dir.resolve("config"), dir);
            Result select = workbench.run("ipc:use ports", "hw:use i486dx33", "ipc:switches direct=off");
            assertEquals(0, select.exitStatus(), select::toString);
            Path file = dir.resolve("config/org/l3wb/workbench.config");
            byte[] whole = Files.readAllBytes(file);
            byte[] bad = damage.equals("truncated")
                    ? java.util.Arrays.copyOf(whole, whole.length * 2 / 3)
                    : new String(whole, "UTF-8").replace("ports", "po\u0000rts").replace('=', ':').getBytes("UTF-8");
            Files.write(file, bad);

            for (String[] commands : List.of(new String[] {"hw:processors"}, new String[] {"ipc:use dash"},
                    new String[] {"ipc:mechanisms --format json"})) {
                Result r = workbench.run(commands);
                String what = damage + " " + String.join(" ", commands) + "\n" + r;
                assertEquals(1, r.exitStatus(), what);
                assertEquals(List.of(), r.stdout(), what);
                assertEquals(1, r.stderr().size(), "one line on stderr: " + what);
                String line = r.stderr().get(0);
                assertTrue(line.startsWith("error: "), what);
                assertTrue(line.contains(file.toString()), "names the file: " + what);
                assertTrue(line.contains("delete"), "says how to reset: " + what);
                assertArrayEquals(bad, Files.readAllBytes(file), "the damaged file is kept as it was: " + what);
            }
            // the way back: delete it
            Files.delete(file);
            Result fresh = workbench.run(LISTING);
            assertEquals(0, fresh.exitStatus(), fresh::toString);
            assertEquals(List.of("l3"), CsvTables.selected(fresh.stdout(), "selected,name"), fresh::toString);
        }
    }

    /**
     * A store that cannot be created (a read-only checkout without state/; here a folder under a file,
     * which fails even for root): reading commands work, a selection fails with one line and exit 1, and
     * stdout has only command output (no stack trace in front of the JSON).
     */
    @Test
    void anUnwritableStoreFailsTheSelectionWithOneLine() throws Exception {
        Path file = Files.writeString(tmp.resolve("afile"), "not a folder");
        WorkbenchProcess workbench = new WorkbenchProcess(file.resolve("config"), tmp);

        Result list = workbench.run("ipc:mechanisms --format json");
        assertEquals(0, list.exitStatus(), list::toString);
        assertEquals(List.of(), list.diagnostics(), list::toString);
        assertEquals("[", list.stdout().get(0), "stdout is the JSON only\n" + list);
        assertEquals("]", list.stdout().get(list.stdout().size() - 1), list::toString);

        Result select = workbench.run("ipc:use ports");
        assertEquals(1, select.exitStatus(), select::toString);
        assertEquals(List.of(), select.stdout(), select::toString);
        assertEquals(1, select.stderr().size(), () -> "one line on stderr\n" + select);
        assertTrue(select.stderr().get(0).startsWith("error: "), select::toString);
        assertTrue(select.stderr().get(0).contains(file.toString()), "names where: " + select);
        assertEquals("not a folder", Files.readString(file));
        assertFalse(Files.isDirectory(file));
    }
}

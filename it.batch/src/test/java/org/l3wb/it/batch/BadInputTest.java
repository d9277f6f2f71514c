package org.l3wb.it.batch;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.l3wb.it.batch.WorkbenchProcess.Result;

/**
 * Bad input (issue 5): each case fails the batch with exit status 1 and exactly one line on stderr,
 * {@code error: …}, and changes no configuration.
 * <p>
 * One process per case (the first failure ends a batch), and no extra process to look at the state:
 * each case runs the listing commands first and its bad command last, so its stdout is the
 * configuration as the previous case left it; the first case's run makes the selection before its
 * listing, and a last run lists the configuration after the last case. Each listing
 * must equal the one before (so a failure names the one case that changed something), and the first
 * must show the selection made at the start (not the defaults, so a command that wrongly resets the
 * configuration is caught too).
 */
class BadInputTest {

    /** A bad command and what its error line must contain (after {@code error: }). */
    record Case(String command, String... messageContains) {
    }

    static final List<Case> CASES = List.of(
            new Case("hw:use i486dx66", "unknown processor 'i486dx66'", "i486dx50"),
            new Case("ipc:use amoeba", "unknown mechanism 'amoeba'", "l3"),
            new Case("ipc:scheduler fifo", "unknown scheduler 'fifo'", "lazy"),
            new Case("ipc:switches direct=off bogus=on", "unknown switch 'bogus'", "vtcb"),
            new Case("ipc:switches direct=maybe", "direct=maybe"),
            new Case("ipc:switches --format xml vtcb=on", "xml"),
            new Case("lab:pingpong --size -1", "-1"),
            new Case("lab:pingpong --size 4194305", "4194305"),
            new Case("lab:pingpong --bogus 1", "bad arguments for lab:pingpong: '--bogus 1'"),
            new Case("lab:pingpong --size 99999999999", "bad arguments for lab:pingpong: '--size 99999999999'"),
            new Case("hw:use", "bad arguments for hw:use"),
            new Case("lab:pingpong --format xml", "xml"),
            new Case("lab:pingpong --rounds 0", "rounds"),
            new Case("lab:pingpong --mechanism amoeba", "unknown mechanism 'amoeba'"),
            new Case("lab:syscall --rounds 0", "--rounds must be 1..10000000, got 0"),
            new Case("lab:syscall --format xml", "xml"));

    /** Not the defaults, so that a bad command resetting the configuration shows. */
    static final String[] SELECTION = {
        "ipc:use ports", "hw:use i486dx33", "ipc:scheduler strict", "ipc:switches condensed=off"
    };

    static final String PROCESSORS_HEADER = "selected,name,clock_mhz,description";

    static final String[] LISTING = {
        "hw:processors --format csv", "ipc:mechanisms --format csv", "ipc:schedulers --format csv",
        "ipc:switches --format csv"
    };

    @TempDir
    Path tmp;

    private WorkbenchProcess workbench;
    /** The listing the previous run printed: the configuration before the previous case. */
    private List<String> before;
    private String previous;

    @Test
    void badInputFailsWithOneErrorLineAndChangesNoConfiguration() throws Exception {
        workbench = new WorkbenchProcess(tmp.resolve("config"), tmp);
        previous = "the selection at the start";

        List<Executable> checks = new ArrayList<>();
        for (Case c : CASES) {
            checks.add(() -> check(c));
        }
        // an unwritable --out: a directory under a file fails even for root; nothing may appear
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path file = Files.writeString(out.resolve("afile"), "keep");
        checks.add(() -> check(new Case("lab:report --out " + file.resolve("sub"), "cannot write the report to")));
        checks.add(() -> {
            assertEquals("keep", Files.readString(file));
            try (Stream<Path> left = Files.list(out)) {
                assertEquals(List.of(file), left.toList(), "nothing left beside the file");
            }
        });
        // lab:report --sensitivity: a bad option fails in one line before the report's folder is touched
        Path sensitivity = tmp.resolve("sensitivity-report");
        checks.add(() -> check(new Case("lab:report --out " + sensitivity + " --sensitivity externalWriteNs",
                "--sensitivity must be NAME=a,b,c")));
        checks.add(() -> check(new Case("lab:report --out " + sensitivity + " --sensitivity bogus=1,2",
                "unknown board parameter 'bogus'")));
        checks.add(() -> check(new Case("lab:report --out " + sensitivity + " --sensitivity externalCacheBytes=1000",
                "board parameter externalCacheBytes cannot be 1000")));
        checks.add(() -> assertTrue(Files.notExists(sensitivity.getParent().resolve(".sensitivity-report.report.lock"))
                && Files.notExists(sensitivity), "nothing written for a bad --sensitivity"));
        checks.add(() -> {
            Result last = workbench.run(LISTING);
            assertEquals(0, last.exitStatus(), last::toString);
            assertEquals(List.of(), last.diagnostics(), last::toString);
            assertUnchanged(last.stdout());
        });
        assertAll(checks.stream());
    }

    private void check(Case c) throws Exception {
        boolean first = before == null;
        Result r = workbench.run(Stream.of(first ? SELECTION : new String[0], LISTING, new String[] {c.command()})
                .flatMap(Stream::of).toArray(String[]::new));
        // the listing: all of stdout, but after the selection's own output in the first run
        List<String> listing = first ? r.stdout().subList(Math.max(0, r.stdout().indexOf(PROCESSORS_HEADER)),
                r.stdout().size()) : r.stdout();
        if (first) {
            assertEquals(List.of("i486dx33"), CsvTables.selected(listing, PROCESSORS_HEADER), r::toString);
            assertEquals("off", CsvTables.switches(listing).get("condensed"), r::toString);
            assertEquals("off", CsvTables.switches(listing).get("lazy"), r::toString);
            before = listing;
        }
        try {
            assertAll(c.command(),
                    () -> assertEquals(1, r.exitStatus(), r::toString),
                    () -> assertEquals(1, r.stderr().size(), () -> "one line on stderr\n" + r),
                    () -> assertTrue(r.stderr().get(0).startsWith("error: "), r::toString),
                    () -> {
                        for (String part : c.messageContains()) {
                            assertTrue(r.stderr().get(0).contains(part), "error line lacks '" + part + "'\n" + r);
                        }
                    },
                    () -> assertUnchanged(listing));
        } finally {
            previous = c.command();
        }
    }

    /** Compares with the listing before the previous case, then takes {@code listing} as the new one. */
    private void assertUnchanged(List<String> listing) {
        List<String> was = before;
        before = listing;
        if (was == null) {
            return; // the first run failed before it listed anything: reported there
        }
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < Math.max(was.size(), listing.size()); i++) {
            String a = i < was.size() ? was.get(i) : "(none)";
            String b = i < listing.size() ? listing.get(i) : "(none)";
            if (!a.equals(b)) {
                changed.add(a + "  ->  " + b);
            }
        }
        assertEquals(List.of(), changed, "configuration changed by `" + previous + "`");
    }
}

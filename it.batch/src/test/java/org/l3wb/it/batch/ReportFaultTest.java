package org.l3wb.it.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 9 (reports): the workbench killed with SIGKILL at named points of {@code lab:report}
 * leaves the report folder holding the old complete report or the new complete one, never a mix, and
 * the next report removes what the killed one left. The writer stops at a point named by the system
 * property {@code org.l3wb.lab.report.stopAt} and says so on stderr; the test kills it on that line.
 */
class ReportFaultTest {
    /** Far above a small report's 5-20 s on a busy machine: only a hung run takes this long. */
    private static final long TIMEOUT_SECONDS = 300;
    private static final String STOP_AT = "org.l3wb.lab.report.stopAt";

    @TempDir
    Path tmp;

    private Path jar() {
        Path jar = Path.of(System.getProperty("workbench.jar", "../launcher/target/workbench.jar"))
                .toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(jar), "no " + jar + ": build it first");
        return jar;
    }

    private Process start(String stopAt, String... commands) throws IOException {
        Files.createDirectories(tmp.resolve("plugins"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dfelix.cm.dir=" + tmp.resolve("cm"),
                "-Dfelix.fileinstall.dir=" + tmp.resolve("plugins")));
        if (stopAt != null) {
            command.add("-D" + STOP_AT + "=" + stopAt);
        }
        command.addAll(List.of("-jar", jar().toString()));
        command.addAll(List.of(commands));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("_JAVA_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        return pb.start();
    }

    /** Runs a report to its end. */
    private void report(String out, int rounds) throws Exception {
        Process p = start(null, "lab:report --out " + out + " --rounds " + rounds);
        String err = new String(p.getErrorStream().readAllBytes(), Charset.defaultCharset());
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("lab:report did not end within " + TIMEOUT_SECONDS + " s");
        }
        assertEquals(0, p.exitValue(), err);
    }

    /** Starts a report that stops at {@code point}, and kills it (SIGKILL) once it says it is there. */
    private void killAt(String point, String out, int rounds) throws Exception {
        Process p = start(point, "lab:report --out " + out + " --rounds " + rounds);
        CompletableFuture<Void> there = new CompletableFuture<>();
        StringBuilder err = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(),
                    Charset.defaultCharset()))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (err) {
                        err.append(line).append('\n');
                    }
                    if (line.equals("lab:report stopped at " + point)) {
                        there.complete(null);
                    }
                }
                there.completeExceptionally(new IllegalStateException("stderr ended"));
            } catch (IOException e) {
                there.completeExceptionally(e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            there.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            p.destroyForcibly().waitFor();
            synchronized (err) {
                fail("lab:report never reached " + point + ": " + e + "\n" + err);
            }
        }
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally runs
        assertTrue(p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
    }

    /** @return every file of the report at {@code dir} (followed if a link) by name, with its SHA-256 */
    private static Map<String, String> contents(Path dir) throws IOException, NoSuchAlgorithmException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                m.put(p.getFileName().toString(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        }
        return m;
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aKillAtAnyPointLeavesTheOldCompleteReportOrTheNewNeverAMix() throws Exception {
        report("new-reference", 21);
        Map<String, String> newReport = contents(tmp.resolve("new-reference"));
        report("report", 20);
        Map<String, String> oldReport = contents(tmp.resolve("report"));
        assertFalse(oldReport.get("configuration.txt").equals(newReport.get("configuration.txt")));
        assertEquals(oldReport.keySet(), newReport.keySet());

        for (String point : List.of("staging", "staged", "linked")) {
            killAt(point, "report", 21);
            assertEquals(oldReport, contents(tmp.resolve("report")), "killed at " + point + ": the old report");
        }
        killAt("switched", "report", 21);
        assertEquals(newReport, contents(tmp.resolve("report")), "killed at switched: the new report");

        // the next report cleans up whatever the killed ones left beside it
        report("report", 20);
        assertEquals(oldReport, contents(tmp.resolve("report")));
        Path version = tmp.resolve("report").toRealPath();
        Path reference = tmp.resolve("new-reference").toRealPath();
        List<String> expected = new ArrayList<>(List.of("new-reference", "report",
                version.getFileName().toString(), reference.getFileName().toString()));
        expected.sort(null);
        // the workbench's own folders beside the reports (Config Admin's store appears only once
        // something is stored) are not the report's business
        assertEquals(expected, names().stream().filter(n -> !n.equals("cm") && !n.equals("plugins")).toList());
    }

    @Test
    void aKillWhileTakingOverTheEarlierLayoutLosesNothing() throws Exception {
        report("old", 20);
        Map<String, String> oldReport = contents(tmp.resolve("old"));
        Path dir = Files.createDirectory(tmp.resolve("report")); // the earlier layout: a real folder
        for (String name : oldReport.keySet()) {
            Files.copy(tmp.resolve("old").resolve(name), dir.resolve(name));
        }
        killAt("linked", "report", 21);
        assertTrue(Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS));
        assertEquals(oldReport, contents(dir));
        // between the two renames of the take-over, DIR is missing and the old report beside it, whole
        killAt("moved-old", "report", 21);
        assertFalse(Files.exists(dir, LinkOption.NOFOLLOW_LINKS));
        List<String> all = names();
        Path aside = all.stream().filter(n -> n.startsWith(".report.report-old-")).findFirst().map(tmp::resolve)
                .orElseThrow(() -> new AssertionError("no old report aside: " + all));
        assertEquals(oldReport, contents(aside));
        report("report", 21);
        assertTrue(Files.isSymbolicLink(dir));
        assertFalse(oldReport.get("configuration.txt").equals(contents(dir).get("configuration.txt")));
        assertFalse(Files.exists(aside));
    }
}

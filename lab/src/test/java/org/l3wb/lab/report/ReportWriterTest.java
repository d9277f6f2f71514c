package org.l3wb.lab.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;
import org.l3wb.lab.format.Table;

/** lab:report's files: all there, consistent, deterministic, and all or nothing. */
class ReportWriterTest {
    /** The test bench, the board sensitivity asked for (two values): every experiment runs. */
    static final Setup SETUP = TestBench.setup().with(BoardSensitivity.parse("externalWriteNs=60,80"));
    static Report report;
    static Path written;

    @TempDir
    static Path shared;

    @BeforeAll
    static void run() {
        report = Report.run(SETUP, TestBench.fewRounds(), ConsoleProgress.silent());
        written = shared.resolve("report");
        try (ReportWriter w = ReportWriter.open(written.toString())) {
            w.write(report);
        }
    }

    private static String read(Path dir, String name) throws IOException {
        return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
    }

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void everyExperimentRanAndEveryFileIsThereAndNothingElse() throws IOException {
        Set<String> expected = new TreeSet<>(ReportWriter.FIXED_FILES);
        for (Experiment e : Experiment.values()) {
            assertNotNull(report.section(e).table(), e.key() + " skipped: " + report.section(e).skipped());
            expected.add(e.key() + ".csv");
        }
        expected.addAll(List.of("figure8.svg", "figure8.png", "dash.svg", "dash.png", "cycles.svg", "cycles.png",
                "table1.svg", "table1.png", "table2.svg", "table2.png", "ports.svg", "ports.png",
                "appendix-kernel.json", "cycles.json", "syscall.svg", "syscall.png", "syscall.json",
                "sensitivity.svg", "sensitivity.png", "sensitivity.json"));
        assertEquals(36, expected.size(), "the report's files");
        assertEquals(expected, names(written)); // no staging directory left either
        for (String name : expected) {
            assertTrue(Files.size(written.resolve(name)) > 0, name);
        }
    }

    @Test
    void theHashIsTheSha256OfConfigurationTxtAndAppearsInHtmlAndJson() throws Exception {
        byte[] canonical = Files.readAllBytes(written.resolve("configuration.txt"));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        assertEquals(report.configuration().hash(), sha);
        assertTrue(new String(canonical, StandardCharsets.UTF_8).startsWith(Configuration.HEADER + "\n"));
        assertTrue(read(written, "index.html").contains(sha));
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(read(written, "report.json"));
        assertEquals(sha, json.get("hash"));
    }

    @Test
    void theConfigurationNamesProcessorMechanismSchedulerSwitchesAndRounds() {
        Map<String, String> c = report.configuration().entries();
        assertEquals("i486dx50", c.get("processor"));
        assertEquals("50", c.get("processor.clock_mhz"));
        assertEquals("l3", c.get("mechanism"));
        assertEquals("lazy", c.get("scheduler"));
        assertEquals(Switches.ALL_ON.toString(), c.get("switches"));
        assertEquals("20", c.get("rounds.table7"));
        assertEquals("20", c.get("rounds.dash"));
        assertNull(c.get("rounds.appendix"));
        assertNull(c.get("rounds.syscall"), "a fixed count of calls, part of the build");
        assertEquals("externalWriteNs=60,80", c.get("sensitivity"));
        assertEquals("dash,l3,mach,ports", c.get("mechanisms"));
        assertEquals("i486dx33,i486dx50", c.get("processors"));
        assertTrue(c.get("model.i486dx33").startsWith("clock_mhz=33 "), c.get("model.i486dx33"));
    }

    @Test
    void theJsonParsesAndHoldsEveryTableRowForRow() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(read(written, "report.json"));
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) json.get("configuration");
        assertEquals(50.0, config.get("processor.clock_mhz"));
        assertEquals(report.configuration().entries().keySet(), config.keySet());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> experiments = new java.util.ArrayList<>(
                (List<Map<String, Object>>) json.get("experiments"));
        List<String> inReportJson = new java.util.ArrayList<>();
        for (Map<String, Object> e : experiments) {
            inReportJson.add((String) e.get("name"));
        }
        // report.json holds what it held before the experiments with a JSON file of their own
        assertEquals(List.of("appendix", "table7", "figure8", "table1", "footprint", "table2", "ports", "hypothetical",
                "dash"), inReportJson);
        for (Experiment own : Experiment.OWN_JSON) {
            @SuppressWarnings("unchecked")
            Map<String, Object> e = (Map<String, Object>) Json.parse(read(written, own.key() + ".json"));
            assertEquals(json.get("hash"), e.get("hash"), own.key());
            assertEquals(own.key(), e.get("name"));
            experiments.add(e);
        }
        assertEquals(Experiment.values().length, experiments.size());
        for (Map<String, Object> e : experiments) {
            Table t = report.section(Experiment.of((String) e.get("name"))).table();
            assertEquals(t.columns(), e.get("columns"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rows = (List<Map<String, Object>>) e.get("rows");
            assertEquals(t.rows().size(), rows.size(), (String) e.get("name"));
            for (int r = 0; r < rows.size(); r++) {
                for (int c = 0; c < t.columns().size(); c++) {
                    Object want = t.rows().get(r)[c];
                    Object got = rows.get(r).get(t.columns().get(c));
                    if (want instanceof Number n) {
                        assertEquals(n.doubleValue(), (Double) got, 1e-9);
                    } else if (want == null) {
                        assertNull(got);
                    }
                }
            }
        }
    }

    @Test
    void theHtmlHasEveryTableSideBySideWithThePaperAndThePlots() throws IOException {
        String html = read(written, "index.html");
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.endsWith("</html>\n"));
        for (Experiment e : Experiment.values()) {
            assertTrue(html.contains("<h2 id=\"" + e.key() + "\">"), e.key());
            assertTrue(html.contains("href=\"" + e.key() + ".csv\""), e.key());
        }
        assertTrue(html.contains("<th>simulated</th><th>paper</th><th>deviation</th>"));
        assertTrue(html.contains("<img src=\"figure8.svg\""));
        assertTrue(html.contains("<img src=\"dash.svg\""));
        assertTrue(html.contains("href=\"dash.png\""));
        // Table 7's paper figure for 8 bytes, beside the simulated one
        assertTrue(html.contains("<td class=\"num paper\">5.2</td>"), "Table 7's 5.2 us");
        assertEquals(countOf(html, "<table"), countOf(html, "</table>"));
        assertEquals(Experiment.values().length, countOf(html, "<table>")); // and the configuration
        assertEquals(1, countOf(html, "<table class=\"configuration\">"));
        // the paper's layouts and the new plots
        assertTrue(html.contains("<th>bytes</th><th>L3 (µs)</th><th>paper</th><th>deviation %</th>"), "Table 7 wide");
        assertTrue(html.contains("<th>removed (% added, simulated / paper)</th><th>8 bytes</th>"), "Table 1 wide");
        for (String plot : List.of("table1", "table2", "ports", "syscall", "sensitivity")) {
            assertTrue(html.contains("<img src=\"" + plot + ".svg\""), plot);
        }
    }

    @Test
    void theScorecardComesFirstAndTheJsonCarriesItWithSegmentStatistics() throws IOException {
        String html = read(written, "index.html");
        Scorecard score = Scorecard.of(report);
        assertTrue(score.figures().size() > 40, "Tables 7 and 1, the bare copy, footprint, ports, appendix");
        int card = html.indexOf("<h2 id=\"scorecard\">");
        assertTrue(card > 0 && card < html.indexOf("<h2 id=\"appendix\">"));
        assertTrue(html.contains(score.within() + " of " + score.figures().size() + "</span> figures within"));
        assertEquals(score.outside().size(), countOf(html, "<li><a href="), "each figure outside listed once");
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(read(written, "report.json"));
        @SuppressWarnings("unchecked")
        Map<String, Object> card2 = (Map<String, Object>) json.get("scorecard");
        assertEquals((double) score.within(), card2.get("within"));
        assertEquals(score.outside().size(), ((List<?>) card2.get("outside")).size());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> stats = (List<Map<String, Object>>) json.get("statistics");
        Map<String, Object> l3 = stats.stream().filter(f -> f.get("figure").equals("table7/l3/8")).findFirst()
                .orElseThrow();
        // 20 round trips measured in 20 slices of one: 20 segments, the figure their mean
        assertEquals(20.0, l3.get("samples"));
        double figure = (Double) report.section(Experiment.TABLE7).table().rows().get(0)[2];
        assertEquals(figure, (Double) l3.get("mean"), 0.006);
        assertTrue((Double) l3.get("min") <= (Double) l3.get("median") && (Double) l3.get("median") <= (Double) l3.get("max"));
        assertTrue(stats.stream().anyMatch(f -> f.get("figure").equals("table1/lazy/8")));
        assertTrue(stats.stream().anyMatch(f -> f.get("figure").equals("table2/i486dx50")));
        assertTrue(stats.stream().anyMatch(f -> f.get("figure").equals("dash/1")), "Dash's transfers too");
    }

    private static int countOf(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void eachCsvIsItsTable() throws IOException {
        for (Report.Section s : report.sections()) {
            String csv = read(written, s.experiment().key() + ".csv");
            assertEquals(s.table().render(org.l3wb.lab.format.Format.CSV) + "\n", csv);
            assertTrue(csv.startsWith(String.join(",", s.table().columns()) + "\n"));
        }
    }

    @Test
    void thePlotsAreSvgAndDecodablePng() throws IOException {
        for (String plot : List.of("figure8", "dash", "cycles")) {
            String svg = read(written, plot + ".svg");
            assertTrue(svg.startsWith("<?xml"), plot);
            assertTrue(svg.contains("<svg"), plot);
            assertTrue(svg.contains("</svg>"), plot);
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(written.resolve(plot + ".png"))));
            assertNotNull(png, plot);
            assertEquals(900, png.getWidth());
            assertEquals(560, png.getHeight());
        }
        String figure8 = read(written, "figure8.svg");
        for (String series : List.of("l3", "l3_cold", "mach", "bare_copy", "l3 (paper)", "mach (paper)")) {
            assertTrue(figure8.contains(">" + series + "<"), "legend entry " + series);
        }
        String cycles = read(written, "cycles.svg");
        assertTrue(cycles.contains(">Where the cycles go: the 8-byte call per step (i486dx50)<"));
        java.util.Map<Object, Long> totals = new java.util.HashMap<>();
        for (Object[] row : report.section(Experiment.CYCLES).table().rows()) {
            if (WhereTheCyclesGo.WHOLE_CALL.equals(row[3])) {
                totals.put(row[0], ((Number) row[5]).longValue());
            }
        }
        long cheapest = totals.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        for (Object[] row : report.section(Experiment.CYCLES).table().rows()) {
            if (totals.get(row[0]) > org.l3wb.lab.plot.Charts.OFF_SCALE * cheapest) {
                // mach's call, 16 times l3's: named with its total, not drawn
                assertTrue(cycles.contains(row[0] + " (" + totals.get(row[0]) + ")"), "named: " + row[0]);
            } else if (!WhereTheCyclesGo.WHOLE_CALL.equals(row[3])) {
                // the paper's steps one by one, another kernel's routines by source file
                Object segment = WhereTheCyclesGo.paperSteps().contains(row[3]) ? row[3] : row[4];
                assertTrue(cycles.contains(">" + segment + "<"), "legend entry for step " + row[3]);
            }
        }
        assertTrue(read(written, "dash.svg").contains(">l3_memory_objects<")
                || !report.section(Experiment.DASH).table().columns().contains("l3_memory_objects"));
    }

    @Test
    void theSameConfigurationGivesTheSameHashAndByteIdenticalFiles(@TempDir Path other) throws IOException {
        Report again = Report.run(SETUP, TestBench.fewRounds(), ConsoleProgress.silent());
        assertEquals(report.configuration(), again.configuration());
        assertEquals(report.configuration().hash(), again.configuration().hash());
        try (ReportWriter w = ReportWriter.open(other.toString())) {
            w.write(again);
        }
        assertEquals(names(written), names(other));
        for (String name : names(written)) {
            assertArrayEquals(Files.readAllBytes(written.resolve(name)), Files.readAllBytes(other.resolve(name)), name);
        }
    }

    @Test
    void anotherConfigurationGivesAnotherHash() {
        String hash = report.configuration().hash();
        Map<Experiment, Integer> rounds = TestBench.fewRounds();
        assertEquals(hash, Configuration.of(SETUP, rounds).hash());
        Map<Experiment, Integer> more = TestBench.fewRounds();
        more.put(Experiment.TABLE7, 21);
        assertNotEquals(hash, Configuration.of(SETUP, more).hash());
        assertNotEquals(hash, Configuration.of(TestBench.setup(), rounds).hash(), "without the sensitivity");
        assertNotEquals(hash, Configuration.of(TestBench.setup(TestBench.KERNEL, Switches.allBut(Switch.VIRTUAL_TCB)),
                rounds).hash());
        assertNotEquals(hash, Configuration.of(TestBench.setup(TestBench.L3_ONLY, Switches.ALL_ON), rounds).hash());
        Setup dx33 = new Setup(TestBench.MACHINES, TestBench.KERNEL, org.l3wb.hw.cpu486.StandardModels.i486dx33(), "l3",
                "lazy", Switches.ALL_ON, TestBench.setup().processors());
        assertNotEquals(hash, Configuration.of(dx33, rounds).hash());
    }

    @Test
    void experimentsWhoseMechanismIsMissingAreSkippedAndSaySo(@TempDir Path dir) throws IOException {
        Map<Experiment, Integer> rounds = TestBench.fewRounds();
        Report l3Only = Report.run(TestBench.setup(TestBench.L3_ONLY, Switches.ALL_ON), rounds, ConsoleProgress.silent());
        for (Experiment e : List.of(Experiment.FIGURE8, Experiment.PORTS, Experiment.DASH)) {
            assertNull(l3Only.section(e).table(), e.key());
            assertTrue(l3Only.section(e).skipped().contains("not installed"), e.key());
        }
        assertFalse(l3Only.section(Experiment.TABLE7).table().rows().stream().anyMatch(r -> "mach".equals(r[1])));
        // an older full report in the same place: its files for the skipped experiments go
        try (ReportWriter w = ReportWriter.open(dir.toString())) {
            w.write(report);
        }
        try (ReportWriter w = ReportWriter.open(dir.toString())) {
            w.write(l3Only);
        }
        Set<String> names = names(dir);
        assertFalse(names.contains("dash.csv") || names.contains("dash.svg") || names.contains("figure8.png")
                || names.contains("ports.csv"), names.toString());
        assertTrue(names.contains("table7.csv"), names.toString());
        assertTrue(read(dir, "index.html").contains("skipped: needs IPC mechanism 'dash'"));
        // section 5.6 without Mach: the bare trip alone; the sensitivity not asked for: how to ask, not skipped
        assertEquals(List.of("user_kernel_user"), l3Only.section(Experiment.SYSCALL).table().rows().stream()
                .map(r -> r[0]).toList());
        assertFalse(names.contains("sensitivity.csv"), names.toString());
        assertTrue(read(dir, "index.html").contains("<code>lab:report --sensitivity</code> · not run by default"));
        assertTrue(read(dir, "report.json").contains("\"skipped\": \"needs IPC mechanism 'mach'"));
    }

    @Test
    void aBlankOutIsRefusedRatherThanTakenForTheWorkingDirectory() {
        for (String blank : new String[] {"", "  "}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportWriter.open(blank));
            assertEquals("--out must name a directory, got '" + blank + "'", e.getMessage());
        }
    }

    @Test
    void filesThatOnlyShareAReportFilesNameAreRefusedAndWithForceKept(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("dash.csv"), "my own data");
        Files.writeString(dir.resolve("ports.csv"), "my own data");
        Report l3Only = Report.run(TestBench.setup(TestBench.L3_ONLY, Switches.ALL_ON), TestBench.fewRounds(),
                ConsoleProgress.silent());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReportWriter.open(dir.toString()));
        assertTrue(e.getMessage().startsWith("refusing to replace " + dir), e.getMessage());
        try (ReportWriter w = ReportWriter.open(dir.toString(), true)) {
            w.write(l3Only); // skips dash and ports, but the folder held no report
        }
        assertEquals("my own data", Files.readString(dir.resolve("dash.csv")));
        assertEquals("my own data", Files.readString(dir.resolve("ports.csv")));
        assertTrue(Files.isRegularFile(dir.resolve("index.html")));
    }

    @Test
    void anOutThatIsAFileOrUnderAFileFailsWithOneLineAndLeavesNothing(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("file.txt"), "keep");
        for (Path out : List.of(file, file.resolve("report"), file.resolve("a/b"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ReportWriter.open(out.toString()));
            assertTrue(e.getMessage().startsWith("cannot write the report to "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        assertEquals(Set.of("file.txt"), names(dir));
        assertEquals("keep", Files.readString(file));
    }

    @Test
    void anUnwritableDirectoryFailsWithOneLineAndLeavesNothing(@TempDir Path dir) throws IOException {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path locked = Files.createDirectory(dir.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Assumptions.assumeFalse(Files.isWritable(locked), "root writes anywhere");
            for (Path out : List.of(locked, locked.resolve("report"))) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> ReportWriter.open(out.toString()));
                assertTrue(e.getMessage().endsWith("permission denied"), e.getMessage());
            }
            assertEquals(Set.of(), names(locked));
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aReportNotWrittenLeavesNoTraceNotEvenTheDirectoriesItCreated(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("a/b/report");
        try (ReportWriter w = ReportWriter.open(out.toString())) {
            assertTrue(Files.isDirectory(out.getParent())); // checked up front, before the experiments run
        }
        assertEquals(Set.of(), names(dir));
        // an existing directory keeps what it had
        Path existing = Files.createDirectory(dir.resolve("existing"));
        try (ReportWriter w = ReportWriter.open(existing.toString())) {
            assertEquals(3, names(dir).size()); // the folder, the hidden version being written, the lock
        }
        assertEquals(Set.of("existing"), names(dir));
        assertTrue(Files.isDirectory(existing, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }
}

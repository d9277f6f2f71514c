package org.l3wb.lab.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l3wb.lab.format.Format;
import org.l3wb.lab.sweep.SweepOutput;

class ComparisonTest {
    /** A report.json in report's layout: the configuration, then experiments (one skipped). */
    private static String report(String hash, double l3At8, String processors) {
        return "{\n  \"hash\": \"" + hash + "\",\n  \"configuration\": {\"processor\": \"i486dx50\", \"processors\": \""
                + processors + "\"},\n  \"experiments\": [\n"
                + "    {\"name\": \"table7\", \"title\": \"T7\", \"rounds\": 100, \"columns\": [\"size\", \"column\", \"simulated\", \"unit\"], \"rows\": [\n"
                + "      {\"size\": 8, \"column\": \"l3\", \"simulated\": " + l3At8 + ", \"unit\": \"us\"},\n"
                + "      {\"size\": 8, \"column\": \"l3_cold_penalty\", \"simulated\": 5.3, \"unit\": \"us\"}]},\n"
                + "    {\"name\": \"appendix\", \"title\": \"A\", \"columns\": [\"table\", \"tlb_miss_pages\"], \"rows\": [\n"
                + "      {\"table\": 3, \"tlb_miss_pages\": [\"kernel code\", \"user code\"]}]},\n"
                + "    {\"name\": \"dash\", \"title\": \"D\", \"rounds\": 500, \"skipped\": \"needs dash\"}\n  ]\n}\n";
    }

    private static Path write(Path dir, String name, String text) throws Exception {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void equalReportsHaveNoDifference(@TempDir Path dir) throws Exception {
        Path a = write(dir.resolve("a"), "report.json", report("h1", 4.61, "i486dx50"));
        Comparison c = Comparison.of(a, dir.resolve("a"));
        assertEquals(0, c.differences());
        // hash, 2 configuration entries; 2 rows of 4 cells; 1 row of 2; the skipped one
        assertEquals(1 + 2 + 8 + 2 + 1, c.cells().size());
        assertEquals("compared reports " + a + " (A) and " + a + " (B): 0 of 14 values differ", c.summary());
    }

    @Test
    void eachDifferingValueIsMarkedWithItsDelta(@TempDir Path dir) throws Exception {
        Path a = write(dir.resolve("a"), "report.json", report("h1", 4.61, "i486dx50"));
        Path b = write(dir.resolve("b"), "report.json", report("h2", 4.64, "i386dx20,i486dx50"));
        Comparison c = Comparison.of(a, b);
        assertEquals(3, c.differences());
        String text = c.render(Format.TEXT, true);
        assertEquals(List.of(
                "diff  table          row         column     a         b                  delta",
                "*     configuration  hash        value            h1                 h2      -",
                "*     configuration  processors  value      i486dx50  i386dx20,i486dx50      -",
                "*     table7         8 l3        simulated      4.61               4.64   0.03"),
                text.lines().limit(4).toList(), text);
        assertTrue(text.endsWith("3 of 14 values differ"), text);
        String csv = c.render(Format.CSV, true);
        assertEquals("table,row,column,a,b,delta,differs", csv.lines().findFirst().orElseThrow());
        assertTrue(csv.contains("table7,8 l3,simulated,4.61,4.64,0.03,true"), csv);
        assertEquals(14, c.render(Format.CSV, false).lines().count() - 1);
    }

    @Test
    void rowsMatchByWhatTheyAreAndARowOnOneSideIsOneDifference(@TempDir Path dir) throws Exception {
        Path a = write(dir.resolve("a"), "sweep.json", sweep(List.of(row("i486dx50", 8, 230.3), row("i386dx20", 8, 484.8))));
        Path b = write(dir.resolve("b"), "sweep.json", sweep(List.of(row("i386dx20", 8, 484.8), row("i486dx50", 128, 458.7))));
        Comparison c = Comparison.of(a.getParent(), b.getParent());
        // the i386 row matched though it moved; i486 at 8 only in A, at 128 only in B
        assertEquals(2, c.differences());
        String text = c.render(Format.TEXT, true);
        assertTrue(text.lines().anyMatch(l -> l.matches("\\*\\s+sweep\\s+i486dx50 l3 lazy off=- 8\\s+\\(row\\)\\s+\\(present\\)\\s+\\(none\\)\\s+-")), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("\\*\\s+sweep\\s+i486dx50 l3 lazy off=- 128\\s+\\(row\\)\\s+\\(none\\)\\s+\\(present\\)\\s+-")), text);
    }

    private static Map<String, Object> row(String processor, long size, double cycles) {
        Map<String, Object> r = new LinkedHashMap<>();
        for (String c : SweepOutput.COLUMNS) {
            r.put(c, null);
        }
        r.putAll(Map.of("hash", processor + size, "processor", processor, "mechanism", "l3", "scheduler", "lazy",
                "switches_off", "", "size", size, "rounds", 100L, "cycles_per_ipc", cycles, "note", ""));
        return r;
    }

    private static String sweep(List<Map<String, Object>> rows) {
        return new SweepOutput("b", "g", 0, 1, rows.size(), rows).json();
    }

    @Test
    void whatIsNeitherAReportNorASweepSaysSoInOneLine(@TempDir Path dir) throws Exception {
        Path report = write(dir.resolve("r"), "report.json", report("h", 1, "x"));
        Path sweep = write(dir.resolve("s"), "sweep.json", sweep(List.of(row("i486dx50", 8, 230.3))));
        Path text = write(dir, "notes.txt", "hello");
        Path other = write(dir, "other.json", "{\"name\": \"x\"}");
        assertEquals(text + " is not a report or a sweep (not JSON)",
                assertThrows(IllegalArgumentException.class, () -> Comparison.of(text, report)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Comparison.of(report, other)).getMessage()
                .startsWith(other + " is not a report or a sweep (neither report.json's \"experiments\""));
        assertEquals(dir.resolve("x") + " is not a report or a sweep (no report.json or sweep.json in it)",
                assertThrows(IllegalArgumentException.class, () -> {
                    Files.createDirectories(dir.resolve("x"));
                    Comparison.of(dir.resolve("x"), report);
                }).getMessage());
        assertEquals(report + " is a report, " + sweep + " a sweep: compare a report with a report, a sweep with a sweep",
                assertThrows(IllegalArgumentException.class, () -> Comparison.of(report, sweep)).getMessage());
        assertEquals("no such file or folder: " + dir.resolve("nope"),
                assertThrows(IllegalArgumentException.class, () -> Comparison.of(dir.resolve("nope"), report)).getMessage());
    }
}

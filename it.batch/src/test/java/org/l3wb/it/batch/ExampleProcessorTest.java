package org.l3wb.it.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l3wb.it.batch.WorkbenchProcess.Result;

/**
 * Issue 9's "done when": a processor bundle built outside the repository from the guide alone
 * (hw.api/readme.md) loads from {@code plugins/} and runs every experiment. Each example processor of
 * {@code examples/} is built from its source (javac + bnd, {@link ExampleBundle}), dropped into the
 * plugins folder of the exported workbench.jar run as a child process, selected, and {@code lab:report}
 * runs on it; then the 8-byte ping-pong on it is set beside the DX-50's, in the same run.
 */
class ExampleProcessorTest {
    /** Every experiment of lab:report (lab's Experiment, in report order). */
    static final List<String> EXPERIMENTS = List.of("appendix", "table7", "figure8", "table1", "footprint",
            "table2", "ports", "hypothetical", "dash");
    static final String PINGPONG = "lab:pingpong --size 8 --format csv";

    @TempDir
    Path tmp;

    /**
     * The Write-Back Enhanced IntelDX4-100: a 1.1 capability (writePolicy WRITE_BACK_ALLOCATE). It keeps
     * INVLPG and WBINVD, so no experiment is skipped. Its bus writes take 8 core cycles (80 ns at
     * 100 MHz) against the DX-50's 4, yet the warm 8-byte IPC takes FEWER cycles: its writes stop in the
     * on-chip cache instead of queueing in the write buffer; and write allocation puts the written
     * lines into the cache, so its footprint is larger.
     */
    @Test
    void writeBackDx4FromPluginsRunsEveryExperiment() throws Exception {
        Map<String, String>[] ipc = reportAndPingPong("processor-i486dx4wb", "i486dx4wb");
        Map<String, String> dx4 = ipc[0];
        Map<String, String> dx50 = ipc[1];
        String both = "i486dx4wb " + dx4 + "\ni486dx50 " + dx50;
        assertEquals("0", dx4.get("cache_misses_per_ipc"), both);
        assertEquals(dx50.get("tlb_misses_per_ipc"), dx4.get("tlb_misses_per_ipc"), "same TLB: " + both);
        assertTrue(cycles(dx4) < cycles(dx50), "write-back: no write-buffer stalls, " + both);
        assertTrue(number(dx4, "footprint_bytes") > number(dx50, "footprint_bytes"),
                "write allocation caches the written lines: " + both);
    }

    /**
     * The DX2-66 (a 1.0-style model: every capability the i486's): the same core, so the same TLB
     * misses; its posted writes take 6 core cycles against the DX-50's 4, so more cycles, yet fewer µs.
     */
    @Test
    void dx66FromPluginsRunsEveryExperiment() throws Exception {
        Map<String, String>[] ipc = reportAndPingPong("processor-i486dx66", "i486dx66");
        Map<String, String> dx66 = ipc[0];
        Map<String, String> dx50 = ipc[1];
        String both = "i486dx66 " + dx66 + "\ni486dx50 " + dx50;
        assertEquals(dx50.get("tlb_misses_per_ipc"), dx66.get("tlb_misses_per_ipc"), "same TLB: " + both);
        assertTrue(cycles(dx66) > cycles(dx50), "slower bus writes in core cycles: " + both);
        assertTrue(number(dx66, "us_per_ipc") < number(dx50, "us_per_ipc"), "faster clock: " + both);
        assertEquals(cycles(dx66) / 66, number(dx66, "us_per_ipc"), 0.01, both);
    }

    /**
     * Builds the example into plugins/, then in ONE workbench run: selects it, writes the report, and
     * runs the 8-byte ping-pong on it and on the DX-50. Checks the run and the report.
     *
     * @return the ping-pong's row on the example, then on the DX-50
     */
    @SuppressWarnings("unchecked")
    private Map<String, String>[] reportAndPingPong(String example, String name) throws Exception {
        WorkbenchProcess workbench = new WorkbenchProcess(tmp.resolve("config"), tmp);
        ExampleBundle.build(example, tmp.resolve("plugins/" + example + ".jar"));

        Result run = workbench.run("hw:use " + name, "lab:report --rounds 20 --out report", PINGPONG,
                "hw:use i486dx50", PINGPONG);
        assertEquals(0, run.exitStatus(), run::toString);
        assertEquals(List.of(), run.stderr(), "a good plugin gives no warning: " + run);
        assertTrue(run.stdout().get(0).startsWith("processor " + name + " selected"), run::toString);

        Path report = tmp.resolve("report");
        assertTrue(Files.readAllLines(report.resolve("configuration.txt"), StandardCharsets.UTF_8)
                .contains("processor=" + name), "the report's configuration names " + name);
        Map<String, String> skipped = experiments(report.resolve("report.json"));
        assertEquals(EXPERIMENTS, List.copyOf(skipped.keySet()), "every experiment in the report");
        Map<String, String> none = new LinkedHashMap<>();
        skipped.forEach((e, why) -> {
            if (why != null) {
                none.put(e, why);
            }
        });
        // both examples have INVLPG and WBINVD, so no experiment may be skipped on them
        assertEquals(Map.of(), none, "skipped experiments on " + name);
        for (String e : EXPERIMENTS) {
            assertTrue(Files.size(report.resolve(e + ".csv")) > 0, e + ".csv written");
        }

        List<Map<String, String>> rows = pingPongRows(run.stdout());
        assertEquals(2, rows.size(), run::toString);
        assertEquals(name, rows.get(0).get("processor"), run::toString);
        assertEquals("i486dx50", rows.get(1).get("processor"), run::toString);
        return rows.toArray(new Map[0]);
    }

    /** @return each experiment of report.json in order, mapped to the line it was skipped with, or null */
    private static Map<String, String> experiments(Path json) throws IOException {
        Pattern experiment = Pattern.compile("^    \\{\"name\": \"([a-z0-9]+)\"(.*)$");
        Pattern skip = Pattern.compile("\"skipped\": \"(.*)\"\\}$");
        Map<String, String> experiments = new LinkedHashMap<>();
        for (String line : Files.readAllLines(json, StandardCharsets.UTF_8)) {
            Matcher m = experiment.matcher(line);
            if (m.matches()) {
                Matcher s = skip.matcher(m.group(2));
                experiments.put(m.group(1), s.find() ? s.group(1) : null);
            }
        }
        return experiments;
    }

    /** @return the row under each {@code lab:pingpong --format csv} header, column to value */
    private static List<Map<String, String>> pingPongRows(List<String> stdout) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 0; i + 1 < stdout.size(); i++) {
            if (stdout.get(i).startsWith("mechanism,scheduler,processor,")) {
                List<String> columns = CsvTables.fields(stdout.get(i));
                List<String> values = CsvTables.fields(stdout.get(i + 1));
                assertEquals(columns.size(), values.size(), stdout.get(i + 1));
                Map<String, String> row = new LinkedHashMap<>();
                for (int c = 0; c < columns.size(); c++) {
                    row.put(columns.get(c), values.get(c));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static double cycles(Map<String, String> row) {
        return number(row, "cycles_per_ipc");
    }

    private static double number(Map<String, String> row, String column) {
        return Double.parseDouble(row.get(column));
    }
}

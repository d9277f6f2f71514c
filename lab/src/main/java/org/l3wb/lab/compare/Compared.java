package org.l3wb.lab.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.l3wb.lab.sweep.JsonValues;
import org.l3wb.lab.sweep.SweepOutput;

/**
 * A report or a sweep's output, read for {@code lab:compare} as named tables of rows, each row under a
 * key that finds it in the other side.
 *
 * <ul>
 * <li>A report ({@code report.json}, or its folder: then also each {@code KEY.json} beside it that holds
 * one experiment, e.g. {@code cycles.json}): the table {@code configuration} (its entries, the hash
 * first), then one table per experiment; a skipped experiment is one row holding why. A row's key is
 * its first cell and its text cells (the unit left out), e.g. {@code 8 l3} in Table 7, with
 * {@code #2}, {@code #3} … after a key met again, so rows match by what they are, not where they are.</li>
 * <li>A sweep ({@code sweep.json} or its folder): the table {@code sweep}, a row per point keyed by its
 * configuration (processor, mechanism, scheduler, switches off, size; not the rounds, which are
 * compared as a value). The build is not
 * compared: comparing builds is what the command is for.</li>
 * </ul>
 */
record Compared(String kind, Path file, Map<String, Map<String, Map<String, Object>>> tables) {
    static final String REPORT = "report";
    static final String SWEEP = "sweep";
    /** A sweep row's key: its configuration but the rounds (two sweeps of other lengths still meet). */
    private static final List<String> SWEEP_KEY = List.of("processor", "mechanism", "scheduler", "switches_off", "size");

    /** @return what {@code path} holds; fails with one line when it is neither a report nor a sweep's output */
    static Compared read(Path path) {
        Path file = path;
        if (Files.isDirectory(path)) {
            if (Files.isRegularFile(path.resolve("report.json"))) {
                file = path.resolve("report.json");
            } else if (Files.isRegularFile(path.resolve(SweepOutput.JSON))) {
                file = path.resolve(SweepOutput.JSON);
            } else {
                throw new IllegalArgumentException(path + " is not a report or a sweep (no report.json or "
                        + SweepOutput.JSON + " in it)");
            }
        } else if (!Files.exists(path)) {
            throw new IllegalArgumentException("no such file or folder: " + path);
        }
        Object json;
        try {
            json = JsonValues.read(file);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " is not a report or a sweep (not JSON)");
        }
        if (json instanceof Map<?, ?> m && SweepOutput.FORMAT.equals(m.get("format")) && m.get("rows") instanceof List<?> rows) {
            Map<String, Map<String, Map<String, Object>>> t = new LinkedHashMap<>();
            t.put(SWEEP, keyed(rows, r -> sweepKey(r)));
            return new Compared(SWEEP, file, t);
        }
        if (json instanceof Map<?, ?> m && m.get("experiments") instanceof List<?> experiments
                && m.get("configuration") instanceof Map<?, ?> configuration) {
            Map<String, Map<String, Map<String, Object>>> t = new LinkedHashMap<>();
            Map<String, Map<String, Object>> config = new LinkedHashMap<>();
            config.put("hash", Map.of("value", String.valueOf(m.get("hash"))));
            configuration.forEach((k, v) -> config.put(String.valueOf(k), singleValue(v)));
            t.put("configuration", config);
            for (Object e : experiments) {
                experiment(t, e);
            }
            if (Files.isDirectory(path)) {
                besides(t, path);
            }
            return new Compared(REPORT, file, t);
        }
        throw new IllegalArgumentException(file + " is not a report or a sweep (neither report.json's "
                + "\"experiments\" nor \"format\": \"" + SweepOutput.FORMAT + "\")");
    }

    private static Map<String, Object> singleValue(Object v) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("value", v);
        return row;
    }

    /** Adds one experiment's table (name, rows or skipped) to {@code t}. */
    private static void experiment(Map<String, Map<String, Map<String, Object>>> t, Object e) {
        if (!(e instanceof Map<?, ?> x) || !(x.get("name") instanceof String name)) {
            return;
        }
        if (x.get("rows") instanceof List<?> rows) {
            t.put(name, keyed(rows, Compared::reportKey));
        } else if (x.get("skipped") != null) {
            Map<String, Map<String, Object>> skipped = new LinkedHashMap<>();
            skipped.put("skipped", singleValue(x.get("skipped")));
            t.put(name, skipped);
        }
    }

    /** The experiments a report writes to files of their own ({@code cycles.json}, …). */
    private static void besides(Map<String, Map<String, Map<String, Object>>> t, Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                if (f.getFileName().toString().equals("report.json")) {
                    continue;
                }
                try {
                    Object v = JsonValues.read(f);
                    if (v instanceof Map<?, ?> m && m.get("name") instanceof String name && !t.containsKey(name)) {
                        experiment(t, m);
                    }
                } catch (IllegalArgumentException ignored) {
                    // not JSON: not one of the report's files
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + dir + ": " + e.getMessage());
        }
    }

    private static Map<String, Map<String, Object>> keyed(List<?> rows, java.util.function.Function<Map<?, ?>, String> key) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Object r : rows) {
            if (!(r instanceof Map<?, ?> m)) {
                continue;
            }
            String k = key.apply(m);
            String unique = k;
            for (int n = 2; out.containsKey(unique); n++) {
                unique = k + " #" + n;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            m.forEach((c, v) -> row.put(String.valueOf(c), v));
            out.put(unique, row);
        }
        return out;
    }

    /** A report row's key: its first cell, then its other text cells but the unit. */
    static String reportKey(Map<?, ?> row) {
        List<String> parts = new ArrayList<>();
        boolean first = true;
        for (Map.Entry<?, ?> e : row.entrySet()) {
            if (first || (e.getValue() instanceof String s && !s.isEmpty() && !"unit".equals(e.getKey()))) {
                parts.add(String.valueOf(e.getValue()));
            }
            first = false;
        }
        return String.join(" ", parts);
    }

    static String sweepKey(Map<?, ?> row) {
        List<String> parts = new ArrayList<>();
        for (String c : SWEEP_KEY) {
            Object v = row.get(c);
            parts.add(c.equals("switches_off") ? "off=" + (v == null || "".equals(v) ? "-" : v) : String.valueOf(v));
        }
        return String.join(" ", parts);
    }
}

package org.l3wb.lab.sweep;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.l3wb.lab.format.Table;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * A sweep's results, or one job's share of them ({@code chunk} of {@code chunks}): one row per point, in
 * grid order, each with the point's configuration hash. Written as {@value #JSON} (jackson-core's
 * streaming API) and {@value #CSV} (Apache Commons CSV, the rows only).
 *
 * <p>{@value #JSON}: {@code format} ({@value #FORMAT}), {@code build} (the build's digest), {@code grid}
 * (the grid's SHA-256), {@code chunk}, {@code chunks}, {@code points} (distinct points of the whole
 * grid), {@code columns}, {@code rows} (objects, one key per column; a figure the point could not give
 * is null, with the reason in {@code note}). A whole sweep is chunk 0 of 1, and so is what
 * {@code lab:merge} makes of all of a grid's chunks: the same bytes as the sweep run at once.
 */
public record SweepOutput(String build, String grid, int chunk, int chunks, int points, List<Map<String, Object>> rows) {
    /** Value of the JSON's {@code format}; a change of the layout changes it. */
    public static final String FORMAT = "l3wb sweep 1";
    public static final String JSON = "sweep.json";
    public static final String CSV = "sweep.csv";
    /** Columns of a row: the point, then what its ping-pong measured. */
    public static final List<String> COLUMNS = List.of("hash", "processor", "mechanism", "scheduler", "switches_off",
            "size", "rounds", "cycles", "ipcs", "cycles_per_ipc", "us_per_ipc", "tlb_misses_per_ipc",
            "cache_misses_per_ipc", "footprint_bytes", "note");

    public SweepOutput {
        rows = List.copyOf(rows);
    }

    /** @return the rows as a table, for text output */
    public Table table() {
        Table t = new Table(COLUMNS.subList(1, COLUMNS.size()).toArray(String[]::new));
        for (Map<String, Object> r : rows) {
            Object[] v = new Object[COLUMNS.size() - 1];
            for (int i = 1; i < COLUMNS.size(); i++) {
                v[i - 1] = r.get(COLUMNS.get(i));
            }
            t.row(v);
        }
        return t;
    }

    /** @return the JSON form (see the class comment), ending in a newline */
    public String json() {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeStringField("build", build);
            g.writeStringField("grid", grid);
            g.writeNumberField("chunk", chunk);
            g.writeNumberField("chunks", chunks);
            g.writeNumberField("points", points);
            g.writeArrayFieldStart("columns");
            for (String c : COLUMNS) {
                g.writeString(c);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("rows");
            for (Map<String, Object> r : rows) {
                writeRow(g, r);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return w + "\n";
    }

    /** Writes one row as an object, its keys in {@link #COLUMNS} order. */
    static void writeRow(JsonGenerator g, Map<String, Object> r) throws IOException {
        g.writeStartObject();
        for (String c : COLUMNS) {
            Object v = r.get(c);
            g.writeFieldName(c);
            if (v == null) {
                g.writeNull();
            } else if (v instanceof Double d) {
                g.writeNumber(d);
            } else if (v instanceof Number n) {
                g.writeNumber(n.longValue());
            } else {
                g.writeString(v.toString());
            }
        }
        g.writeEndObject();
    }

    /** @return the CSV form: a header of {@link #COLUMNS}, one record per row, {@code \n}-terminated */
    public String csv() {
        StringBuilder sb = new StringBuilder();
        CSVFormat format = CSVFormat.DEFAULT.builder().setRecordSeparator("\n")
                .setHeader(COLUMNS.toArray(String[]::new)).get();
        try (CSVPrinter p = new CSVPrinter(sb, format)) {
            for (Map<String, Object> r : rows) {
                List<String> record = new ArrayList<>();
                for (String c : COLUMNS) {
                    record.add(cell(r.get(c)));
                }
                p.printRecord(record);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return sb.toString();
    }

    /** A number as JSON writes it, without an exponent; null as an empty cell. */
    static String cell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            return new BigDecimal(Double.toString(d)).toPlainString();
        }
        return v.toString();
    }

    /** Writes {@value #JSON} and {@value #CSV} into {@code dir} (created), each through a rename. */
    public List<Path> write(Path dir) {
        try {
            Files.createDirectories(dir);
            return List.of(replace(dir.resolve(JSON), json()), replace(dir.resolve(CSV), csv()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the sweep into " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code text} to a temporary file beside {@code file}, then renames it over {@code file}. */
    static Path replace(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
        try {
            try {
                // readable by a cluster's other users and a container's (a temporary file starts owner-only)
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: its default permissions
            }
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return file;
    }

    /**
     * @return the sweep {@code file} holds ({@value #JSON}, or a folder holding one); fails with one
     * line when it is not a sweep's output
     */
    public static SweepOutput read(Path file) {
        Path f = Files.isDirectory(file) ? file.resolve(JSON) : file;
        Object json = JsonValues.read(f);
        if (!(json instanceof Map<?, ?> m) || !FORMAT.equals(m.get("format"))) {
            throw new IllegalArgumentException(f + " is not a sweep's output (no \"format\": \"" + FORMAT + "\")");
        }
        try {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Object r : (List<?>) m.get("rows")) {
                Map<String, Object> row = new LinkedHashMap<>();
                ((Map<?, ?>) r).forEach((k, v) -> row.put((String) k, v));
                rows.add(row);
            }
            return new SweepOutput((String) m.get("build"), (String) m.get("grid"), number(m, "chunk"),
                    number(m, "chunks"), number(m, "points"), rows);
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException(f + " is not a sweep's output (malformed: " + e.getMessage() + ")");
        }
    }

    private static int number(Map<?, ?> m, String key) {
        return ((Number) m.get(key)).intValue();
    }
}

package org.l3wb.lab.format;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A result table: named columns, rows of values (numbers, strings, lists, or {@code null} for
 * "the paper has none"), rendered as aligned text, CSV or a JSON array of objects keyed by column.
 *
 * <pre>
 * Table t = new Table("table", "cycles").row(3, 172L);
 * String json = t.render(Format.JSON); // [{"table":3,"cycles":172}]
 * </pre>
 */
public final class Table {
    private final List<String> columns;
    private final List<Object[]> rows = new ArrayList<>();
    /** Per row, the values its figure averages (one per measurement segment), where an experiment gives them. */
    private final java.util.Map<Integer, List<Double>> samples = new java.util.HashMap<>();

    public Table(String... columns) {
        this.columns = List.of(columns);
    }

    /** Appends a row; it must have one value per column. */
    public Table row(Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("row has " + values.length + " values for " + columns.size() + " columns");
        }
        rows.add(values.clone());
        return this;
    }

    /**
     * Attaches to the last row the values its figure is the average of, one per measurement segment (the
     * report's statistics); no rendering shows them.
     */
    public Table samples(List<Double> values) {
        if (rows.isEmpty()) {
            throw new IllegalStateException("no row to attach samples to");
        }
        samples.put(rows.size() - 1, List.copyOf(values));
        return this;
    }

    /** @return the samples of row {@code row}, empty if it has none */
    public List<Double> samples(int row) {
        return samples.getOrDefault(row, List.of());
    }

    public List<String> columns() {
        return columns;
    }

    public List<Object[]> rows() {
        return rows;
    }

    /** Renders a one-row result: as a JSON object rather than an array of one. */
    public String renderObject(Format format) {
        if (format != Format.JSON || rows.size() != 1) {
            return render(format);
        }
        JsonText j = new JsonText().startObject(JsonText.Layout.LINES);
        Object[] row = rows.get(0);
        for (int i = 0; i < row.length; i++) {
            j.name(columns.get(i)).value(row[i]);
        }
        return j.end().text();
    }

    public String render(Format format) {
        return switch (format) {
            case TEXT -> text();
            case CSV -> csv();
            case JSON -> json();
        };
    }

    private String text() {
        int[] width = new int[columns.size()];
        List<String[]> cells = new ArrayList<>();
        cells.add(columns.toArray(String[]::new));
        for (Object[] r : rows) {
            String[] c = new String[r.length];
            for (int i = 0; i < r.length; i++) {
                c[i] = r[i] == null ? "-" : plain(r[i]);
            }
            cells.add(c);
        }
        for (String[] c : cells) {
            for (int i = 0; i < c.length; i++) {
                width[i] = Math.max(width[i], c[i].length());
            }
        }
        boolean[] numericColumn = new boolean[columns.size()];
        for (Object[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                numericColumn[i] |= r[i] instanceof Number;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < cells.size(); r++) {
            String[] c = cells.get(r);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < c.length; i++) {
                String cell = pad(c[i], width[i], r > 0 && numericColumn[i]);
                line.append(i == 0 ? "" : "  ").append(cell);
            }
            sb.append(line.toString().stripTrailing());
            if (r < cells.size() - 1) {
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }

    /** CSV through Commons CSV ({@link CsvText}), without the last line's {@code \n}. */
    private String csv() {
        List<List<String>> values = new ArrayList<>();
        for (Object[] r : rows) {
            List<String> v = new ArrayList<>();
            for (Object x : r) {
                v.add(x == null ? null : plain(x)); // null: an empty value, never quoted
            }
            values.add(v);
        }
        String text = CsvText.write(columns, values);
        return text.substring(0, text.length() - 1);
    }

    /** A JSON array of objects, one a line: {@code [\n  {"a": 1, "b": 2},\n  ...\n]}. */
    private String json() {
        return json(new JsonText()).text();
    }

    /** Writes the table as {@link #render(Format) render(JSON)} does, as the next value of {@code j}. */
    public JsonText json(JsonText j) {
        j.startArray(JsonText.Layout.LINES);
        for (Object[] row : rows) {
            rowObject(j, row);
        }
        return j.end();
    }

    /** Writes one row as an inline object keyed by column. */
    public JsonText rowObject(JsonText j, Object[] row) {
        j.startObject(JsonText.Layout.INLINE);
        for (int i = 0; i < row.length; i++) {
            j.name(columns.get(i)).value(row[i]);
        }
        return j.end();
    }

    /** @return {@code value} as the text and CSV renderings show it (numbers in lab's format, lists joined by "; ") */
    public static String cell(Object value) {
        return plain(value);
    }

    private static String plain(Object value) {
        if (value instanceof Double || value instanceof Float) {
            return number(((Number) value).doubleValue());
        }
        if (value instanceof List<?> list) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < list.size(); i++) {
                sb.append(i == 0 ? "" : "; ").append(plain(list.get(i)));
            }
            return sb.toString();
        }
        if (value instanceof Object[] array) {
            return Arrays.toString(array);
        }
        return String.valueOf(value);
    }

    private static String number(double d) {
        return JsonText.number(d);
    }
}

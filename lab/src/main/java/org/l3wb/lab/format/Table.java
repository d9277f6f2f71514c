package org.l3wb.lab.format;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

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
        StringBuilder sb = new StringBuilder("{");
        Object[] row = rows.get(0);
        for (int i = 0; i < row.length; i++) {
            sb.append(i == 0 ? "\n  " : ",\n  ").append(quote(columns.get(i))).append(": ").append(jsonValue(row[i]));
        }
        return sb.append("\n}").toString();
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

    private String csv() {
        StringBuilder sb = new StringBuilder(String.join(",", columns));
        for (Object[] r : rows) {
            sb.append('\n');
            for (int i = 0; i < r.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                String v = r[i] == null ? "" : plain(r[i]);
                if (v.contains(",") || v.contains("\"") || v.contains("\n")) {
                    v = '"' + v.replace("\"", "\"\"") + '"';
                }
                sb.append(v);
            }
        }
        return sb.toString();
    }

    private String json() {
        StringBuilder sb = new StringBuilder("[");
        for (int r = 0; r < rows.size(); r++) {
            sb.append(r == 0 ? "\n  {" : ",\n  {");
            Object[] row = rows.get(r);
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(quote(columns.get(i))).append(": ").append(jsonValue(row[i]));
            }
            sb.append('}');
        }
        return sb.append(rows.isEmpty() ? "]" : "\n]").toString();
    }

    /** @return {@code value} as a JSON literal */
    public static String jsonValue(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? number(d) : "null";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(jsonValue(list.get(i)));
            }
            return sb.append(']').toString();
        }
        return quote(value.toString());
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
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return String.format(Locale.ROOT, "%.3f", d).replaceAll("0+$", "");
    }

    /** @return {@code s} as a JSON string literal */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}

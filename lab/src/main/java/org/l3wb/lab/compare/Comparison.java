package org.l3wb.lab.compare;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.l3wb.lab.format.Format;
import org.l3wb.lab.format.Table;

/**
 * {@code lab:compare A B}: two reports, or two sweeps' outputs, value by value. Every cell of every
 * table is put beside its counterpart — the row found by its key ({@link Compared}), the column by
 * name — with the difference B − A for numbers; a value present on one side only is a difference too,
 * and so is a row (shown once, as column {@value #ROW}).
 * Numbers are equal when equal as numbers ({@code 5} and {@code 5.0}).
 *
 * <p>Usage: {@code Comparison c = Comparison.of(Path.of("a"), Path.of("b")); c.differences(); c.render(Format.TEXT, false)}.
 */
public final class Comparison {
    /** One value of A beside B's. */
    public record Cell(String table, String row, String column, Object a, Object b, boolean differs) {
        /** @return B − A when both are numbers, else null */
        Double delta() {
            if (a instanceof Number x && b instanceof Number y) {
                return Math.round((y.doubleValue() - x.doubleValue()) * 1e6) / 1e6;
            }
            return null;
        }
    }

    private final Compared a;
    private final Compared b;
    private final List<Cell> cells;

    private Comparison(Compared a, Compared b, List<Cell> cells) {
        this.a = a;
        this.b = b;
        this.cells = List.copyOf(cells);
    }

    /** @return A and B compared; fails with one line when either is not a report or sweep, or they are of two kinds */
    public static Comparison of(Path pathA, Path pathB) {
        Compared a = Compared.read(pathA);
        Compared b = Compared.read(pathB);
        if (!a.kind().equals(b.kind())) {
            throw new IllegalArgumentException(pathA + " is a " + a.kind() + ", " + pathB + " a " + b.kind()
                    + ": compare a report with a report, a sweep with a sweep");
        }
        List<Cell> cells = new ArrayList<>();
        Set<String> tables = new LinkedHashSet<>(a.tables().keySet());
        tables.addAll(b.tables().keySet());
        for (String t : tables) {
            Map<String, Map<String, Object>> ra = a.tables().getOrDefault(t, Map.of());
            Map<String, Map<String, Object>> rb = b.tables().getOrDefault(t, Map.of());
            Set<String> rows = new LinkedHashSet<>(ra.keySet());
            rows.addAll(rb.keySet());
            for (String r : rows) {
                Map<String, Object> x = ra.get(r);
                Map<String, Object> y = rb.get(r);
                if (x == null || y == null) {
                    // a row on one side only is one difference, not one per column
                    cells.add(new Cell(t, r, ROW, x == null ? MISSING : PRESENT, y == null ? MISSING : PRESENT, true));
                    continue;
                }
                Set<String> columns = new LinkedHashSet<>(x.keySet());
                columns.addAll(y.keySet());
                for (String c : columns) {
                    boolean inA = x.containsKey(c);
                    boolean inB = y.containsKey(c);
                    Object va = inA ? x.get(c) : null;
                    Object vb = inB ? y.get(c) : null;
                    cells.add(new Cell(t, r, c, inA ? va : MISSING, inB ? vb : MISSING, inA != inB || !same(va, vb)));
                }
            }
        }
        return new Comparison(a, b, cells);
    }

    /** The column of a row that one side does not have. */
    static final String ROW = "(row)";
    /** Shown for a row that one side has. */
    static final String PRESENT = "(present)";
    /** Shown for a value one side does not have. */
    static final String MISSING = "(none)";

    static boolean same(Object x, Object y) {
        if (x instanceof Number p && y instanceof Number q) {
            return Double.compare(p.doubleValue(), q.doubleValue()) == 0;
        }
        return x == null ? y == null : x.equals(y);
    }

    /** @return every value compared */
    public List<Cell> cells() {
        return cells;
    }

    /** @return how many values differ */
    public long differences() {
        return cells.stream().filter(Cell::differs).count();
    }

    /** @return what A and B are, in one line */
    public String summary() {
        return "compared " + a.kind() + "s " + a.file() + " (A) and " + b.file() + " (B): " + differences() + " of "
                + cells.size() + " values differ";
    }

    /**
     * @param onlyDifferences leave out equal values
     * @return the comparison as a table: text marks each difference with {@code *} in the first column and
     * ends with {@link #summary()}; CSV and JSON have a {@code differs} column instead
     */
    public String render(Format f, boolean onlyDifferences) {
        Table t = f == Format.TEXT ? new Table("diff", "table", "row", "column", "a", "b", "delta")
                : new Table("table", "row", "column", "a", "b", "delta", "differs");
        for (Cell c : cells) {
            if (onlyDifferences && !c.differs()) {
                continue;
            }
            Object va = value(c.a(), f);
            Object vb = value(c.b(), f);
            if (f == Format.TEXT) {
                t.row(c.differs() ? "*" : "", c.table(), c.row(), c.column(), va, vb, c.delta());
            } else {
                t.row(c.table(), c.row(), c.column(), va, vb, c.delta(), c.differs());
            }
        }
        String s = t.render(f);
        if (f == Format.TEXT) {
            s = (s.endsWith("\n") ? s : s + "\n") + summary();
        }
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    /** Longest text cell of the text table (a hash, a processor model's 900-character description): CSV and JSON give them whole. */
    static final int TEXT_CELL = 32;

    /** A list (e.g. the pages of TLB misses) as one text cell; in text, a long one cut short. */
    private static Object value(Object v, Format f) {
        if (v instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object o : l) {
                parts.add(String.valueOf(o));
            }
            v = String.join("; ", parts);
        }
        if (f == Format.TEXT && v instanceof String s && s.length() > TEXT_CELL) {
            return s.substring(0, TEXT_CELL - 1) + "…";
        }
        return v;
    }
}

package org.l3wb.lab.report;

import java.util.Locale;

import org.l3wb.lab.format.Table;

/**
 * The targets of issue 12 ("Targets (from mechanism only)"), per figure of the report's tables: Table 7's
 * L3 column ± 10 % at every size and ± 5 % at 8 bytes (5.2 µs), the cache-flush penalty ± 30 %, Mach
 * ± 25 %; every Table 1 cell within ± 5 points or ± 30 %, whichever is wider, and all seven removed
 * "far more" than their 134 % sum (section 4.4); the bare copy ± 10 % of 15 ns per byte (Figure 8); the
 * footprint ± 15 % of 592 bytes (section 6); ports 29 ± 10 cycles with Table 5's two TLB misses; the
 * appendix's Tables 3–5 exactly, being the paper's own instruction sequences; section 5.6's
 * mach_thread_self ± 25 % of 18 µs (issue 12). Issue 12 names no target for 5.6's bare user → kernel → user
 * trip; the paper gives it as "2 µs", to one significant digit, so every time that rounds to 2 µs (1.5 to
 * 2.5) agrees with it: ± 25 %, the paper's own precision, nothing fitted. Figures the paper gives
 * without a target (Table 2, Dash, section 7.4) are compared in their tables but not scored. Tolerances
 * are targets, not results: nothing here moves a figure.
 */
final class Targets {
    private Targets() {
    }

    /** How far a simulated figure may be from the paper's. */
    record Tolerance(Kind kind, double value, double percent) {
        enum Kind { PERCENT, POINTS_OR_PERCENT, ABSOLUTE, EXACT, AT_LEAST }

        static Tolerance percent(double p) {
            return new Tolerance(Kind.PERCENT, 0, p);
        }

        boolean holds(double simulated, double paper) {
            double d = Math.abs(simulated - paper);
            return switch (kind) {
                case PERCENT -> d <= percent / 100 * Math.abs(paper);
                case POINTS_OR_PERCENT -> d <= Math.max(value, percent / 100 * Math.abs(paper));
                case ABSOLUTE -> d <= value;
                case EXACT -> d == 0;
                case AT_LEAST -> simulated >= paper;
            };
        }

        /** @return the tolerance as the report prints it, e.g. {@code ± 5 points or ± 30 %} */
        String text() {
            return switch (kind) {
                case PERCENT -> "± " + n(percent) + " %";
                case POINTS_OR_PERCENT -> "± " + n(value) + " points or ± " + n(percent) + " %";
                case ABSOLUTE -> "± " + n(value);
                case EXACT -> "exact";
                case AT_LEAST -> "at least";
            };
        }

        private static String n(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
        }
    }

    /** A figure with a target: its id, the simulated and paper values of its row, unit and tolerance. */
    record Figure(String id, double simulated, double paper, String unit, Tolerance tolerance) {
    }

    /**
     * @return the id of row {@code row}'s figure, as the scorecard, the statistics and known-gaps.txt name
     * it: {@code table7/COLUMN/SIZE}, {@code figure8/COLUMN/SIZE}, {@code table1/SWITCH/SIZE},
     * {@code footprint/SIZE}, {@code ports/COLUMN}, {@code appendix/tableN}, otherwise the experiment's key
     * and the row's first value ({@code table2/i386dx20}, {@code hypothetical/both}, {@code dash/3})
     */
    static String id(Experiment e, Table t, int row) {
        Object[] r = t.rows().get(row);
        return e.key() + "/" + switch (e) {
            case TABLE7, FIGURE8 -> get(t, r, "column") + "/" + get(t, r, "size");
            case TABLE1 -> get(t, r, "switch") + "/" + get(t, r, "size");
            case PORTS -> get(t, r, "column");
            case APPENDIX -> "table" + get(t, r, "table");
            default -> r[0];
        };
    }

    /** @return row {@code row} of {@code e}'s table as a figure with a target, or null (none, or no paper value) */
    static Figure figure(Experiment e, Table t, int row) {
        Object[] r = t.rows().get(row);
        return switch (e) {
            case TABLE7 -> {
                String column = (String) get(t, r, "column");
                int size = ((Number) get(t, r, "size")).intValue();
                Tolerance tol = column.equals("mach") ? Tolerance.percent(25)
                        : column.endsWith("_cold_penalty") ? Tolerance.percent(30)
                        : Tolerance.percent(size == 8 ? 5 : 10);
                yield of(id(e, t, row), t, r, "simulated", "paper", tol);
            }
            case FIGURE8 -> "bare_copy".equals(get(t, r, "column"))
                    ? of(id(e, t, row), t, r, "simulated", "paper", Tolerance.percent(10))
                    : null;
            case TABLE1 -> {
                String sw = (String) get(t, r, "switch");
                Tolerance tol = sw.equals("all") ? new Tolerance(Tolerance.Kind.AT_LEAST, 0, 0)
                        : new Tolerance(Tolerance.Kind.POINTS_OR_PERCENT, 5, 30);
                yield of(id(e, t, row), t, r, "simulated", "paper", tol);
            }
            case FOOTPRINT -> of(id(e, t, row), t, r, "simulated", "paper", Tolerance.percent(15));
            case PORTS -> switch ((String) get(t, r, "column")) {
                case "ports_minus_l3" -> of(id(e, t, row), t, r, "simulated", "paper",
                        new Tolerance(Tolerance.Kind.ABSOLUTE, 10, 0));
                case "ports_tlb_misses_added" -> of(id(e, t, row), t, r, "simulated", "paper",
                        new Tolerance(Tolerance.Kind.EXACT, 0, 0));
                default -> null;
            };
            case APPENDIX -> of(id(e, t, row), t, r, "cycles", "paper_cycles",
                    new Tolerance(Tolerance.Kind.EXACT, 0, 0));
            // both ± 25 %: thread-self issue 12's target, the bare trip the precision of the paper's "2 µs"
            case SYSCALL -> of(id(e, t, row), t, r, "us", "paper_us", Tolerance.percent(25), "us");
            default -> null;
        };
    }

    private static Figure of(String id, Table t, Object[] r, String simulated, String paper, Tolerance tol) {
        return of(id, t, r, simulated, paper, tol, t.columns().contains("unit") ? null : "cycles");
    }

    /** @param unit the figure's unit, or null: the row's {@code unit} column */
    private static Figure of(String id, Table t, Object[] r, String simulated, String paper, Tolerance tol,
            String unit) {
        Object s = get(t, r, simulated);
        Object p = get(t, r, paper);
        if (!(s instanceof Number sn) || !(p instanceof Number pn)) {
            return null;
        }
        Object u = unit != null ? unit : get(t, r, "unit");
        return new Figure(id, sn.doubleValue(), pn.doubleValue(), String.valueOf(u), tol);
    }

    private static Object get(Table t, Object[] row, String column) {
        int i = t.columns().indexOf(column);
        if (i < 0) {
            throw new IllegalStateException("table has no column '" + column + "': " + t.columns());
        }
        return row[i];
    }
}

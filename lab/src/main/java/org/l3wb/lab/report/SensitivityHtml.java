package org.l3wb.lab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.l3wb.lab.format.Table;
import org.l3wb.lab.ipc.Sensitivity;

/**
 * The board sensitivity's section of index.html ({@link BoardSensitivity}): one row per figure with a
 * target ({@link Targets}), its simulated value at each value of the board parameter (cells outside the
 * target marked), the paper's, and what its verdict depends on: within at every value, outside at every
 * value, or within at some values only — a conclusion that rests on the board. Shown are the figures the
 * plot follows and every figure whose verdict changes; sensitivity.csv and sensitivity.json hold every
 * figure at every value.
 */
final class SensitivityHtml {
    private SensitivityHtml() {
    }

    /** One figure at one value of the parameter. */
    private record At(Object value, Targets.Figure figure, double deviation) {
    }

    static void render(StringBuilder sb, Report.Section s, Map<String, String> configuration) {
        Table t = s.table();
        List<String> columns = t.columns();
        int value = columns.indexOf("value");
        int deviation = columns.indexOf("deviation");
        List<Object> values = new ArrayList<>();
        Map<String, List<At>> figures = new LinkedHashMap<>();
        Map<String, String> plotted = new LinkedHashMap<>();
        String parameter = t.rows().isEmpty() ? "" : String.valueOf(t.rows().get(0)[0]);
        for (Object[] row : t.rows()) {
            if (!values.contains(row[value])) {
                values.add(row[value]);
            }
            Targets.Figure f = figure(t, row);
            if (f != null) {
                figures.computeIfAbsent(f.id(), k -> new ArrayList<>()).add(new At(row[value], f,
                        row[deviation] instanceof Number d ? d.doubleValue() : Double.NaN));
                if (Sensitivity.PLOTTED.contains(Sensitivity.key(row))) {
                    plotted.put(f.id(), Sensitivity.key(row));
                }
            }
        }
        List<String> header = new ArrayList<>(List.of("figure"));
        for (Object v : values) {
            header.add(parameter + "=" + Table.cell(v));
        }
        header.addAll(List.of("paper", "target", "verdict"));
        Table shown = new Table(header.toArray(String[]::new));
        List<boolean[]> outside = new ArrayList<>();
        int steady = 0;
        for (Map.Entry<String, List<At>> f : figures.entrySet()) {
            List<String> in = new ArrayList<>();
            List<String> out = new ArrayList<>();
            Object[] row = new Object[header.size()];
            boolean[] marks = new boolean[header.size()];
            row[0] = f.getKey();
            Targets.Figure any = f.getValue().get(0).figure();
            for (At a : f.getValue()) {
                boolean within = a.figure().tolerance().holds(a.figure().simulated(), a.figure().paper());
                (within ? in : out).add(Table.cell(a.value()));
                int col = 1 + values.indexOf(a.value());
                row[col] = Table.cell(a.figure().simulated()) + (Double.isNaN(a.deviation()) ? ""
                        : " (" + (a.deviation() > 0 ? "+" : "") + Table.cell(a.deviation()) + ")");
                marks[col] = !within;
            }
            row[header.size() - 3] = any.paper();
            row[header.size() - 2] = any.tolerance().text();
            row[header.size() - 1] = out.isEmpty() ? "within at every value" : in.isEmpty() ? "outside at every value"
                    : "depends on the board: within at " + String.join(", ", in) + "; outside at " + String.join(", ", out);
            boolean changes = !in.isEmpty() && !out.isEmpty();
            if (!changes) {
                steady++;
            }
            if (changes || plotted.containsKey(f.getKey())) {
                shown.row(row);
                outside.add(marks);
            }
        }
        sb.append("<p>").append(steady).append(" of ").append(figures.size()).append(" figures with a target keep "
                + "their verdict at every value of <code>").append(ReportHtml.esc(parameter)).append("</code>; "
                + (figures.size() - steady) + (figures.size() - steady == 1 ? " depends" : " depend") + " on the board. Below: the figures the plot follows and every "
                + "figure whose verdict changes, each cell the simulated figure and, in brackets, its deviation from "
                + "the paper (% or points); every figure at every value: <a href=\"sensitivity.csv\">sensitivity.csv"
                + "</a>. Rounds as this report's: Table 7 and Table 1 ").append(ReportHtml.esc(configuration.get(
                "rounds.table7"))).append(", Figure 8 ").append(ReportHtml.esc(configuration.get("rounds.figure8")))
                .append(". Each board parameter's source: hw.cpu486/board.md.</p>\n");
        ReportHtml.table(sb, shown, (r, c) -> outside.get(r)[c]);
    }

    /** @return the sensitivity row's figure with its target, or null (none, or no paper value) */
    private static Targets.Figure figure(Table t, Object[] row) {
        List<String> c = t.columns();
        Object experiment = row[c.indexOf("figure")];
        Object size = row[c.indexOf("size")];
        Object column = row[c.indexOf("column")];
        Object simulated = row[c.indexOf("simulated")];
        Object paper = row[c.indexOf("paper")];
        Object unit = row[c.indexOf("unit")];
        // each row as its own experiment's table has it, so that the report's own targets apply
        Table one;
        Experiment e;
        if ("table1".equals(experiment)) {
            e = Experiment.TABLE1;
            one = new Table("switch", "size", "simulated", "paper", "unit");
        } else {
            e = Experiment.of(String.valueOf(experiment));
            one = new Table("size", "column", "simulated", "paper", "unit");
        }
        one.row(e == Experiment.TABLE1 ? column : size, e == Experiment.TABLE1 ? size : column, simulated, paper, unit);
        return Targets.figure(e, one, 0);
    }
}

package org.l3wb.lab.report;

import java.util.Map;
import java.util.Set;

import org.l3wb.lab.format.Table;

/**
 * {@code index.html}: one self-contained page (inline CSS, no script) that links the plots' SVG and PNG
 * files beside it. Tables are rendered from their columns and rows, whatever they are; cells the paper
 * has no figure for show "–". No time stamp: the same configuration gives the same bytes.
 */
final class ReportHtml {
    private ReportHtml() {
    }

    private static final String STYLE = """
            body { font-family: sans-serif; max-width: 72em; margin: 2em auto; padding: 0 1em; color: #222; }
            h1 { font-size: 1.6em; } h2 { font-size: 1.2em; margin-top: 2em; }
            table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.9em; }
            th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; }
            th { background: #f0f0f0; text-align: left; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            td.paper { background: #f7f7ff; } td.deviation { background: #fffaf0; }
            code, .hash { font-family: monospace; } .hash { word-break: break-all; }
            figure { margin: 1em 0; } figure img { max-width: 100%; border: 1px solid #ddd; }
            .skipped { color: #a00; }
            td.outside { background: #fde2e2; color: #900; font-weight: bold; }
            .score { font-size: 1.15em; } .score .count { font-size: 1.4em; font-weight: bold; }
            table.scorecard td { vertical-align: top; } table.scorecard td.why { max-width: 40em; font-size: 0.95em; }
            table.scorecard ul { margin: 0; padding-left: 1.1em; }
            table.configuration td:last-child { font-family: monospace; font-size: 0.85em; }
            """;

    static String render(Report report, Set<String> plots) {
        return render(report, plots, Scorecard.of(report));
    }

    static String render(Report report, Set<String> plots, Scorecard score) {
        Configuration c = report.configuration();
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>L3 Workbench report: Improving IPC by Kernel Design (SOSP 1993) reproduced</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        sb.append("<h1>L3 Workbench: <em>Improving IPC by Kernel Design</em> (Liedtke, SOSP 1993) reproduced</h1>\n");
        sb.append("<p>Every experiment of the workbench, run on the simulated ").append(esc(c.entries().get("processor")))
                .append(" (").append(esc(c.entries().get("processor.clock_mhz")))
                .append(" MHz). Each table gives the simulated figure beside the paper's and the deviation "
                        + "(percent, or percentage points where the figure is itself a percentage). The same data: "
                        + "<a href=\"report.json\">report.json</a> and one CSV per table.</p>\n");
        ScorecardHtml.render(sb, score);
        sb.append("<p>Contents: <a href=\"#scorecard\">scorecard</a> <a href=\"#configuration\">configuration</a>");
        for (Report.Section s : report.sections()) {
            sb.append(" <a href=\"#").append(s.experiment().key()).append("\">").append(s.experiment().key())
                    .append("</a>");
        }
        sb.append("</p>\n");
        for (Report.Section s : report.sections()) {
            Experiment e = s.experiment();
            sb.append("<h2 id=\"").append(e.key()).append("\">").append(esc(e.title())).append("</h2>\n");
            sb.append("<p><code>").append(esc(e.command()));
            if (e == Experiment.SENSITIVITY && c.entries().get("sensitivity") != null) {
                sb.append(' ').append(esc(c.entries().get("sensitivity")));
            }
            if (e.defaultRounds() > 0) {
                sb.append(" --rounds ").append(s.rounds());
            }
            sb.append("</code>");
            if (s.table() == null && e.optional() && c.entries().get("sensitivity") == null) {
                // not asked for: how to ask, not a failure
                sb.append(" · ").append(esc(s.skipped())).append("</p>\n");
                continue;
            }
            if (s.table() == null) {
                sb.append(" <span class=\"skipped\">skipped: ").append(esc(s.skipped())).append("</span></p>\n");
                continue;
            }
            sb.append(" · <a href=\"").append(e.key()).append(".csv\">").append(e.key()).append(".csv</a>");
            if (Experiment.OWN_JSON.contains(e)) {
                sb.append(" · <a href=\"").append(e.key()).append(".json\">").append(e.key()).append(".json</a>");
            }
            sb.append("</p>\n");
            PaperLayout layout = PaperLayout.of(s, score);
            if (e == Experiment.SENSITIVITY) {
                // what each conclusion depends on; every row of every value: the CSV
                SensitivityHtml.render(sb, s, c.entries());
            } else if (e == Experiment.CYCLES) {
                // steps down, configurations across: cycles only (instructions and misses per step: the CSV)
                table(sb, WhereTheCyclesGo.byStep(s.table()), (row, col) -> false);
            } else if (layout != null) {
                // the paper's layout; the CSV and JSON keep one figure a row
                table(sb, layout.table(), (row, col) -> layout.outside().get(row)[col]);
            } else {
                Table t = s.table();
                table(sb, t, (row, col) -> MARKED.contains(t.columns().get(col)) && score.outside(s, row));
            }
            if (plots.contains(e.key())) {
                sb.append("<figure><img src=\"").append(e.key()).append(".svg\" alt=\"").append(esc(e.title()))
                        .append("\" width=\"900\" height=\"560\"><figcaption>").append(esc(e.title()))
                        .append(" (<a href=\"").append(e.key()).append(".svg\">SVG</a>, <a href=\"").append(e.key())
                        .append(".png\">PNG</a>)</figcaption></figure>\n");
            }
        }
        // last: a reader wants the figures first, the settings that made them after
        sb.append("<h2 id=\"configuration\">Configuration</h2>\n");
        sb.append("<p>SHA-256 of the canonical configuration (<a href=\"configuration.txt\">configuration.txt</a>; "
                + "<code>sha256sum configuration.txt</code> prints it): <span class=\"hash\">")
                .append(esc(c.hash())).append("</span></p>\n");
        sb.append("<table class=\"configuration\">\n<tr><th>setting</th><th>value</th></tr>\n");
        for (Map.Entry<String, String> e : c.entries().entrySet()) {
            sb.append("<tr><td><code>").append(esc(e.getKey())).append("</code></td><td>").append(esc(e.getValue()))
                    .append("</td></tr>\n");
        }
        sb.append("</table>\n");
        sb.append("</body>\n</html>\n");
        return sb.toString();
    }

    /** The columns of a long-form row marked when its figure is outside its tolerance. */
    private static final Set<String> MARKED = Set.of("simulated", "deviation", "cycles", "us");

    /** A cell's position: row, column. */
    interface Marks {
        boolean outside(int row, int column);
    }

    static void table(StringBuilder sb, Table t, Marks marks) {
        sb.append("<table>\n<tr>");
        for (String col : t.columns()) {
            sb.append("<th>").append(esc(col)).append("</th>");
        }
        sb.append("</tr>\n");
        for (int r = 0; r < t.rows().size(); r++) {
            Object[] row = t.rows().get(r);
            sb.append("<tr>");
            for (int c = 0; c < row.length; c++) {
                String col = t.columns().get(c);
                // numbers, Table 1's "simulated / paper" and the sensitivity's "simulated (deviation)" cells,
                // right-aligned
                String cls = row[c] instanceof Number
                        || String.valueOf(row[c]).matches("-?[0-9.]+ (/ .*|\\([-+0-9.]+\\))") ? "num" : "";
                if (col.equals("paper") || col.startsWith("paper_")) {
                    cls = (cls + " paper").strip();
                } else if (col.equals("deviation") || col.startsWith("deviation ")) {
                    cls = (cls + " deviation").strip();
                }
                if (marks.outside(r, c)) {
                    cls = (cls + " outside").strip();
                }
                sb.append(cls.isEmpty() ? "<td>" : "<td class=\"" + cls + "\">")
                        .append(row[c] == null ? "–" : esc(cell(row[c]))).append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</table>\n");
    }

    /** A cell as the text and CSV renderings show it. */
    private static String cell(Object value) {
        return Table.cell(value);
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }
}

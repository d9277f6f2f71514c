package org.l3wb.lab.report;

import static org.l3wb.lab.report.ReportHtml.esc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.l3wb.lab.format.Table;

/**
 * The scorecard at the top of index.html: how many figures are within their target, then the ones
 * outside grouped by the known gap that explains them, each gap's explanation beside them.
 */
final class ScorecardHtml {
    private ScorecardHtml() {
    }

    static void render(StringBuilder sb, Scorecard score) {
        List<Scorecard.Scored> outside = score.outside();
        sb.append("<h2 id=\"scorecard\">Scorecard</h2>\n<p class=\"score\"><span class=\"count\">")
                .append(score.within()).append(" of ").append(score.figures().size())
                .append("</span> figures within their tolerance");
        if (score.figures().isEmpty()) {
            sb.append(" (none of this configuration's figures has a paper value to hold to)</p>\n");
            return;
        }
        sb.append("; ").append(outside.size()).append(" outside, marked in the tables below")
                .append(outside.isEmpty() ? "." : " and grouped here by the known gap that explains them.")
                .append("</p>\n<p>Targets (issue 12): Table 7's L3 column ± 10 % (± 5 % at 8 bytes), its "
                        + "cache-flush penalty ± 30 %, Mach ± 25 %; Table 1 ± 5 points or ± 30 %, whichever is "
                        + "wider; the bare copy ± 10 %; the footprint ± 15 %; ports 29 ± 10 cycles and 2 TLB "
                        + "misses; the appendix exactly. Table 2, Dash and section 7.4 are compared below "
                        + "without a target. The explanations are README.md's \u201cKnown gaps\u201d, from one "
                        + "source (lab's <code>known-gaps.txt</code>).</p>\n");
        if (outside.isEmpty()) {
            return;
        }
        Map<KnownGaps.KnownGap, List<Scorecard.Scored>> byGap = new LinkedHashMap<>();
        List<Scorecard.Scored> unexplained = new ArrayList<>();
        for (Scorecard.Scored f : outside) {
            if (f.gap() == null) {
                unexplained.add(f);
            } else {
                byGap.computeIfAbsent(f.gap(), g -> new ArrayList<>()).add(f);
            }
        }
        sb.append("<table class=\"scorecard\">\n<tr><th>known gap</th><th>outside its tolerance: simulated / paper")
                .append("</th><th>why</th></tr>\n");
        byGap.forEach((gap, figures) -> row(sb, esc(gap.title()), figures, esc(gap.why())));
        if (!unexplained.isEmpty()) {
            row(sb, "<span class=\"skipped\">not explained</span>", unexplained,
                    "No known gap names these figures: add one to lab's known-gaps.txt (and the README).");
        }
        sb.append("</table>\n");
    }

    private static void row(StringBuilder sb, String title, List<Scorecard.Scored> figures, String why) {
        // a tolerance the group's figures share is said once, under the gap's title
        boolean shared = figures.stream().map(f -> f.tolerance().text()).distinct().count() == 1;
        sb.append("<tr><td><strong>").append(title).append("</strong>");
        if (shared) {
            sb.append("<br>tolerance ").append(esc(figures.get(0).tolerance().text()));
        }
        sb.append("</td><td><ul>");
        for (Scorecard.Scored f : figures) {
            String unit = f.unit().equals("us") ? "µs" : f.unit();
            sb.append("<li><a href=\"#").append(f.section().experiment().key()).append("\"><code>").append(esc(f.id()))
                    .append("</code></a> ").append(esc(Table.cell(f.simulated()))).append(" / ")
                    .append(esc(Table.cell(f.paper()))).append(' ').append(esc(unit));
            if (!shared) {
                sb.append(" (").append(esc(f.tolerance().text())).append(')');
            }
            sb.append("</li>");
        }
        sb.append("</ul></td><td class=\"why\">").append(why).append("</td></tr>\n");
    }
}

package org.l3wb.lab.report;

import java.util.ArrayList;
import java.util.List;

import org.l3wb.lab.format.JsonText;
import org.l3wb.lab.format.Table;

/**
 * How many of the report's figures hold: each figure the paper gives and issue 12 sets a target for
 * ({@link Targets}), simulated beside the paper's value, within its tolerance or not, and each one
 * outside with the known gap that explains it ({@link KnownGaps}) — or none, which the report shows as
 * unexplained.
 *
 * <pre>
 * Scorecard s = Scorecard.of(report);
 * s.within() + " of " + s.figures().size() + " figures within their tolerance";
 * </pre>
 */
record Scorecard(List<Scored> figures) {
    /** One figure: its id ({@code table7/l3/8}), where it is, the two values, its target and the verdict. */
    record Scored(String id, Report.Section section, int row, double simulated, double paper, String unit,
                  Targets.Tolerance tolerance, boolean within, KnownGaps.KnownGap gap) {
    }

    Scorecard {
        figures = List.copyOf(figures);
    }

    static Scorecard of(Report report) {
        KnownGaps gaps = KnownGaps.load();
        List<Scored> scored = new ArrayList<>();
        for (Report.Section s : report.sections()) {
            Table t = s.table();
            if (t == null) {
                continue;
            }
            for (int r = 0; r < t.rows().size(); r++) {
                Targets.Figure f = Targets.figure(s.experiment(), t, r);
                if (f == null) {
                    continue;
                }
                boolean within = f.tolerance().holds(f.simulated(), f.paper());
                scored.add(new Scored(f.id(), s, r, f.simulated(), f.paper(), f.unit(), f.tolerance(), within,
                        within ? null : gaps.explaining(f.id())));
            }
        }
        return new Scorecard(scored);
    }

    int within() {
        return (int) figures.stream().filter(Scored::within).count();
    }

    List<Scored> outside() {
        return figures.stream().filter(f -> !f.within()).toList();
    }

    /** @return whether row {@code row} of {@code s}'s table holds a figure outside its tolerance */
    boolean outside(Report.Section s, int row) {
        return figures.stream().anyMatch(f -> !f.within() && f.section() == s && f.row() == row);
    }

    /** @return the figure at row {@code row} of {@code s}, or null when that row has no target */
    Scored at(Report.Section s, int row) {
        return figures.stream().filter(f -> f.section() == s && f.row() == row).findFirst().orElse(null);
    }

    /**
     * Writes the scorecard as an object: {@code {"figures": N, "within": M, "outside": [{"figure": id,
     * "simulated": x, "paper": y, "unit": u, "tolerance": "± 10 %", "gap": title, "why": text}, ...]}}.
     */
    void json(JsonText j) {
        j.startObject(JsonText.Layout.LINES);
        j.name("figures").value(figures.size());
        j.name("within").value(within());
        j.name("outside").startArray(JsonText.Layout.LINES);
        for (Scored f : outside()) {
            j.startObject(JsonText.Layout.INLINE).name("figure").value(f.id()).name("simulated").value(f.simulated())
                    .name("paper").value(f.paper()).name("unit").value(f.unit())
                    .name("tolerance").value(f.tolerance().text()).name("gap")
                    .value(f.gap() == null ? null : f.gap().title()).name("why")
                    .value(f.gap() == null ? null : f.gap().why()).end();
        }
        j.end().end();
    }
}

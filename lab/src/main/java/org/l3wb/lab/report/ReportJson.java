package org.l3wb.lab.report;

import java.util.List;
import java.util.Map;

import org.l3wb.lab.format.JsonText;
import org.l3wb.lab.format.JsonText.Layout;
import org.l3wb.lab.format.Table;

/**
 * {@code report.json}:
 * <pre>
 * {
 *   "hash": "SHA-256 hex of configuration.txt",
 *   "configuration": {"processor": "i486dx50", "processor.clock_mhz": 50, ..., "rounds.table7": 10000, ...},
 *   "experiments": [
 *     {"name": "table7", "title": "...", "rounds": 10000, "columns": [...], "rows": [{"size": 8, ...}, ...]},
 *     {"name": "dash", "title": "...", "rounds": 500, "skipped": "needs IPC mechanism 'dash' ..."},
 *     ...
 *   ],
 *   "scorecard": {"figures": 58, "within": 30, "outside": [{"figure": "table7/l3/8", "simulated": 4.61,
 *     "paper": 5.2, "unit": "us", "tolerance": "± 5 %", "gap": "...", "why": "..."}, ...]},
 *   "statistics": [{"figure": "table7/l3/8", "samples": 20, "min": ..., "max": ..., "mean": ..., "median": ...,
 *     "stddev": ...}, ...]
 * }
 * </pre>
 * Configuration values that are whole numbers are JSON numbers, the rest strings. No time stamp: the
 * same configuration gives the same bytes. Experiments added since ({@link Experiment#OWN_JSON}) are not
 * in it but each in {@code KEY.json}: <pre>{"hash": "...", "name": "cycles", "title": "...", "columns": [...], "rows": [
 *   {...}, ...
 * ]}</pre>
 */
final class ReportJson {
    private ReportJson() {
    }

    static String render(Report report) {
        return render(report, Scorecard.of(report));
    }

    /** report.json, ending in the scorecard ({@link Scorecard#json}). */
    static String render(Report report, Scorecard score) {
        JsonText j = new JsonText().startObject(Layout.LINES);
        j.name("hash").value(report.configuration().hash());
        j.name("configuration").startObject(Layout.LINES);
        for (Map.Entry<String, String> e : report.configuration().entries().entrySet()) {
            j.name(e.getKey());
            if (e.getValue().matches("-?[0-9]{1,9}")) {
                j.number(e.getValue());
            } else {
                j.value(e.getValue());
            }
        }
        j.end().name("experiments").startArray(Layout.LINES);
        for (Report.Section s : report.sections()) {
            if (Experiment.OWN_JSON.contains(s.experiment())) {
                continue; // in a file of its own: report.json stays as it was
            }
            j.startObject(Layout.INLINE);
            section(j, s);
            j.end();
        }
        j.end().name("scorecard");
        score.json(j);
        j.name("statistics");
        SegmentStatistics.json(j, SegmentStatistics.of(report));
        return j.end().text() + "\n";
    }

    /**
     * {@code KEY.json} of an experiment in {@link Experiment#OWN_JSON}: the configuration's hash, then the
     * object report.json would have held for it ({@code name}, {@code title}, {@code columns}, {@code rows}).
     */
    static String renderOwn(Report report, Report.Section s) {
        JsonText j = new JsonText().startObject(Layout.INLINE);
        j.name("hash").value(report.configuration().hash());
        section(j, s);
        return j.end().text() + "\n";
    }

    private static void section(JsonText j, Report.Section s) {
        j.name("name").value(s.experiment().key());
        j.name("title").value(s.experiment().title());
        if (s.experiment().defaultRounds() > 0) {
            j.name("rounds").value(s.rounds());
        }
        if (s.table() == null) {
            j.name("skipped").value(s.skipped());
            return;
        }
        Table t = s.table();
        j.name("columns").value(List.copyOf(t.columns()));
        j.name("rows");
        t.json(j);
    }
}

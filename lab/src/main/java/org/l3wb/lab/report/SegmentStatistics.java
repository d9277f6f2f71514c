package org.l3wb.lab.report;

import java.util.ArrayList;
import java.util.List;

import org.l3wb.lab.format.JsonText;
import org.l3wb.lab.format.Table;

/**
 * For every averaged figure of a report, statistics over its measurement segments in the shape sel4bench
 * gives them (samples, min, max, mean, median, standard deviation): a run of N round trips is measured in
 * slices (PingPong.Result's segments), and a figure derived from several runs (a penalty, an added
 * percentage) is derived per slice. They show whether the state was steady; they change no figure (the
 * figure is the run's total over its IPCs, the segments' weighted mean).
 *
 * <pre>
 * for (SegmentStatistics.Figure f : SegmentStatistics.of(report)) { f.id(); f.median(); f.stddev(); }
 * </pre>
 */
final class SegmentStatistics {
    private SegmentStatistics() {
    }

    /** One figure's segments: count, extremes, mean, median and the sample standard deviation (n − 1). */
    record Figure(String id, int samples, double min, double max, double mean, double median, double stddev) {
        static Figure of(String id, List<Double> values) {
            List<Double> sorted = new ArrayList<>(values);
            sorted.sort(null);
            int n = sorted.size();
            double mean = 0;
            for (double v : sorted) {
                mean += v;
            }
            mean /= n;
            double squares = 0;
            for (double v : sorted) {
                squares += (v - mean) * (v - mean);
            }
            double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
            return new Figure(id, n, sorted.get(0), sorted.get(n - 1), mean, median,
                    n > 1 ? Math.sqrt(squares / (n - 1)) : 0);
        }
    }

    static List<Figure> of(Report report) {
        List<Figure> out = new ArrayList<>();
        for (Report.Section s : report.sections()) {
            Table t = s.table();
            if (t == null) {
                continue;
            }
            for (int r = 0; r < t.rows().size(); r++) {
                if (!t.samples(r).isEmpty()) {
                    out.add(Figure.of(Targets.id(s.experiment(), t, r), t.samples(r)));
                }
            }
        }
        return out;
    }

    /** Writes {@code [{"figure": id, "samples": n, "min": x, ...}, ...]}, one figure a line. */
    static void json(JsonText j, List<Figure> figures) {
        j.startArray(JsonText.Layout.LINES);
        for (Figure f : figures) {
            j.startObject(JsonText.Layout.INLINE).name("figure").value(f.id()).name("samples").value(f.samples())
                    .name("min").value(f.min()).name("max").value(f.max()).name("mean").value(f.mean())
                    .name("median").value(f.median()).name("stddev").value(f.stddev()).end();
        }
        j.end();
    }
}

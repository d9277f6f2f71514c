package org.l3wb.lab.report;

import java.util.List;
import java.util.Map;

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
 *   ]
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
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"hash\": ").append(Table.quote(report.configuration().hash())).append(",\n");
        sb.append("  \"configuration\": {");
        boolean first = true;
        for (Map.Entry<String, String> e : report.configuration().entries().entrySet()) {
            sb.append(first ? "\n    " : ",\n    ").append(Table.quote(e.getKey())).append(": ")
                    .append(e.getValue().matches("-?[0-9]{1,9}") ? e.getValue() : Table.quote(e.getValue()));
            first = false;
        }
        sb.append("\n  },\n  \"experiments\": [");
        first = true;
        for (Report.Section s : report.sections()) {
            if (Experiment.OWN_JSON.contains(s.experiment())) {
                continue; // in a file of its own: report.json stays as it was
            }
            sb.append(first ? "\n    {" : ",\n    {");
            first = false;
            section(sb, s, "      ", "    ");
        }
        return sb.append("\n  ]\n}\n").toString();
    }

    /**
     * {@code KEY.json} of an experiment in {@link Experiment#OWN_JSON}: the configuration's hash, then the
     * object report.json would have held for it ({@code name}, {@code title}, {@code columns}, {@code rows}).
     */
    static String renderOwn(Report report, Report.Section s) {
        StringBuilder sb = new StringBuilder("{\"hash\": ");
        sb.append(Table.quote(report.configuration().hash())).append(", ");
        section(sb, s, "  ", "");
        return sb.append("\n").toString();
    }

    private static void section(StringBuilder sb, Report.Section s, String rowIndent, String endIndent) {
        sb.append("\"name\": ").append(Table.quote(s.experiment().key()));
        sb.append(", \"title\": ").append(Table.quote(s.experiment().title()));
        if (s.experiment().defaultRounds() > 0) {
            sb.append(", \"rounds\": ").append(s.rounds());
        }
        if (s.table() == null) {
            sb.append(", \"skipped\": ").append(Table.quote(s.skipped())).append('}');
            return;
        }
        Table t = s.table();
        sb.append(", \"columns\": ").append(Table.jsonValue(List.copyOf(t.columns())));
        sb.append(", \"rows\": [");
        for (int r = 0; r < t.rows().size(); r++) {
            Object[] row = t.rows().get(r);
            sb.append(r == 0 ? "\n" + rowIndent + "{" : ",\n" + rowIndent + "{");
            for (int c = 0; c < row.length; c++) {
                sb.append(c == 0 ? "" : ", ").append(Table.quote(t.columns().get(c))).append(": ")
                        .append(Table.jsonValue(row[c]));
            }
            sb.append('}');
        }
        sb.append(t.rows().isEmpty() ? "]}" : "\n" + endIndent + "]}");
    }
}

package org.l3wb.lab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.l3wb.lab.format.Table;

/**
 * Tables 7 and 1 in the paper's own layout for index.html, from their long form (the CSV and JSON keep
 * the long form, one figure a row): Table 7 as sizes down and L3, the cache-flush penalty and Mach
 * across, each simulated beside the paper's and the deviation; Table 1 as switches down and sizes
 * across, each cell "simulated / paper". {@link #outside} marks the cells of figures outside their
 * tolerance ({@link Scorecard}).
 */
record PaperLayout(Table table, List<boolean[]> outside) {
    /** Table 1's row names, by switch key. */
    private static final Map<String, String> ROWS = Map.of("registers", "short messages via registers",
            "direct", "direct transfer (temporary mapping)", "lazy", "lazy scheduling", "segments",
            "segment registers", "replywait", "reply & wait", "condensed", "condensed tables", "vtcb",
            "virtual TCB", "all", "all seven (paper: far more than their sum, 134)");

    /** @return {@code s}'s table in the paper's layout, or null when the paper lays it out as it is */
    static PaperLayout of(Report.Section s, Scorecard score) {
        return switch (s.experiment()) {
            case TABLE7 -> table7(s, score);
            case TABLE1 -> table1(s, score);
            default -> null;
        };
    }

    private static PaperLayout table7(Report.Section s, Scorecard score) {
        Table t = s.table();
        int size = t.columns().indexOf("size");
        int column = t.columns().indexOf("column");
        List<String> kinds = new ArrayList<>();
        Map<Object, Map<String, Integer>> bySize = new LinkedHashMap<>();
        for (int r = 0; r < t.rows().size(); r++) {
            Object[] row = t.rows().get(r);
            String kind = (String) row[column];
            if (!kinds.contains(kind)) {
                kinds.add(kind);
            }
            bySize.computeIfAbsent(row[size], k -> new LinkedHashMap<>()).put(kind, r);
        }
        List<String> header = new ArrayList<>(List.of("bytes"));
        for (String k : kinds) {
            String name = k.endsWith("_cold_penalty") ? "cache-flush penalty" : k.equals("mach") ? "Mach" : k.toUpperCase();
            header.addAll(List.of(name + " (µs)", "paper", "deviation %"));
        }
        Table wide = new Table(header.toArray(String[]::new));
        List<boolean[]> marks = new ArrayList<>();
        int simulated = t.columns().indexOf("simulated");
        int paper = t.columns().indexOf("paper");
        int deviation = t.columns().indexOf("deviation");
        for (Map.Entry<Object, Map<String, Integer>> e : bySize.entrySet()) {
            Object[] cells = new Object[header.size()];
            boolean[] mark = new boolean[header.size()];
            cells[0] = e.getKey();
            for (int k = 0; k < kinds.size(); k++) {
                Integer r = e.getValue().get(kinds.get(k));
                if (r != null) {
                    Object[] row = t.rows().get(r);
                    cells[1 + 3 * k] = row[simulated];
                    cells[2 + 3 * k] = row[paper];
                    cells[3 + 3 * k] = row[deviation];
                    mark[1 + 3 * k] = score.outside(s, r);
                    mark[3 + 3 * k] = mark[1 + 3 * k];
                }
            }
            wide.row(cells);
            marks.add(mark);
        }
        return new PaperLayout(wide, marks);
    }

    private static PaperLayout table1(Report.Section s, Scorecard score) {
        Table t = s.table();
        int sw = t.columns().indexOf("switch");
        int size = t.columns().indexOf("size");
        int simulated = t.columns().indexOf("simulated");
        int paper = t.columns().indexOf("paper");
        List<Object> sizes = new ArrayList<>();
        Map<String, Map<Object, Integer>> bySwitch = new LinkedHashMap<>();
        for (int r = 0; r < t.rows().size(); r++) {
            Object[] row = t.rows().get(r);
            if (!sizes.contains(row[size])) {
                sizes.add(row[size]);
            }
            bySwitch.computeIfAbsent((String) row[sw], k -> new LinkedHashMap<>()).put(row[size], r);
        }
        List<String> header = new ArrayList<>(List.of("removed (% added, simulated / paper)"));
        sizes.forEach(z -> header.add(z + " bytes"));
        Table wide = new Table(header.toArray(String[]::new));
        List<boolean[]> marks = new ArrayList<>();
        for (Map.Entry<String, Map<Object, Integer>> e : bySwitch.entrySet()) {
            Object[] cells = new Object[header.size()];
            boolean[] mark = new boolean[header.size()];
            cells[0] = ROWS.getOrDefault(e.getKey(), e.getKey());
            for (int z = 0; z < sizes.size(); z++) {
                Integer r = e.getValue().get(sizes.get(z));
                if (r != null) {
                    Object[] row = t.rows().get(r);
                    cells[1 + z] = Table.cell(row[simulated]) + " / " + (row[paper] == null ? "–" : Table.cell(row[paper]));
                    mark[1 + z] = score.outside(s, r);
                }
            }
            wide.row(cells);
            marks.add(mark);
        }
        return new PaperLayout(wide, marks);
    }
}

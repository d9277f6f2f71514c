package org.l3wb.it.batch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the CSV tables that listing commands print with {@code --format csv}, one after another. */
final class CsvTables {
    private CsvTables() {
    }

    /** @return the rows (header excluded) of the table that starts at the line equal to {@code header} */
    static List<List<String>> rows(List<String> lines, String header) {
        int start = lines.indexOf(header);
        if (start < 0) {
            throw new AssertionError("no table with header '" + header + "' in:\n" + String.join("\n", lines));
        }
        int columns = fields(header).size();
        List<List<String>> rows = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            List<String> f = fields(line);
            // the next table's header, or a line of another shape, ends this one
            if (f.size() != columns || isHeader(line)) {
                break;
            }
            rows.add(f);
        }
        return rows;
    }

    /** @return the names (column 2) of the rows whose column 1, {@code selected}, is true */
    static List<String> selected(List<String> lines, String header) {
        List<String> names = new ArrayList<>();
        for (List<String> row : rows(lines, header)) {
            if (row.get(0).equals("true")) {
                names.add(row.get(1));
            } else if (!row.get(0).equals("false")) {
                throw new AssertionError("selected is neither true nor false: " + row);
            }
        }
        return names;
    }

    /** @return switch name to on/off from {@code ipc:switches --format csv} */
    static Map<String, String> switches(List<String> lines) {
        Map<String, String> states = new LinkedHashMap<>();
        for (List<String> row : rows(lines, "switch,state,optimisation")) {
            states.put(row.get(0), row.get(1));
        }
        return states;
    }

    private static boolean isHeader(String line) {
        return line.startsWith("selected,") || line.startsWith("switch,") || line.startsWith("mechanism,");
    }

    /** Splits one CSV line; a field in double quotes may hold commas and doubled quotes. */
    static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}

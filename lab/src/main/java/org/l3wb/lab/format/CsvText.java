package org.l3wb.lab.format;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * CSV through Apache Commons CSV: RFC 4180 with {@code \n} between records, a header line of column
 * names, values quoted only where needed (Commons CSV's minimal quoting).
 *
 * <pre>
 * String csv = CsvText.write(List.of("size", "us"), List.of(List.of("8", "5.2")));   // size,us\n8,5.2\n
 * CsvText.Rows rows = CsvText.read(csv);   // rows.header() = [size, us], rows.get(0, "us") = "5.2"
 * </pre>
 */
public final class CsvText {
    static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator('\n').get();
    private static final CSVFormat READ = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
            .get();

    private CsvText() {
    }

    /** @return {@code header} then each row, a record per line, each line ending in {@code \n} */
    public static String write(List<String> header, List<? extends List<String>> rows) {
        StringBuilder sb = new StringBuilder();
        try (CSVPrinter p = new CSVPrinter(sb, FORMAT)) {
            p.printRecord(header);
            for (List<String> r : rows) {
                p.printRecord(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sb.toString();
    }

    /** A CSV file read: its header and its records, values as written (an empty value is {@code ""}). */
    public record Rows(List<String> header, List<List<String>> rows) {
        /** @return the value of {@code column} in row {@code row}; fails naming the column if there is none */
        public String get(int row, String column) {
            int c = header.indexOf(column);
            if (c < 0) {
                throw new IllegalArgumentException("no column '" + column + "' in " + header);
            }
            return rows.get(row).get(c);
        }
    }

    public static Rows read(String text) {
        return read(new StringReader(text));
    }

    /** Reads a CSV whose first line names the columns; fails on a record with another number of values. */
    public static Rows read(Reader in) {
        try (CSVParser p = CSVParser.builder().setReader(in).setFormat(READ).get()) {
            List<String> header = List.copyOf(p.getHeaderNames());
            List<List<String>> rows = new ArrayList<>();
            for (CSVRecord r : p) {
                if (r.size() != header.size()) {
                    throw new IllegalArgumentException("CSV line " + p.getCurrentLineNumber() + " has " + r.size()
                            + " values for " + header.size() + " columns");
                }
                rows.add(r.toList());
            }
            return new Rows(header, List.copyOf(rows));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("not CSV: " + e.getMessage(), e);
        }
    }
}

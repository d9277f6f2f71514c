package org.l3wb.lab.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class CsvTextTest {
    @Test
    void valuesAreQuotedOnlyWhereNeededAndReadBack() {
        List<List<String>> rows = List.of(List.of("8", "a,b", "say \"hi\""), List.of("-1", "two\nlines", "#x"),
                Arrays.asList(null, "", "trail "));
        String csv = CsvText.write(List.of("size", "name", "note"), rows);
        assertEquals("size,name,note\n8,\"a,b\",\"say \"\"hi\"\"\"\n-1,\"two\nlines\",\"#x\"\n,,\"trail \"\n", csv);
        CsvText.Rows read = CsvText.read(csv);
        assertEquals(List.of("size", "name", "note"), read.header());
        assertEquals(List.of("8", "a,b", "say \"hi\""), read.rows().get(0));
        assertEquals(List.of("-1", "two\nlines", "#x"), read.rows().get(1));
        assertEquals(List.of("", "", "trail "), read.rows().get(2));
        assertEquals("two\nlines", read.get(1, "name"));
    }

    @Test
    void badCsvFailsNamingWhatIsWrong() {
        assertEquals("CSV line 2 has 1 values for 2 columns",
                assertThrows(IllegalArgumentException.class, () -> CsvText.read("a,b\n1\n")).getMessage());
        assertEquals("no column 'c' in [a, b]",
                assertThrows(IllegalArgumentException.class, () -> CsvText.read("a,b\n1,2\n").get(0, "c"))
                        .getMessage());
    }
}

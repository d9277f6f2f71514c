package org.l3wb.lab.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class TableTest {
    final Table t = new Table("table", "cycles", "paper", "pages")
            .row(3, 172L, 172, List.of("a", "b"))
            .row(4, 62.5, null, List.of());

    @Test
    void jsonIsAnArrayOfObjectsWithNullWhereThePaperHasNone() {
        assertEquals("[\n  {\"table\": 3, \"cycles\": 172, \"paper\": 172, \"pages\": [\"a\", \"b\"]},\n"
                + "  {\"table\": 4, \"cycles\": 62.5, \"paper\": null, \"pages\": []}\n]", t.render(Format.JSON));
    }

    @Test
    void csvHasAHeaderAndEmptyCellsForNull() {
        assertEquals("table,cycles,paper,pages\n3,172,172,a; b\n4,62.5,,", t.render(Format.CSV));
    }

    @Test
    void textAlignsColumns() {
        assertEquals("table  cycles  paper  pages\n    3     172    172  a; b\n    4    62.5      -",
                t.render(Format.TEXT));
    }

    @Test
    void unknownFormatsAreRejectedInOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Format.parse("xml"));
        assertEquals("unknown --format 'xml': expected text, csv or json", e.getMessage());
        assertEquals(Format.JSON, Format.parse("JSON"));
    }

    @Test
    void stringsAreEscaped() {
        assertEquals("\"a\\\"b\\n\"", Table.quote("a\"b\n"));
    }
}

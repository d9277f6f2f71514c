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
    void stringsAreEscapedInJsonAndQuotedInCsv() {
        Table q = new Table("name", "n").row("a\"b\n", 1).row("x,y", 2).row(" lead", 3);
        assertEquals("[\n  {\"name\": \"a\\\"b\\n\", \"n\": 1},\n  {\"name\": \"x,y\", \"n\": 2},\n"
                + "  {\"name\": \" lead\", \"n\": 3}\n]", q.render(Format.JSON));
        assertEquals("name,n\n\"a\"\"b\n\",1\n\"x,y\",2\n\" lead\",3", q.render(Format.CSV));
    }

    @Test
    void aOneRowResultIsAnObject() {
        assertEquals("{\n  \"table\": 3,\n  \"cycles\": 172\n}",
                new Table("table", "cycles").row(3, 172L).renderObject(Format.JSON));
    }

    @Test
    void whatIsWrittenReadsBack() {
        CsvText.Rows rows = CsvText.read(t.render(Format.CSV) + "\n");
        assertEquals(List.of("table", "cycles", "paper", "pages"), rows.header());
        assertEquals(List.of("4", "62.5", "", ""), rows.rows().get(1));
        Object json = JsonTree.read(t.render(Format.JSON));
        assertEquals(List.of("a", "b"), ((java.util.Map<?, ?>) ((List<?>) json).get(0)).get("pages"));
        assertEquals(62.5, ((java.util.Map<?, ?>) ((List<?>) json).get(1)).get("cycles"));
    }
}

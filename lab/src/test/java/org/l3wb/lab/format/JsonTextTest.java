package org.l3wb.lab.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTextTest {
    @Test
    void numbersKeepLabsFormat() {
        assertEquals("[172, 62.5, 0.333, 2, -1.25, null, 7, true]",
                new JsonText().value(Arrays.asList(172.0, 62.5, 1 / 3.0, 1.9999, -1.25, Double.NaN, 7L, true))
                        .text());
        assertEquals("2", JsonText.number(1.9999)); // not "2." (no JSON number)
    }

    @Test
    void layoutsNestAsLabsFilesHaveThem() {
        JsonText j = new JsonText().startObject(JsonText.Layout.LINES);
        j.name("hash").value("ab");
        j.name("experiments").startArray(JsonText.Layout.LINES).startObject(JsonText.Layout.INLINE)
                .name("name").value("t").name("rows").startArray(JsonText.Layout.LINES)
                .startObject(JsonText.Layout.INLINE).name("size").value(8).end().end().end().end();
        j.name("empty").startArray(JsonText.Layout.LINES).end();
        assertEquals("{\n  \"hash\": \"ab\",\n  \"experiments\": [\n    {\"name\": \"t\", \"rows\": [\n"
                + "      {\"size\": 8}\n    ]}\n  ],\n  \"empty\": []\n}", j.end().text());
    }

    @Test
    void aBreakPutsOneEntryOnALineOfItsOwn() {
        JsonText j = new JsonText().startArray(JsonText.Layout.FLAT).startObject(JsonText.Layout.INLINE);
        j.name("a").value(1).breakBeforeNext().name("b").value(2).name("c").value(3);
        assertEquals("[\n{\"a\": 1,\n\"b\": 2, \"c\": 3}\n]", j.end().end().text());
    }

    @Test
    void controlCharactersQuotesAndUnicodeRoundTrip() {
        String nasty = "q\"b\\s/\t\n\r\u0001\b\f → ü 𝄞";
        String text = new JsonText().value(List.of(nasty)).text();
        assertTrue(text.contains("\\u0001"), text);
        assertTrue(text.contains("\\\"") && text.contains("\\\\") && text.contains("\\n"), text);
        assertEquals(List.of(nasty), JsonTree.read(text));
    }

    @Test
    void treesHaveOrderedObjectsLongsAndDoubles() {
        Map<String, Object> m = JsonTree.object("{\"b\": 1, \"a\": [2.5, null, \"x\", false], \"c\": {}}");
        assertEquals(List.of("b", "a", "c"), List.copyOf(m.keySet()));
        assertEquals(1L, m.get("b"));
        assertEquals(Arrays.asList(2.5, null, "x", false), m.get("a"));
        assertNull(JsonTree.read("null"));
    }

    @Test
    void badJsonFailsInOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonTree.read("{\"a\": }"));
        assertTrue(e.getMessage().startsWith("not JSON: ") && !e.getMessage().contains("\n"), e.getMessage());
        assertEquals("not JSON: more than one value (line 1)",
                assertThrows(IllegalArgumentException.class, () -> JsonTree.read("1 2")).getMessage());
        assertEquals("not a JSON object",
                assertThrows(IllegalArgumentException.class, () -> JsonTree.object("[1]")).getMessage());
        assertEquals("not JSON: empty", assertThrows(IllegalArgumentException.class, () -> JsonTree.read(" ")).getMessage());
    }
}

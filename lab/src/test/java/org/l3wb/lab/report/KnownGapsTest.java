package org.l3wb.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class KnownGapsTest {
    static final String BEGIN = "<!-- known-gaps: generated from lab/src/main/resources/org/l3wb/lab/report/known-gaps.txt -->";
    static final String END = "<!-- /known-gaps -->";

    @Test
    void theReadmeSaysWhatTheReportSays() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        int from = readme.indexOf(BEGIN);
        int to = readme.indexOf(END);
        assertTrue(from >= 0 && to > from, "README.md has no known-gaps section between " + BEGIN + " and " + END);
        String section = readme.substring(from + BEGIN.length(), to);
        // wrapped freely in the README: compared word by word
        assertEquals(words(KnownGaps.load().markdown()), words(section),
                "README.md's known gaps differ from known-gaps.txt: paste KnownGaps.markdown()'s text");
    }

    private static String words(String s) {
        return s.strip().replaceAll("\\s+", " ");
    }

    @Test
    void patternsNameFiguresByPart() {
        KnownGaps gaps = KnownGaps.load();
        assertEquals("The Mach baseline is faster than Table 7's", gaps.explaining("table7/mach/4096").title());
        assertNotNull(gaps.explaining("table7/l3/8"));
        assertNull(gaps.explaining("table7/l3/12"), "only the 8-byte L3 figure has a gap");
        assertNull(gaps.explaining("table7/mach/8/x"), "* stands for one part");
        assertNotNull(gaps.explaining("ports/ports_tlb_misses_added"));
    }

    @Test
    void aGapWithoutExplanationIsRefused() {
        assertEquals("known-gaps.txt: gap [table7/l3/8] needs a title and why",
                assertThrows(IllegalArgumentException.class, () -> KnownGaps.parse("== table7/l3/8\ntitle only\n"))
                        .getMessage());
    }
}

package org.l3wb.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.l3wb.lab.format.JsonText;
import org.l3wb.lab.format.Table;

class ScorecardTest {
    /** A report of hand-made tables: no experiment runs. */
    static Report report() {
        Table t7 = new Table("size", "column", "simulated", "paper", "deviation", "unit")
                .row(8, "l3", 4.61, 5.2, -11.4, "us")          // outside ± 5 %
                .row(8, "l3_cold_penalty", 5.3, 6.4, -17.1, "us") // within ± 30 %
                .row(8, "mach", 83.73, 115.0, -27.2, "us")       // outside ± 25 %
                .row(12, "l3", 6.85, 7.6, -9.9, "us")            // within ± 10 %
                .row(12, "l3_cold_penalty", 9.39, null, null, "us"); // no paper value: not scored
        Table t1 = new Table("switch", "size", "simulated", "paper", "deviation", "unit")
                .row("lazy", 8, 27.4, 23.0, 4.4, "%")   // within 5 points
                .row("lazy", 4096, 3.5, 1.0, 2.5, "%")  // within 5 points although +250 %
                .row("condensed", 8, 7.9, 13.0, -5.1, "%") // outside: 5.1 > max(5, 3.9)
                .row("direct", 4096, 97.3, 157.0, -59.7, "%") // outside: 59.7 > 47.1
                .row("vtcb", 12, 0, null, null, "%")
                .row("all", 8, 221.2, 134.0, 87.2, "%"); // at least the sum
        Table t2 = new Table("processor", "clock_mhz", "simulated", "paper", "deviation", "unit")
                .row("i386dx20", 20, 48.45, 60.0, -19.2, "us"); // no target
        Table ports = new Table("size", "column", "simulated", "paper", "deviation", "unit")
                .row(8, "ports_minus_l3", 38.9, 29, 34.1, "cycles") // within ± 10 cycles
                .row(8, "ports_tlb_misses_added", 3, 2, null, "misses"); // outside: exact
        Configuration c = Configuration.of(TestBench.setup(), Report.defaultRounds());
        return new Report(c, List.of(new Report.Section(Experiment.TABLE7, 10, t7, null),
                new Report.Section(Experiment.TABLE1, 10, t1, null), new Report.Section(Experiment.TABLE2, 10, t2, null),
                new Report.Section(Experiment.PORTS, 10, ports, null)));
    }

    @Test
    void countsFiguresWithinTheirTargetAndExplainsTheOthers() {
        Scorecard s = Scorecard.of(report());
        assertEquals(11, s.figures().size());
        assertEquals(List.of("table7/l3/8", "table7/mach/8", "table1/condensed/8", "table1/direct/4096",
                "ports/ports_tlb_misses_added"), s.outside().stream().map(Scorecard.Scored::id).toList());
        assertEquals(6, s.within());
        assertTrue(s.outside().stream().allMatch(f -> f.gap() != null), "each outside figure has its known gap");
        assertEquals("± 5 %", s.outside().get(0).tolerance().text());
        assertEquals("± 5 points or ± 30 %", s.outside().get(2).tolerance().text());
    }

    @Test
    void section56IsScoredBothCallsWithinAQuarter() {
        Table syscall = new Table("call", "mechanism", "processor", "rounds", "cycles", "us", "instructions",
                "tlb_misses", "cache_misses", "paper_us", "deviation")
                .row("user_kernel_user", "-", "i486dx50", 1000, 107, 2.14, 2, 0, 0, 2.0, 7)   // within ± 25 %
                .row("mach_thread_self", "mach", "i486dx50", 1000, 650, 13.0, 297, 11, 13, 18.0, -27.8); // outside
        Configuration c = Configuration.of(TestBench.setup(), Report.defaultRounds());
        Report r = new Report(c, List.of(new Report.Section(Experiment.SYSCALL, 0, syscall, null)));
        Scorecard s = Scorecard.of(r);
        assertEquals(List.of("syscall/user_kernel_user", "syscall/mach_thread_self"),
                s.figures().stream().map(Scorecard.Scored::id).toList());
        assertEquals(1, s.within());
        Scorecard.Scored self = s.outside().get(0);
        assertEquals("± 25 %", self.tolerance().text());
        assertEquals("us", self.unit());
        assertEquals(13.0, self.simulated());
        assertNull(self.gap(), "no known gap explains it: the page says unexplained");
        assertTrue(s.outside(r.sections().get(0), 1));
        assertTrue(ReportHtml.render(r, java.util.Set.of(), s).contains("<td class=\"num outside\">13</td>"));
    }

    @Test
    void marksTheRowsOutside() {
        Report r = report();
        Scorecard s = Scorecard.of(r);
        Report.Section t7 = r.sections().get(0);
        assertTrue(s.outside(t7, 0));
        assertFalse(s.outside(t7, 1));
        assertNull(s.at(t7, 4), "no paper value, no target");
        PaperLayout wide = PaperLayout.of(t7, s);
        assertEquals(List.of("bytes", "L3 (µs)", "paper", "deviation %", "cache-flush penalty (µs)", "paper",
                "deviation %", "Mach (µs)", "paper", "deviation %"), wide.table().columns());
        assertEquals(2, wide.table().rows().size());
        assertTrue(wide.outside().get(0)[1] && !wide.outside().get(0)[4] && wide.outside().get(0)[7]);
        PaperLayout t1 = PaperLayout.of(r.sections().get(1), s);
        assertEquals("7.9 / 13", t1.table().rows().get(1)[1]);
        assertEquals(List.of("removed (% added, simulated / paper)", "8 bytes", "4096 bytes", "12 bytes"),
                t1.table().columns());
        assertEquals("0 / –", t1.table().rows().get(3)[3]);
    }

    @Test
    void theHtmlPutsTheScoreFirstAndTheJsonCarriesIt() {
        Report r = report();
        Scorecard s = Scorecard.of(r);
        String html = ReportHtml.render(r, java.util.Set.of(), s);
        assertTrue(html.indexOf("6 of 11</span> figures within their tolerance") < html.indexOf("id=\"configuration\""),
                "the score comes before the configuration");
        assertTrue(html.contains("The Mach baseline is faster than Table 7&#39;s")
                || html.contains("The Mach baseline is faster than Table 7's"), "gaps are explained");
        assertTrue(html.contains("<td class=\"num outside\">4.61</td>"), "cells outside are marked");
        JsonText j = new JsonText();
        s.json(j);
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(j.text());
        assertEquals(11.0, json.get("figures"));
        assertEquals(6.0, json.get("within"));
        assertEquals(5, ((List<?>) json.get("outside")).size());
    }
}

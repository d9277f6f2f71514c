package org.l3wb.lab.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.l3wb.lab.format.Format;
import org.l3wb.lab.plot.Plot;

/**
 * {@link Report#run} runs every experiment at once on one pool: each table is still the one the
 * experiment makes alone (every run on a machine of its own, deterministic), and the plots drawn while
 * the others ran are the ones the writer would draw from the tables.
 */
class ReportRunTest {
    @Test
    void everyTableOfTheConcurrentRunIsTheExperimentsOwnAlone() {
        Setup s = TestBench.setup();
        Map<Experiment, Integer> rounds = TestBench.fewRounds();
        Report report = Report.run(s, rounds, ConsoleProgress.silent());
        for (Experiment e : Experiment.values()) {
            Report.Section section = report.section(e);
            if (e.optional()) {
                // not asked for: the page says how to ask (ReportSectionsTest runs it)
                assertTrue(section.skipped().startsWith("not run by default"), section.skipped());
                continue;
            }
            assertNotNull(section.table(), e.key() + " skipped: " + section.skipped());
            assertEquals(e.run(s, rounds.get(e), null).render(Format.CSV), section.table().render(Format.CSV), e.key());
        }
        for (Experiment e : ReportWriter.PLOTTED) {
            if (e.optional()) {
                assertNull(report.plots().get(e), e.key());
                continue;
            }
            Plot drawn = report.plots().get(e);
            assertNotNull(drawn, e.key() + " plot drawn during the run");
            Plot again = Report.draw(e, report.section(e).table(), report.configuration().entries().get("processor"));
            assertEquals(again.svg(), drawn.svg(), e.key());
            assertArrayEquals(again.png(), drawn.png(), e.key());
        }
    }
}

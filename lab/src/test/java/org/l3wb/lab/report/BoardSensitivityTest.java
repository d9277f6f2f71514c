package org.l3wb.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.MachineFactory;
import org.l3wb.kernel.api.Switches;
import org.l3wb.lab.format.Table;

/** lab:report --sensitivity NAME=a,b,c: bad input in one line before anything runs; the section's page. */
class BoardSensitivityTest {
    @Test
    void theOptionIsParsedToItsCanonicalForm() {
        BoardSensitivity b = BoardSensitivity.parse(" externalWriteNs = 160, 60 ,80 ");
        assertEquals("externalWriteNs", b.parameter());
        assertEquals(List.of(160, 60, 80), b.values(), "in the order given: the table's and the plot's");
        assertEquals("externalWriteNs=160,60,80", b.text());
    }

    @Test
    void badInputFailsInOneLineNamingWhatIsWrong() {
        Map<String, String> bad = Map.of(
                "externalWriteNs", "--sensitivity must be NAME=a,b,c (e.g. externalWriteNs=60,80,160), got 'externalWriteNs'",
                "=60,80", "--sensitivity must be NAME=a,b,c (e.g. externalWriteNs=60,80,160), got '=60,80'",
                "externalWriteNs=", "--sensitivity externalWriteNs lists no value (e.g. externalWriteNs=60,80,160)",
                "externalWriteNs=60,x", "--sensitivity externalWriteNs: 'x' is not a whole number",
                "externalWriteNs=60,60", "--sensitivity externalWriteNs: value 60 given twice");
        for (Map.Entry<String, String> b : bad.entrySet()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BoardSensitivity.parse(b.getKey()), b.getKey());
            assertEquals(b.getValue(), e.getMessage(), b.getKey());
        }
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> BoardSensitivity.parse("cacheColour=1,2"));
        assertTrue(unknown.getMessage().startsWith("unknown board parameter 'cacheColour' (one of "), unknown.getMessage());
        assertFalse(unknown.getMessage().contains("\n"));
    }

    /** A machine factory that counts the machines asked for: none may be built when the input is bad. */
    private static Setup counting(AtomicInteger built, org.l3wb.kernel.core.KernelComponent kernel, BoardSensitivity b) {
        MachineFactory machines = model -> {
            built.incrementAndGet();
            return TestBench.MACHINES.create(model);
        };
        Setup s = TestBench.setup(kernel, Switches.ALL_ON);
        return new Setup(machines, s.kernel(), s.processor(), s.mechanism(), s.scheduler(), s.switches(),
                s.processors(), b);
    }

    @Test
    void whatTheBoardOrTheInstalledPartsCannotRunFailsBeforeAnyMachineIsBuilt() {
        AtomicInteger built = new AtomicInteger();
        // a value the board cannot have (parsed: the check is the board's)
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> Report.run(
                counting(built, TestBench.KERNEL, BoardSensitivity.parse("externalWriteNs=80,0")),
                TestBench.fewRounds(), ConsoleProgress.silent()));
        assertEquals("board parameter externalWriteNs must be positive, got 0", zero.getMessage());
        // Figure 8 needs Mach
        IllegalArgumentException mach = assertThrows(IllegalArgumentException.class, () -> Report.run(
                counting(built, TestBench.L3_ONLY, BoardSensitivity.parse("externalWriteNs=60,80")),
                TestBench.fewRounds(), ConsoleProgress.silent()));
        assertEquals("lab:report --sensitivity reruns lab:figure8: needs IPC mechanism 'mach' (bundle kernel.mach), "
                + "not installed", mach.getMessage());
        assertEquals(0, built.get(), "nothing ran");
    }

    @Test
    void theConfigurationNamesTheOptionOnlyWhenAskedFor() {
        Map<Experiment, Integer> rounds = TestBench.fewRounds();
        Configuration without = Configuration.of(TestBench.setup(), rounds);
        Configuration with = Configuration.of(TestBench.setup().with(BoardSensitivity.parse("dramFillNs=100,200")), rounds);
        assertFalse(without.entries().containsKey("sensitivity"));
        assertEquals("dramFillNs=100,200", with.entries().get("sensitivity"));
        assertNotEquals(without.hash(), with.hash());
        assertNotEquals(with.hash(), Configuration.of(TestBench.setup().with(BoardSensitivity.parse("dramFillNs=100,300")),
                rounds).hash());
    }

    @Test
    void thePageSaysWhichVerdictsDependOnTheBoard() {
        // two values of a hand-made sensitivity: the 8-byte IPC within at one, outside at the other
        Table t = new Table(org.l3wb.lab.ipc.Sensitivity.COLUMNS)
                .row("externalWriteNs", 60, "externalWriteCycles=3", "table7", 8, "l3", 5.1, 5.2, -1.9, "us")
                .row("externalWriteNs", 60, "externalWriteCycles=3", "table1", 8, "replywait", 50.0, 18.0, 32.0, "%")
                .row("externalWriteNs", 160, "externalWriteCycles=8", "table7", 8, "l3", 4.6, 5.2, -11.5, "us")
                .row("externalWriteNs", 160, "externalWriteCycles=8", "table1", 8, "replywait", 55.8, 18.0, 37.8, "%");
        Report.Section s = new Report.Section(Experiment.SENSITIVITY, 0, t, null);
        StringBuilder sb = new StringBuilder();
        SensitivityHtml.render(sb, s, Map.of("rounds.table7", "20", "rounds.figure8", "20"));
        String html = sb.toString();
        assertTrue(html.startsWith("<p>1 of 2 figures with a target keep their verdict"), html);
        assertTrue(html.contains("<td>depends on the board: within at 60; outside at 160</td>"), html);
        assertTrue(html.contains("<td>outside at every value</td>"), html);
        assertTrue(html.contains("<td class=\"num outside\">4.6 (-11.5)</td>"), html);
    }
}

package org.l3wb.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.l3wb.kernel.api.Switches;
import org.l3wb.lab.format.Format;
import org.l3wb.lab.format.Table;

/** The experiments as the commands and the report run them. */
class ExperimentTest {
    @Test
    void theKeysAreTheCommandNamesAndTheDefaultsTheCommandsDefaults() {
        assertEquals(Experiment.TABLE7, Experiment.of("table7"));
        assertEquals(10000, Experiment.TABLE7.defaultRounds());
        assertEquals(Integer.parseInt(Experiment.PAPER_ROUNDS), Experiment.TABLE1.defaultRounds());
        assertEquals(Integer.parseInt(Experiment.FIGURE8_ROUNDS), Experiment.FIGURE8.defaultRounds());
        assertEquals(Integer.parseInt(Experiment.DASH_ROUNDS), Experiment.DASH.defaultRounds());
        assertEquals(0, Experiment.APPENDIX.defaultRounds());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Experiment.of("table9"));
        assertEquals("unknown experiment 'table9'", e.getMessage());
    }

    @Test
    void roundsMustBePositiveWhereThereAreRounds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Experiment.TABLE7.run(TestBench.setup(), 0, null));
        assertEquals("--rounds must be positive, got 0", e.getMessage());
        assertEquals(3, Experiment.APPENDIX.run(TestBench.setup(), 0, null).rows().size());
    }

    @Test
    void table2RunsOnEveryInstalledProcessorBesideThePaper() {
        Table t = Experiment.TABLE2.run(TestBench.setup(), 200, null);
        assertEquals(2, t.rows().size());
        assertEquals("i486dx33", t.rows().get(0)[0]);
        assertEquals(15.0, t.rows().get(0)[3]);
        assertEquals(10.0, t.rows().get(1)[3]);
        assertEquals(10.0, ((Number) t.rows().get(1)[2]).doubleValue(), 1.5);
    }

    @Test
    void whatIsMissingIsNamedAndPortsFailsAsTheCommandAlwaysDid() {
        Setup l3Only = TestBench.setup(TestBench.L3_ONLY, Switches.ALL_ON);
        assertNull(Experiment.TABLE7.missing(l3Only));
        assertTrue(Experiment.DASH.missing(l3Only).startsWith("needs IPC mechanism 'dash'"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Experiment.PORTS.run(l3Only, 20, null));
        assertEquals("unknown mechanism 'ports': installed are l3", e.getMessage());
        assertTrue(Experiment.TABLE7.run(l3Only, 20, null).render(Format.TEXT).contains("l3_cold_penalty"));
    }
}

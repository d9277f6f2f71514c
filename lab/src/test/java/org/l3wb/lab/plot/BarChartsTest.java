package org.l3wb.lab.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.l3wb.lab.format.Table;

class BarChartsTest {
    static final Table TABLE1 = new Table("switch", "size", "simulated", "paper", "deviation", "unit")
            .row("registers", 8, 47.2, 49.0, -1.8, "%").row("registers", 12, 0.0, null, null, "%")
            .row("lazy", 8, 27.4, 23.0, 4.4, "%").row("lazy", 12, 17.9, 16.0, 1.9, "%")
            .row("all", 8, 221.2, 134.0, 87.2, "%");
    static final Table PORTS = new Table("size", "column", "simulated", "paper", "deviation", "unit")
            .row(8, "l3", 230.3, null, null, "cycles").row(8, "ports", 271.4, null, null, "cycles")
            .row(8, "ports_minus_l3", 41.1, 29.0, 41.8, "cycles").row(8, "ports_tlb_misses_added", 3.0, 2.0, null, "misses");

    @Test
    void table1IsGroupedBarsWithThePaperOnceInTheLegendAndTheSameBytesEachTime() {
        Plot a = BarCharts.table1(TABLE1, "i486dx50");
        Plot b = BarCharts.table1(TABLE1, "i486dx50");
        assertEquals(a.svg(), b.svg());
        assertArrayEquals(a.png(), b.png());
        assertTrue(a.svg().contains("Table 1: time added when one optimisation is switched off (i486dx50)"));
        assertEquals(1, count(a.svg(), ">the paper<"), "one legend entry for the paper's diamonds");
        assertTrue(a.svg().contains(">8 bytes<") && a.svg().contains(">12 bytes<"));
        assertTrue(!a.svg().contains(">all<"), "all seven removed is left out (its own scale)");
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(a.png(), 4));
    }

    @Test
    void portsDrawsCyclesAndNamesTheTlbMissesInItsSubtitle() {
        String svg = BarCharts.ports(PORTS, "i486dx50").svg();
        assertTrue(svg.contains("TLB misses added: 3 (paper 2)"), "the misses, another unit, in words");
        assertTrue(svg.contains(">ports_minus_l3<") && !svg.contains(">ports_tlb_misses_added<"));
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}

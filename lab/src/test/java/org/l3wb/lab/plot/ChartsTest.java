package org.l3wb.lab.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.jfree.data.xy.XYSeries;
import org.junit.jupiter.api.Test;
import org.l3wb.lab.format.Table;

/** Series come from a table's columns and rows, whatever they are; drawing is headless and deterministic. */
class ChartsTest {
    static Table figure8() {
        Table t = new Table("size", "column", "simulated", "paper", "deviation", "unit");
        t.row(8, "l3", 4.61, 5.2, -11.4, "us");
        t.row(8, "mach", 32.8, 115.0, -71.0, "us");
        t.row(8, "other", 9.0, null, null, "us");
        t.row(4096, "l3", 106.14, 115.6, -8.2, "us");
        t.row(4096, "mach", 249.0, 460.0, -46.0, "us");
        t.row(4096, "other", 90.0, null, null, "us");
        return t;
    }

    static Table dash() {
        Table t = new Table("pages", "simulated", "paper", "deviation", "l3_memory_objects", "unit");
        t.row(1, 8.52, 9.0, -5.4, 8.42, "us");
        t.row(2, 9.7, 10.0, -3.0, 9.1, "us");
        return t;
    }

    @Test
    void aTableWithAColumnColumnGivesOneSeriesPerValueAndThePapersBeside() {
        Map<String, XYSeries> s = Charts.series(figure8(), "simulated");
        assertEquals(List.of("l3", "l3 (paper)", "mach", "mach (paper)", "other"), List.copyOf(s.keySet()));
        assertEquals(115.6, s.get("l3 (paper)").getY(1).doubleValue());
        assertEquals(4096.0, s.get("mach").getX(1).doubleValue());
    }

    @Test
    void otherwiseEveryNumericColumnButDeviationIsASeries() {
        Map<String, XYSeries> s = Charts.series(dash(), "dash");
        assertEquals(List.of("dash", "dash (paper)", "l3_memory_objects"), List.copyOf(s.keySet()));
        assertEquals(9.1, s.get("l3_memory_objects").getY(1).doubleValue());
    }

    @Test
    void drawsHeadlessTheSameBytesEveryTime() throws IOException {
        Plot a = Charts.figure8(figure8(), "i486dx50");
        assertTrue(GraphicsEnvironment.isHeadless());
        Plot b = Charts.figure8(figure8(), "i486dx50");
        assertEquals(a.svg(), b.svg());
        assertArrayEquals(a.png(), b.png());
        assertTrue(a.svg().contains(">mach (paper)<"));
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(Charts.dash(dash(), "i486dx50").png()));
        assertNotNull(png);
        assertEquals(Charts.WIDTH, png.getWidth());
    }

    @Test
    void cyclesStackOneSegmentPerPaperStepAndGatherAnotherKernelsRoutinesBySourceFile() throws IOException {
        Table t = new Table("configuration", "mechanism", "switch_off", "step", "source", "cycles", "instructions",
                "tlb_misses", "cache_misses");
        t.row("l3", "l3", "", "enter kernel", "5.2.1", 73L, 3L, 0L, 0L);
        t.row("l3", "l3", "", "whole call", "", 73L, 3L, 0L, 0L);
        t.row("mach", "mach", "", "enter kernel", "5.2.1", 97L, 8L, 0L, 2L);
        t.row("mach", "mach", "", "ipc_kmsg_get", "ipc_kmsg.c", 61L, 34L, 1L, 1L);
        t.row("mach", "mach", "", "ipc_kmsg_put", "ipc_kmsg.c", 94L, 25L, 1L, 6L);
        t.row("mach", "mach", "", "whole call", "", 252L, 67L, 2L, 9L);
        Plot p = Charts.cycles(t, "i486dx50", "whole call", java.util.Set.of("enter kernel"));
        String svg = p.svg();
        assertTrue(svg.contains(">enter kernel<"));
        assertTrue(svg.contains(">ipc_kmsg.c<"), "Mach's routines gathered by file");
        assertTrue(!svg.contains(">ipc_kmsg_get<") && !svg.contains(">whole call<"));
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(p.png()));
        assertEquals(Charts.WIDTH, png.getWidth());
        assertArrayEquals(p.png(), Charts.cycles(t, "i486dx50", "whole call", java.util.Set.of("enter kernel")).png(),
                "deterministic");
    }

    @Test
    void aCallManyTimesTheCheapestIsNamedNotDrawnSoTheOthersStayReadable() {
        Table t = new Table("configuration", "mechanism", "switch_off", "step", "source", "cycles", "instructions",
                "tlb_misses", "cache_misses");
        t.row("l3", "l3", "", "enter kernel", "5.2.1", 73L, 3L, 0L, 0L);
        t.row("mach", "mach", "", "enter kernel", "5.2.1", 97L, 8L, 0L, 2L);
        t.row("mach", "mach", "", "ipc_kmsg_get", "ipc_kmsg.c", 303L, 34L, 1L, 1L);
        String svg = Charts.cycles(t, "i486dx50", "whole call", java.util.Set.of("enter kernel")).svg();
        assertTrue(svg.contains("in the table only: mach (400) cycles"), "named with its total");
        assertTrue(!svg.contains(">ipc_kmsg.c<"), "its routines have no segment, nor a legend entry");
        assertTrue(svg.contains(">enter kernel<"), "the others drawn as before");
    }
}

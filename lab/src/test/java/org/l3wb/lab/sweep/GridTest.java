package org.l3wb.lab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;

class GridTest {
    private static final Installed INSTALLED = Bench.installed();

    private static Grid grid(String... axisValue) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < axisValue.length; i += 2) {
            m.put(axisValue[i], axisValue[i + 1]);
        }
        return Grid.of(m);
    }

    @Test
    void anAxisLeftOutIsThePapersConfiguration() {
        List<Point> points = grid().points(INSTALLED, 10);
        assertEquals(1, points.size());
        Point p = points.get(0);
        assertEquals("i486dx50", p.model().name());
        assertEquals("l3", p.mechanism());
        assertEquals("lazy", p.scheduler());
        assertEquals(Switches.ALL_ON, p.switches());
        assertEquals(8, p.size());
        assertEquals(10000, p.rounds());
    }

    @Test
    void theGridSpansEveryAxisLastFastest() {
        List<Point> points = grid("processor", "i486dx50,i386dx20", "mechanism", "l3,ports", "size", "8,128").points(INSTALLED, 100);
        assertEquals(8, points.size());
        assertEquals(List.of("i486dx50 l3 8", "i486dx50 l3 128", "i486dx50 ports 8"),
                points.subList(0, 3).stream().map(p -> p.model().name() + " " + p.mechanism() + " " + p.size()).toList());
        assertEquals("i386dx20", points.get(4).model().name());
    }

    /** 5.3.4: the strict scheduler is Table 1's lazy switch off; the grid holds each configuration once. */
    @Test
    void theSchedulerAndTheLazySwitchAreOneAxis() {
        Grid g = grid("scheduler", "lazy,strict", "switches", "all,lazy=off,direct=off");
        assertEquals(6, g.size());
        List<Point> points = g.points(INSTALLED, 100);
        // lazy×all, lazy×lazy=off (= strict×all = strict×lazy=off), lazy×direct=off (= ...), strict×direct=off
        assertEquals(4, points.size());
        for (Point p : points) {
            assertEquals(p.scheduler().equals("lazy"), p.switches().isOn(Switch.LAZY_SCHEDULING), p.toString());
        }
        assertEquals(List.of("", "lazy", "direct", "direct+lazy"), points.stream().map(Point::switchesOff).toList());
    }

    @Test
    void aGridFileReadsAsTheSameFlagsDo() {
        Grid file = Grid.parse("# a comment\n\nprocessor = i486dx50, i386dx20\nswitches = all, direct=off+vtcb=off\n"
                + "size=8,4096\nrounds = 500\n", "g.txt");
        Grid flags = grid("processor", "i486dx50,i386dx20", "switches", "all,direct=off+vtcb=off", "size", "8,4096",
                "rounds", "500");
        assertEquals(flags, file);
        assertEquals(flags.hash(), file.hash());
        assertEquals(file, Grid.parse(file.canonical(), "canonical"));
        assertNotEquals(file.hash(), grid("size", "8").hash());
        Point vtcbDirect = file.points(INSTALLED, 100).get(2);
        assertEquals("direct+vtcb", vtcbDirect.switchesOff());
    }

    @Test
    void badInputFailsWithOneLineBeforeRunning() {
        assertEquals("unknown grid axis 'cache': valid are processor, mechanism, scheduler, switches, size, rounds",
                assertThrows(IllegalArgumentException.class, () -> grid("cache", "on")).getMessage());
        assertEquals("grid axis 'size' is empty",
                assertThrows(IllegalArgumentException.class, () -> grid("size", " , ")).getMessage());
        assertEquals("g.txt: grid axis 'mechanism' is empty",
                assertThrows(IllegalArgumentException.class, () -> Grid.parse("mechanism =\n", "g.txt")).getMessage());
        assertEquals("g.txt:2: expected AXIS = VALUE, VALUE, …, got 'size 8'",
                assertThrows(IllegalArgumentException.class, () -> Grid.parse("\nsize 8\n", "g.txt")).getMessage());
        assertEquals("unknown processor 'i586' in the grid: installed are i486dx50, i386dx20",
                assertThrows(IllegalArgumentException.class,
                        () -> grid("processor", "i486dx50,i586").points(INSTALLED, 100)).getMessage());
        assertEquals("unknown mechanism 'mach' in the grid: installed are dash, l3, ports",
                assertThrows(IllegalArgumentException.class, () -> grid("mechanism", "mach").points(INSTALLED, 100))
                        .getMessage());
        assertEquals("unknown switch 'turbo': valid are registers, direct, lazy, segments, replywait, condensed, vtcb",
                assertThrows(IllegalArgumentException.class, () -> grid("switches", "turbo=off").points(INSTALLED, 100))
                        .getMessage());
        assertEquals("grid axis 'size' must be 0..4194304, got 4194305",
                assertThrows(IllegalArgumentException.class, () -> grid("size", "4194305").points(INSTALLED, 100))
                        .getMessage());
        assertEquals("grid has 12 points, more than --max-points 11",
                assertThrows(IllegalArgumentException.class,
                        () -> grid("size", "1,2,3,4,5,6", "mechanism", "l3,ports").points(INSTALLED, 11)).getMessage());
        assertEquals(12, grid("size", "1,2,3,4,5,6", "mechanism", "l3,ports").points(INSTALLED, 12).size());
    }

    @Test
    void chunksJoinedInOrderAreThePoints() {
        List<Integer> points = List.of(0, 1, 2, 3, 4, 5, 6);
        for (int n = 1; n <= 9; n++) {
            List<Integer> joined = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                joined.addAll(new Chunk(i, n).of(points));
            }
            assertEquals(points, joined, n + " chunks");
        }
        assertEquals(new Chunk(2, 3), Chunk.parse("2/3"));
        assertEquals(Chunk.ALL, Chunk.parse(""));
        assertEquals("--chunk must be I/N with 0 <= I < N, got 3/3",
                assertThrows(IllegalArgumentException.class, () -> Chunk.parse("3/3")).getMessage());
        assertEquals("--chunk must be I/N (e.g. 0/4), got 'x'",
                assertThrows(IllegalArgumentException.class, () -> Chunk.parse("x")).getMessage());
    }
}

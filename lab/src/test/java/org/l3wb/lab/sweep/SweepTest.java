package org.l3wb.lab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l3wb.lab.ipc.Experiments;
import org.l3wb.lab.ipc.PingPong;

class SweepTest {
    private static final Installed INSTALLED = Bench.installed();
    /** Few round trips: the test is about the sweep, not the figures' steady state. */
    private static final Grid GRID = Grid.of(Map.of("processor", "i486dx50,i386dx20", "mechanism", "l3,dash",
            "scheduler", "lazy,strict", "size", "8,128", "rounds", "30"));

    @Test
    void eachPointIsThePingPongOfItsConfigurationWhateverTheThreads(@TempDir Path dir) {
        List<Point> points = GRID.points(INSTALLED, 100);
        assertEquals(16, points.size());
        Sweep.Outcome one = new Sweep(INSTALLED, "b1", null, 1).run(points, Experiments.Progress.NONE);
        Sweep.Outcome two = new Sweep(INSTALLED, "b1", null, 2).run(points, Experiments.Progress.NONE);
        assertEquals(one.rows(), two.rows());
        assertEquals(12, one.computed());
        assertEquals(4, one.unsupported(), "dash carries no 128-byte messages");
        // a point is the same run as lab:pingpong's
        Point strict386 = points.stream().filter(p -> p.model().name().equals("i386dx20") && p.scheduler().equals("strict")
                && p.mechanism().equals("l3") && p.size() == 128).findFirst().orElseThrow();
        PingPong.Result direct = new PingPong(INSTALLED.machines(), INSTALLED.kernel()).run(strict386.config());
        Map<String, Object> row = one.rows().get(points.indexOf(strict386));
        assertEquals(direct.cycles(), row.get("cycles"));
        assertEquals(Math.round(direct.cyclesPerIpc() * 10) / 10.0, row.get("cycles_per_ipc"));
        assertEquals("lazy", row.get("switches_off"));
        assertEquals(strict386.hash(), row.get("hash"));
        Map<String, Object> dash128 = one.rows().get(points.size() - 1);
        assertNull(dash128.get("cycles"));
        assertTrue(((String) dash128.get("note")).startsWith("IPC mechanism 'dash' carries"), dash128.toString());
    }

    @Test
    void aRerunComputesOnlyNewPointsAndAnotherBuildNone(@TempDir Path cache) {
        List<Point> small = Grid.of(Map.of("size", "8,64", "rounds", "30")).points(INSTALLED, 100);
        List<Point> large = Grid.of(Map.of("size", "8,64,512", "rounds", "30")).points(INSTALLED, 100);
        Sweep.Outcome first = new Sweep(INSTALLED, "b1", cache, 2).run(small, Experiments.Progress.NONE);
        assertEquals(2, first.computed());
        AtomicInteger told = new AtomicInteger();
        Sweep.Outcome second = new Sweep(INSTALLED, "b1", cache, 2).run(large, (done, total) -> told.set(done));
        assertEquals(1, second.computed());
        assertEquals(2, second.cached());
        assertEquals(3, told.get());
        Sweep.Outcome uncached = new Sweep(INSTALLED, "b1", null, 1).run(large, Experiments.Progress.NONE);
        assertEquals(uncached.rows(), second.rows(), "a cached row reads back as it was computed");
        Sweep.Outcome otherBuild = new Sweep(INSTALLED, "b2", cache, 2).run(large, Experiments.Progress.NONE);
        assertEquals(3, otherBuild.computed());
        assertEquals(0, otherBuild.cached());
    }

    @Test
    void aDamagedCacheEntryIsRunAgain(@TempDir Path cache) throws Exception {
        List<Point> points = Grid.of(Map.of("rounds", "30")).points(INSTALLED, 1);
        Sweep s = new Sweep(INSTALLED, "b1", cache, 1);
        Sweep.Outcome good = s.run(points, Experiments.Progress.NONE);
        Files.writeString(s.cacheFile(points.get(0)), "{\"build\": \"b1\", \"row\": {");
        Sweep.Outcome again = s.run(points, Experiments.Progress.NONE);
        assertEquals(1, again.computed());
        assertEquals(good.rows(), again.rows());
    }

    /** The hash names the configuration: what the point runs, not the process or the build. */
    @Test
    void thePointsHashNamesItsConfiguration() {
        Point a = Grid.of(Map.of("rounds", "30")).points(INSTALLED, 1).get(0);
        Point b = Grid.of(Map.of("rounds", "30")).points(Bench.installed(), 1).get(0);
        assertEquals(a.hash(), b.hash());
        assertEquals(64, a.hash().length());
        assertNotEquals(a.hash(), Grid.of(Map.of("rounds", "31")).points(INSTALLED, 1).get(0).hash());
        assertNotEquals(a.hash(), Grid.of(Map.of("rounds", "30", "switches", "vtcb=off")).points(INSTALLED, 1).get(0).hash());
        String canonical = Point.canonical(INSTALLED, a.model(), a.mechanism(), a.scheduler(), a.switches(), 8, 30);
        assertTrue(canonical.startsWith("l3wb sweep point 1\nprocessor=i486dx50\nprocessor.clock_mhz=50\nmechanism=l3\n"
                + "scheduler=lazy\nswitches=registers=on direct=on lazy=on segments=on replywait=on condensed=on vtcb=on\n"
                + "size=8\nrounds=30\nmodel.i486dx50=clock_mhz=50 "), canonical);
        assertEquals(Grid.sha256(canonical), a.hash());
    }

    @Test
    void threadsMustBePositive() {
        assertEquals("--threads must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new Sweep(INSTALLED, "b", null, 0)).getMessage());
    }
}

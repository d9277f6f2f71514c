package org.l3wb.lab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l3wb.lab.ipc.Experiments;

class SweepOutputTest {
    private static final Installed INSTALLED = Bench.installed();
    private static final Grid GRID = Grid.of(Map.of("mechanism", "l3,dash", "size", "8,128,1024", "rounds", "20"));
    private static final List<Point> POINTS = GRID.points(INSTALLED, 100);
    private static final List<Map<String, Object>> ROWS = new Sweep(INSTALLED, "b1", null, 2).run(POINTS,
            Experiments.Progress.NONE).rows();

    private static SweepOutput chunk(Chunk c, String build, Grid g) {
        return new SweepOutput(build, g.hash(), c.index(), c.count(), POINTS.size(), c.of(ROWS));
    }

    @Test
    void jsonAndCsvReadBackAsWritten(@TempDir Path dir) throws Exception {
        SweepOutput o = chunk(Chunk.ALL, "b1", GRID);
        o.write(dir);
        SweepOutput back = SweepOutput.read(dir);
        assertEquals(o, back);
        assertEquals(o.json(), Files.readString(dir.resolve(SweepOutput.JSON)));
        List<String> csv = Files.readAllLines(dir.resolve(SweepOutput.CSV));
        assertEquals(String.join(",", SweepOutput.COLUMNS), csv.get(0));
        assertEquals(7, csv.size());
        String dash128 = csv.get(5);
        assertTrue(dash128.matches("[0-9a-f]{64},i486dx50,dash,lazy,,128,20,,,,,,,,\"IPC mechanism 'dash' carries .*\""),
                dash128);
        assertTrue(csv.get(1).matches("[0-9a-f]{64},i486dx50,l3,lazy,,8,20,\\d+,40,\\d+\\.\\d,\\d+\\.\\d+,5\\.0,.*,\\d+,"),
                csv.get(1));
    }

    @Test
    void theMergeOfAllChunksIsTheSweepRunAtOnce(@TempDir Path dir) {
        for (int i = 0; i < 4; i++) {
            chunk(new Chunk(i, 4), "b1", GRID).write(dir.resolve("job-" + i));
        }
        chunk(new Chunk(0, 1), "b1", GRID).write(dir.resolve("merged"));
        SweepOutput merged = Merge.merge(List.of(dir));
        assertEquals(chunk(Chunk.ALL, "b1", GRID).json(), merged.json());
        // the same, the jobs named one by one, in any order
        assertEquals(merged, Merge.merge(List.of(dir.resolve("job-3"), dir.resolve("job-1").resolve(SweepOutput.JSON),
                dir.resolve("job-0"), dir.resolve("job-2"))));
    }

    @Test
    void mergeRefusesOutputsOfOtherBuildsOrGridsAndNamesAMissingChunk(@TempDir Path dir) {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        chunk(new Chunk(0, 2), "b1", GRID).write(a);
        chunk(new Chunk(1, 2), "b2", GRID).write(b);
        String m = assertThrows(IllegalArgumentException.class, () -> Merge.merge(List.of(a, b))).getMessage();
        assertEquals("outputs of different builds: " + a + " (build b1) and " + b + " (build b2)", m);
        Grid other = Grid.of(Map.of("size", "8,16,32,64,128,256"));
        chunk(new Chunk(1, 2), "b1", other).write(b);
        m = assertThrows(IllegalArgumentException.class, () -> Merge.merge(List.of(a, b))).getMessage();
        assertTrue(m.startsWith("outputs of different grids: " + a + " (grid " + GRID.hash().substring(0, 12)), m);
        m = assertThrows(IllegalArgumentException.class, () -> Merge.merge(List.of(a))).getMessage();
        assertEquals("chunk 1/2 of grid " + GRID.hash().substring(0, 12) + "… is missing (has its job run?)", m);
        m = assertThrows(IllegalArgumentException.class, () -> Merge.merge(List.of(a, a))).getMessage();
        assertEquals("chunk 0/2 given twice: " + a + " and " + a, m);
    }

    @Test
    void aFileThatIsNoSweepSaysSo(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x.json");
        Files.writeString(f, "{\"hash\": \"abc\"}");
        assertEquals(f + " is not a sweep's output (no \"format\": \"l3wb sweep 1\")",
                assertThrows(IllegalArgumentException.class, () -> SweepOutput.read(f)).getMessage());
        Files.writeString(f, "not json");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SweepOutput.read(f)).getMessage()
                .startsWith(f + " is not JSON: "));
        assertEquals(dir + " holds no sweep output (sweep.json, or folders holding one)",
                assertThrows(IllegalArgumentException.class, () -> Merge.merge(List.of(dir))).getMessage());
    }
}

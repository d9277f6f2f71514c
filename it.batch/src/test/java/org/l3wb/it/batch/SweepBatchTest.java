package org.l3wb.it.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l3wb.it.batch.WorkbenchProcess.Result;

/**
 * {@code lab:sweep}, {@code lab:merge} and {@code lab:compare} on the command line (issue 14, items 4 and
 * 5): output on stdout and nothing else, the counts on stderr, exit status 1 with one {@code error:}
 * line for bad input, jobs emitted for GNU parallel run as the job lines say and merged into the same
 * bytes as the sweep run at once.
 */
class SweepBatchTest {
    private static final String GRID = "--size 8,64,128 --rounds 30";

    @Test
    void aSweepPrintsItsTableOnStdoutAndItsCountsOnStderrAndARerunIsCached(@TempDir Path tmp) throws Exception {
        WorkbenchProcess wb = new WorkbenchProcess(tmp.resolve("config"), tmp.resolve("work"));
        Path out = tmp.resolve("s");
        Result r = wb.run("lab:sweep " + GRID + " --scheduler lazy,strict --switches all,lazy=off --out " + out
                + " --format csv");
        assertEquals(0, r.exitStatus(), r.toString());
        assertEquals(7, r.stdout().size(), r.toString());
        assertTrue(r.stdout().get(0).startsWith("hash,processor,mechanism,scheduler,switches_off,size,rounds,cycles"), r.toString());
        assertEquals(List.of("sweep: 6 points, 6 duplicate(s) merged; 6 computed, 0 cached; written to "
                + out.resolve("sweep.json") + " and sweep.csv"), r.stderr());
        assertEquals(String.join("\n", r.stdout()) + "\n", Files.readString(out.resolve("sweep.csv")));
        Result again = wb.run("lab:sweep --size 8,64,128,256 --rounds 30 --out " + out);
        assertEquals(0, again.exitStatus(), again.toString());
        assertTrue(again.stderr().get(0).startsWith("sweep: 4 points; 1 computed, 3 cached;"), again.toString());
        assertTrue(again.stdout().get(0).startsWith("processor  mechanism  scheduler"), again.toString());
    }

    @Test
    void badInputFailsWithOneLineAndWritesNothing(@TempDir Path tmp) throws Exception {
        WorkbenchProcess wb = new WorkbenchProcess(tmp.resolve("config"), tmp.resolve("work"));
        Path out = tmp.resolve("s");
        String[][] cases = {
            {"lab:sweep --processor i486dx50,i586 --out " + out, "error: unknown processor 'i586' in the grid: installed are "},
            {"lab:sweep --size 8, --mechanism , --out " + out, "error: grid axis 'mechanism' is empty"},
            {"lab:sweep --size 1,2,3 --mechanism l3,ports --max-points 5 --out " + out,
                "error: grid has 6 points, more than --max-points 5"},
            {"lab:sweep --grid " + tmp.resolve("nope.txt") + " --out " + out, "error: no such grid file: "},
            {"lab:sweep --emit-jobs pbs --out " + out, "error: unknown --emit-jobs 'pbs': expected parallel, slurm or k8s"},
            {"lab:merge --out " + out + " " + tmp, "error: " + tmp + " holds no sweep output"},
            {"lab:compare " + tmp.resolve("work") + " " + tmp, "error: " + tmp.resolve("work")
                + " is not a report or a sweep (no report.json or sweep.json in it)"},
        };
        for (String[] c : cases) {
            Result r = wb.run(c[0]);
            assertEquals(1, r.exitStatus(), c[0] + "\n" + r);
            assertEquals(List.of(), r.stdout(), c[0] + "\n" + r);
            assertEquals(1, r.stderr().size(), c[0] + "\n" + r);
            assertTrue(r.stderr().get(0).startsWith(c[1]), c[0] + "\n" + r);
            assertFalse(Files.exists(out), c[0] + " wrote " + out);
        }
    }

    @Test
    void jobsForGnuParallelRunAsTheirLinesSayAndMergeIntoTheSweepRunAtOnce(@TempDir Path tmp) throws Exception {
        WorkbenchProcess wb = new WorkbenchProcess(tmp.resolve("config"), tmp.resolve("work"));
        Path jobs = tmp.resolve("jobs");
        Result emitted = wb.run("lab:sweep " + GRID + " --out " + jobs + " --emit-jobs parallel --jobs 2");
        assertEquals(0, emitted.exitStatus(), emitted.toString());
        assertEquals(2, emitted.stdout().size(), emitted.toString());
        assertEquals(String.join("\n", emitted.stdout()) + "\n", Files.readString(jobs.resolve("jobs.txt")));
        assertTrue(Files.isRegularFile(jobs.resolve("workbench.jar")));
        assertTrue(Files.readString(jobs.resolve("grid.txt")).contains("size = 8, 64, 128\n"));
        for (int i = 0; i < 2; i++) {
            String line = emitted.stdout().get(i);
            assertTrue(line.contains("-Dfelix.cm.dir=\"" + jobs + "/job-" + i + "/config\""), line);
            assertTrue(line.contains("--chunk " + i + "/2 --out '" + jobs + "/job-" + i + "'"), line);
            runJobLine(line, tmp);
        }
        // one job was 1 point, the other 2: their outputs each hold their chunk
        assertTrue(Files.isRegularFile(jobs.resolve("job-0/sweep.json")));

        Path merged = tmp.resolve("merged");
        Path once = tmp.resolve("once");
        Result r = wb.run("lab:merge --out " + merged + " --format json " + jobs);
        assertEquals(0, r.exitStatus(), r.toString());
        assertEquals(List.of("merge: 3 points written to " + merged.resolve("sweep.json") + " and sweep.csv"), r.stderr());
        // the same build: the jar the jobs ran is a copy of this one
        r = new WorkbenchProcess(tmp.resolve("config"), tmp.resolve("work")).run(
                "lab:sweep " + GRID + " --out " + once + " --no-cache",
                "lab:compare --fail-on-diff --diff-only " + merged + " " + once);
        assertEquals(0, r.exitStatus(), r.toString());
        assertEquals(Files.readString(once.resolve("sweep.json")), Files.readString(merged.resolve("sweep.json")));
        assertTrue(r.out().endsWith("0 of 45 values differ"), r.toString());

        // outputs of another grid are refused, naming both
        r = wb.run("lab:merge --out " + tmp.resolve("bad") + " " + jobs.resolve("job-0") + " " + once);
        assertEquals(1, r.exitStatus(), r.toString());
        assertEquals(List.of("error: outputs of different grids: " + jobs.resolve("job-0") + " (grid "), List.of(
                r.stderr().get(0).substring(0, r.stderr().get(0).indexOf("(grid ") + 6)), r.toString());
    }

    @Test
    void slurmJobsAreAnArrayChunkedToItsMaximumAndCompareFailsOnADifference(@TempDir Path tmp) throws Exception {
        WorkbenchProcess wb = new WorkbenchProcess(tmp.resolve("config"), tmp.resolve("work"));
        Path jobs = tmp.resolve("jobs");
        Result r = wb.run("lab:sweep " + GRID + " --out " + jobs + " --emit-jobs slurm --max-array 2");
        assertEquals(0, r.exitStatus(), r.toString());
        assertTrue(r.out().contains("\n#SBATCH --array=0-1\n"), r.toString());
        assertTrue(r.out().contains("--chunk $i/2 --out '" + jobs + "/job-$i'"), r.toString());
        assertEquals(r.out() + "\n", Files.readString(jobs.resolve("sweep.sbatch")));

        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        r = wb.run("lab:sweep --rounds 30 --out " + a, "lab:sweep --rounds 31 --out " + b,
                "lab:compare --fail-on-diff --diff-only --format csv " + a + " " + b);
        assertEquals(1, r.exitStatus(), r.toString());
        assertTrue(r.stdout().contains("sweep,i486dx50 l3 lazy off=- 8,rounds,30,31,1,true"), r.toString());
        assertEquals("error: " + a + " and " + b + " differ in 4 of 15 values", r.stderr().get(r.stderr().size() - 1),
                r.toString());
    }

    /** Runs one emitted job line through a shell, as GNU parallel would. */
    private static void runJobLine(String line, Path tmp) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", line).directory(tmp.toFile())
                .redirectOutput(tmp.resolve("job.out").toFile()).redirectError(tmp.resolve("job.err").toFile());
        pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator
                + pb.environment().getOrDefault("PATH", ""));
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("_JAVA_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        Process p = pb.start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "job did not end: " + line);
        assertEquals(0, p.exitValue(), line + "\n" + Files.readString(tmp.resolve("job.err")));
    }
}

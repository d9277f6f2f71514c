package org.l3wb.lab.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.l3wb.lab.format.Format;
import org.l3wb.lab.ipc.Experiments;
import org.l3wb.lab.report.ConsoleProgress;
import org.l3wb.lab.shell.Workbench;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands {@code lab:sweep} and {@code lab:merge}: a grid of configurations run as independent
 * ping-pongs on the host's cores, or written as jobs for GNU parallel, SLURM or Kubernetes, and the
 * jobs' outputs joined. The sweep reads the installed processors, mechanisms and schedulers from the
 * workbench, never its selections: an axis left out is the paper's configuration.
 */
@Component(service = SweepCommands.class, property = {
    "osgi.command.scope=lab",
    "osgi.command.function=sweep",
    "osgi.command.function=merge"
})
public class SweepCommands {
    /** Default of {@code --max-points}. */
    static final String MAX_POINTS = "10000";
    /** Default of {@code --out}. */
    static final String OUT = "sweep";

    @Reference
    private Workbench workbench;

    @Descriptor("run a grid of ping-pongs (processors x mechanisms x schedulers x switch sets x sizes) in parallel; "
            + "results in DIR/sweep.csv and DIR/sweep.json with each point's configuration hash, cached by hash and build")
    public String sweep(CommandSession session,
            @Descriptor("grid file: lines AXIS = V, V, ... (processor mechanism scheduler switches size rounds)")
            @Parameter(names = "--grid", absentValue = "") String grid,
            @Descriptor("processors, comma-separated (default i486dx50)")
            @Parameter(names = "--processor", absentValue = "") String processor,
            @Descriptor("IPC mechanisms (default l3)")
            @Parameter(names = "--mechanism", absentValue = "") String mechanism,
            @Descriptor("schedulers (default lazy; strict is the lazy switch off)")
            @Parameter(names = "--scheduler", absentValue = "") String scheduler,
            @Descriptor("switch sets: all, none, or NAME=on|off joined by + (default all)")
            @Parameter(names = "--switches", absentValue = "") String switches,
            @Descriptor("message sizes in bytes (default 8)")
            @Parameter(names = "--size", absentValue = "") String size,
            @Descriptor("round trips per point (default 10000)")
            @Parameter(names = "--rounds", absentValue = "") String rounds,
            @Descriptor("output folder (default sweep)")
            @Parameter(names = "--out", absentValue = OUT) String out,
            @Descriptor("cache folder (default DIR/cache)")
            @Parameter(names = "--cache", absentValue = "") String cache,
            @Descriptor("compute every point, reading and writing no cache")
            @Parameter(names = "--no-cache", absentValue = "false", presentValue = "true") boolean noCache,
            @Descriptor("threads (default: the host's cores)")
            @Parameter(names = "--threads", absentValue = "0") int threads,
            @Descriptor("refuse grids of more points than this")
            @Parameter(names = "--max-points", absentValue = MAX_POINTS) long maxPoints,
            @Descriptor("run only chunk I of N (a job's share)")
            @Parameter(names = "--chunk", absentValue = "") String chunk,
            @Descriptor("write jobs instead of running: parallel, slurm or k8s")
            @Parameter(names = "--emit-jobs", absentValue = "") String emitJobs,
            @Descriptor("jobs to write (default: one per point; slurm: at most --max-array)")
            @Parameter(names = "--jobs", absentValue = "0") int jobs,
            @Descriptor("SLURM's largest job array (MaxArraySize)")
            @Parameter(names = "--max-array", absentValue = "1001") int maxArray,
            @Descriptor("container image of the k8s Job")
            @Parameter(names = "--image", absentValue = "eclipse-temurin:17-jre") String image,
            @Descriptor("PersistentVolumeClaim of the k8s Job, mounted at DIR")
            @Parameter(names = "--claim", absentValue = "l3wb-sweep") String claim,
            @Descriptor("show progress on stderr even when it is not a terminal")
            @Parameter(names = "--progress", absentValue = "false", presentValue = "true") boolean progress,
            @Descriptor("output format: text, csv or json")
            @Parameter(names = "--format", absentValue = "text") String format) {
        Format f = Format.parse(format);
        Grid g = grid(grid, Map.of("processor", processor, "mechanism", mechanism, "scheduler", scheduler,
                "switches", switches, "size", size, "rounds", rounds));
        if (maxPoints < 1) {
            throw new IllegalArgumentException("--max-points must be positive, got " + maxPoints);
        }
        Installed installed = new Installed(workbench.processors(), workbench.machines(), workbench.kernel());
        List<Point> points = g.points(installed, maxPoints);
        Chunk c = Chunk.parse(chunk);
        Path dir = Path.of(out).toAbsolutePath().normalize();
        if (!emitJobs.isEmpty()) {
            return emit(Jobs.Kind.parse(emitJobs), g, points.size(), dir, out, jobs, maxArray, image, claim);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        int n = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        requireWritable(dir);
        Path cacheDir = noCache ? null : cache.isEmpty() ? dir.resolve("cache") : Path.of(cache).toAbsolutePath();
        String build = Build.current();
        List<Point> mine = c.of(points);
        PrintStream err = System.err;
        boolean show = progress || ConsoleProgress.interactive(session) || System.console() != null;
        Sweep.Outcome o;
        try (SweepProgress p = new SweepProgress(show ? err : null, progress && System.console() == null)) {
            o = new Sweep(installed, build, cacheDir, n).run(mine, p);
        }
        SweepOutput result = new SweepOutput(build, g.hash(), c.index(), c.count(), points.size(), o.rows());
        result.write(dir);
        long merged = g.size() - points.size();
        err.println("sweep: " + mine.size() + " points" + (c.count() > 1 ? " (chunk " + c + " of " + points.size() + ")" : "")
                + (merged > 0 ? ", " + merged + " duplicate(s) merged" : "") + "; " + o.computed() + " computed, "
                + o.cached() + " cached" + (o.unsupported() > 0 ? ", " + o.unsupported() + " unsupported" : "")
                + "; written to " + Path.of(out).resolve(SweepOutput.JSON) + " and " + SweepOutput.CSV);
        return render(result, f);
    }

    /** Fails with one line, before any point runs, when the output folder cannot be made or written. */
    static void requireWritable(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the sweep into " + dir + ": " + e.getMessage());
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException("cannot write the sweep into " + dir + ": not writable");
        }
    }

    /** @return the grid of the file (if any) with the axes given as flags replacing the file's */
    static Grid grid(String file, Map<String, String> flags) {
        Map<String, String> axes = new LinkedHashMap<>();
        if (!file.isEmpty()) {
            Grid fromFile;
            try {
                fromFile = Grid.parse(Files.readString(Path.of(file)), file);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("no such grid file: " + file);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read grid file " + file + ": " + e.getMessage());
            }
            for (String axis : Grid.AXES) {
                axes.put(axis, String.join(",", fromFile.axis(axis)));
            }
        }
        for (Map.Entry<String, String> e : flags.entrySet()) {
            if (!e.getValue().isEmpty()) {
                axes.put(e.getKey(), e.getValue());
            }
        }
        return Grid.of(axes);
    }

    private static String emit(Jobs.Kind kind, Grid g, int points, Path dir, String out, int jobs, int maxArray,
            String image, String claim) {
        if (maxArray < 1 || jobs < 0) {
            throw new IllegalArgumentException(maxArray < 1 ? "--max-array must be positive, got " + maxArray
                    : "--jobs must be positive, got " + jobs);
        }
        int chunks = Math.min(jobs == 0 ? points : jobs, points);
        if (kind == Jobs.Kind.SLURM) {
            chunks = Math.min(chunks, maxArray);
        }
        Path jar = Build.jar();
        if (jar == null) {
            throw new IllegalArgumentException("--emit-jobs needs the workbench run as java -jar workbench.jar "
                    + "(its jobs run that jar)");
        }
        String text = Jobs.emit(kind, dir.toString(), points, chunks, g.hash(), image, claim);
        try {
            Files.createDirectories(dir);
            Path target = dir.resolve(Jobs.JAR);
            if (!jar.equals(target)) {
                Path tmp = Files.createTempFile(dir, ".workbench", ".jar");
                Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            SweepOutput.replace(dir.resolve(Jobs.GRID), g.canonical());
            SweepOutput.replace(dir.resolve(kind.file), text);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the jobs into " + dir + ": " + e.getMessage(), e);
        }
        System.err.println("sweep: " + chunks + " " + kind + " job(s) for " + points + " points written to "
                + Path.of(out).resolve(kind.file) + " (grid " + Jobs.GRID + ", jar " + Jobs.JAR + " beside it)");
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    @Descriptor("join the outputs of a sweep's jobs (folders holding sweep.json, or the --emit-jobs folder) into one")
    public String merge(
            @Descriptor("output folder (default sweep)")
            @Parameter(names = "--out", absentValue = OUT) String out,
            @Descriptor("output format: text, csv or json")
            @Parameter(names = "--format", absentValue = "text") String format,
            @Descriptor("the jobs' output folders") String... dirs) {
        Format f = Format.parse(format);
        List<Path> paths = new ArrayList<>();
        for (String d : dirs) {
            paths.add(Path.of(d));
        }
        SweepOutput merged = Merge.merge(paths);
        Path dir = Path.of(out).toAbsolutePath().normalize();
        merged.write(dir);
        System.err.println("merge: " + merged.rows().size() + " points written to " + Path.of(out).resolve(SweepOutput.JSON)
                + " and " + SweepOutput.CSV);
        return render(merged, f);
    }

    static String render(SweepOutput o, Format f) {
        String s = switch (f) {
            case TEXT -> o.table().render(Format.TEXT);
            case CSV -> o.csv();
            case JSON -> o.json();
        };
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    /** Points done, on one {@code \r}-rewritten line of stderr in a terminal, or a line per point (--progress). */
    static final class SweepProgress implements Experiments.Progress, AutoCloseable {
        private final PrintStream err;
        private final boolean lines;
        private boolean shown;

        SweepProgress(PrintStream err, boolean lines) {
            this.err = err;
            this.lines = lines;
        }

        @Override
        public synchronized void runs(int done, int total) {
            if (err != null) {
                err.print((lines ? "" : "\r") + "sweep: " + done + "/" + total + " points" + (lines ? "\n" : ""));
                err.flush();
                shown = true;
            }
        }

        @Override
        public synchronized void close() {
            if (err != null && shown && !lines) {
                err.print("\r\033[K");
                err.flush();
            }
        }
    }
}

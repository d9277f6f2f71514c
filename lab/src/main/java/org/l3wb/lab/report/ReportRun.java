package org.l3wb.lab.report;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.l3wb.lab.format.Table;
import org.l3wb.lab.ipc.Parallel;
import org.l3wb.lab.plot.Plot;

/**
 * The orchestration of one {@link Report#run}: each experiment from a coordinator thread of its own
 * (its runs queue on the report's shared {@link Parallel.Pool}), its plot drawn on that thread as soon
 * as its table is done, the experiments done counted for the progress line, and, with the system
 * property {@value #TIMINGS}{@code =true}, one line per experiment on the process's stderr: when it
 * ended (seconds since the report began) and the CPU time of its own thread and of its runs.
 *
 * <pre>
 * WORKBENCH_JAVA_OPTS=-Dorg.l3wb.lab.report.timings=true ./workbench lab:report
 * timing table7: done at 9.81 s, cpu 8.42 s (plot 0.00 s)
 * …
 * timing lab:report: 10.42 s wall, 19.87 s cpu (process), started at 1.93 s of the JVM's uptime
 * </pre>
 */
final class ReportRun {
    /** System property: {@code true} prints per-experiment timings on stderr (benchmarks/readme.md). */
    static final String TIMINGS = "org.l3wb.lab.report.timings";

    /** What a coordinator produced: the table and its plot, or the reason the experiment was skipped. */
    record Outcome(Table table, Plot plot, String unsupported) {
    }

    private final ConsoleProgress progress;
    private final boolean timings = Boolean.getBoolean(TIMINGS);
    private final long start = System.nanoTime();
    private final long startCpu = processCpu();
    private final double startJit = jitCpuSeconds();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger started = new AtomicInteger();

    ReportRun(ConsoleProgress progress) {
        this.progress = progress;
    }

    /** Starts {@code e}: its table from {@code work}, then its plot, on a thread of its own bound to {@code pool}. */
    Future<Outcome> start(Parallel.Pool pool, Experiment e, Supplier<Table> work, String processor,
            org.l3wb.hw.api.ProcessorModel model) {
        started.incrementAndGet();
        LongAdder cpu = new LongAdder();
        // the plotted experiments' runs first (they are short): their plots are drawn while the long runs go
        // on; not the optional board sensitivity, longer than all others together
        return pool.coordinate(e.key(), ReportWriter.PLOTTED.contains(e) && !e.optional(), cpu, () -> {
            long ownStart = Parallel.threadCpu();
            Outcome o;
            long plotNanos = 0;
            try {
                Table t = work.get();
                long before = System.nanoTime();
                o = new Outcome(t, Report.draw(e, t, processor, model), null);
                plotNanos = System.nanoTime() - before;
            } catch (Experiment.Unsupported u) {
                o = new Outcome(null, null, u.getMessage());
            }
            int n = done.incrementAndGet();
            progress.phase("lab:report: " + n + "/" + started.get() + " experiments done");
            if (timings) {
                // the runs' CPU time and the coordinator's own (assembling the table, drawing the plot)
                report(String.format(Locale.ROOT, "timing %s: done at %.2f s, cpu %.2f s (plot %.2f s wall)", e.key(),
                        seconds(System.nanoTime() - start), seconds(cpu.sum() + Parallel.threadCpu() - ownStart),
                        seconds(plotNanos)));
            }
            return o;
        });
    }

    /** @return {@code f}'s outcome; its failure rethrown as the experiment's own */
    Outcome await(Future<Outcome> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw Parallel.failure(e);
        }
    }

    /** Every experiment is done: the whole run's timing line. */
    void finished() {
        if (timings) {
            report(String.format(Locale.ROOT, "timing lab:report experiments: %.2f s wall, %.2f s cpu (process, "
                    + "JIT compilers and GC included; the JIT compiler threads alone %.2f s), began at %.2f s of the "
                    + "JVM's uptime (%.2f s cpu before, %.2f s of it JIT), %d workers",
                    seconds(System.nanoTime() - start), seconds(processCpu() - startCpu), jitCpuSeconds() - startJit,
                    (ManagementFactory.getRuntimeMXBean().getUptime() - seconds(System.nanoTime() - start) * 1000) / 1000.0,
                    seconds(startCpu), startJit, Parallel.cores()));
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** @return the process's CPU time in ns (every thread's: workers, JIT compilers, GC), or 0 when unknown */
    static long processCpu() {
        try {
            Object v = ManagementFactory.getPlatformMBeanServer().getAttribute(
                    new javax.management.ObjectName("java.lang:type=OperatingSystem"), "ProcessCpuTime");
            return v instanceof Long l ? l : 0;
        } catch (Exception | LinkageError e) {
            return 0;
        }
    }

    /**
     * @return CPU seconds of the JVM's JIT compiler threads so far, from Linux's {@code /proc/self/task}
     * (user and system time in clock ticks, taken as 1/100 s); NaN where that cannot be read
     */
    static double jitCpuSeconds() {
        try (java.util.stream.Stream<java.nio.file.Path> tasks = java.nio.file.Files.list(
                java.nio.file.Path.of("/proc/self/task"))) {
            double sum = 0;
            for (java.nio.file.Path t : tasks.toList()) {
                String stat;
                try {
                    stat = java.nio.file.Files.readString(t.resolve("stat"));
                } catch (java.io.IOException ended) {
                    continue; // a thread that ended meanwhile
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (name.matches("C[12] CompilerThre.*")) {
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    sum += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
                }
            }
            return sum;
        } catch (java.io.IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** One line on the process's stderr (Gogo's ThreadIO may own System.err in the command's thread). */
    static synchronized void report(String line) {
        @SuppressWarnings("resource")
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        err.println(line);
        err.flush();
    }
}

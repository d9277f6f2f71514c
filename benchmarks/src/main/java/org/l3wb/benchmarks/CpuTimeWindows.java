package org.l3wb.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * A steadier host-speed measure than JMH's error bars on a shared virtual machine: the thread's CPU
 * time (not wall time, so other processes' load counts far less) of many short windows of the
 * {@link IpcBenchmark} ping-pong, and their median (robust against the windows a stray GC or a
 * descheduling spoils).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.l3wb.benchmarks.CpuTimeWindows [size [windows [rounds]]]
 * </pre>
 *
 * <p>Defaults: 8-byte messages, 1,000 windows of 500 round trips (1,000 IPCs) each, after a warm-up
 * of the same length. Prints one line: size, windows, IPCs per window, median and best host
 * nanoseconds of thread CPU time per IPC. It uses only what {@code IpcBenchmark} does, so the same
 * source builds at earlier commits and two builds can be compared run against run
 * ({@code benchmarks/trace-off-cost.sh}).
 */
public final class CpuTimeWindows {
    private CpuTimeWindows() {
    }

    /** One measurement: median and best window, host nanoseconds of thread CPU time per IPC. */
    public record Windows(int size, int windows, int ipcsPerWindow, double medianNanos, double bestNanos) {
    }

    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int windows = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        Windows w = measure(size, windows, rounds);
        System.out.printf(Locale.ROOT, "size %d: %d windows of %d IPCs: median %.1f ns per IPC (best %.1f)%n", size,
                windows, w.ipcsPerWindow(), w.medianNanos(), w.bestNanos());
    }

    /** @return {@code windows} windows of {@code rounds} round trips of {@code size} bytes, after as many of warm-up */
    public static Windows measure(int size, int windows, int rounds) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        IpcBenchmark bench = new IpcBenchmark();
        bench.size = size;
        bench.setup();
        for (int i = 0; i < windows; i++) { // warm-up: as long as the measurement
            bench.pingPong.rounds(rounds);
        }
        double[] perIpc = new double[windows];
        for (int i = 0; i < windows; i++) {
            long start = threads.getCurrentThreadCpuTime();
            bench.pingPong.rounds(rounds);
            perIpc[i] = (threads.getCurrentThreadCpuTime() - start) / (2.0 * rounds);
        }
        Arrays.sort(perIpc);
        return new Windows(size, windows, 2 * rounds, perIpc[windows / 2], perIpc[0]);
    }
}

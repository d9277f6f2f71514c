package org.l3wb.lab.ipc;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Runs independent experiments on the host's cores: each on its own simulated machine, built afresh by
 * the task, so the figures are those of a sequential run (every machine is deterministic and shares no
 * mutable state with another).
 *
 * <p>Alone (one {@code lab:} command), {@link #map} runs its inputs on a pool of its own, sized to the
 * cores. Within {@link Pool#within} (what {@code lab:report} does for every experiment at once, each
 * from a thread of its own), it queues them on that one shared pool instead, dearest first by the
 * caller's estimate, so the long runs of all experiments start early and the short ones fill the gaps:
 * the cores stay busy until the last run, and none is oversubscribed.
 *
 * <pre>
 * try (Parallel.Pool pool = Parallel.Pool.ofCores()) {
 *     Future&lt;Table&gt; t7 = pool.coordinate(() -&gt; experiments.table7(true));   // its runs go to pool
 * }
 * </pre>
 */
public final class Parallel {
    private static final ThreadLocal<Pool> SHARED = new ThreadLocal<>();
    private static final ThreadLocal<LongAdder> CPU = new ThreadLocal<>();
    /** Set on a coordinator whose runs go before every other's (see {@link Pool#coordinate}). */
    private static final ThreadLocal<Boolean> FIRST = new ThreadLocal<>();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Parallel() {
    }

    /** @return {@code run} applied to each input, results in input order; the first failure is rethrown */
    static <C, R> List<R> map(List<C> inputs, Function<C, R> run) {
        return map(inputs, run, c -> 1);
    }

    /**
     * As {@link #map(List, Function)}; {@code cost} estimates each input's host time (any unit, only the
     * order matters): on a shared pool the dearest run first. It changes no result, only the order.
     */
    static <C, R> List<R> map(List<C> inputs, Function<C, R> run, ToLongFunction<C> cost) {
        Pool shared = SHARED.get();
        if (shared != null) {
            List<Future<R>> futures = new ArrayList<>();
            boolean first = FIRST.get() != null;
            for (C c : inputs) {
                long rank = cost.applyAsLong(c);
                futures.add(shared.submit(first ? Long.MAX_VALUE / 2 + rank : rank, () -> run.apply(c)));
            }
            return all(futures);
        }
        try (Pool own = new Pool(Math.max(1, Math.min(inputs.size(), cores())))) {
            List<Future<R>> futures = new ArrayList<>();
            for (C c : inputs) {
                futures.add(own.submit(0, () -> run.apply(c)));
            }
            return all(futures);
        }
    }

    /** @return the host's cores, as the JVM sees them (a container's limit included) */
    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    private static <R> List<R> all(List<Future<R>> futures) {
        try {
            List<R> results = new ArrayList<>();
            for (Future<R> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (InterruptedException e) {
            for (Future<R> f : futures) {
                f.cancel(true);
            }
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            for (Future<R> f : futures) {
                f.cancel(true);
            }
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** @return the calling thread's CPU time in ns, or 0 where the JVM cannot measure it */
    public static long threadCpu() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : 0;
    }

    /**
     * A fixed set of worker threads, one per core, taking queued runs dearest first (ties in the order
     * submitted). Coordinators ({@link #coordinate}) are threads of their own that mostly wait: they run an
     * experiment's own code, whose {@link Parallel#map} calls queue here.
     */
    public static final class Pool implements AutoCloseable {
        private final ThreadPoolExecutor workers;
        private final AtomicLong submitted = new AtomicLong();

        /** @param threads worker threads: at most this many runs at once */
        public Pool(int threads) {
            this(threads, new PriorityBlockingQueue<>());
        }

        /** @param queue a priority queue of the runs waiting; the unit tests pass one that reports each run queued */
        Pool(int threads, BlockingQueue<Runnable> queue) {
            workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, queue,
                    r -> {
                        Thread t = new Thread(r, "lab-worker");
                        t.setDaemon(true);
                        return t;
                    });
            // every run through the queue, so that the dearest waiting one is always taken next
            workers.prestartAllCoreThreads();
        }

        /** @return a pool with one worker per core */
        public static Pool ofCores() {
            return new Pool(cores());
        }

        <R> Future<R> submit(long cost, Callable<R> task) {
            LongAdder cpu = CPU.get();
            Callable<R> measured = cpu == null ? task : () -> {
                long start = threadCpu();
                try {
                    return task.call();
                } finally {
                    cpu.add(threadCpu() - start);
                }
            };
            Ranked<R> ranked = new Ranked<>(measured, cost, submitted.getAndIncrement());
            workers.execute(ranked);
            return ranked;
        }

        /**
         * Runs {@code work} on a new thread bound to this pool ({@link Parallel#map} calls from it queue
         * here), counting its own CPU time and its runs' into {@code cpu}.
         *
         * @param first its runs go before every other coordinator's (short ones whose result has more
         *              work to follow on the coordinator, a plot to draw, while the long runs go on)
         * @return its result, when done
         */
        public <R> Future<R> coordinate(String name, boolean first, LongAdder cpu, Supplier<R> work) {
            FutureTask<R> task = new FutureTask<>(() -> {
                if (first) {
                    FIRST.set(Boolean.TRUE);
                }
                return within(cpu, work);
            });
            Thread t = new Thread(task, "lab-" + name);
            t.setDaemon(true);
            t.start();
            return task;
        }

        /** Runs {@code work} on the calling thread, bound to this pool, counting CPU time into {@code cpu}. */
        public <R> R within(LongAdder cpu, Supplier<R> work) {
            Pool before = SHARED.get();
            LongAdder cpuBefore = CPU.get();
            SHARED.set(this);
            CPU.set(cpu);
            long start = threadCpu();
            try {
                return work.get();
            } finally {
                cpu.add(threadCpu() - start);
                SHARED.set(before);
                CPU.set(cpuBefore);
            }
        }

        /** Stops the workers; runs still queued are dropped (their callers have failed already). */
        @Override
        public void close() {
            workers.shutdownNow();
        }
    }

    /** A queued run: the dearer first, then the earlier submitted. */
    private static final class Ranked<R> extends FutureTask<R> implements Comparable<Ranked<?>> {
        private final long cost;
        private final long order;

        Ranked(Callable<R> task, long cost, long order) {
            super(task);
            this.cost = cost;
            this.order = order;
        }

        @Override
        public int compareTo(Ranked<?> o) {
            int c = Long.compare(o.cost, cost);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }
}

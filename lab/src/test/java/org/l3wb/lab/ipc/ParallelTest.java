package org.l3wb.lab.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Test;

/**
 * {@link Parallel}: results in input order whoever runs them, a shared pool takes the dearest queued
 * run first (a coordinator marked first before all others), a run's failure is the caller's.
 */
class ParallelTest {
    /** Bound of every wait here: a hang guard, never reached on a sound run however loaded the host. */
    private static final long HANG_GUARD_MINUTES = 5;

    /** The pool's queue, releasing a permit of {@link #queued} for every run put in it. */
    private static final class ReportingQueue extends PriorityBlockingQueue<Runnable> {
        final Semaphore queued = new Semaphore(0);

        @Override
        public boolean offer(Runnable run) {
            boolean taken = super.offer(run);
            queued.release();
            return taken;
        }
    }

    @Test
    void resultsComeInInputOrderAloneAndOnASharedPool() {
        List<Integer> inputs = List.of(5, 1, 4, 2, 3, 9, 7);
        List<Integer> squares = List.of(25, 1, 16, 4, 9, 81, 49);
        assertEquals(squares, Parallel.map(inputs, i -> i * i));
        try (Parallel.Pool pool = new Parallel.Pool(2)) {
            assertEquals(squares, pool.within(new LongAdder(), () -> Parallel.map(inputs, i -> i * i, i -> i)));
        }
    }

    @Test
    void aSharedPoolTakesTheDearestQueuedRunFirst() throws Exception {
        ReportingQueue queue = new ReportingQueue();
        try (Parallel.Pool pool = new Parallel.Pool(1, queue)) {
            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            // the only worker held, so that every run below is queued before any starts
            pool.submit(Long.MAX_VALUE, () -> {
                busy.countDown();
                return release.await(HANG_GUARD_MINUTES, TimeUnit.MINUTES);
            });
            assertTrue(busy.await(HANG_GUARD_MINUTES, TimeUnit.MINUTES), "hang guard: the worker never took the first run");
            List<String> order = new CopyOnWriteArrayList<>();
            Future<List<String>> cheap = pool.coordinate("cheap", false, new LongAdder(),
                    () -> Parallel.map(List.of("c1", "c30", "c7"), s -> record(order, s),
                            s -> Long.parseLong(s.substring(1))));
            Future<List<String>> first = pool.coordinate("first", true, new LongAdder(),
                    () -> Parallel.map(List.of("f2", "f1"), s -> record(order, s), s -> Long.parseLong(s.substring(1))));
            // both coordinators have queued their runs: the held one and these five went through the queue
            assertTrue(queue.queued.tryAcquire(1 + 5, HANG_GUARD_MINUTES, TimeUnit.MINUTES),
                    "hang guard: the coordinators never queued their five runs");
            assertTrue(order.isEmpty(), "nothing ran while the only worker was held: " + order);
            release.countDown();
            assertEquals(List.of("c1", "c30", "c7"), cheap.get(HANG_GUARD_MINUTES, TimeUnit.MINUTES),
                    "results in input order");
            assertEquals(List.of("f2", "f1"), first.get(HANG_GUARD_MINUTES, TimeUnit.MINUTES));
            assertEquals(List.of("f2", "f1", "c30", "c7", "c1"), order, "first coordinator's, then dearest first");
        }
    }

    private static String record(List<String> order, String s) {
        order.add(s);
        return s;
    }

    @Test
    void aRunsFailureIsTheCallersOwn() {
        IllegalArgumentException boom = new IllegalArgumentException("size 13 is not supported");
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> Parallel.map(List.of(1, 13, 2), i -> {
                    if (i == 13) {
                        throw boom;
                    }
                    return i;
                }));
        assertSame(boom, thrown);
    }

    @Test
    void aCoordinatorCountsItsRunsCpuTime() throws Exception {
        LongAdder cpu = new LongAdder();
        try (Parallel.Pool pool = new Parallel.Pool(2)) {
            pool.coordinate("spin", false, cpu, () -> Parallel.map(List.of(200_000, 200_000), ParallelTest::work))
                    .get(HANG_GUARD_MINUTES, TimeUnit.MINUTES); // hang guard
        }
        // only where the JVM measures thread CPU time (it does on the platforms the workbench runs on)
        assertTrue(!java.lang.management.ManagementFactory.getThreadMXBean().isCurrentThreadCpuTimeSupported()
                || cpu.sum() > 0, "cpu " + cpu.sum());
    }

    private static long work(int n) {
        long x = 1;
        for (int i = 0; i < n; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return x;
    }
}

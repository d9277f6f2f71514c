package org.l3wb.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Keeps the benchmark's set-up and body working; the figures are the simulator's, not the host's. */
class PingPongBenchmarkTest {
    @Test
    void oneInvocationRunsTwoHundredShortIpcsOfAboutTwoHundredAndTwentySevenCycles() {
        PingPongBenchmark b = new PingPongBenchmark();
        b.size = 8;
        b.boot();
        long before = b.session.statistics().now();
        long after = b.ipcs();
        double perIpc = (after - before) / (2.0 * PingPongBenchmark.ROUNDS);
        assertEquals(226.8, perIpc, 1.0, "the same steady state lab:pingpong reports");
    }
}

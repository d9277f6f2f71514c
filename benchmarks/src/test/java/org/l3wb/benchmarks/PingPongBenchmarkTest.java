package org.l3wb.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.cache.CacheFactoryComponent;
import org.l3wb.hw.cpu486.MachineFactoryComponent;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.hw.mmu.MmuFactoryComponent;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.core.KernelComponent;
import org.l3wb.kernel.ipc.L3Ipc;
import org.l3wb.kernel.sched.LazyScheduler;
import org.l3wb.lab.ipc.PingPong;

/** Keeps the benchmark's set-up and body working; the figures are the simulator's, not the host's. */
class PingPongBenchmarkTest {
    @Test
    void oneInvocationRunsTwoHundredIpcsInTheSteadyStateLabPingpongMeasures() {
        PingPongBenchmark b = new PingPongBenchmark();
        b.size = 8;
        b.boot();
        long before = b.session.statistics().now();
        long after = b.ipcs();
        double perIpc = (after - before) / (2.0 * PingPongBenchmark.ROUNDS);

        KernelComponent kernel = new KernelComponent();
        kernel.addMechanism(new L3Ipc());
        kernel.addScheduler(new LazyScheduler());
        PingPong.Result reference = new PingPong(new MachineFactoryComponent(new MmuFactoryComponent(),
                new CacheFactoryComponent()), kernel).run(new PingPong.Config(StandardModels.i486dx50(), "l3", "lazy",
                Switches.ALL_ON, 8, PingPongBenchmark.ROUNDS, false));
        assertEquals(reference.cyclesPerIpc(), perIpc, 1.5, "the benchmark times the ping-pong lab:pingpong reports");
    }
}

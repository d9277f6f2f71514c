package org.l3wb.benchmarks;

import java.util.concurrent.TimeUnit;

import org.l3wb.hw.cache.CacheFactoryComponent;
import org.l3wb.hw.cpu486.MachineFactoryComponent;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.hw.mmu.MmuFactoryComponent;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.core.KernelComponent;
import org.l3wb.kernel.ipc.L3Ipc;
import org.l3wb.kernel.sched.LazyScheduler;
import org.l3wb.lab.ipc.PingPong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Simulated IPCs per host second: the paper's ping-pong (client call, server reply and receive next)
 * with 8- and 4096-byte messages on the i486dx50, l3 mechanism, lazy scheduling. Each invocation runs
 * 100 round trips, 200 IPCs, on one warm machine.
 *
 * <p>The ratio of simulated to host time is the simulated microseconds per IPC (4.61 at 8 bytes,
 * 106 at 4096, from {@code lab:pingpong}) divided by the host microseconds per IPC this reports.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PingPongBenchmark {
    static final int ROUNDS = 100;

    @Param({"8", "4096"})
    public int size;

    PingPong.Session session;

    @Setup(Level.Trial)
    public void boot() {
        KernelComponent kernel = new KernelComponent();
        kernel.addMechanism(new L3Ipc());
        kernel.addScheduler(new LazyScheduler());
        PingPong pingPong = new PingPong(
                new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent()), kernel);
        session = pingPong.start(new PingPong.Config(StandardModels.i486dx50(), "l3", "lazy", Switches.ALL_ON, size,
                ROUNDS, false));
    }

    @Benchmark
    @OperationsPerInvocation(2 * ROUNDS)
    public long ipcs() {
        session.rounds(ROUNDS);
        return session.statistics().now();
    }
}

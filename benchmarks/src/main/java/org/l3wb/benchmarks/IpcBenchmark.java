package org.l3wb.benchmarks;

import org.l3wb.hw.cache.CacheFactoryComponent;
import org.l3wb.hw.cpu486.MachineFactoryComponent;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.hw.mmu.MmuFactoryComponent;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.core.KernelComponent;
import org.l3wb.kernel.ipc.L3Ipc;
import org.l3wb.kernel.sched.LazyScheduler;
import org.l3wb.kernel.sched.StrictScheduler;
import org.l3wb.lab.ipc.PingPong;
import java.util.concurrent.TimeUnit;

import org.l3wb.hw.api.Statistics;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Host speed of the whole simulator on the paper's IPC benchmark: simulated IPCs per host second of
 * an n-byte ping-pong between two address spaces (client call, server reply-and-receive-next), with
 * the L3 nucleus on an i486 DX-50 and every optimisation on: lab's {@code PingPong}, driven round by
 * round through its {@code Session}.
 *
 * <p>{@link #setup()} boots one machine per trial and runs {@value #WARM_UP_ROUNDS} round trips, as
 * {@code PingPong} does before it measures, so caches and TLB are in the steady state. One invocation
 * then runs {@value #ROUNDS} more round trips, {@code 2 x ROUNDS} IPCs:
 * {@code @OperationsPerInvocation} makes the score <em>IPCs per host second</em>.
 *
 * <p>The secondary result {@code simulatedSeconds} ({@link SimulatedTime}, an operations-type
 * auxiliary counter) adds up the simulated time those invocations took on the DX-50's clock; JMH
 * divides it by the host time, so its score is the <em>ratio of simulated to host time</em>: above
 * 1, the simulation runs faster than the real 486 did.
 *
 * <ul>
 * <li>{@code 8}: the message travels in registers; ~230 cycles (4.6 us simulated) per IPC.</li>
 * <li>{@code 4096}: one indirect string through the communication window; ~5,300 cycles (106 us)
 * per IPC, most of them the REP MOVSD's 1024 dwords with their TLB and cache misses.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
public class IpcBenchmark {
    /** Round trips per invocation: two IPCs each. */
    public static final int ROUNDS = 100;
    /** IPCs per invocation. */
    public static final int IPCS = 2 * ROUNDS;
    /** Round trips before the first invocation (PingPong's warm-up). */
    static final int WARM_UP_ROUNDS = 20;

    /** Message bytes: 8 (registers) or 4096 (one indirect string). */
    @Param({"8", "4096"})
    public int size;

    PingPong.Session pingPong;
    private Statistics statistics;
    private double secondsPerCycle;

    @Setup
    public void setup() {
        KernelComponent kernel = new KernelComponent();
        kernel.addMechanism(new L3Ipc());
        kernel.addScheduler(new LazyScheduler());
        kernel.addScheduler(new StrictScheduler());
        pingPong = new PingPong(new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent()),
                kernel).start(new PingPong.Config(StandardModels.i486dx50(), "l3", "lazy", Switches.ALL_ON, size,
                        ROUNDS, false));
        statistics = pingPong.machine().statistics();
        secondsPerCycle = 1e-6 / pingPong.machine().model().clockMHz();
        pingPong.rounds(WARM_UP_ROUNDS);
    }

    /**
     * Simulated time and instructions per host time, as auxiliary counters of the throughput mode: JMH
     * reports {@code simulatedSeconds} and {@code simulatedInstructions} per host second, that is the
     * ratio of simulated to host time and the simulated instructions per host second (Simics' measure of
     * a simulator's speed), both from the simulation's own cycle and instruction counts and clock.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class SimulatedTime {
        /** Simulated seconds that the measured invocations of this iteration took. */
        public double simulatedSeconds;
        /** Instructions the simulated processor retired in them. */
        public long simulatedInstructions;

        @Setup(Level.Iteration)
        public void reset() {
            simulatedSeconds = 0;
            simulatedInstructions = 0;
        }
    }

    /** @return the simulated cycles that {@link #pingPong} took, for the test */
    long run() {
        long before = statistics.now();
        pingPong.rounds(ROUNDS);
        return statistics.now() - before;
    }

    @Benchmark
    @OperationsPerInvocation(IPCS)
    public long pingPong(SimulatedTime simulated) {
        long instructions = statistics.instructions();
        long cycles = run();
        simulated.simulatedSeconds += cycles * secondsPerCycle;
        simulated.simulatedInstructions += statistics.instructions() - instructions;
        return cycles;
    }
}

package org.l3wb.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.l3wb.hw.api.Mode;
import org.l3wb.hw.api.Statistics;
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

/**
 * Runs the IPC benchmark's setup and single invocations outside JMH, once, untimed: keeps it
 * compiling under {@code mvn verify} and checks that an invocation simulates what the score counts
 * (2 x ROUNDS IPCs), and that its round trips are the paper's ping-pong exactly as {@code lab}
 * measures it. Nothing here looks at host time.
 */
class IpcBenchmarkTest {
    private static IpcBenchmark setUp(int size) {
        IpcBenchmark b = new IpcBenchmark();
        b.size = size;
        b.setup();
        return b;
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 4096})
    void oneInvocationRunsTheIpcsItCounts(int size) {
        IpcBenchmark b = setUp(size);
        assertEquals(IpcBenchmark.WARM_UP_ROUNDS, b.pingPong.completed(), "warm-up round trips");
        long ipcsBefore = b.pingPong.nucleus().ipcCount();
        Statistics before = b.pingPong.machine().statistics().copy();
        IpcBenchmark.SimulatedTime simulated = new IpcBenchmark.SimulatedTime();
        long cycles = b.pingPong(simulated);
        Statistics d = b.pingPong.machine().statistics().since(before);
        assertEquals(IpcBenchmark.ROUNDS + IpcBenchmark.WARM_UP_ROUNDS, b.pingPong.completed());
        assertEquals(IpcBenchmark.IPCS, b.pingPong.nucleus().ipcCount() - ipcsBefore, "IPC system calls");
        assertEquals(d.now(), cycles, "the invocation returns the simulated cycles it took");
        assertEquals(cycles / 50e6, simulated.simulatedSeconds, 1e-12, "simulated seconds at 50 MHz");
        assertEquals(d.instructions(), simulated.simulatedInstructions, "simulated instructions");
        assertTrue(d.instructions(Mode.USER) > 0 && d.instructions(Mode.KERNEL) > 0, d.toString());
        // the next invocation does the same work on the same machine
        assertEquals(IpcBenchmark.IPCS, countIpcs(b), "second invocation");
    }

    private static long countIpcs(IpcBenchmark b) {
        long before = b.pingPong.nucleus().ipcCount();
        b.run();
        return b.pingPong.nucleus().ipcCount() - before;
    }

    /**
     * After the same warm-up, one invocation's round trips take exactly the cycles, TLB misses and
     * cache misses that {@code lab:pingpong --rounds 100} reports for them: the driver is that
     * ping-pong, not an approximation (4096 bytes: also the same bytes through the same buffers).
     */
    @ParameterizedTest
    @ValueSource(ints = {8, 4096})
    void roundTripsCostWhatPingPongMeasures(int size) {
        KernelComponent kernel = new KernelComponent();
        kernel.addMechanism(new L3Ipc());
        kernel.addScheduler(new LazyScheduler());
        kernel.addScheduler(new StrictScheduler());
        PingPong.Result expected = new PingPong(
                new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent()), kernel)
                .run(new PingPong.Config(StandardModels.i486dx50(), "l3", "lazy", Switches.ALL_ON, size,
                        IpcBenchmark.ROUNDS, false));
        IpcBenchmark b = setUp(size);
        Statistics before = b.pingPong.machine().statistics().copy();
        long cycles = b.run();
        Statistics d = b.pingPong.machine().statistics().since(before);
        assertEquals(expected.cycles(), cycles, "cycles of " + IpcBenchmark.ROUNDS + " round trips");
        assertEquals(expected.tlbMissesPerIpc() * IpcBenchmark.IPCS, d.tlbMisses(), 1e-9, "TLB misses");
        assertEquals(expected.cacheMissesPerIpc() * IpcBenchmark.IPCS, d.cacheMisses(), 1e-9, "cache misses");
        double cyclesPerIpc = (double) cycles / IpcBenchmark.IPCS;
        if (size == 8) {
            assertTrue(cyclesPerIpc > 200 && cyclesPerIpc < 260, "8-byte IPC: " + cyclesPerIpc + " cycles");
        } else {
            assertTrue(cyclesPerIpc > 4000 && cyclesPerIpc < 7000, "4096-byte IPC: " + cyclesPerIpc + " cycles");
        }
    }
}

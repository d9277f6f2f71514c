package org.l3wb.lab.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.kernel.api.Switches;

class PingPongTest {
    @Test
    void aMechanismThatIsNotInstalledGivesNoFigureUnderItsName() {
        org.l3wb.kernel.core.KernelComponent onlyL3 = new org.l3wb.kernel.core.KernelComponent();
        onlyL3.addMechanism(new org.l3wb.kernel.ipc.L3Ipc());
        onlyL3.addScheduler(new org.l3wb.kernel.sched.LazyScheduler());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new PingPong(Lab.MACHINES, onlyL3)
                .run(new PingPong.Config(StandardModels.i486dx50(), "ports", "lazy", Switches.ALL_ON, 8, 10, false)));
        assertEquals("IPC mechanism 'ports' is not installed: the kernel ran 'l3' instead; no figure reported",
                e.getMessage());
    }

    @Test
    void theSameConfigurationGivesTheSameCyclesBitForBit() {
        for (int size : new int[] {8, 300, 3000}) {
            PingPong.Result a = Lab.pingPong().run(Lab.config(size, 200));
            PingPong.Result b = Lab.pingPong().run(Lab.config(size, 200));
            assertEquals(a.cycles(), b.cycles(), "size " + size);
            assertEquals(a.footprintBytes(), b.footprintBytes());
            assertEquals(400, a.ipcs());
        }
    }

    @Test
    void theSegmentsAreTheSlicesOfTheRunAndTheirWeightedMeanIsTheFigure() {
        PingPong.Result r = Lab.pingPong().run(Lab.config(8, 257));
        // 21 slices of 12 round trips and one of 5, as the run is measured (reportingProgressChangesNoFigure)
        assertEquals(22, r.segments().size());
        double cycles = 0;
        for (int i = 0; i < r.segments().size(); i++) {
            cycles += r.segments().get(i) * 2 * (i < 21 ? 12 : 5);
        }
        assertEquals(r.cycles(), cycles, 1e-6);
        assertTrue(r.segments().stream().allMatch(v -> Math.abs(v - r.cyclesPerIpc()) < 0.05 * r.cyclesPerIpc()),
                "a warm ping-pong is steady: " + r.segments());
    }

    @Test
    void reportingProgressChangesNoFigure() {
        for (int size : new int[] {8, 3000}) {
            PingPong.Config c = Lab.config(size, 257);
            PingPong.Result whole = Lab.pingPong().run(c);
            java.util.List<Integer> told = new java.util.ArrayList<>();
            PingPong.Result sliced = Lab.pingPong().run(c, (done, total) -> {
                assertEquals(257, total);
                told.add(done);
            });
            assertEquals(whole, sliced, "size " + size);
            assertEquals(22, told.size(), "slices of 257 / 20 = 12 round trips and the rest: " + told);
            assertEquals(257, (int) told.get(told.size() - 1));
        }
    }

    @Test
    void aShortIpcCostsTheTwoTrapsTheFiveTlbMissesOfTable3AndTheKernelPath() {
        PingPong.Result r = Lab.pingPong().run(Lab.config(8, 1000));
        // INT 71 + IRET 36 and five 9-cycle misses are 152 of the cycles (Table 3's floor is 172 with
        // the 20 instructions around them); the whole path with parameter checks must lie above that
        assertEquals(5.0, r.tlbMissesPerIpc(), 0.01, "B's TCB, kernel code, B's stack, GDT, user code");
        assertEquals(0.0, r.cacheMissesPerIpc(), 0.01, "warm: everything in the on-chip cache");
        assertTrue(r.cyclesPerIpc() > 172 && r.cyclesPerIpc() < 260, "cycles per IPC " + r.cyclesPerIpc());
    }

    @Test
    void flushingTheCacheBeforeEachIpcCostsLineFills() {
        PingPong.Result warm = Lab.pingPong().run(Lab.config(8, 500));
        PingPong.Result cold = Lab.pingPong().run(new PingPong.Config(StandardModels.i486dx50(), "l3", "lazy",
                Switches.ALL_ON, 8, 500, true));
        assertTrue(cold.cacheMissesPerIpc() > 25, "the path's lines miss again: " + cold.cacheMissesPerIpc());
        assertTrue(cold.cyclesPerIpc() > warm.cyclesPerIpc() + 9 * 25);
    }

    @Test
    void badSizesAndRoundsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lab.config(-1, 10));
        assertEquals("message size must be 0..4194304 bytes, got -1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Lab.config((4 << 20) + 1, 10));
        e = assertThrows(IllegalArgumentException.class, () -> Lab.config(8, 0));
        assertEquals("rounds must be positive, got 0", e.getMessage());
    }

    @Test
    void theDx33TakesTheSameCyclesForAShortIpcButMoreMicroseconds() {
        PingPong.Result dx50 = Lab.pingPong().run(Lab.config(8, 300));
        PingPong.Result dx33 = Lab.pingPong().run(new PingPong.Config(StandardModels.i486dx33(), "l3", "lazy",
                Switches.ALL_ON, 8, 300, false));
        // the same instructions and misses; only the clock tick (every 1 ms, so every 33,000 cycles instead of
        // 50,000) and the bus timing of writes differ a little
        assertEquals(dx50.cyclesPerIpc(), dx33.cyclesPerIpc(), 2.0, "warm short IPC: no memory stalls");
        assertEquals(dx50.microsPerIpc() * 50 / 33, dx33.microsPerIpc(), 0.05);
    }

    @Test
    void theNullRpcOfTable2IsTwoShortIpcs() {
        for (var model : new org.l3wb.hw.api.ProcessorModel[] {StandardModels.i486dx50(), StandardModels.i486dx33()}) {
            PingPong.Result r = Lab.pingPong().run(new PingPong.Config(model, "l3", "lazy", Switches.ALL_ON, 8, 500,
                    false));
            double paper = org.l3wb.lab.reference.PaperFigures.table2L3(model.name());
            assertEquals(paper, 2 * r.microsPerIpc(), paper * 0.15, model.name() + ": 10 us at 50 MHz, 15 at 33");
        }
    }
}

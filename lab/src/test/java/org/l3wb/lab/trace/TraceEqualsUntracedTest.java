package org.l3wb.lab.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.Statistics;
import org.l3wb.hw.cpu386.I386Dx20;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;
import org.l3wb.lab.ipc.Lab;
import org.l3wb.lab.ipc.PingPong;

/**
 * The trace only listens: a traced call plus a traced reply cost, cycle for cycle, what the same warm
 * round trip costs untraced on the DX-50, the 386 and 7.4's hypothetical 486 (PingPong's measurement of one round), with the same execution cycles, TLB
 * and cache misses, and the steps' subtotals add up to each IPC's total.
 */
class TraceEqualsUntracedTest {
    static List<Arguments> configs() {
        List<Arguments> a = new java.util.ArrayList<>();
        for (ProcessorModel model : List.of(StandardModels.i486dx50(), new I386Dx20(), StandardModels.h486dx50())) {
            for (String mechanism : List.of("l3", "ports", "dash", "mach")) {
                a.add(Arguments.of(model, mechanism, 8, false, Switches.ALL_ON));
            }
            a.add(Arguments.of(model, "l3", 512, false, Switches.ALL_ON));
            a.add(Arguments.of(model, "l3", 8, true, Switches.ALL_ON));
        }
        // each of Table 1's switches off changes the path (two system calls per reply without replywait)
        for (Switch off : Switch.values()) {
            a.add(Arguments.of(StandardModels.i486dx50(), "l3", off == Switch.SHORT_MESSAGES_IN_REGISTERS ? 8 : 4096,
                    false, Switches.ALL_ON.with(off, false)));
        }
        return a;
    }

    private static long sum(StepProfile p, java.util.function.ToLongFunction<TracedInstruction> f) {
        return p.instructions().stream().mapToLong(f).sum();
    }

    @ParameterizedTest(name = "{1} on {0}, {2} bytes, cold {3}, {4}")
    @MethodSource("configs")
    void aTracedRoundTripCostsWhatAnUntracedOneDoes(ProcessorModel model, String mechanism, int size, boolean cold,
            Switches switches) {
        String scheduler = switches.isOn(Switch.LAZY_SCHEDULING) ? "lazy" : "strict";
        PingPong.Config c = new PingPong.Config(model, mechanism, scheduler, switches, size, 1, cold);
        long untraced = Lab.pingPong().run(c).cycles();
        List<StepProfile> round = StepProfile.round(Lab.MACHINES, Lab.KERNEL, c);
        StepProfile call = round.get(0);
        StepProfile reply = round.get(1);
        assertEquals(StepProfile.Ipc.CALL, call.ipc());
        assertFalse(call.instructions().isEmpty());
        assertFalse(reply.instructions().isEmpty());
        assertEquals(untraced, call.cycles() + reply.cycles(), "traced call + reply against the untraced round");
        PingPong.Session session = Lab.pingPong().start(c);
        session.rounds(PingPong.WARM_UP_ROUNDS);
        Statistics before = session.machine().statistics().copy();
        session.rounds(1);
        Statistics measured = session.machine().statistics().since(before);
        assertEquals(measured.now(), untraced);
        assertEquals(measured.executionCycles(), sum(call, TracedInstruction::executionCycles)
                + sum(reply, TracedInstruction::executionCycles), "execution cycles: all less walks, fills, stalls");
        assertEquals(measured.tlbMisses(), call.tlbMisses() + reply.tlbMisses());
        assertEquals(measured.cacheMisses(), call.cacheMisses() + reply.cacheMisses());
        for (StepProfile p : round) {
            long sum = 0;
            long instructions = 0;
            for (TracedInstruction i : p.instructions()) {
                sum += i.cycles();
                instructions++;
            }
            assertEquals(sum, p.cycles(), "steps' subtotals against the instructions' cycles");
            assertEquals(instructions, p.steps().stream().mapToLong(StepProfile.Step::instructions).sum());
        }
    }
}

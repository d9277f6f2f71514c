package org.l3wb.lab.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.cpu386.I386Dx20;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.kernel.api.Switches;
import org.l3wb.lab.ipc.Lab;
import org.l3wb.lab.ipc.PingPong;

/**
 * The trace only listens: a traced call plus a traced reply cost, cycle for cycle, what the same warm
 * round trip costs untraced (PingPong's measurement of one round), and the steps' subtotals add up to
 * each IPC's total.
 */
class TraceEqualsUntracedTest {
    static List<Arguments> configs() {
        List<Arguments> a = new java.util.ArrayList<>();
        for (ProcessorModel model : List.of(StandardModels.i486dx50(), new I386Dx20())) {
            for (String mechanism : List.of("l3", "ports", "dash", "mach")) {
                a.add(Arguments.of(model, mechanism, 8, false));
            }
            a.add(Arguments.of(model, "l3", 512, false));
            a.add(Arguments.of(model, "l3", 8, true));
        }
        return a;
    }

    @ParameterizedTest(name = "{1} on {0}, {2} bytes, cold {3}")
    @MethodSource("configs")
    void aTracedRoundTripCostsWhatAnUntracedOneDoes(ProcessorModel model, String mechanism, int size, boolean cold) {
        PingPong.Config c = new PingPong.Config(model, mechanism, "lazy", Switches.ALL_ON, size, 1, cold);
        long untraced = Lab.pingPong().run(c).cycles();
        List<StepProfile> round = StepProfile.round(Lab.MACHINES, Lab.KERNEL, c);
        StepProfile call = round.get(0);
        StepProfile reply = round.get(1);
        assertEquals(StepProfile.Ipc.CALL, call.ipc());
        assertFalse(call.instructions().isEmpty());
        assertFalse(reply.instructions().isEmpty());
        assertEquals(untraced, call.cycles() + reply.cycles(), "traced call + reply against the untraced round");
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

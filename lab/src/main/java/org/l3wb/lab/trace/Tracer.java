package org.l3wb.lab.trace;

import java.util.ArrayList;
import java.util.List;

import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.TraceListener;
import org.l3wb.kernel.api.Kernel;
import org.l3wb.lab.ipc.PingPong;

/**
 * Runs a ping-pong warm ({@link PingPong#WARM_UP_ROUNDS} round trips, as its measurement does; the last
 * with a trace that only lets the processor keep the step marks), then traces {@code rounds} round
 * trips: the same instructions, the same cycles (the trace only listens).
 */
final class Tracer {
    /** A trace that keeps nothing: the processor keeps the step marks while one is on. */
    private static final TraceListener MARKS_ONLY = new TraceListener() {
    };

    /** What a traced run gives: its IPCs in order (a reply first: a round trip ends after the call). */
    record Run(PingPong.Config config, List<StepProfile> ipcs, List<String> senders) {
    }

    private Tracer() {
    }

    static Run trace(MachineFactory machines, Kernel kernel, PingPong.Config config, int rounds) {
        PingPong.Session session = new PingPong(machines, kernel).start(config);
        session.rounds(PingPong.WARM_UP_ROUNDS - 1);
        Processor cpu = session.machine().cpu();
        Recorder recorder;
        try {
            // the last warm-up round trip with a trace on that keeps only the step marks (marks are not
            // kept while no trace is on), so that the traced round's first instructions have theirs
            cpu.trace(MARKS_ONLY);
            session.rounds(1);
            String bound = session.nucleus().boundMechanism();
            if (!config.mechanism().equals(bound)) {
                // the kernel carries a workload on with another mechanism when the named one is missing
                throw new IllegalStateException("IPC mechanism '" + config.mechanism() + "' is not installed"
                        + (bound == null ? " (none is)" : ": the kernel ran '" + bound + "' instead")
                        + "; nothing traced");
            }
            recorder = new Recorder(session.machine(), new Pages(session, config.mechanism()));
            cpu.trace(recorder);
            session.rounds(rounds);
        } finally {
            cpu.trace(null);
        }
        if (!recorder.rest().isEmpty()) {
            throw new IllegalStateException("the traced round trips ended in the middle of an IPC ("
                    + recorder.rest().size() + " instructions after the last IRET into another space)");
        }
        List<StepProfile> ipcs = new ArrayList<>();
        for (int i = 0; i < recorder.ipcs().size(); i++) {
            String sender = recorder.senders().get(i);
            StepProfile.Ipc kind = "A".equals(sender) ? StepProfile.Ipc.CALL : StepProfile.Ipc.REPLY;
            ipcs.add(new StepProfile(config, kind, recorder.ipcs().get(i)));
        }
        return new Run(config, ipcs, recorder.senders());
    }
}

package org.l3wb.lab.trace;

import java.util.ArrayList;
import java.util.List;

import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.Processor;
import org.l3wb.kernel.api.Kernel;
import org.l3wb.lab.ipc.PingPong;

/**
 * Runs a ping-pong warm ({@link PingPong#WARM_UP_ROUNDS} round trips untraced, as its measurement
 * does), then traces {@code rounds} round trips: the same instructions, the same cycles (the trace
 * only listens).
 */
final class Tracer {
    /** What a traced run gives: its IPCs in order (a reply first: a round trip ends after the call). */
    record Run(PingPong.Config config, List<StepProfile> ipcs, List<String> senders) {
    }

    private Tracer() {
    }

    static Run trace(MachineFactory machines, Kernel kernel, PingPong.Config config, int rounds) {
        PingPong.Session session = new PingPong(machines, kernel).start(config);
        session.rounds(PingPong.WARM_UP_ROUNDS);
        String bound = session.nucleus().boundMechanism();
        if (!config.mechanism().equals(bound)) {
            // the kernel carries a workload on with another mechanism when the named one is missing
            throw new IllegalStateException("IPC mechanism '" + config.mechanism() + "' is not installed"
                    + (bound == null ? " (none is)" : ": the kernel ran '" + bound + "' instead") + "; nothing traced");
        }
        Pages pages = new Pages(session, config.mechanism());
        Recorder recorder = new Recorder(session.machine(), pages);
        Processor cpu = session.machine().cpu();
        cpu.trace(recorder);
        try {
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

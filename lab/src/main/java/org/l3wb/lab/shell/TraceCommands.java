package org.l3wb.lab.shell;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.l3wb.lab.ipc.PingPong;
import org.l3wb.lab.trace.TraceCommand;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Gogo command {@code lab:trace}: one IPC of the ping-pong, instruction by instruction (lab.trace). */
@Component(service = TraceCommands.class, property = {
    "osgi.command.scope=lab",
    "osgi.command.function=trace"
})
public class TraceCommands {
    @Reference
    private Workbench workbench;

    @Descriptor("one IPC of a warm ping-pong on the selected machine, instruction by instruction: cycles, TLB and "
            + "cache misses and the pages they hit, subtotals per step of the kernel's path (the paper's appendix); "
            + "--format chrome writes a timeline of --rounds round trips for chrome://tracing or Perfetto")
    public String trace(
            @Descriptor("message size in bytes, 0..4194304")
            @Parameter(names = "--size", absentValue = "8") int size,
            @Descriptor("IPC mechanism for this trace (default: the selected one)")
            @Parameter(names = "--mechanism", absentValue = "") String mechanism,
            @Descriptor("which IPC of the round trip: call, reply or both")
            @Parameter(names = "--ipc", absentValue = "both") String ipc,
            @Descriptor("flush the cache before each IPC (Table 7's cache-flushed column)")
            @Parameter(names = "--cold", absentValue = "false", presentValue = "true") boolean cold,
            @Descriptor("round trips of a chrome timeline, 1.." + TraceCommand.MAX_ROUNDS + " (default "
                    + TraceCommand.DEFAULT_ROUNDS + ")")
            @Parameter(names = "--rounds", absentValue = "") String rounds,
            @Descriptor("output format: text, csv, json or chrome")
            @Parameter(names = "--format", absentValue = "text") String format) {
        String m = mechanism == null || mechanism.isEmpty() ? workbench.mechanism() : workbench.requireMechanism(mechanism);
        PingPong.Config config = new PingPong.Config(workbench.processor(), m, workbench.scheduler(),
                workbench.switches(), size, 1, cold);
        return TraceCommand.run(workbench.machines(), workbench.kernel(), config, ipc, rounds, format);
    }
}

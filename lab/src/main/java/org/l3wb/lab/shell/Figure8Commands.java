package org.l3wb.lab.shell;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.l3wb.lab.report.Experiment;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Gogo command {@code lab:figure8}: time per IPC against size for l3, l3 cold, mach, bare copy (needs kernel.mach). */
@Component(service = Figure8Commands.class, property = {
    "osgi.command.scope=lab",
    "osgi.command.function=figure8"
})
public class Figure8Commands {
    /** Round trips per size and column (each warm after 20 warm-up rounds). */
    static final String DEFAULT_ROUNDS = Experiment.FIGURE8_ROUNDS;

    @Reference
    private Workbench workbench;

    @Descriptor("figure 8: us per IPC against message size (8..4096 bytes) for l3, l3 cache-flushed, mach and "
            + "the bare copy, beside the paper's Table 7 and 15 ns per byte")
    public String figure8(CommandSession session,
            @Descriptor("round trips per size and column (two IPCs each)")
            @Parameter(names = "--rounds", absentValue = DEFAULT_ROUNDS) int rounds,
            @Descriptor("output format: text, csv or json")
            @Parameter(names = "--format", absentValue = "text") String format) {
        return LabCommands.run(session, Experiment.FIGURE8, workbench, rounds, format);
    }
}

package org.l3wb.lab.shell;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.l3wb.lab.report.Experiment;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Gogo command {@code lab:dash}: section 7.2's page-transfer series (needs bundle kernel.dash). */
@Component(service = DashCommands.class, property = {
    "osgi.command.scope=lab",
    "osgi.command.function=dash"
})
public class DashCommands {
    /** Round trips per page count (16 runs, each warm after 20 warm-up rounds), as kernel.dash/readme.md reports. */
    static final String DEFAULT_ROUNDS = Experiment.DASH_ROUNDS;

    @Reference
    private Workbench workbench;

    @Descriptor("section 7.2: Dash-like page transfer of n = 1..16 pages (the receiver reads each page), "
            + "us per transfer beside the paper's 8 + n us, and the same transfer as L3 memory objects")
    public String dash(CommandSession session,
            @Descriptor("round trips per page count (two transfers each)")
            @Parameter(names = "--rounds", absentValue = DEFAULT_ROUNDS) int rounds,
            @Descriptor("output format: text, csv or json")
            @Parameter(names = "--format", absentValue = "text") String format) {
        return LabCommands.run(session, Experiment.DASH, workbench, rounds, format);
    }
}

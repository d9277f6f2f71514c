package org.l3wb.lab.shell;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.l3wb.lab.format.Format;
import org.l3wb.lab.ipc.DashTransfer;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Gogo command {@code lab:dash}: section 7.2's page-transfer series (needs bundle kernel.dash). */
@Component(service = DashCommands.class, property = {
    "osgi.command.scope=lab",
    "osgi.command.function=dash"
})
public class DashCommands {
    /** Round trips per page count (16 runs, each warm after 20 warm-up rounds), as kernel.dash/readme.md reports. */
    static final String DEFAULT_ROUNDS = "500";

    @Reference
    private Workbench workbench;

    @Descriptor("section 7.2: Dash-like page transfer of n = 1..16 pages (the receiver reads each page), "
            + "us per transfer beside the paper's 8 + n us")
    public String dash(
            @Descriptor("round trips per page count (two transfers each)")
            @Parameter(names = "--rounds", absentValue = DEFAULT_ROUNDS) int rounds,
            @Descriptor("output format: text, csv or json")
            @Parameter(names = "--format", absentValue = "text") String format) {
        Format f = Format.parse(format);
        if (rounds <= 0) {
            throw new IllegalArgumentException("--rounds must be positive, got " + rounds);
        }
        DashTransfer transfer = new DashTransfer(workbench.machines(), workbench.kernel());
        return transfer.series(workbench.processor(), workbench.scheduler(), workbench.switches(), rounds,
                DashTransfer.SERIES_PAGES).render(f);
    }
}

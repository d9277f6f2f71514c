package org.l3wb.lab.shell;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.l3wb.lab.appendix.AppendixResult;
import org.l3wb.lab.appendix.AppendixSequences;
import org.l3wb.lab.format.Format;
import org.l3wb.lab.format.Table;
import org.l3wb.lab.reference.PaperFigures;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Gogo commands of scope {@code lab}: the experiments. */
@Component(service = LabCommands.class, property = {
    "osgi.command.scope=lab",
    "osgi.command.function=appendix"
})
public class LabCommands {
    @Reference
    private Workbench workbench;

    @Descriptor("run the paper's appendix tables 3, 4 and 5 as instructions on the selected machine")
    public String appendix(
            @Descriptor("output format: text, csv or json")
            @Parameter(names = "--format", absentValue = "text") String format) {
        Format f = Format.parse(format);
        AppendixSequences sequences = new AppendixSequences(workbench.machines(), workbench.processor());
        Table t = new Table("table", "cycles", "execution_cycles", "tlb_misses", "cache_misses", "paper_cycles",
                "tlb_miss_pages");
        for (AppendixResult r : sequences.runAll()) {
            t.row(r.table(), r.cycles(), r.executionCycles(), r.tlbMisses(), r.cacheMisses(),
                    PaperFigures.appendixCycles(r.table()), r.missPages());
        }
        return t.render(f);
    }
}

package org.l3wb.lab.compare;

import java.nio.file.Path;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.l3wb.lab.format.Format;
import org.osgi.service.component.annotations.Component;

/**
 * Gogo command {@code lab:compare A B}: two reports (report.json or a report folder) or two sweeps'
 * outputs side by side ({@link Comparison}). With {@code --fail-on-diff} a difference makes the
 * command fail after printing the comparison, so that batch mode exits 1 (for CI).
 */
@Component(service = CompareCommands.class, property = {
    "osgi.command.scope=lab",
    "osgi.command.function=compare"
})
public class CompareCommands {
    @Descriptor("two reports (report.json or report folders) or two sweeps (sweep.json or sweep folders) side by "
            + "side, value by value, differences marked *")
    public String compare(
            @Descriptor("show only the values that differ")
            @Parameter(names = "--diff-only", absentValue = "false", presentValue = "true") boolean diffOnly,
            @Descriptor("fail (exit 1 in batch mode) when any value differs")
            @Parameter(names = "--fail-on-diff", absentValue = "false", presentValue = "true") boolean failOnDiff,
            @Descriptor("output format: text, csv or json")
            @Parameter(names = "--format", absentValue = "text") String format,
            @Descriptor("report or sweep A") String a,
            @Descriptor("report or sweep B") String b) {
        Format f = Format.parse(format);
        Comparison c = Comparison.of(Path.of(a), Path.of(b));
        String out = c.render(f, diffOnly);
        if (failOnDiff && c.differences() > 0) {
            // the comparison is the output a CI log needs; the failure is its one error line
            System.out.println(out);
            System.out.flush();
            throw new IllegalStateException(a + " and " + b + " differ in " + c.differences() + " of "
                    + c.cells().size() + " values");
        }
        return out;
    }
}

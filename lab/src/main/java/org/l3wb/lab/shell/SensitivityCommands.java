package org.l3wb.lab.shell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.lab.format.Format;
import org.l3wb.lab.format.Table;
import org.l3wb.lab.ipc.BoardVariant;
import org.l3wb.lab.ipc.PingPong;
import org.l3wb.lab.ipc.Sensitivity;
import org.l3wb.lab.plot.Charts;
import org.l3wb.lab.plot.Plot;
import org.l3wb.lab.report.ConsoleProgress;
import org.l3wb.lab.report.Experiment;
import org.l3wb.lab.report.Setup;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo command {@code lab:sensitivity --param NAME --values a,b,…}: Table 7, Figure 8 and Table 1 rerun
 * over one board parameter of the selected processor ({@link Sensitivity}); the table on standard output in
 * the chosen format, the plot as {@code DIR/NAME.svg} and {@code DIR/NAME.png}. Everything is checked
 * before anything runs: a bad parameter, value, rounds or folder fails in one line and writes nothing.
 */
@Component(service = SensitivityCommands.class, property = {
    "osgi.command.scope=lab",
    "osgi.command.function=sensitivity"
})
public class SensitivityCommands {
    /** Default of {@code --out}: folder {@value} in the working directory. */
    static final String OUT = "sensitivity";

    @Reference
    private Workbench workbench;

    @Descriptor("Table 7, Figure 8 and Table 1 rerun with one board parameter of the selected processor set to each "
            + "value: which figures depend on the board (hw.cpu486/board.md gives each parameter's source)")
    public String sensitivity(CommandSession session,
            @Descriptor("the board parameter: memoryBytes, externalCacheBytes, externalFillCycles, dramFillCycles, "
                    + "writeBufferEntries, externalWriteCycles, dramWriteCycles, or a timing in ns: externalFillNs, "
                    + "dramFillNs, externalWriteNs, dramWriteNs")
            @Parameter(names = "--param", absentValue = "") String param,
            @Descriptor("comma-separated values, e.g. 60,80,160")
            @Parameter(names = "--values", absentValue = "") String values,
            @Descriptor("round trips per measurement for all three (default: each command's default, 10000 and "
                    + "Figure 8's 100)")
            @Parameter(names = "--rounds", absentValue = "") String rounds,
            @Descriptor("folder for the plot, NAME.svg and NAME.png (default: sensitivity, in the working directory)")
            @Parameter(names = "--out", absentValue = OUT) String out,
            @Descriptor("output format: text, csv or json")
            @Parameter(names = "--format", absentValue = "text") String format) {
        Format f = Format.parse(format);
        if (param.isEmpty()) {
            throw new IllegalArgumentException("--param is missing: one of " + String.join(", ", BoardVariant.PARAMETERS));
        }
        Setup s = LabCommands.setup(workbench);
        ProcessorModel model = s.processor();
        int[] v = Sensitivity.values(values);
        List<BoardVariant> variants = Sensitivity.variants(model, param, v);
        int tableRounds = Experiment.TABLE7.defaultRounds();
        int figure8Rounds = Experiment.FIGURE8.defaultRounds();
        if (!rounds.isEmpty()) {
            try {
                tableRounds = Integer.parseInt(rounds.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--rounds must be a whole number, got '" + rounds + "'");
            }
            figure8Rounds = tableRounds;
        }
        for (BoardVariant m : variants) {
            Setup variant = new Setup(s.machines(), s.kernel(), m, s.mechanism(), s.scheduler(), s.switches(),
                    s.processors());
            for (Experiment e : List.of(Experiment.TABLE7, Experiment.FIGURE8, Experiment.TABLE1)) {
                String why = e.unsupported(variant);
                if (why != null) {
                    throw new IllegalArgumentException("lab:sensitivity reruns " + e.command() + ": " + why);
                }
                e.checkRounds(variant, e == Experiment.FIGURE8 ? figure8Rounds : tableRounds);
            }
        }
        Path dir = outDir(out);
        Table t;
        try (ConsoleProgress progress = ConsoleProgress.of(session, f)) {
            t = new Sensitivity(s.machines(), s.kernel()).run(new PingPong.Config(model, s.mechanism(), s.scheduler(),
                    s.switches(), 8, tableRounds, false), param, v, figure8Rounds, progress.runs(), progress::phase);
        }
        String setting = BoardVariant.setting(param);
        Plot plot = Charts.sensitivity(t, Sensitivity::key, Sensitivity.PLOTTED, param,
                setting + "=" + model.memoryTiming().setting(setting), model.name());
        Path svg = write(dir, param + ".svg", plot.svg().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Path png = write(dir, param + ".png", plot.png());
        String table = t.render(f);
        return f == Format.TEXT ? table + "\nplot written to " + svg + " and " + png : table;
    }

    /** @return {@code out} as a folder that can be written, created if missing; fails in one line otherwise */
    private static Path outDir(String out) {
        Path dir = Path.of(out).toAbsolutePath().normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--out " + out + " is not a folder");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("--out " + out + " cannot be created: " + e.getMessage());
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException("--out " + out + " cannot be written");
        }
        return dir;
    }

    /** Writes a file whole: to a temporary file beside it, then renamed over it. */
    private static Path write(Path dir, String name, byte[] bytes) {
        Path target = dir.resolve(name);
        try {
            Path tmp = Files.createTempFile(dir, "." + name, ".tmp");
            Files.write(tmp, bytes);
            return Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}

package org.l3wb.lab.shell;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.l3wb.lab.format.Format;
import org.l3wb.lab.format.Table;
import org.l3wb.lab.ipc.PingPong;
import org.l3wb.lab.report.BoardSensitivity;
import org.l3wb.lab.report.ConsoleProgress;
import org.l3wb.lab.report.Experiment;
import org.l3wb.lab.report.Report;
import org.l3wb.lab.report.ReportWriter;
import org.l3wb.lab.report.Setup;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Gogo commands of scope {@code lab}: the experiments. */
@Component(service = LabCommands.class, property = {
    "osgi.command.scope=lab",
    "osgi.command.function=appendix",
    "osgi.command.function=pingpong",
    "osgi.command.function=table7",
    "osgi.command.function=table1",
    "osgi.command.function=footprint",
    "osgi.command.function=ports",
    "osgi.command.function=table2",
    "osgi.command.function=hypothetical",
    "osgi.command.function=cycles",
    "osgi.command.function=report"
})
public class LabCommands {
    @Reference
    private Workbench workbench;

    @Descriptor("run the paper's appendix tables 3, 4 and 5 as instructions on the selected machine, on the "
            + "nucleus's own TCBs and tables")
    public String appendix(
            @Descriptor("beside each table, the kernel's traced path for the same operation, per step")
            @Parameter(names = "--kernel", absentValue = "false", presentValue = "true") boolean kernel,
            @Descriptor("output format: text, csv or json")
            @Parameter(names = "--format", absentValue = "text") String format) {
        Format f = Format.parse(format);
        return (kernel ? Experiment.APPENDIX_KERNEL : Experiment.APPENDIX).run(setup(workbench), 0, null).render(f);
    }

    @Descriptor("where the cycles go: the 8-byte call traced, cycles per step of the kernel's path, under every "
            + "installed mechanism and for l3 with each Table 1 switch off")
    public String cycles(CommandSession session,
            @Descriptor("output format: text, csv or json")
            @Parameter(names = "--format", absentValue = "text") String format) {
        return run(session, Experiment.CYCLES, workbench, 0, format);
    }

    /** The paper's ping-pong length (section 6). */
    static final String PAPER_ROUNDS = Experiment.PAPER_ROUNDS;

    /** Default of {@code lab:report --out}: folder {@value} in the working directory. */
    static final String REPORT_DIR = "report";

    /** @return what the experiments run on: the workbench's selections and installed parts */
    static Setup setup(Workbench workbench) {
        return new Setup(workbench.machines(), workbench.kernel(), workbench.processor(), workbench.mechanism(),
                workbench.scheduler(), workbench.switches(), workbench.processors());
    }

    /** Runs one experiment as its command does, with progress in the interactive shell for text output. */
    static String run(CommandSession session, Experiment e, Workbench workbench, int rounds, String format) {
        Format f = Format.parse(format);
        Setup s = setup(workbench);
        try (ConsoleProgress progress = ConsoleProgress.of(session, f)) {
            progress.phase(e.command());
            return e.run(s, rounds, progress.runs()).render(f);
        }
    }

    private PingPong.Config config(int size, int rounds, boolean cold, String mechanism) {
        return new PingPong.Config(workbench.processor(), mechanism, workbench.scheduler(), workbench.switches(),
                size, rounds, cold);
    }

    private String mechanismOrSelected(String mechanism) {
        if (mechanism == null || mechanism.isEmpty()) {
            return workbench.mechanism();
        }
        return workbench.requireMechanism(mechanism);
    }

    private PingPong pingPong() {
        return new PingPong(workbench.machines(), workbench.kernel());
    }

    @Descriptor("ping-pong between two address spaces: client call, server reply-and-receive-next (section 6)")
    public String pingpong(CommandSession session,
            @Descriptor("message size in bytes, 0..4194304")
            @Parameter(names = "--size", absentValue = "8") int size,
            @Descriptor("round trips to measure (two IPCs each)")
            @Parameter(names = "--rounds", absentValue = PAPER_ROUNDS) int rounds,
            @Descriptor("flush the cache before each IPC (the worst case)")
            @Parameter(names = "--cold", absentValue = "false", presentValue = "true") boolean cold,
            @Descriptor("IPC mechanism for this run (default: the selected one)")
            @Parameter(names = "--mechanism", absentValue = "") String mechanism,
            @Descriptor("output format: text, csv or json")
            @Parameter(names = "--format", absentValue = "text") String format) {
        Format f = Format.parse(format);
        PingPong.Config config = config(size, rounds, cold, mechanismOrSelected(mechanism));
        PingPong.Result r;
        try (ConsoleProgress progress = ConsoleProgress.of(session, f)) {
            progress.phase("lab:pingpong");
            r = pingPong().run(config, progress.rounds());
        }
        PingPong.Config c = r.config();
        Table t = new Table("mechanism", "scheduler", "processor", "size", "rounds", "cold", "switches",
                "cycles_per_ipc", "us_per_ipc", "tlb_misses_per_ipc", "cache_misses_per_ipc", "footprint_bytes");
        t.row(c.mechanism(), c.scheduler(), c.model().name(), c.size(), c.rounds(), c.cold(), c.switches().toString(),
                Math.round(r.cyclesPerIpc() * 10) / 10.0, Math.round(r.microsPerIpc() * 100) / 100.0,
                Math.round(r.tlbMissesPerIpc() * 100) / 100.0, Math.round(r.cacheMissesPerIpc() * 100) / 100.0,
                r.footprintBytes());
        return t.renderObject(f);
    }

    @Descriptor("Table 7: time per IPC against message size, warm and with the cache flushed before each IPC")
    public String table7(CommandSession session,
            @Descriptor("round trips per measurement")
            @Parameter(names = "--rounds", absentValue = PAPER_ROUNDS) int rounds,
            @Descriptor("output format: text, csv or json")
            @Parameter(names = "--format", absentValue = "text") String format) {
        return run(session, Experiment.TABLE7, workbench, rounds, format);
    }

    @Descriptor("Table 1: time added when one optimisation is switched off, per message size")
    public String table1(CommandSession session,
            @Descriptor("round trips per measurement")
            @Parameter(names = "--rounds", absentValue = PAPER_ROUNDS) int rounds,
            @Descriptor("output format: text, csv or json")
            @Parameter(names = "--format", absentValue = "text") String format) {
        return run(session, Experiment.TABLE1, workbench, rounds, format);
    }

    @Descriptor("cache footprint of one short ping-pong: flush, one round trip, count valid lines (section 6)")
    public String footprint(
            @Descriptor("output format: text, csv or json")
            @Parameter(names = "--format", absentValue = "text") String format) {
        Format f = Format.parse(format);
        return Experiment.FOOTPRINT.run(setup(workbench), Experiment.FOOTPRINT.defaultRounds(), null).render(f);
    }

    @Descriptor("section 7.1: the 8-byte ping-pong through ports against l3, the difference beside 29 cycles")
    public String ports(CommandSession session,
            @Descriptor("round trips per measurement")
            @Parameter(names = "--rounds", absentValue = PAPER_ROUNDS) int rounds,
            @Descriptor("output format: text, csv or json")
            @Parameter(names = "--format", absentValue = "text") String format) {
        return run(session, Experiment.PORTS, workbench, rounds, format);
    }

    @Descriptor("Table 2: L3's null RPC (two 8-byte IPCs) on every installed processor, beside the paper")
    public String table2(CommandSession session,
            @Descriptor("round trips per measurement")
            @Parameter(names = "--rounds", absentValue = PAPER_ROUNDS) int rounds,
            @Descriptor("output format: text, csv or json")
            @Parameter(names = "--format", absentValue = "text") String format) {
        return run(session, Experiment.TABLE2, workbench, rounds, format);
    }

    @Descriptor("section 7.4: the 8-byte IPC without segments, with a tagged TLB, with both; cycles saved beside "
            + "the paper's 80, 45 and 125")
    public String hypothetical(CommandSession session,
            @Descriptor("round trips per measurement")
            @Parameter(names = "--rounds", absentValue = PAPER_ROUNDS) int rounds,
            @Descriptor("output format: text, csv or json")
            @Parameter(names = "--format", absentValue = "text") String format) {
        return run(session, Experiment.HYPOTHETICAL, workbench, rounds, format);
    }

    @Descriptor("run every experiment and write the paper reproduced into DIR: index.html (tables beside the "
            + "paper, plots, configuration and its SHA-256), report.json, configuration.txt, one CSV per "
            + "experiment, figure8, table1, table2, ports, dash, cycles and syscall as SVG and PNG, appendix-kernel.json, "
            + "cycles.json and syscall.json; about half a minute with the commands' default rounds (--sensitivity: "
            + "about a minute more per value)")
    public String report(CommandSession session,
            @Descriptor("where the report goes: a link DIR to a complete report in a hidden folder beside it, "
                    + "replaced as a whole (default: report, in the working directory)")
            @Parameter(names = "--out", absentValue = REPORT_DIR) String out,
            @Descriptor("round trips per measurement for every experiment (default: each command's default)")
            @Parameter(names = "--rounds", absentValue = "") String rounds,
            @Descriptor("write into a folder holding files lab:report did not write (or /), file by file, "
                    + "keeping them: not atomic")
            @Parameter(names = "--force", absentValue = "false", presentValue = "true") boolean force,
            @Descriptor("also rerun Table 7, Figure 8 and Table 1 with board parameter NAME set to each value, e.g. "
                    + BoardSensitivity.EXAMPLE + " (as lab:sensitivity; NAME: hw.cpu486/board.md; default: not run)")
            @Parameter(names = "--sensitivity", absentValue = "") String sensitivity) {
        Setup s = setup(workbench);
        if (!sensitivity.isEmpty()) {
            BoardSensitivity b = BoardSensitivity.parse(sensitivity);
            b.check(s.processor()); // a value the board cannot have: one line, before anything runs
            s = s.with(b);
        }
        Map<Experiment, Integer> perExperiment = reportRounds(s, rounds);
        Report.withSensitivityRounds(s, perExperiment); // can it run so? one line before the folder is touched
        try (ReportWriter writer = ReportWriter.open(out, force);
             ConsoleProgress progress = ConsoleProgress.of(session, Format.TEXT)) {
            Report report = Report.run(s, perExperiment, progress);
            progress.close();
            List<Path> files = writer.write(report);
            long skipped = report.sections().stream()
                    .filter(x -> x.table() == null && !(x.experiment().optional()
                            && report.configuration().entries().get("sensitivity") == null)).count();
            return "report written to " + writer.index() + " (" + files.size() + " files"
                    + (skipped == 0 ? "" : ", " + skipped + " experiment(s) skipped") + "), configuration sha256 "
                    + report.configuration().hash();
        }
    }

    /** @return each experiment's rounds: the commands' defaults, or {@code rounds} for all, checked before any runs */
    static Map<Experiment, Integer> reportRounds(Setup s, String rounds) {
        Map<Experiment, Integer> r = Report.defaultRounds();
        if (rounds == null || rounds.isEmpty()) {
            return r;
        }
        long n;
        try {
            n = Long.parseLong(rounds.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--rounds must be a whole number, got '" + rounds + "'");
        }
        for (Experiment e : Experiment.values()) {
            if (e.defaultRounds() > 0) {
                if (e.unsupported(s) == null) {
                    e.checkRounds(s, n);
                }
                r.put(e, (int) Math.min(n, Integer.MAX_VALUE));
            }
        }
        if (n <= 0) {
            throw new IllegalArgumentException("--rounds must be positive, got " + n);
        }
        return r;
    }
}

package org.l3wb.lab.shell;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.l3wb.lab.appendix.AppendixResult;
import org.l3wb.lab.appendix.AppendixSequences;
import org.l3wb.lab.format.Format;
import org.l3wb.lab.format.Table;
import org.l3wb.lab.ipc.Experiments;
import org.l3wb.lab.ipc.PingPong;
import org.l3wb.lab.reference.PaperFigures;
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
    "osgi.command.function=table2"
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

    /** The paper's ping-pong length (section 6). */
    static final String PAPER_ROUNDS = "10000";

    private PingPong.Config config(int size, int rounds, boolean cold, String mechanism) {
        return new PingPong.Config(workbench.processor(), mechanism, workbench.scheduler(), workbench.switches(),
                size, rounds, cold);
    }

    private String mechanismOrSelected(String mechanism) {
        if (mechanism == null || mechanism.isEmpty()) {
            return workbench.mechanism();
        }
        if (!workbench.kernel().mechanisms().contains(mechanism)) {
            throw new IllegalArgumentException("unknown mechanism '" + mechanism + "': installed are "
                    + String.join(", ", workbench.kernel().mechanisms()));
        }
        return mechanism;
    }

    private PingPong pingPong() {
        return new PingPong(workbench.machines(), workbench.kernel());
    }

    @Descriptor("ping-pong between two address spaces: client call, server reply-and-receive-next (section 6)")
    public String pingpong(
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
        PingPong.Result r = pingPong().run(config(size, rounds, cold, mechanismOrSelected(mechanism)));
        PingPong.Config c = r.config();
        Table t = new Table("mechanism", "scheduler", "processor", "size", "rounds", "cold", "switches",
                "cycles_per_ipc", "us_per_ipc", "tlb_misses_per_ipc", "cache_misses_per_ipc", "footprint_bytes");
        t.row(c.mechanism(), c.scheduler(), c.model().name(), c.size(), c.rounds(), c.cold(), c.switches().toString(),
                Math.round(r.cyclesPerIpc() * 10) / 10.0, Math.round(r.microsPerIpc() * 100) / 100.0,
                Math.round(r.tlbMissesPerIpc() * 100) / 100.0, Math.round(r.cacheMissesPerIpc() * 100) / 100.0,
                r.footprintBytes());
        return t.renderObject(f);
    }

    private Experiments experiments(int rounds) {
        return new Experiments(pingPong(), config(8, rounds, false, workbench.mechanism()));
    }

    @Descriptor("Table 7: time per IPC against message size, warm and with the cache flushed before each IPC")
    public String table7(
            @Descriptor("round trips per measurement")
            @Parameter(names = "--rounds", absentValue = PAPER_ROUNDS) int rounds,
            @Descriptor("output format: text, csv or json")
            @Parameter(names = "--format", absentValue = "text") String format) {
        Format f = Format.parse(format);
        return experiments(rounds).table7(workbench.kernel().mechanisms().contains("mach")).render(f);
    }

    @Descriptor("Table 1: time added when one optimisation is switched off, per message size")
    public String table1(
            @Descriptor("round trips per measurement")
            @Parameter(names = "--rounds", absentValue = PAPER_ROUNDS) int rounds,
            @Descriptor("output format: text, csv or json")
            @Parameter(names = "--format", absentValue = "text") String format) {
        Format f = Format.parse(format);
        return experiments(rounds).table1().render(f);
    }

    @Descriptor("cache footprint of one short ping-pong: flush, one round trip, count valid lines (section 6)")
    public String footprint(
            @Descriptor("output format: text, csv or json")
            @Parameter(names = "--format", absentValue = "text") String format) {
        Format f = Format.parse(format);
        return experiments(100).footprint().render(f);
    }

    @Descriptor("section 7.1: the 8-byte ping-pong through ports against l3, the difference beside 29 cycles")
    public String ports(
            @Descriptor("round trips per measurement")
            @Parameter(names = "--rounds", absentValue = PAPER_ROUNDS) int rounds,
            @Descriptor("output format: text, csv or json")
            @Parameter(names = "--format", absentValue = "text") String format) {
        Format f = Format.parse(format);
        mechanismOrSelected("ports");
        return experiments(rounds).ports().render(f);
    }

    @Descriptor("Table 2: L3's null RPC (two 8-byte IPCs) on every installed processor, beside the paper")
    public String table2(
            @Descriptor("round trips per measurement")
            @Parameter(names = "--rounds", absentValue = PAPER_ROUNDS) int rounds,
            @Descriptor("output format: text, csv or json")
            @Parameter(names = "--format", absentValue = "text") String format) {
        Format f = Format.parse(format);
        Table t = new Table("processor", "clock_mhz", "simulated", "paper", "deviation", "unit");
        for (org.l3wb.hw.api.ProcessorModel m : workbench.processors()) {
            PingPong.Result r = pingPong().run(new PingPong.Config(m, workbench.mechanism(), workbench.scheduler(),
                    workbench.switches(), 8, rounds, false));
            double rpc = 2 * r.microsPerIpc();
            Double paper = workbench.mechanism().equals("l3") ? PaperFigures.table2L3(m.name(), m.clockMHz()) : null;
            t.row(m.name(), m.clockMHz(), Math.round(rpc * 100) / 100.0, paper,
                    paper == null ? null : Math.round((rpc - paper) / paper * 1000) / 10.0, "us");
        }
        return t.render(f);
    }
}

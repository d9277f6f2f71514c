package org.l3wb.lab.ipc;

import java.util.ArrayList;
import java.util.List;

import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.kernel.api.Kernel;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;
import org.l3wb.lab.format.Table;
import org.l3wb.lab.reference.PaperFigures;

/**
 * The paper's figure 8: time per IPC against message size (8 ... 4096 bytes) for l3 (warm), l3 with
 * the cache flushed before each IPC, the conventional Mach-style kernel ({@code mach}, bundle
 * kernel.mach), and the bare copy rate, each beside Table 7's values (the bare copy beside the paper's
 * 15 ns per byte).
 *
 * <p>l3 runs with every optimisation on and lazy scheduling. mach runs as the conventional kernel it
 * models: {@link #MACH_SWITCHES} (the paper's optimisations off, except that the server keeps
 * reply-and-receive-next, which a Mach server does with one mach_msg) and strict scheduling. The bare
 * copy is one REP MOVSD of n bytes in kernel mode between two kernel-buffer addresses of a booted
 * machine, warm (the same copy done twice before), with no IPC around it.
 */
public final class Figure8 {
    /** A conventional kernel: messages in memory, no temporary mapping, strict scheduling, segments reloaded. */
    public static final Switches MACH_SWITCHES = Switches.ALL_OFF.with(Switch.REPLY_AND_WAIT, true);
    public static final String[] COLUMNS = {"l3", "l3_cold", "mach", "bare_copy"};

    private final MachineFactory machines;
    private final Kernel kernel;
    private final PingPong pingPong;

    public Figure8(MachineFactory machines, Kernel kernel) {
        this.machines = machines;
        this.kernel = kernel;
        this.pingPong = new PingPong(machines, kernel);
    }

    /** @return the mach ping-pong configuration for {@code size} */
    public static PingPong.Config mach(ProcessorModel model, int size, int rounds) {
        return new PingPong.Config(model, "mach", "strict", MACH_SWITCHES, size, rounds, false);
    }

    /** @return rows per size and column: simulated us per IPC (bare copy: us per copy), paper, deviation */
    public Table table(ProcessorModel model, int rounds) {
        int[] sizes = PaperFigures.TABLE7_SIZES;
        List<PingPong.Config> configs = new ArrayList<>();
        for (int size : sizes) {
            configs.add(new PingPong.Config(model, "l3", "lazy", Switches.ALL_ON, size, rounds, false));
            configs.add(new PingPong.Config(model, "l3", "lazy", Switches.ALL_ON, size, rounds, true));
            configs.add(mach(model, size, rounds));
        }
        List<PingPong.Result> r = Parallel.map(configs, pingPong::run, PingPong::hostCost);
        Table t = new Table("size", "column", "simulated", "paper", "deviation", "unit");
        for (int i = 0; i < sizes.length; i++) {
            int size = sizes[i];
            double[] simulated = {r.get(3 * i).microsPerIpc(), r.get(3 * i + 1).microsPerIpc(),
                r.get(3 * i + 2).microsPerIpc(), bareCopyMicros(model, size)};
            Double l3 = PaperFigures.table7L3(size);
            Double penalty = PaperFigures.table7ColdPenalty(size);
            Double[] paper = {l3, l3 == null || penalty == null ? null : l3 + penalty, PaperFigures.table7Mach(size),
                PaperFigures.BARE_COPY_MICROS_PER_BYTE * size};
            for (int c = 0; c < COLUMNS.length; c++) {
                t.row(size, COLUMNS[c], Experiments.round(simulated[c], 2),
                        paper[c] == null ? null : Experiments.round(paper[c], 2),
                        Experiments.deviation(simulated[c], paper[c]), "us");
                if (c < 3) {
                    PingPong.Result run = r.get(3 * i + c);
                    t.samples(Experiments.segments(v -> Experiments.micros(run, v[0]), run));
                }
            }
        }
        return t;
    }

    /** @return simulated us of one warm REP MOVSD of {@code bytes} in kernel mode */
    public double bareCopyMicros(ProcessorModel model, int bytes) {
        Machine machine = machines.create(model);
        Nucleus n = kernel.boot(machine, Switches.ALL_ON, "l3", "lazy");
        Processor cpu = machine.cpu();
        int from = n.layout().kernelBuffer();
        int to = from + n.layout().kernelBufferBytes() / 2;
        int dwords = (bytes + 3) / 4;
        cpu.repMovsd(from, to, dwords);
        cpu.repMovsd(from, to, dwords);
        long before = cpu.cycles();
        cpu.repMovsd(from, to, dwords);
        return machine.micros(cpu.cycles() - before);
    }
}

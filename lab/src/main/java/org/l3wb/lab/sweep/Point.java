package org.l3wb.lab.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;
import org.l3wb.lab.ipc.PingPong;
import org.l3wb.lab.report.Configuration;
import org.l3wb.lab.report.Setup;

/**
 * One point of a sweep: the paper's ping-pong (section 6) of {@code size}-byte messages, {@code rounds}
 * round trips, on a fresh machine of {@code model} and a fresh kernel with that mechanism, scheduler
 * and switches. {@code hash} names the configuration, as {@code configuration.txt}'s SHA-256 names a
 * report's: SHA-256 of {@link #canonical}, which holds the processor's model in full (clock, geometry,
 * costs) and leaves the build out.
 */
public record Point(String hash, ProcessorModel model, String mechanism, String scheduler, Switches switches,
        int size, int rounds) {
    /** First line of a point's canonical form. */
    static final String HEADER = "l3wb sweep point 1";

    /**
     * The scheduler and the lazy switch are one setting (Table 1's lazy scheduling is the lazy scheduler,
     * 5.3.4; {@code ipc:scheduler} sets that switch): a point runs lazily only when both say lazy, and
     * then both read lazy; otherwise the switch is off and the scheduler strict (or the other installed
     * scheduler named).
     */
    static Point of(Installed installed, ProcessorModel model, String mechanism, String scheduler, Switches set,
            int size, int rounds) {
        boolean lazy = scheduler.equals("lazy") && set.isOn(Switch.LAZY_SCHEDULING);
        String s = lazy ? "lazy" : scheduler.equals("lazy") ? "strict" : scheduler;
        Switches switches = set.with(Switch.LAZY_SCHEDULING, lazy);
        String canonical = canonical(installed, model, mechanism, s, switches, size, rounds);
        return new Point(Grid.sha256(canonical), model, mechanism, s, switches, size, rounds);
    }

    /**
     * Canonical form: the line {@value #HEADER}, then {@code key=value} lines — processor, its clock,
     * mechanism, scheduler, switches, size, rounds and the model's full description as the report's
     * {@link Configuration} writes it ({@code model.NAME}).
     */
    static String canonical(Installed installed, ProcessorModel model, String mechanism, String scheduler,
            Switches switches, int size, int rounds) {
        Map<String, String> e = Configuration.of(new Setup(installed.machines(), installed.kernel(), model, mechanism,
                scheduler, switches, List.of(model)), Map.of()).entries();
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (String key : List.of("processor", "processor.clock_mhz", "mechanism", "scheduler", "switches")) {
            sb.append(key).append('=').append(e.get(key)).append('\n');
        }
        sb.append("size=").append(size).append('\n').append("rounds=").append(rounds).append('\n');
        String m = "model." + model.name();
        sb.append(m).append('=').append(e.get(m)).append('\n');
        return sb.toString();
    }

    /** @return the switches that are off, joined by {@code +} (a grid's switch-set syntax), empty when all are on */
    public String switchesOff() {
        List<String> off = new ArrayList<>();
        for (Switch s : Switch.values()) {
            if (!switches.isOn(s)) {
                off.add(s.key());
            }
        }
        return String.join("+", off);
    }

    /** @return why the ping-pong cannot run this point (a mechanism's limit, the rounds' limit), or null */
    String unsupported() {
        String why = PingPong.unsupported(mechanism, switches, size);
        if (why != null) {
            return why;
        }
        PingPong.Limit limit = PingPong.maxRounds(model, size);
        return rounds > limit.rounds() ? limit.message(size + "-byte messages", rounds) : null;
    }

    /** @return the ping-pong's configuration for this point (warm: no flush before each IPC) */
    PingPong.Config config() {
        return new PingPong.Config(model, mechanism, scheduler, switches, size, rounds, false);
    }
}

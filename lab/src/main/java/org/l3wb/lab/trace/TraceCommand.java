package org.l3wb.lab.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.l3wb.hw.api.MachineFactory;
import org.l3wb.kernel.api.Kernel;
import org.l3wb.lab.format.Format;
import org.l3wb.lab.ipc.PingPong;

/**
 * {@code lab:trace}'s work, apart from the shell: its options checked (each bad one fails with one line
 * naming it, before anything runs), the ping-pong traced, the IPCs printed. Text, CSV and JSON show one
 * IPC (or both) of one warm round trip; {@code chrome} a timeline of {@code --rounds} round trips.
 */
public final class TraceCommand {
    /** Round trips of a Chrome timeline when {@code --rounds} is absent. */
    public static final int DEFAULT_ROUNDS = 2;
    /** The most round trips a Chrome timeline holds (a mach round trip is some 2,000 instructions). */
    public static final int MAX_ROUNDS = 100;

    private TraceCommand() {
    }

    /**
     * @param config what to trace (its rounds are not used)
     * @param ipc {@code call}, {@code reply} or {@code both}
     * @param rounds round trips of a chrome timeline, "" for {@link #DEFAULT_ROUNDS}
     * @param format {@code text}, {@code csv}, {@code json} or {@code chrome}
     * @return the trace, printed
     * @throws IllegalArgumentException naming the bad option
     */
    public static String run(MachineFactory machines, Kernel kernel, PingPong.Config config, String ipc, String rounds,
            String format) {
        boolean chrome = "chrome".equalsIgnoreCase(format == null ? "" : format.trim());
        Format f = chrome ? null : parseFormat(format);
        List<StepProfile.Ipc> ipcs = parseIpc(ipc);
        int n = parseRounds(rounds, chrome);
        if (chrome) {
            if (ipcs.size() != 2) {
                throw new IllegalArgumentException("--ipc " + ipc.trim() + " does not apply to --format chrome: its "
                        + "timeline shows every IPC of --rounds round trips");
            }
            Tracer.Run run = Tracer.trace(machines, kernel, config, n);
            return ChromeTrace.render(config, run.ipcs());
        }
        List<StepProfile> round = StepProfile.round(machines, kernel, config);
        List<StepProfile> shown = new ArrayList<>();
        for (StepProfile p : round) {
            if (ipcs.contains(p.ipc())) {
                shown.add(p);
            }
        }
        return TraceTables.render(shown, f);
    }

    private static Format parseFormat(String format) {
        try {
            return Format.parse(format);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown --format '" + format + "': expected text, csv, json or chrome");
        }
    }

    private static List<StepProfile.Ipc> parseIpc(String ipc) {
        String v = ipc == null ? "" : ipc.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "call" -> List.of(StepProfile.Ipc.CALL);
            case "reply" -> List.of(StepProfile.Ipc.REPLY);
            case "both" -> List.of(StepProfile.Ipc.CALL, StepProfile.Ipc.REPLY);
            default -> throw new IllegalArgumentException("unknown --ipc '" + ipc + "': expected call, reply or both");
        };
    }

    private static int parseRounds(String rounds, boolean chrome) {
        if (rounds == null || rounds.isBlank()) {
            return DEFAULT_ROUNDS;
        }
        if (!chrome) {
            throw new IllegalArgumentException("--rounds applies to --format chrome only (text, csv and json show one "
                    + "round trip)");
        }
        long n;
        try {
            n = Long.parseLong(rounds.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--rounds must be a whole number 1.." + MAX_ROUNDS + ", got '" + rounds
                    + "'");
        }
        if (n < 1 || n > MAX_ROUNDS) {
            throw new IllegalArgumentException("--rounds must be 1.." + MAX_ROUNDS + " for a trace, got " + n);
        }
        return (int) n;
    }
}

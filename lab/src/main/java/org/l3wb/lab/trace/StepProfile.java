package org.l3wb.lab.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.l3wb.hw.api.MachineFactory;
import org.l3wb.kernel.api.Kernel;
import org.l3wb.lab.ipc.PingPong;

/**
 * One IPC of a warm ping-pong, traced instruction by instruction, and its cost per step of the kernel's
 * path (the paper's appendix, Tables 3 to 5, as the simulated kernel executes them): per step in order
 * of first appearance its label, source, cycles, instructions, TLB and cache misses; and the full
 * instruction list. A call is the client's (thread A's) user code since the reply it got, its INT, the
 * kernel's path and the IRET into the server (B); a reply is the server's user code, INT, path and
 * IRET into the client. A traced call plus a traced reply cost exactly one untraced round trip.
 *
 * <p>Until the kernels mark their steps ({@code KernelStep}, Mach's routines), instructions carry
 * {@link TracedInstruction#UNMARKED}.
 */
public final class StepProfile {
    /** Which IPC of the round trip. */
    public enum Ipc {
        /** The client's call: A sends to B. */
        CALL("call"),
        /** The server's reply (and receive of the next request): B sends to A. */
        REPLY("reply");

        private final String text;

        Ipc(String text) {
            this.text = text;
        }

        /** @return "call" or "reply" */
        public String text() {
            return text;
        }
    }

    /** One step's subtotal. */
    public record Step(String label, String source, long cycles, long instructions, long tlbMisses,
                       long cacheMisses) {
    }

    private final PingPong.Config config;
    private final Ipc ipc;
    private final List<TracedInstruction> instructions;
    private final List<Step> steps;

    StepProfile(PingPong.Config config, Ipc ipc, List<TracedInstruction> instructions) {
        this.config = config;
        this.ipc = ipc;
        this.instructions = List.copyOf(instructions);
        this.steps = subtotals(this.instructions);
    }

    /**
     * Traces one call of a warm ping-pong of {@code config} (its model, mechanism, scheduler, switches,
     * size and cold flag; its rounds are not used: one round trip is traced after the warm-up).
     */
    public static StepProfile call(MachineFactory machines, Kernel kernel, PingPong.Config config) {
        return round(machines, kernel, config).get(0);
    }

    /** As {@link #call}, the reply. */
    public static StepProfile reply(MachineFactory machines, Kernel kernel, PingPong.Config config) {
        return round(machines, kernel, config).get(1);
    }

    /** @return one warm round trip of {@code config} traced: its call, then its reply */
    public static List<StepProfile> round(MachineFactory machines, Kernel kernel, PingPong.Config config) {
        List<StepProfile> ipcs = Tracer.trace(machines, kernel, config, 1).ipcs();
        List<TracedInstruction> call = new ArrayList<>();
        List<TracedInstruction> reply = new ArrayList<>();
        for (StepProfile p : ipcs) {
            (p.ipc == Ipc.CALL ? call : reply).addAll(p.instructions);
        }
        return List.of(new StepProfile(config, Ipc.CALL, call), new StepProfile(config, Ipc.REPLY, reply));
    }

    private static List<Step> subtotals(List<TracedInstruction> instructions) {
        Map<List<String>, long[]> sums = new LinkedHashMap<>();
        for (TracedInstruction i : instructions) {
            long[] s = sums.computeIfAbsent(List.of(i.step(), i.source()), k -> new long[4]);
            s[0] += i.cycles();
            s[1]++;
            s[2] += i.tlbMisses();
            s[3] += i.cacheMisses();
        }
        List<Step> steps = new ArrayList<>();
        sums.forEach((k, s) -> steps.add(new Step(k.get(0), k.get(1), s[0], s[1], s[2], s[3])));
        return List.copyOf(steps);
    }

    /** @return what was run */
    public PingPong.Config config() {
        return config;
    }

    /** @return which IPC this is */
    public Ipc ipc() {
        return ipc;
    }

    /** @return per step, in order of first appearance, its subtotal */
    public List<Step> steps() {
        return steps;
    }

    /** @return every instruction, in order */
    public List<TracedInstruction> instructions() {
        return instructions;
    }

    /** @return cycles of the whole IPC */
    public long cycles() {
        long n = 0;
        for (Step s : steps) {
            n += s.cycles();
        }
        return n;
    }

    /** @return TLB misses of the whole IPC */
    public long tlbMisses() {
        long n = 0;
        for (Step s : steps) {
            n += s.tlbMisses();
        }
        return n;
    }

    /** @return cache misses of the whole IPC */
    public long cacheMisses() {
        long n = 0;
        for (Step s : steps) {
            n += s.cacheMisses();
        }
        return n;
    }

    /** @return simulated microseconds of the whole IPC at the model's clock */
    public double micros() {
        return cycles() / (double) config.model().clockMHz();
    }
}

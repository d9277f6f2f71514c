package org.l3wb.lab.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.l3wb.lab.format.Table;
import org.l3wb.lab.ipc.PingPong;

/**
 * Traced IPCs as Chrome trace-event JSON (chrome://tracing, Perfetto): a timeline with one track per
 * thread, whose slices are the IPCs' parts that ran on it (an IPC switches threads mid-path: the part
 * before the switch is on the sender's track, the rest on the receiver's) and, inside each, the steps
 * of the kernel's path; a flow arrow from each send (the sender's INT) to its receive (the first
 * instruction on the receiver's track); TLB and cache misses as counters. Times are the simulated
 * clock in microseconds at nanosecond precision ({@code ts}, {@code dur}), at the model's clock rate.
 *
 * <p>Slices nest per track by construction: an IPC's part is a maximal run of consecutive instructions
 * on one track, and a step's slice a maximal run of one step inside it.
 */
final class ChromeTrace {
    private static final int PID = 1;

    private final int mhz;
    private final StringBuilder events = new StringBuilder();
    private final Map<String, Integer> tids = new LinkedHashMap<>();

    private ChromeTrace(int mhz) {
        this.mhz = mhz;
    }

    /** @return the timeline of {@code ipcs}, consecutive IPCs of one traced run of {@code config} */
    static String render(PingPong.Config config, List<StepProfile> ipcs) {
        ChromeTrace t = new ChromeTrace(config.model().clockMHz());
        t.tid("A");
        t.tid("B");
        t.counter(0, 0, 0);
        long tlb = 0;
        long cache = 0;
        for (int n = 0; n < ipcs.size(); n++) {
            StepProfile p = ipcs.get(n);
            t.ipc(p, n + 1);
            for (TracedInstruction x : p.instructions()) {
                if (x.tlbMisses() != 0 || x.cacheMisses() != 0) {
                    tlb += x.tlbMisses();
                    cache += x.cacheMisses();
                    t.counter(x.end(), tlb, cache);
                }
            }
        }
        StringBuilder sb = new StringBuilder("{\"displayTimeUnit\": \"ns\",\n\"otherData\": {");
        sb.append("\"processor\": ").append(Table.quote(config.model().name()))
                .append(", \"clock_mhz\": ").append(config.model().clockMHz())
                .append(", \"mechanism\": ").append(Table.quote(config.mechanism()))
                .append(", \"scheduler\": ").append(Table.quote(config.scheduler()))
                .append(", \"switches\": ").append(Table.quote(config.switches().toString()))
                .append(", \"size\": ").append(config.size())
                .append(", \"cold\": ").append(config.cold())
                .append(", \"ipcs\": ").append(ipcs.size()).append("},\n\"traceEvents\": [\n");
        sb.append("{\"ph\": \"M\", \"pid\": ").append(PID).append(", \"name\": \"process_name\", \"args\": {\"name\": ")
                .append(Table.quote(config.mechanism() + " ping-pong, " + config.size() + " bytes, "
                        + config.model().name()))
                .append("}}");
        t.tids.forEach((name, tid) -> sb.append(",\n{\"ph\": \"M\", \"pid\": ").append(PID).append(", \"tid\": ")
                .append(tid).append(", \"name\": \"thread_name\", \"args\": {\"name\": ")
                .append(Table.quote(title(name))).append("}}"));
        return sb.append(t.events).append("\n]}\n").toString();
    }

    private static String title(String thread) {
        return switch (thread) {
            case "A" -> "thread A (client)";
            case "B" -> "thread B (server)";
            default -> thread;
        };
    }

    /** One IPC: its parts per track, each with its steps, and the flow from send to receive. */
    private void ipc(StepProfile p, int number) {
        List<TracedInstruction> all = p.instructions();
        String name = p.ipc().text() + " " + number;
        List<TracedInstruction> send = null;
        List<TracedInstruction> receive = null;
        String sender = all.isEmpty() ? null : all.get(0).thread();
        int i = 0;
        while (i < all.size()) {
            String thread = all.get(i).thread();
            int j = i;
            while (j < all.size() && all.get(j).thread().equals(thread)) {
                j++;
            }
            List<TracedInstruction> part = all.subList(i, j);
            slice(thread, name, "ipc", part, "{\"instructions\": " + part.size() + "}");
            steps(thread, part);
            if (send == null && thread.equals(sender)) {
                send = part;
            } else if (send != null && receive == null && !thread.equals(sender) && !thread.equals("kernel")) {
                receive = part;
            }
            i = j;
        }
        if (send != null && receive != null) {
            TracedInstruction trap = send.get(send.size() - 1);
            for (TracedInstruction x : send) {
                if (x.op() == org.l3wb.hw.api.Mnemonic.INT) {
                    trap = x;
                    break;
                }
            }
            flow("s", sender, trap.start(), number, name, "");
            flow("f", receive.get(0).thread(), receive.get(0).start(), number, name, ", \"bp\": \"e\"");
        }
    }

    private void steps(String thread, List<TracedInstruction> part) {
        int i = 0;
        while (i < part.size()) {
            String step = part.get(i).step();
            int j = i;
            long tlb = 0;
            long cache = 0;
            while (j < part.size() && part.get(j).step().equals(step)) {
                tlb += part.get(j).tlbMisses();
                cache += part.get(j).cacheMisses();
                j++;
            }
            List<TracedInstruction> run = part.subList(i, j);
            long cycles = run.get(run.size() - 1).end() - run.get(0).start();
            slice(thread, step, "step", run, "{\"source\": " + Table.quote(run.get(0).source()) + ", \"cycles\": "
                    + cycles + ", \"instructions\": " + run.size() + ", \"tlb_misses\": " + tlb
                    + ", \"cache_misses\": " + cache + "}");
            i = j;
        }
    }

    private void slice(String thread, String name, String category, List<TracedInstruction> run, String args) {
        long start = ns(run.get(0).start());
        long end = ns(run.get(run.size() - 1).end());
        events.append(",\n{\"ph\": \"X\", \"pid\": ").append(PID).append(", \"tid\": ").append(tid(thread))
                .append(", \"name\": ").append(Table.quote(name)).append(", \"cat\": \"").append(category)
                .append("\", \"ts\": ").append(micros(start)).append(", \"dur\": ").append(micros(end - start))
                .append(", \"args\": ").append(args).append('}');
    }

    private void flow(String phase, String thread, long cycle, int id, String name, String extra) {
        events.append(",\n{\"ph\": \"").append(phase).append("\", \"pid\": ").append(PID).append(", \"tid\": ")
                .append(tid(thread)).append(", \"id\": ").append(id).append(", \"name\": ").append(Table.quote(name))
                .append(", \"cat\": \"message\", \"ts\": ").append(micros(ns(cycle))).append(extra).append('}');
    }

    private void counter(long cycle, long tlb, long cache) {
        events.append(",\n{\"ph\": \"C\", \"pid\": ").append(PID).append(", \"name\": \"misses\", \"ts\": ")
                .append(micros(ns(cycle))).append(", \"args\": {\"tlb\": ").append(tlb).append(", \"cache\": ")
                .append(cache).append("}}");
    }

    private int tid(String thread) {
        return tids.computeIfAbsent(thread, k -> tids.size() + 1);
    }

    /** @return {@code cycles} of the model's clock in nanoseconds, rounded (monotone: nesting survives it) */
    private long ns(long cycles) {
        return Math.round(cycles * 1000.0 / mhz);
    }

    /** @return nanoseconds as microseconds with three decimals, exactly */
    private static String micros(long ns) {
        return ns / 1000 + "." + String.format("%03d", ns % 1000);
    }
}

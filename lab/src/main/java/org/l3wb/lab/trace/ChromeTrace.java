package org.l3wb.lab.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.l3wb.lab.format.JsonText;
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
    /** The events in order, each writing itself once the threads' metadata is written. */
    private final List<Consumer<JsonText>> events = new ArrayList<>();
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
        JsonText j = new JsonText().startObject(JsonText.Layout.FLAT_AFTER_FIRST);
        j.name("displayTimeUnit").value("ns");
        j.name("otherData").startObject(JsonText.Layout.INLINE);
        j.name("processor").value(config.model().name());
        j.name("clock_mhz").value(config.model().clockMHz());
        j.name("mechanism").value(config.mechanism());
        j.name("scheduler").value(config.scheduler());
        j.name("switches").value(config.switches().toString());
        j.name("size").value(config.size());
        j.name("cold").value(config.cold());
        j.name("ipcs").value(ipcs.size());
        j.end().name("traceEvents").startArray(JsonText.Layout.FLAT);
        j.startObject(JsonText.Layout.INLINE).name("ph").value("M").name("pid").value(PID)
                .name("name").value("process_name").name("args").startObject(JsonText.Layout.INLINE)
                .name("name").value(config.mechanism() + " ping-pong, " + config.size() + " bytes, "
                        + config.model().name())
                .end().end();
        t.tids.forEach((name, tid) -> j.startObject(JsonText.Layout.INLINE).name("ph").value("M")
                .name("pid").value(PID).name("tid").value(tid).name("name").value("thread_name")
                .name("args").startObject(JsonText.Layout.INLINE).name("name").value(title(name)).end().end());
        t.events.forEach(e -> e.accept(j));
        return j.end().end().text() + "\n";
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
            slice(thread, name, "ipc", part, a -> a.name("instructions").value(part.size()));
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
            flow("s", sender, trap.start(), number, name, false);
            flow("f", receive.get(0).thread(), receive.get(0).start(), number, name, true);
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
            long tlbMisses = tlb;
            long cacheMisses = cache;
            slice(thread, step, "step", run, a -> a.name("source").value(run.get(0).source()).name("cycles")
                    .value(cycles).name("instructions").value(run.size()).name("tlb_misses").value(tlbMisses)
                    .name("cache_misses").value(cacheMisses));
            i = j;
        }
    }

    private void slice(String thread, String name, String category, List<TracedInstruction> run,
            Consumer<JsonText> args) {
        long start = ns(run.get(0).start());
        long end = ns(run.get(run.size() - 1).end());
        int tid = tid(thread);
        events.add(j -> {
            j.startObject(JsonText.Layout.INLINE).name("ph").value("X").name("pid").value(PID).name("tid").value(tid)
                    .name("name").value(name).name("cat").value(category).name("ts").number(micros(start))
                    .name("dur").number(micros(end - start)).name("args").startObject(JsonText.Layout.INLINE);
            args.accept(j);
            j.end().end();
        });
    }

    /** A flow event: {@code s} at the send, {@code f} binding to the enclosing slice at the receive. */
    private void flow(String phase, String thread, long cycle, int id, String name, boolean enclosing) {
        int tid = tid(thread);
        events.add(j -> {
            j.startObject(JsonText.Layout.INLINE).name("ph").value(phase).name("pid").value(PID).name("tid")
                    .value(tid).name("id").value(id).name("name").value(name).name("cat").value("message")
                    .name("ts").number(micros(ns(cycle)));
            if (enclosing) {
                j.name("bp").value("e");
            }
            j.end();
        });
    }

    private void counter(long cycle, long tlb, long cache) {
        events.add(j -> j.startObject(JsonText.Layout.INLINE).name("ph").value("C").name("pid").value(PID)
                .name("name").value("misses").name("ts").number(micros(ns(cycle))).name("args")
                .startObject(JsonText.Layout.INLINE).name("tlb").value(tlb).name("cache").value(cache).end().end());
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

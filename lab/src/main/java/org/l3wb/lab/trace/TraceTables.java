package org.l3wb.lab.trace;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.l3wb.lab.format.Format;
import org.l3wb.lab.format.JsonText;
import org.l3wb.lab.format.Table;
import org.l3wb.lab.ipc.PingPong;

/**
 * Traced IPCs printed like the paper's appendix (Tables 3 to 5): a line per instruction, or per run of
 * identical instructions (same step, kind and operands: a copy loop's iterations, PUSHes of a frame),
 * with its cycles, TLB and cache misses and the pages they happened on; a subtotal after each step;
 * the IPC's total; then the subtotals per step. CSV is one row per instruction; JSON both.
 */
final class TraceTables {
    private TraceTables() {
    }

    static String render(List<StepProfile> ipcs, Format format) {
        return switch (format) {
            case TEXT -> text(ipcs);
            case CSV -> instructions(ipcs).render(Format.CSV);
            case JSON -> json(ipcs);
        };
    }

    private static String text(List<StepProfile> ipcs) {
        StringBuilder sb = new StringBuilder();
        for (StepProfile p : ipcs) {
            PingPong.Config c = p.config();
            sb.append(sb.length() == 0 ? "" : "\n\n").append(heading(p)).append('\n');
            sb.append(lines(p).render(Format.TEXT)).append("\n\n");
            sb.append(steps(p).render(Format.TEXT)).append('\n');
            sb.append(String.format(Locale.ROOT, "%s: %d cycles = %.2f us at %d MHz, %d instructions, %d TLB misses, "
                    + "%d cache misses", p.ipc().text(), p.cycles(), p.micros(), c.model().clockMHz(),
                    p.instructions().size(), p.tlbMisses(), p.cacheMisses()));
        }
        return sb.toString();
    }

    private static String heading(StepProfile p) {
        PingPong.Config c = p.config();
        String who = p.ipc() == StepProfile.Ipc.CALL ? "A (client) calls B (server)" : "B (server) replies to A (client)";
        return "one " + (c.cold() ? "cold (cache flushed) " : "warm ") + p.ipc().text() + ", " + c.size() + " bytes, "
                + c.mechanism() + ", " + c.scheduler() + ", " + c.model().name() + ": " + who;
    }

    /** @return the appendix-style lines: runs of identical instructions, step subtotals, the total */
    static Table lines(StepProfile p) {
        Table t = new Table("step", "address", "instruction", "n", "cycles", "exec", "tlb", "cache", "pages");
        List<TracedInstruction> all = p.instructions();
        int i = 0;
        while (i < all.size()) {
            String step = all.get(i).step();
            long cycles = 0;
            long exec = 0;
            long tlb = 0;
            long cache = 0;
            boolean first = true;
            while (i < all.size() && all.get(i).step().equals(step)) {
                int j = i + 1;
                while (j < all.size() && all.get(j).sameKind(all.get(i))) {
                    j++;
                }
                List<TracedInstruction> run = all.subList(i, j);
                long rc = 0;
                long re = 0;
                long rt = 0;
                long rm = 0;
                for (TracedInstruction x : run) {
                    rc += x.cycles();
                    re += x.executionCycles();
                    rt += x.tlbMisses();
                    rm += x.cacheMisses();
                }
                TracedInstruction x = run.get(0);
                t.row(first ? step : "", Pages.hex(x.address()), (x.op().text() + " " + x.operands()).strip(),
                        run.size(), rc, re, rt, rm, pages(run));
                first = false;
                cycles += rc;
                exec += re;
                tlb += rt;
                cache += rm;
                i = j;
            }
            t.row("", "", "subtotal", "", cycles, exec, tlb, cache, "");
        }
        long exec = p.instructions().stream().mapToLong(TracedInstruction::executionCycles).sum();
        t.row("total", "", "", p.instructions().size(), p.cycles(), exec, p.tlbMisses(), p.cacheMisses(), "");
        return t;
    }

    /**
     * @return the pages a run's data accesses touched, and its fetches' where they missed, each with
     * what missed there: "TCB of B", "kernel code (TLB miss, memory)", "TCB of A (bus read from memory)" (a
     * processor without an on-chip cache: no miss, yet a read over the bus)
     */
    static String pages(List<TracedInstruction> run) {
        Set<String> names = new LinkedHashSet<>();
        for (TracedInstruction x : run) {
            for (TracedAccess a : x.accesses()) {
                boolean fetch = a.kindName().equals("fetch");
                String misses = misses(a);
                if (!fetch || !misses.isEmpty()) {
                    names.add(a.page() + (misses.isEmpty() ? "" : " (" + misses + ")"));
                }
            }
        }
        return String.join("; ", names);
    }

    private static String misses(TracedAccess a) {
        List<String> m = new ArrayList<>();
        if (a.tlbMiss()) {
            m.add("TLB miss");
        }
        for (TracedAccess.LineFill f : a.fills()) {
            m.add((f.miss() ? "" : "bus read from ") + f.source());
        }
        if (a.stallCycles() > 0) {
            m.add("write stall");
        }
        return String.join(", ", m);
    }

    static Table steps(StepProfile p) {
        Table t = new Table("step", "source", "cycles", "instructions", "tlb_misses", "cache_misses");
        for (StepProfile.Step s : p.steps()) {
            t.row(s.label(), s.source(), s.cycles(), s.instructions(), s.tlbMisses(), s.cacheMisses());
        }
        return t;
    }

    /** @return one row per instruction of every IPC */
    static Table instructions(List<StepProfile> ipcs) {
        Table t = new Table("ipc", "step", "source", "address", "mnemonic", "operands", "start_cycle", "cycles",
                "execution_cycles", "tlb_misses", "cache_misses", "stall_cycles", "mode", "thread", "pages",
                "accesses");
        for (StepProfile p : ipcs) {
            for (TracedInstruction x : p.instructions()) {
                t.row(p.ipc().text(), x.step(), x.source(), Pages.hex(x.address()), x.op().text(), x.operands(),
                        x.start(), x.cycles(), x.executionCycles(), x.tlbMisses(), x.cacheMisses(), x.stallCycles(),
                        x.mode().name().toLowerCase(Locale.ROOT), x.thread(), pages(List.of(x)),
                        x.accesses().stream().map(TracedAccess::describe).toList());
            }
        }
        return t;
    }

    private static String json(List<StepProfile> ipcs) {
        JsonText j = new JsonText().startArray(JsonText.Layout.FLAT);
        for (StepProfile p : ipcs) {
            PingPong.Config c = p.config();
            j.startObject(JsonText.Layout.INLINE);
            j.name("ipc").value(p.ipc().text());
            j.name("processor").value(c.model().name());
            j.name("mechanism").value(c.mechanism());
            j.name("scheduler").value(c.scheduler());
            j.name("switches").value(c.switches().toString());
            j.name("size").value(c.size());
            j.name("cold").value(c.cold());
            j.name("cycles").value(p.cycles());
            j.name("us").value(p.micros());
            j.name("instructions").value(p.instructions().size());
            j.name("tlb_misses").value(p.tlbMisses());
            j.name("cache_misses").value(p.cacheMisses());
            steps(p).json(j.breakBeforeNext().name("steps"));
            instructions(List.of(p)).json(j.breakBeforeNext().name("trace"));
            j.end();
        }
        return j.end().text();
    }
}

package org.l3wb.lab.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.kernel.api.Kernel;
import org.l3wb.kernel.api.KernelStep;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;
import org.l3wb.lab.format.Table;
import org.l3wb.lab.ipc.Experiments;
import org.l3wb.lab.ipc.PingPong;
import org.l3wb.lab.trace.StepProfile;
import org.l3wb.lab.trace.TracedInstruction;

/**
 * Where the cycles go: the 8-byte call of a warm ping-pong, traced, its cycles per step of the kernel's
 * path (the paper's steps, {@code KernelStep}; a kernel of another design, its own routines), under every
 * IPC mechanism the {@link Kernel} service has registered and, for {@code l3}, with each Table 1 switch
 * off in turn (the rest on), as Table 1 measures it. The base is the paper's kernel: every switch on, lazy
 * scheduling; the switch {@code lazy} off is the strict scheduler.
 *
 * <p>One row per configuration and step, steps in the order the call first reaches them, then the
 * call's total ({@value #WHOLE_CALL}). A mechanism that cannot carry 8-byte messages under the paper's
 * switches, or a scheduler that is not installed, leaves its configuration out.
 */
public final class WhereTheCyclesGo {
    /** The step column of each configuration's total row. */
    public static final String WHOLE_CALL = "whole call";
    static final String L3 = "l3";

    /**
     * One configuration traced.
     *
     * @param name      how the table names it: the mechanism, and the switch that is off
     * @param switchOff the switch that is off, "" for none
     */
    record Run(String name, String switchOff, PingPong.Config config) {
    }

    private final MachineFactory machines;
    private final Kernel kernel;
    private final ProcessorModel model;

    public WhereTheCyclesGo(MachineFactory machines, Kernel kernel, ProcessorModel model) {
        this.machines = machines;
        this.kernel = kernel;
        this.model = model;
    }

    /** @return every registered mechanism by name, then l3 with each switch off */
    List<Run> runs() {
        List<Run> runs = new ArrayList<>();
        List<String> mechanisms = new ArrayList<>(kernel.mechanisms());
        mechanisms.sort(null);
        String lazy = Switch.LAZY_SCHEDULING.key();
        for (String m : mechanisms) {
            add(runs, m, "", m, Switches.ALL_ON, lazy);
        }
        if (mechanisms.contains(L3)) {
            for (Switch s : Switch.values()) {
                boolean lazyOff = s == Switch.LAZY_SCHEDULING;
                add(runs, L3 + " " + s.key() + "=off", s.key(), L3, Switches.allBut(s), lazyOff ? "strict" : lazy);
            }
        }
        return runs;
    }

    private void add(List<Run> runs, String name, String switchOff, String mechanism, Switches switches,
            String scheduler) {
        if (PingPong.unsupported(mechanism, switches, 8) == null && kernel.schedulers().contains(scheduler)) {
            runs.add(new Run(name, switchOff, new PingPong.Config(model, mechanism, scheduler, switches, 8, 1, false)));
        }
    }

    /**
     * @return the labels of the paper's steps ({@link KernelStep}) in the order of the paper's path, which
     * the chart and the page show one by one and first; then "(no step marked)"
     */
    public static Set<String> paperSteps() {
        Set<String> labels = new LinkedHashSet<>();
        for (KernelStep s : KernelStep.values()) {
            labels.add(s.label());
        }
        labels.add(TracedInstruction.UNMARKED);
        return labels;
    }

    /**
     * @return the paper's steps first, in the order of its path, then the others (another kernel's
     * routines) as they came: a stable sort keeps their order of first appearance
     */
    public static Comparator<String> byPaperPath() {
        List<String> paper = new ArrayList<>(paperSteps());
        return Comparator.comparingInt(step -> paper.contains(step) ? paper.indexOf(step) : paper.size());
    }

    /**
     * The page's view of {@link #table}: one row per step (the paper's in the order of its path, then the
     * others in order of first appearance, the whole call last), one column of cycles per configuration;
     * a step a configuration does not reach is empty.
     */
    public static Table byStep(Table cycles) {
        List<String> configurations = new ArrayList<>();
        Map<String, String> sources = new LinkedHashMap<>();
        Map<List<String>, Object> value = new HashMap<>();
        for (Object[] row : cycles.rows()) {
            String configuration = (String) row[0];
            String step = (String) row[3];
            if (!configurations.contains(configuration)) {
                configurations.add(configuration);
            }
            if (!step.equals(WHOLE_CALL)) {
                sources.putIfAbsent(step, (String) row[4]);
            }
            value.put(List.of(configuration, step), row[5]);
        }
        List<String> steps = new ArrayList<>(sources.keySet());
        steps.sort(byPaperPath());
        steps.add(WHOLE_CALL);
        sources.put(WHOLE_CALL, "");
        List<String> columns = new ArrayList<>(List.of("step", "source"));
        columns.addAll(configurations);
        Table t = new Table(columns.toArray(new String[0]));
        for (String step : steps) {
            List<Object> row = new ArrayList<>(List.of(step, sources.get(step)));
            for (String c : configurations) {
                row.add(value.get(List.of(c, step)));
            }
            t.row(row.toArray());
        }
        return t;
    }

    /** @return one row per configuration and step, and per configuration its total */
    public Table table(Experiments.Progress progress) {
        Table t = new Table("configuration", "mechanism", "switch_off", "step", "source", "cycles", "instructions",
                "tlb_misses", "cache_misses");
        List<Run> runs = runs();
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            StepProfile call = StepProfile.call(machines, kernel, r.config());
            for (StepProfile.Step s : call.steps()) {
                t.row(r.name(), r.config().mechanism(), r.switchOff(), s.label(), s.source(), s.cycles(),
                        s.instructions(), s.tlbMisses(), s.cacheMisses());
            }
            t.row(r.name(), r.config().mechanism(), r.switchOff(), WHOLE_CALL, "", call.cycles(),
                    call.instructions().size(), call.tlbMisses(), call.cacheMisses());
            progress.runs(i + 1, runs.size());
        }
        return t;
    }
}

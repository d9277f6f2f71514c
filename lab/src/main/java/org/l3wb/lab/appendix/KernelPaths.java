package org.l3wb.lab.appendix;

import java.util.List;

import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.kernel.api.Kernel;
import org.l3wb.kernel.api.KernelStep;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;
import org.l3wb.lab.format.Table;
import org.l3wb.lab.ipc.PingPong;
import org.l3wb.lab.reference.PaperFigures;
import org.l3wb.lab.trace.StepProfile;

/**
 * Beside each appendix table, this kernel's traced path for the same operation, step by step, so that
 * the distance between the paper's minimal sequence and the kernel's path shows:
 * <ul>
 * <li>Table 3 (minimal null IPC) beside the whole 8-byte call of {@code l3}, one row per {@link KernelStep};</li>
 * <li>Table 4 (temporary mapping) beside the {@link KernelStep#TEMPORARY_MAPPING} step of a long-message
 * call (the smallest of Table 7's sizes that is not a register message), and that call's total;</li>
 * <li>Table 5 (port access) beside the {@link KernelStep#PORT_LOOKUP} step of the 8-byte call through
 * {@code ports} (7.1), and that call's total.</li>
 * </ul>
 * The kernel is the paper's (every Table 1 switch on, lazy scheduling); the call is the client's IPC of a
 * warm ping-pong ({@link StepProfile}). A step the kernel does not mark (yet) is shown without figures;
 * a mechanism that is not installed, with the reason.
 */
public final class KernelPaths {
    /** Where a table's kernel side comes from: the mechanism, the message size, the step it is compared with. */
    private record Side(String mechanism, int size, KernelStep step) {
    }

    private final MachineFactory machines;
    private final Kernel kernel;
    private final ProcessorModel model;

    public KernelPaths(MachineFactory machines, Kernel kernel, ProcessorModel model) {
        this.machines = machines;
        this.kernel = kernel;
        this.model = model;
    }

    /** @return the long message of Table 4's side: the smallest Table 7 size that does not fit the registers */
    static int longMessage() {
        for (int size : PaperFigures.TABLE7_SIZES) {
            if (size > 8) {
                return size;
            }
        }
        throw new IllegalStateException("Table 7 has no long message");
    }

    private static Side side(int table) {
        return switch (table) {
            case 3 -> new Side("l3", 8, null);
            case 4 -> new Side("l3", longMessage(), KernelStep.TEMPORARY_MAPPING);
            case 5 -> new Side("ports", 8, KernelStep.PORT_LOOKUP);
            default -> throw new IllegalArgumentException("no appendix table " + table);
        };
    }

    /**
     * @param appendix the tables as {@link AppendixSequences#runAll} measured them
     * @return per table: the paper's sequence, then the kernel's rows
     */
    public Table table(List<AppendixResult> appendix) {
        Table t = new Table("table", "side", "run", "step", "source", "cycles", "instructions", "tlb_misses",
                "cache_misses", "paper_cycles");
        for (AppendixResult r : appendix) {
            t.row(r.table(), "paper", "appendix sequence", r.action(), "", r.cycles(), r.instructions(),
                    r.tlbMisses(), r.cacheMisses(), PaperFigures.appendixCycles(r.table()));
            Side side = side(r.table());
            String run = side.mechanism + " " + side.size + "-byte call";
            if (!kernel.mechanisms().contains(side.mechanism)) {
                t.row(r.table(), "kernel", run, "not installed: mechanism " + side.mechanism, "", null, null, null,
                        null, null);
                continue;
            }
            StepProfile call = StepProfile.call(machines, kernel, new PingPong.Config(model, side.mechanism,
                    Switch.LAZY_SCHEDULING.key(), Switches.ALL_ON, side.size, 1, false));
            boolean found = false;
            for (StepProfile.Step s : call.steps()) {
                if (side.step == null || s.label().equals(side.step.label())) {
                    t.row(r.table(), "kernel", run, s.label(), s.source(), s.cycles(), s.instructions(), s.tlbMisses(),
                            s.cacheMisses(), null);
                    found = true;
                }
            }
            if (!found) {
                t.row(r.table(), "kernel", run, side.step.label() + " (not marked by the kernel)", side.step.source(),
                        null, null, null, null, null);
            }
            t.row(r.table(), "kernel", run, "whole call", "", call.cycles(), call.instructions().size(),
                    call.tlbMisses(), call.cacheMisses(), null);
        }
        return t;
    }
}

package org.l3wb.lab.report;

import java.util.Locale;

import org.l3wb.lab.appendix.AppendixResult;
import org.l3wb.lab.appendix.AppendixSequences;
import org.l3wb.lab.appendix.KernelPaths;
import org.l3wb.lab.format.Table;
import org.l3wb.lab.ipc.DashTransfer;
import org.l3wb.lab.ipc.Experiments;
import org.l3wb.lab.ipc.Figure8;
import org.l3wb.lab.ipc.PingPong;
import org.l3wb.lab.ipc.Syscall;
import org.l3wb.lab.reference.PaperFigures;

/**
 * Every experiment of the workbench, as the {@code lab:} commands and {@code lab:report} run it: one
 * code path builds each table, whoever asks. Defaults are the commands' defaults (the paper's 10,000
 * round trips where the paper measured with them).
 */
public enum Experiment {
    APPENDIX("appendix", "Appendix: Tables 3, 4 and 5 executed as instructions (cycles)", 0, null) {
        @Override
        Table build(Setup s, int rounds, Experiments.Progress progress) {
            AppendixSequences sequences = new AppendixSequences(s.machines(), s.processor(), s.kernel(),
                    s.mechanism(), s.scheduler());
            Table t = new Table("table", "cycles", "execution_cycles", "tlb_misses", "cache_misses", "paper_cycles",
                    "tlb_miss_pages");
            for (AppendixResult r : sequences.runAll()) {
                t.row(r.table(), r.cycles(), r.executionCycles(), r.tlbMisses(), r.cacheMisses(),
                        PaperFigures.appendixCycles(r.table()), r.missPages());
            }
            return t;
        }
    },
    APPENDIX_KERNEL("appendix-kernel", "Appendix beside the kernel: each table's sequence, then this kernel's "
            + "traced path for the same operation, per step (cycles)", 0, null) {
        @Override
        Table build(Setup s, int rounds, Experiments.Progress progress) {
            return new KernelPaths(s.machines(), s.kernel(), s.processor()).table(
                    new AppendixSequences(s.machines(), s.processor(), s.kernel(), s.mechanism(), s.scheduler())
                            .runAll());
        }

        @Override
        public String command() {
            return "lab:appendix --kernel";
        }
    },
    TABLE7("table7", "Table 7: time per IPC against message size, warm, the cache-flush penalty, and Mach",
            Experiment.PAPER_ROUNDS_VALUE, null) {
        @Override
        Table build(Setup s, int rounds, Experiments.Progress progress) {
            return experiments(s, rounds, progress).table7(s.has("mach"));
        }
    },
    FIGURE8("figure8", "Figure 8: time per IPC against message size: l3, l3 cache-flushed, mach, bare copy",
            Experiment.FIGURE8_ROUNDS_VALUE, "mach") {
        @Override
        Table build(Setup s, int rounds, Experiments.Progress progress) {
            return new Figure8(s.machines(), s.kernel()).table(s.processor(), rounds);
        }
    },
    TABLE1("table1", "Table 1: time added when one optimisation is switched off (%)", Experiment.PAPER_ROUNDS_VALUE,
            null) {
        @Override
        Table build(Setup s, int rounds, Experiments.Progress progress) {
            return experiments(s, rounds, progress).table1();
        }
    },
    FOOTPRINT("footprint", "Section 6: cache footprint of one short ping-pong", Experiment.FOOTPRINT_ROUNDS_VALUE,
            null) {
        @Override
        Table build(Setup s, int rounds, Experiments.Progress progress) {
            return experiments(s, rounds, progress).footprint();
        }
    },
    TABLE2("table2", "Table 2: null RPC (two 8-byte IPCs) on every installed processor",
            Experiment.PAPER_ROUNDS_VALUE, null) {
        @Override
        Table build(Setup s, int rounds, Experiments.Progress progress) {
            return experiments(s, rounds, progress).table2(s.processors());
        }
    },
    PORTS("ports", "Section 7.1: the 8-byte ping-pong through ports against l3", Experiment.PAPER_ROUNDS_VALUE,
            "ports") {
        @Override
        Table build(Setup s, int rounds, Experiments.Progress progress) {
            return experiments(s, rounds, progress).ports();
        }
    },
    HYPOTHETICAL("hypothetical", "Section 7.4: the 8-byte IPC without segments, with a tagged TLB, with both "
            + "(cycles saved beside 80, 45 and 125)", Experiment.PAPER_ROUNDS_VALUE, null) {
        @Override
        Table build(Setup s, int rounds, Experiments.Progress progress) {
            return experiments(s, rounds, progress).hypothetical();
        }
    },
    DASH("dash", "Section 7.2: Dash-like transfer of n pages (us per transfer), beside 8 + n us",
            Experiment.DASH_ROUNDS_VALUE, "dash") {
        @Override
        Table build(Setup s, int rounds, Experiments.Progress progress) {
            return new DashTransfer(s.machines(), s.kernel()).series(s.processor(), s.scheduler(), s.switches(), rounds,
                    DashTransfer.SERIES_PAGES);
        }
    },
    CYCLES("cycles", "Where the cycles go: the 8-byte call per step of the kernel's path, under every installed "
            + "mechanism and, for l3, with each Table 1 switch off (cycles)", 0, null) {
        @Override
        Table build(Setup s, int rounds, Experiments.Progress progress) {
            return new WhereTheCyclesGo(s.machines(), s.kernel(), s.processor()).table(progress);
        }
    },
    SYSCALL("syscall", "Section 5.6: a system call, warm: the bare user → kernel → user trip beside 2 µs, "
            + "Mach's mach_thread_self beside 18 µs (" + Syscall.DEFAULT_ROUNDS + " calls after "
            + Syscall.WARM_UP_CALLS + " warm-up calls, as lab:syscall)", 0, null) {
        @Override
        Table build(Setup s, int rounds, Experiments.Progress progress) {
            // a warm call costs the same every time (lab:syscall gives the same figures from 100 calls
            // on): the command's default calls, fixed, so the report's rounds and hash stay as they were
            return new Syscall(s.machines(), s.kernel()).table(s.processor(), Integer.parseInt(Syscall.DEFAULT_ROUNDS),
                    s.has("mach"));
        }
    },
    SENSITIVITY("sensitivity", "Issue 12: which figures depend on the board: Table 7, Figure 8 and Table 1 rerun "
            + "with one board parameter set to each value", 0, null) {
        @Override
        Table build(Setup s, int rounds, Experiments.Progress progress) {
            return s.sensitivity().run(s, progress);
        }

        @Override
        public String command() {
            return "lab:report " + BoardSensitivity.OPTION;
        }
    };

    /**
     * Experiments added after {@code report.json}'s layout was fixed: each writes its JSON to a file of its
     * own ({@code KEY.json}, the same object as an entry of report.json's {@code experiments}), so that
     * report.json stays byte for byte what it was for the same configuration.
     */
    static final java.util.Set<Experiment> OWN_JSON = java.util.EnumSet.of(APPENDIX_KERNEL, CYCLES, SYSCALL,
            SENSITIVITY);

    /** The paper's ping-pong length (section 6), as Gogo's {@code absentValue} wants it. */
    public static final String PAPER_ROUNDS = "10000";
    /** Figure 8: round trips per size and column (each warm after 20 warm-up rounds). */
    public static final String FIGURE8_ROUNDS = "100";
    /** Dash: round trips per page count (each warm after 20 warm-up rounds), as kernel.dash/readme.md reports. */
    public static final String DASH_ROUNDS = "500";
    private static final int PAPER_ROUNDS_VALUE = 10000;
    private static final int FIGURE8_ROUNDS_VALUE = 100;
    private static final int DASH_ROUNDS_VALUE = 500;
    /** The footprint is one round trip after a flush; the run around it has these round trips. */
    private static final int FOOTPRINT_ROUNDS_VALUE = 100;

    private final String key;
    private final String title;
    private final int defaultRounds;
    private final String requires;

    Experiment(String key, String title, int defaultRounds, String requires) {
        this.key = key;
        this.title = title;
        this.defaultRounds = defaultRounds;
        this.requires = requires;
    }

    /** @return the report's file and JSON key, and the command's name ({@code lab:KEY}) unless {@link #command} says otherwise */
    public String key() {
        return key;
    }

    /** @return the command that runs this experiment alone */
    public String command() {
        return "lab:" + key;
    }

    public String title() {
        return title;
    }

    /** @return the command's default round trips per measurement; 0 when the experiment has none (appendix) */
    public int defaultRounds() {
        return defaultRounds;
    }

    /** @return why this experiment cannot run on {@code s} (a mechanism it needs is not installed), or null */
    public String missing(Setup s) {
        if (requires != null && !s.has(requires)) {
            return "needs IPC mechanism '" + requires + "' (bundle kernel." + requires + "), not installed";
        }
        return null;
    }

    /**
     * @return why this experiment cannot run on {@code s}, in one line, or null: a mechanism it needs is
     * not installed, or the selected mechanism cannot carry its messages
     */
    public String unsupported(Setup s) {
        String missing = missing(s);
        if (missing != null) {
            return missing;
        }
        if (this == SENSITIVITY) {
            return sensitivityUnsupported(s);
        }
        return switch (this) {
            case TABLE7, TABLE1 -> needs(PingPong.unsupported(s.mechanism(), s.switches(), PaperFigures.TABLE7_SIZES[
                    PaperFigures.TABLE7_SIZES.length - 1]));
            case FOOTPRINT, TABLE2, HYPOTHETICAL -> needs(PingPong.unsupported(s.mechanism(), s.switches(), 8));
            default -> null;
        };
    }

    /** Whether an experiment is left out unless asked for (its section then says how to ask). */
    public boolean optional() {
        return this == SENSITIVITY;
    }

    /**
     * @return why the board sensitivity does not run on {@code s}: not asked for (how to ask, in one line), or
     * a rerun experiment cannot run on a variant; null when it runs
     */
    private static String sensitivityUnsupported(Setup s) {
        if (s.sensitivity() == null) {
            return "not run by default (it reruns Table 7, Figure 8 and Table 1 once per value, about a minute "
                    + "each): lab:report " + BoardSensitivity.OPTION + " NAME=a,b,c, e.g. " + BoardSensitivity.OPTION
                    + " " + BoardSensitivity.EXAMPLE + " (NAME: hw.cpu486/board.md)";
        }
        for (org.l3wb.lab.ipc.BoardVariant v : s.sensitivity().check(s.processor())) {
            Setup variant = new Setup(s.machines(), s.kernel(), v, s.mechanism(), s.scheduler(), s.switches(),
                    s.processors());
            for (Experiment e : java.util.List.of(TABLE7, FIGURE8, TABLE1)) {
                String why = e.unsupported(variant);
                if (why != null) {
                    return "lab:report " + BoardSensitivity.OPTION + " reruns " + e.command() + ": " + why;
                }
            }
        }
        return null;
    }

    /**
     * @throws IllegalArgumentException one line, when the board sensitivity asked for cannot run on {@code s}
     *                                  with these rounds (nothing has run yet)
     */
    static void checkSensitivity(Setup s) {
        String why = sensitivityUnsupported(s);
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
        for (org.l3wb.lab.ipc.BoardVariant v : s.sensitivity().check(s.processor())) {
            Setup variant = new Setup(s.machines(), s.kernel(), v, s.mechanism(), s.scheduler(), s.switches(),
                    s.processors());
            TABLE7.checkRounds(variant, s.sensitivity().tableRounds());
            TABLE1.checkRounds(variant, s.sensitivity().tableRounds());
            FIGURE8.checkRounds(variant, s.sensitivity().figure8Rounds());
        }
    }

    private String needs(String why) {
        return why == null ? null : command() + " cannot run: " + why;
    }

    /**
     * @return the most round trips per measurement this experiment supports on {@code s}, and what sets
     * it (the kernel's clock for its largest message, a 32-bit counter, a memory object's receive area);
     * null for the appendix, which has no rounds
     */
    public PingPong.Limit maxRounds(Setup s) {
        int largest = PaperFigures.TABLE7_SIZES[PaperFigures.TABLE7_SIZES.length - 1];
        return switch (this) {
            case APPENDIX, APPENDIX_KERNEL, CYCLES, SYSCALL, SENSITIVITY -> null;
            case TABLE7, FIGURE8, TABLE1 -> PingPong.maxRounds(s.processor(), largest);
            case FOOTPRINT, PORTS, HYPOTHETICAL -> PingPong.maxRounds(s.processor(), 8);
            case TABLE2 -> s.processors().stream().map(m -> PingPong.maxRounds(m, 8))
                    .reduce(PingPong.maxRounds(s.processor(), 8), PingPong.Limit::min);
            case DASH -> {
                PingPong.Limit l = DashTransfer.Config.maxRounds(s.processor(), DashTransfer.SERIES_PAGES,
                        DashTransfer.PageMessage.DASH);
                yield new DashTransfer(s.machines(), s.kernel()).withObjects(s.switches())
                        ? l.min(DashTransfer.Config.maxRounds(s.processor(), DashTransfer.SERIES_PAGES,
                                DashTransfer.PageMessage.L3_MEMORY_OBJECT))
                        : l;
            }
        };
    }

    /** @throws IllegalArgumentException one line, when {@code rounds} is not what this experiment supports on {@code s} */
    public void checkRounds(Setup s, long rounds) {
        PingPong.Limit limit = maxRounds(s);
        if (limit != null && (rounds <= 0 || rounds > limit.rounds())) {
            throw new IllegalArgumentException(limit.message("lab:" + key, rounds));
        }
    }

    /**
     * Runs the experiment.
     *
     * @param rounds   round trips per measurement (ignored by the appendix); must be positive otherwise
     * @param progress told after each finished run where the experiment has several
     * @throws IllegalArgumentException when a mechanism it needs is not installed ({@link #missing})
     */
    public Table run(Setup s, int rounds, Experiments.Progress progress) {
        if (defaultRounds > 0 && rounds <= 0) {
            throw new IllegalArgumentException("--rounds must be positive, got " + rounds);
        }
        if (missing(s) != null) {
            throw new IllegalArgumentException("unknown mechanism '" + requires + "': installed are "
                    + String.join(", ", s.kernel().mechanisms()));
        }
        String unsupported = unsupported(s);
        if (unsupported != null) {
            throw new IllegalArgumentException(unsupported);
        }
        checkRounds(s, rounds);
        try {
            return build(s, rounds, progress == null ? Experiments.Progress.NONE : progress);
        } catch (RuntimeException e) {
            org.l3wb.hw.api.InvalidOpcode opcode = invalidOpcode(e);
            if (opcode == null) {
                throw e;
            }
            throw new Unsupported(command() + " cannot run on " + opcode.processor() + ": the kernel executes "
                    + opcode.instruction() + ", which " + opcode.processor() + " lacks");
        }
    }

    /**
     * An experiment that needs what the processor lacks: an instruction the kernel executed raised the
     * processor's invalid-opcode exception. One line; {@code lab:report} shows the experiment skipped with it.
     */
    public static final class Unsupported extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Unsupported(String message) {
            super(message);
        }
    }

    /** @return the invalid-opcode exception in {@code e}'s cause chain (runs on worker threads wrap it), or null */
    private static org.l3wb.hw.api.InvalidOpcode invalidOpcode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.l3wb.hw.api.InvalidOpcode o) {
                return o;
            }
        }
        return null;
    }

    abstract Table build(Setup s, int rounds, Experiments.Progress progress);

    static Experiments experiments(Setup s, int rounds, Experiments.Progress progress) {
        PingPong.Config base = new PingPong.Config(s.processor(), s.mechanism(), s.scheduler(), s.switches(), 8, rounds,
                false);
        return new Experiments(new PingPong(s.machines(), s.kernel()), base).withProgress(progress);
    }

    /** @return the experiment named {@code key}, or fails with a one-line message */
    public static Experiment of(String key) {
        for (Experiment e : values()) {
            if (e.key.equals(key.toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown experiment '" + key + "'");
    }
}

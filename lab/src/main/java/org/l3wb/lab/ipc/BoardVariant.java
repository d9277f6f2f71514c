package org.l3wb.lab.ipc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.l3wb.hw.api.MemoryTiming;
import org.l3wb.hw.api.ProcessorModel;

/**
 * A model with one board parameter set otherwise: the same processor, cost table and capabilities,
 * its {@link MemoryTiming} with one setting replaced ({@link MemoryTiming#with}). Like section 7.4's
 * variants ({@link Hypothetical}) it is a description handed to the machine factory, never registered;
 * it keeps the model's name, since it describes the same machine on another board assumption (the
 * paper's figures stay beside its runs). With the model's own value it builds the same machine, so it
 * gives the same cycles.
 *
 * <p>Parameters are the {@link MemoryTiming#SETTINGS} (cycles, bytes, entries) and, for each
 * {@code xxxCycles} setting, {@code xxxNs}: a time in nanoseconds, turned into whole cycles at the
 * model's clock as hw.cpu486's configuration turns its board timings ({@link MemoryTiming#cycles}).
 *
 * <pre>
 * ProcessorModel slow = BoardVariant.of(StandardModels.i486dx50(), "externalWriteNs", 160); // 8-cycle writes
 * </pre>
 */
public final class BoardVariant extends ModelVariant {
    private static final String NS = "Ns";
    private static final String CYCLES = "Cycles";

    /** Every parameter {@link #of} accepts: the memory timing's settings, then the nanosecond forms. */
    public static final List<String> PARAMETERS;

    static {
        List<String> p = new ArrayList<>(MemoryTiming.SETTINGS);
        for (String s : MemoryTiming.SETTINGS) {
            if (s.endsWith(CYCLES)) {
                p.add(s.substring(0, s.length() - CYCLES.length()) + NS);
            }
        }
        PARAMETERS = Collections.unmodifiableList(p);
    }

    private final MemoryTiming timing;
    private final String board;

    private BoardVariant(ProcessorModel base, MemoryTiming timing, String board) {
        super(base);
        this.timing = timing;
        this.board = board;
    }

    /**
     * @return {@code base} with board parameter {@code parameter} (one of {@link #PARAMETERS}) set to {@code value}
     * @throws IllegalArgumentException in one line naming the parameter: unknown, or a value the board cannot have
     */
    public static BoardVariant of(ProcessorModel base, String parameter, int value) {
        String setting = setting(parameter);
        int v = parameter.equals(setting) ? value : nanoseconds(parameter, value, base.clockMHz());
        MemoryTiming timing;
        try {
            timing = base.memoryTiming().with(setting, v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("board parameter " + parameter + " cannot be " + value + ": "
                    + e.getMessage(), e);
        }
        return new BoardVariant(base, timing, setting + "=" + v);
    }

    /**
     * @return the memory timing setting {@code parameter} sets ({@code externalWriteNs}: {@code externalWriteCycles})
     * @throws IllegalArgumentException naming it and the parameters, when it is none of {@link #PARAMETERS}
     */
    public static String setting(String parameter) {
        if (parameter == null || !PARAMETERS.contains(parameter)) {
            throw new IllegalArgumentException("unknown board parameter '" + parameter + "' (one of "
                    + String.join(", ", PARAMETERS) + ")");
        }
        return parameter.endsWith(NS) ? parameter.substring(0, parameter.length() - NS.length()) + CYCLES : parameter;
    }

    private static int nanoseconds(String parameter, int ns, int clockMHz) {
        if (ns <= 0) {
            throw new IllegalArgumentException("board parameter " + parameter + " must be positive, got " + ns);
        }
        return MemoryTiming.cycles(ns, clockMHz);
    }

    /** @return the setting as the machine sees it, e.g. {@code externalWriteCycles=8} */
    public String board() {
        return board;
    }

    @Override
    public String description() {
        return base.description() + "; board " + board;
    }

    @Override
    public MemoryTiming memoryTiming() {
        return timing;
    }
}

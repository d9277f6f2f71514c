package org.l3wb.lab.ipc;

import java.util.ArrayList;
import java.util.List;

import org.l3wb.hw.api.MachineFactory;
import org.l3wb.kernel.api.Kernel;
import org.l3wb.lab.format.Table;

/**
 * Issue 12's question, "which conclusions depend on the board?": Table 7 (the L3 column and the
 * cache-flush penalty), Figure 8 (l3, l3 cache-flushed, mach, the bare copy) and Table 1 rerun with one
 * board parameter set to each of several values ({@link BoardVariant}), everything else as selected.
 * The paper fixes no board parameter (section 6 names only "256 KB external cache and 16 MB memory"),
 * so a figure that moves a lot here rests on an assumption; hw.cpu486/board.md gives each parameter's
 * source. Nothing is written down: every row is a run.
 *
 * <pre>
 * Table t = new Sensitivity(machines, kernel).run(base, "externalWriteNs", new int[] {60, 80, 160}, 100, Experiments.Progress.NONE);
 * </pre>
 *
 * <p>At the model's own value of the parameter the rows are those of {@code lab:table7}, {@code lab:figure8}
 * and {@code lab:table1} with the same rounds, bit for bit (the variant builds the same machine).
 */
public final class Sensitivity {
    /** The columns of {@link #run}'s table. */
    public static final String[] COLUMNS = {"param", "value", "board", "figure", "size", "column", "simulated", "paper",
        "deviation", "unit"};

    /**
     * The figures the plot follows, as {@link #key} names them: those issue 12 sets targets for (the 8-byte
     * and 4-KB IPC and cache-flush penalty, Mach at both ends, the bare copy, and the Table 1 cells it
     * names: reply &amp; receive at 8 bytes, the twofold copy at 4 KB).
     */
    public static final List<String> PLOTTED = List.of("table7 l3 8", "table7 l3 4096", "table7 l3_cold_penalty 8",
            "table7 l3_cold_penalty 4096", "figure8 bare_copy 4096", "figure8 mach 8", "figure8 mach 4096",
            "table1 replywait 8", "table1 direct 4096");

    private final MachineFactory machines;
    private final Kernel kernel;

    public Sensitivity(MachineFactory machines, Kernel kernel) {
        this.machines = machines;
        this.kernel = kernel;
    }

    /**
     * @return the whole numbers of a comma-separated list, e.g. {@code 60,80,160}
     * @throws IllegalArgumentException in one line naming the word that is not one, or an empty list
     */
    public static int[] values(String list) {
        if (list == null || list.isBlank()) {
            throw new IllegalArgumentException("--values must list at least one value, e.g. --values 60,80,160");
        }
        String[] words = list.split(",", -1);
        int[] values = new int[words.length];
        for (int i = 0; i < words.length; i++) {
            try {
                values[i] = Integer.parseInt(words[i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--values: '" + words[i].strip() + "' is not a whole number");
            }
        }
        return values;
    }

    /** @return the variants {@link #run} builds, all checked before anything runs */
    public static List<BoardVariant> variants(org.l3wb.hw.api.ProcessorModel model, String parameter, int[] values) {
        List<BoardVariant> variants = new ArrayList<>();
        for (int v : values) {
            variants.add(BoardVariant.of(model, parameter, v));
        }
        return variants;
    }

    /**
     * Reruns the three experiments for each value.
     *
     * @param base          processor (the one varied), mechanism, scheduler, switches and rounds of Table 7
     *                      and Table 1, as their commands take them from the selection
     * @param figure8Rounds round trips per size and column of Figure 8
     * @param phase         told which value runs now (for a progress line)
     * @throws IllegalArgumentException in one line, before anything runs, for an unknown parameter or a
     *                                  value the board cannot have
     */
    public Table run(PingPong.Config base, String parameter, int[] values, int figure8Rounds,
            Experiments.Progress progress, java.util.function.Consumer<String> phase) {
        List<BoardVariant> variants = variants(base.model(), parameter, values);
        Table t = new Table(COLUMNS);
        for (int i = 0; i < variants.size(); i++) {
            BoardVariant model = variants.get(i);
            phase.accept("lab:sensitivity " + parameter + "=" + values[i] + " (" + (i + 1) + "/" + values.length + ")");
            Experiments e = new Experiments(new PingPong(machines, kernel), new PingPong.Config(model, base.mechanism(),
                    base.scheduler(), base.switches(), 8, base.rounds(), false)).withProgress(progress);
            Object[] head = {parameter, values[i], model.board()};
            add(t, head, "table7", e.table7(false), 0, 1);
            add(t, head, "figure8", new Figure8(machines, kernel).table(model, figure8Rounds), 0, 1);
            add(t, head, "table1", e.table1(), 1, 0);
        }
        return t;
    }

    /** Appends an experiment's rows (size, column, simulated, paper, deviation, unit), each after {@code head}. */
    private static void add(Table t, Object[] head, String figure, Table rows, int size, int column) {
        for (Object[] r : rows.rows()) {
            t.row(head[0], head[1], head[2], figure, r[size], r[column], r[2], r[3], r[4], r[5]);
        }
    }

    /** @return the row's figure as {@link #PLOTTED} names it: figure, column and size, e.g. {@code table7 l3 8} */
    public static String key(Object[] row) {
        return row[3] + " " + row[5] + " " + row[4];
    }
}

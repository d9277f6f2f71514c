package org.l3wb.lab.report;

import java.util.ArrayList;
import java.util.List;

import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.lab.format.Table;
import org.l3wb.lab.ipc.BoardVariant;
import org.l3wb.lab.ipc.Experiments;
import org.l3wb.lab.ipc.PingPong;
import org.l3wb.lab.ipc.Sensitivity;
import org.l3wb.lab.plot.Charts;
import org.l3wb.lab.plot.Plot;

/**
 * {@code lab:report --sensitivity NAME=a,b,c}: issue 12's board sensitivity ({@link Sensitivity}, as
 * {@code lab:sensitivity --param NAME --values a,b,c} runs it) as a section of the report. Not run by
 * default: it reruns Table 7, Figure 8 and Table 1 once per value, about a minute per value on two cores
 * with the paper's rounds. Its rounds are the report's own for Table 7 and Table 1 ({@code rounds.table7})
 * and Figure 8 ({@code rounds.figure8}); the option itself is the configuration's entry
 * {@code sensitivity} ({@link Configuration}), so the hash covers it.
 *
 * <pre>
 * BoardSensitivity b = BoardSensitivity.parse("externalWriteNs=60,80,160"); // one-line error otherwise
 * b.check(model);                                                         // every variant, before any run
 * </pre>
 *
 * @param parameter     one of {@link BoardVariant#PARAMETERS}
 * @param values        the values, in the order given
 * @param tableRounds   round trips per measurement of Table 7 and Table 1 (0 until {@link Report#run} sets it)
 * @param figure8Rounds round trips per size and column of Figure 8 (likewise)
 */
public record BoardSensitivity(String parameter, List<Integer> values, int tableRounds, int figure8Rounds) {
    /** The option's name, for messages. */
    static final String OPTION = "--sensitivity";
    /** An example for messages and the page. */
    public static final String EXAMPLE = "externalWriteNs=60,80,160";

    public BoardSensitivity {
        values = List.copyOf(values);
    }

    /**
     * @return the option's value {@code NAME=a,b,c} as a request (rounds unset)
     * @throws IllegalArgumentException in one line naming what is wrong: no {@code =}, an unknown parameter, a
     *                                  value that is not a whole number, none at all, or one given twice
     */
    public static BoardSensitivity parse(String option) {
        String o = option == null ? "" : option.strip();
        int eq = o.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException(OPTION + " must be NAME=a,b,c (e.g. " + EXAMPLE + "), got '" + o + "'");
        }
        String name = o.substring(0, eq).strip();
        BoardVariant.setting(name); // unknown parameter: one line naming the known ones
        String list = o.substring(eq + 1);
        if (list.isBlank()) {
            throw new IllegalArgumentException(OPTION + " " + name + " lists no value (e.g. " + EXAMPLE + ")");
        }
        int[] parsed;
        try {
            parsed = Sensitivity.values(list);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replace("--values", OPTION + " " + name), e);
        }
        List<Integer> values = new ArrayList<>();
        for (int v : parsed) {
            if (values.contains(v)) {
                throw new IllegalArgumentException(OPTION + " " + name + ": value " + v + " given twice");
            }
            values.add(v);
        }
        return new BoardSensitivity(name, values, 0, 0);
    }

    /** @return the request with the report's rounds */
    BoardSensitivity withRounds(int table, int figure8) {
        return new BoardSensitivity(parameter, values, table, figure8);
    }

    /** @return the canonical form, {@code NAME=a,b,c}: the configuration's entry */
    public String text() {
        StringBuilder sb = new StringBuilder(parameter).append('=');
        for (int i = 0; i < values.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(values.get(i));
        }
        return sb.toString();
    }

    /** @throws IllegalArgumentException in one line when {@code model}'s board cannot take a value */
    public List<BoardVariant> check(ProcessorModel model) {
        return Sensitivity.variants(model, parameter, array());
    }

    private int[] array() {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The three experiments rerun on each variant; each one's runs queue on the report's pool. */
    Table run(Setup s, Experiments.Progress progress) {
        return new Sensitivity(s.machines(), s.kernel()).run(new PingPong.Config(s.processor(), s.mechanism(),
                s.scheduler(), s.switches(), 8, tableRounds, false), parameter, array(), figure8Rounds, progress,
                phase -> { });
    }

    /** @return the plot {@code lab:sensitivity} draws; {@code model} null when unknown (the subtitle says so) */
    static Plot plot(Table t, ProcessorModel model, String processor) {
        String parameter = t.rows().isEmpty() ? "?" : String.valueOf(t.rows().get(0)[0]);
        String present = "as selected";
        if (model != null && BoardVariant.PARAMETERS.contains(parameter)) {
            String setting = BoardVariant.setting(parameter);
            present = setting + "=" + model.memoryTiming().setting(setting);
        }
        return Charts.sensitivity(t, Sensitivity::key, Sensitivity.PLOTTED, parameter, present, processor);
    }
}

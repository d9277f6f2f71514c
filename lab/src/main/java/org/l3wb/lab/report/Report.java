package org.l3wb.lab.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.l3wb.lab.format.Table;

/**
 * Every experiment run once on one {@link Setup}: the tables in {@link Experiment} order, the experiments
 * that could not run (a mechanism they need is not installed) with the reason, and the configuration.
 */
public record Report(Configuration configuration, List<Section> sections) {
    /** One experiment's table, or the reason it was skipped ({@code table} null). */
    public record Section(Experiment experiment, int rounds, Table table, String skipped) {
    }

    public Report {
        sections = List.copyOf(sections);
    }

    /** @return every experiment's command default round trips, in report order */
    public static Map<Experiment, Integer> defaultRounds() {
        Map<Experiment, Integer> rounds = new EnumMap<>(Experiment.class);
        for (Experiment e : Experiment.values()) {
            rounds.put(e, e.defaultRounds());
        }
        return rounds;
    }

    /**
     * Runs every experiment.
     *
     * @param rounds   round trips per experiment; one missing takes the experiment's default
     * @param progress told which experiment runs and how far it is
     */
    public static Report run(Setup s, Map<Experiment, Integer> rounds, ConsoleProgress progress) {
        Map<Experiment, Integer> used = new LinkedHashMap<>();
        for (Experiment e : Experiment.values()) {
            int r = rounds.getOrDefault(e, e.defaultRounds());
            if (e.defaultRounds() > 0 && r <= 0) {
                throw new IllegalArgumentException("rounds of " + e.key() + " must be positive, got " + r);
            }
            used.put(e, r);
            // every experiment's rounds checked before the first one runs: nothing fails late
            if (e.unsupported(s) == null) {
                e.checkRounds(s, r);
            }
        }
        Configuration configuration = Configuration.of(s, used);
        List<Section> sections = new ArrayList<>();
        int i = 0;
        for (Experiment e : Experiment.values()) {
            i++;
            String missing = e.unsupported(s);
            if (missing != null) {
                sections.add(new Section(e, used.get(e), null, missing));
                continue;
            }
            progress.phase("lab:report " + i + "/" + Experiment.values().length + " " + e.key());
            try {
                sections.add(new Section(e, used.get(e), e.run(s, used.get(e), progress.runs()), null));
            } catch (Experiment.Unsupported u) {
                // the processor lacks an instruction the experiment's kernel executes: skipped, with that line
                sections.add(new Section(e, used.get(e), null, u.getMessage()));
            }
        }
        return new Report(configuration, Collections.unmodifiableList(sections));
    }

    /** @return the section of {@code e} */
    public Section section(Experiment e) {
        for (Section s : sections) {
            if (s.experiment() == e) {
                return s;
            }
        }
        throw new IllegalArgumentException("no section " + e.key());
    }
}

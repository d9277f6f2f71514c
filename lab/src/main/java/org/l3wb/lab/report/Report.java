package org.l3wb.lab.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import org.l3wb.lab.format.Table;
import org.l3wb.lab.ipc.Experiments;
import org.l3wb.lab.ipc.Parallel;
import org.l3wb.lab.plot.BarCharts;
import org.l3wb.lab.plot.Charts;
import org.l3wb.lab.plot.Plot;

/**
 * Every experiment run once on one {@link Setup}: the tables in {@link Experiment} order, the experiments
 * that could not run (a mechanism they need is not installed) with the reason, and the configuration;
 * and the plots of {@link ReportWriter#PLOTTED} where {@link #run} drew them already (else
 * {@link #plot} draws them).
 */
public record Report(Configuration configuration, List<Section> sections, Map<Experiment, Plot> plots) {
    /** One experiment's table, or the reason it was skipped ({@code table} null). */
    public record Section(Experiment experiment, int rounds, Table table, String skipped) {
    }

    public Report {
        sections = List.copyOf(sections);
        Map<Experiment, Plot> copy = new EnumMap<>(Experiment.class);
        copy.putAll(plots);
        plots = Collections.unmodifiableMap(copy);
    }

    /** A report whose plots are drawn when asked for ({@link #plot}). */
    public Report(Configuration configuration, List<Section> sections) {
        this(configuration, sections, Map.of());
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
     * @param progress told how many experiments are done
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
        Setup setup = withSensitivityRounds(s, used);
        s = setup;
        Configuration configuration = Configuration.of(s, used);
        String processor = configuration.entries().get("processor");
        ReportRun run = new ReportRun(progress);
        // every experiment at once, each from a thread of its own, its runs on one pool of a worker per
        // core (each run a fresh machine: the figures are those of one run after the other); a plot is
        // drawn as soon as its table is done, while the other experiments still run
        Map<Experiment, Future<ReportRun.Outcome>> outcomes = new EnumMap<>(Experiment.class);
        try (Parallel.Pool pool = Parallel.Pool.ofCores()) {
            for (Experiment e : Experiment.values()) {
                if (e.unsupported(s) == null) {
                    outcomes.put(e, run.start(pool, e, () -> e.run(setup, used.get(e), Experiments.Progress.NONE),
                            processor, s.processor()));
                }
            }
            List<Section> sections = new ArrayList<>();
            Map<Experiment, Plot> plots = new EnumMap<>(Experiment.class);
            for (Experiment e : Experiment.values()) {
                String missing = e.unsupported(s);
                if (missing != null) {
                    sections.add(new Section(e, used.get(e), null, missing));
                    continue;
                }
                ReportRun.Outcome o = run.await(outcomes.get(e));
                if (o.unsupported() != null) {
                    // the processor lacks an instruction the experiment's kernel executes: skipped, with that line
                    sections.add(new Section(e, used.get(e), null, o.unsupported()));
                } else {
                    sections.add(new Section(e, used.get(e), o.table(), null));
                    if (o.plot() != null) {
                        plots.put(e, o.plot());
                    }
                }
            }
            run.finished();
            return new Report(configuration, Collections.unmodifiableList(sections), plots);
        } finally {
            for (Future<?> f : outcomes.values()) {
                f.cancel(true);
            }
        }
    }

    /**
     * @return {@code s}, its board sensitivity (if asked for) at the report's own rounds of the three
     * experiments it reruns ({@code rounds.table7}, {@code rounds.figure8}; a missing one the default)
     * @throws IllegalArgumentException one line, when the sensitivity cannot run so: before anything runs
     */
    public static Setup withSensitivityRounds(Setup s, Map<Experiment, Integer> rounds) {
        if (s.sensitivity() == null) {
            return s;
        }
        Setup with = s.with(s.sensitivity().withRounds(
                rounds.getOrDefault(Experiment.TABLE7, Experiment.TABLE7.defaultRounds()),
                rounds.getOrDefault(Experiment.FIGURE8, Experiment.FIGURE8.defaultRounds())));
        Experiment.checkSensitivity(with);
        return with;
    }

    /**
     * @return the plot of {@code e}'s table ({@link ReportWriter#PLOTTED}): drawn by {@link #run} while
     * others ran, or now
     */
    public Plot plot(Experiment e) {
        Plot drawn = plots.get(e);
        return drawn != null ? drawn : draw(e, section(e).table(), configuration.entries().get("processor"));
    }

    /** @return {@code e}'s plot of {@code table}, or null when {@code e} has none */
    static Plot draw(Experiment e, Table table, String processor) {
        return draw(e, table, processor, null);
    }

    /** As {@link #draw(Experiment, Table, String)}; {@code model} (or null) names the board's own value */
    static Plot draw(Experiment e, Table table, String processor, org.l3wb.hw.api.ProcessorModel model) {
        return switch (e) {
            case SYSCALL -> BarCharts.syscall(table, processor);
            case SENSITIVITY -> BoardSensitivity.plot(table, model, processor);
            case FIGURE8 -> Charts.figure8(table, processor);
            case DASH -> Charts.dash(table, processor);
            case TABLE1 -> BarCharts.table1(table, processor);
            case TABLE2 -> BarCharts.table2(table, processor);
            case PORTS -> BarCharts.ports(table, processor);
            case CYCLES -> Charts.cycles(table, processor, WhereTheCyclesGo.WHOLE_CALL, WhereTheCyclesGo.paperSteps());
            default -> null;
        };
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

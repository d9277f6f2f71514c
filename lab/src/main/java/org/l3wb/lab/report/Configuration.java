package org.l3wb.lab.report;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.l3wb.hw.api.ProcessorModel;

/**
 * The configuration a report was made with, and its hash.
 *
 * <p>Canonical serialisation (what {@link #canonical()} returns and the report writes to
 * {@code configuration.txt}): UTF-8 text, the line {@value #HEADER}, then one {@code key=value} line per
 * entry in the fixed order below, each ending in {@code \n}; lists are sorted and comma-separated.
 * <ol>
 * <li>{@code processor}, {@code processor.clock_mhz}: the selected processor;</li>
 * <li>{@code mechanism}, {@code scheduler}, {@code switches}: the selected IPC mechanism, scheduler and
 * Table 1 switches (as {@code ipc:switches} prints them);</li>
 * <li>{@code rounds.NAME}: round trips per measurement of each experiment that has them, in report
 * order (the appendix, cycles and syscall run a fixed trace or count of calls, part of the build);</li>
 * <li>{@code sensitivity}: only when {@code lab:report --sensitivity NAME=a,b,c} asked for the board
 * sensitivity, that option as {@code NAME=a,b,c} (its rounds are {@code rounds.table7} and
 * {@code rounds.figure8});</li>
 * <li>{@code mechanisms}, {@code schedulers}, {@code processors}: what is installed (which experiments and
 * columns run depends on it; Table 2 runs on every processor);</li>
 * <li>{@code model.NAME}: each installed processor model's clock, geometry and cost table, so that a
 * processor bundle with the same name but other costs gives another hash.</li>
 * </ol>
 * The hash is the lower-case hex SHA-256 of those bytes: {@code sha256sum configuration.txt} prints it.
 * The simulator being deterministic, two reports with the same hash made by the same build of the
 * workbench have the same numbers. The hash does not name the build (bundle versions are left out so
 * that rebuilding an unchanged tree keeps it): a kernel or machine change gives other numbers under
 * the same hash.
 */
public final class Configuration {
    /** First line of the canonical form; a change of the form changes it. */
    public static final String HEADER = "l3wb report configuration 1";

    private final Map<String, String> entries;

    private Configuration(Map<String, String> entries) {
        this.entries = Collections.unmodifiableMap(entries);
    }

    /** @param rounds round trips per experiment, in report order (experiments without rounds left out) */
    public static Configuration of(Setup s, Map<Experiment, Integer> rounds) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("processor", s.processor().name());
        e.put("processor.clock_mhz", Integer.toString(s.processor().clockMHz()));
        e.put("mechanism", s.mechanism());
        e.put("scheduler", s.scheduler());
        e.put("switches", s.switches().toString());
        for (Map.Entry<Experiment, Integer> r : rounds.entrySet()) {
            if (r.getKey().defaultRounds() > 0) {
                e.put("rounds." + r.getKey().key(), Integer.toString(r.getValue()));
            }
        }
        if (s.sensitivity() != null) {
            e.put("sensitivity", s.sensitivity().text()); // only when asked for: a default report's hash stays
        }
        e.put("mechanisms", sorted(s.kernel().mechanisms()));
        e.put("schedulers", sorted(s.kernel().schedulers()));
        List<String> names = new ArrayList<>();
        for (ProcessorModel m : s.processors()) {
            names.add(m.name());
        }
        e.put("processors", sorted(names));
        List<ProcessorModel> models = new ArrayList<>(s.processors());
        if (models.stream().noneMatch(m -> m.name().equals(s.processor().name()))) {
            models.add(s.processor());
        }
        models.sort((a, b) -> a.name().compareTo(b.name()));
        for (ProcessorModel m : models) {
            e.put("model." + m.name(), model(m));
        }
        for (Map.Entry<String, String> entry : e.entrySet()) {
            if (entry.getValue().contains("\n") || entry.getKey().contains("=")) {
                throw new IllegalArgumentException("configuration entry " + entry.getKey() + " is not one line");
            }
        }
        return new Configuration(e);
    }

    private static String sorted(List<String> values) {
        List<String> s = new ArrayList<>(values);
        Collections.sort(s);
        return String.join(",", s);
    }

    /**
     * Everything of a model that can change a number: clock, geometry, board timing, cost table, and the
     * capabilities the machine and the kernel honour (hw.api 1.1), so that two processors differing only
     * in, say, their write policy never share a hash.
     */
    private static String model(ProcessorModel m) {
        return "clock_mhz=" + m.clockMHz() + " segments=" + m.hasSegments() + " tagged_tlb=" + m.taggedTlb()
                + " tlb=" + m.tlb() + " cache=" + m.onChipCache() + " memory=" + m.memoryTiming()
                + " costs=" + m.costs() + " segmentation=" + m.segmentation() + " global_pages=" + m.globalPages()
                + " instructions=" + sortedNames(m.instructions()) + " memory_units=" + sortedNames(m.memoryUnits())
                + " write_policy=" + m.writePolicy() + " cache_replacement=" + m.cacheReplacement()
                + " tlb_replacement=" + m.tlbReplacement() + " write_protect=" + m.writeProtect();
    }

    /** Enum constants by name, in a canonical order whatever set the model returns. */
    private static String sortedNames(java.util.Collection<? extends Enum<?>> values) {
        List<String> names = new ArrayList<>();
        for (Enum<?> v : values) {
            names.add(v.name());
        }
        return "[" + sorted(names) + "]";
    }

    /** @return the entries, in canonical order */
    public Map<String, String> entries() {
        return entries;
    }

    /** @return the canonical serialisation (see the class comment) */
    public String canonical() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Map.Entry<String, String> e : entries.entrySet()) {
            sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        return sb.toString();
    }

    /** @return SHA-256 of {@link #canonical()} in UTF-8, lower-case hex */
    public String hash() {
        return sha256(canonical());
    }

    /**
     * @return SHA-256 of {@code text} in UTF-8, lower-case hex: the one way the lab names a configuration
     * (a report's, a sweep point's, a sweep's grid)
     */
    public static String sha256(String text) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JRE", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Configuration c && c.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return canonical();
    }
}

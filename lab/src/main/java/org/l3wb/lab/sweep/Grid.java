package org.l3wb.lab.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;
import org.l3wb.lab.report.Configuration;

/**
 * A sweep's grid: processors × mechanisms × schedulers × switch sets × sizes, each run for
 * {@code rounds} round trips of the paper's ping-pong (section 6).
 *
 * <p>Text form (a grid file, {@code lab:sweep --grid FILE}, and what {@link #canonical()} writes): one
 * axis per line, {@code AXIS = VALUE, VALUE, …}; blank lines and lines starting with {@code #} are
 * ignored; an axis left out keeps the paper's configuration (i486dx50, l3, lazy, every switch on,
 * 8 bytes, 10000 rounds).
 * <pre>
 * processor = i486dx50, i386dx20
 * mechanism = l3, ports
 * scheduler = lazy, strict
 * switches  = all, direct=off, direct=off+vtcb=off, none
 * size      = 8, 128, 4096
 * rounds    = 10000
 * </pre>
 * A switch set is {@code all} (every Table 1 switch on), {@code none} (every one off) or settings
 * {@code NAME=on|off} joined by {@code +}, applied to all-on. The scheduler and the {@code lazy} switch
 * are one axis (Table 1's lazy scheduling is the lazy scheduler, 5.3.4): a point runs the strict
 * scheduler when either says so, and grid points that come out the same are one point ({@link #points}).
 */
public final class Grid {
    /** The axes, in the order the grid's points vary (the last fastest). */
    public static final List<String> AXES = List.of("processor", "mechanism", "scheduler", "switches", "size", "rounds");
    /** The paper's configuration: what an axis left out holds. */
    static final Map<String, List<String>> DEFAULTS = Map.of("processor", List.of("i486dx50"), "mechanism",
            List.of("l3"), "scheduler", List.of("lazy"), "switches", List.of("all"), "size", List.of("8"),
            "rounds", List.of("10000"));
    /** Largest message of the ping-pong (PingPong's limit): checked here so a grid fails before running. */
    static final int MAX_SIZE = 4 << 20;

    private final Map<String, List<String>> axes;

    private Grid(Map<String, List<String>> axes) {
        this.axes = axes;
    }

    /**
     * @param values per axis its comma-separated values; null or blank for the paper's default
     * @return the grid; fails with one line naming an unknown axis or an empty one
     */
    public static Grid of(Map<String, String> values) {
        Map<String, List<String>> axes = new LinkedHashMap<>();
        for (String axis : AXES) {
            axes.put(axis, DEFAULTS.get(axis));
        }
        for (Map.Entry<String, String> e : values.entrySet()) {
            String axis = e.getKey().strip();
            if (!AXES.contains(axis)) {
                throw new IllegalArgumentException("unknown grid axis '" + axis + "': valid are " + String.join(", ", AXES));
            }
            if (e.getValue() == null) {
                continue;
            }
            List<String> list = new ArrayList<>();
            for (String v : e.getValue().split(",", -1)) {
                if (!v.isBlank()) {
                    list.add(v.strip());
                }
            }
            if (list.isEmpty()) {
                throw new IllegalArgumentException("grid axis '" + axis + "' is empty");
            }
            axes.put(axis, List.copyOf(new LinkedHashSet<>(list)));
        }
        if (axes.get("rounds").size() != 1) {
            throw new IllegalArgumentException("grid axis 'rounds' takes one value, got " + axes.get("rounds"));
        }
        return new Grid(axes);
    }

    /** @return the grid a grid file's text describes (see the class comment); {@code name} names it in errors */
    public static Grid parse(String text, String name) {
        Map<String, String> values = new LinkedHashMap<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(name + ":" + n + ": expected AXIS = VALUE, VALUE, …, got '" + l + "'");
            }
            String axis = l.substring(0, eq).strip();
            if (values.containsKey(axis)) {
                throw new IllegalArgumentException(name + ":" + n + ": axis '" + axis + "' given twice");
            }
            values.put(axis, l.substring(eq + 1).isBlank() ? "" : l.substring(eq + 1));
        }
        try {
            return of(values);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage());
        }
    }

    /** @return the values of {@code axis} as given (duplicates dropped) */
    public List<String> axis(String axis) {
        return axes.get(axis);
    }

    /** @return the grid's text form, every axis on its line in {@link #AXES} order: equal grids, equal text */
    public String canonical() {
        StringBuilder sb = new StringBuilder("# l3wb sweep grid 1\n");
        for (String axis : AXES) {
            sb.append(axis).append(" = ").append(String.join(", ", axes.get(axis))).append('\n');
        }
        return sb.toString();
    }

    /** @return SHA-256 of {@link #canonical()}, lower-case hex: a sweep's output names its grid by it */
    public String hash() {
        return sha256(canonical());
    }

    /** @return how many points the grid spans before duplicates are merged */
    public long size() {
        long n = 1;
        for (String axis : AXES) {
            n *= axes.get(axis).size();
        }
        return n;
    }

    /**
     * Resolves every name against what is installed and spans the grid, merging points that are one
     * configuration (the scheduler and the lazy switch): fails with one line naming the first unknown
     * name or bad value, or when the grid is larger than {@code maxPoints}, before anything runs.
     *
     * @return the distinct points, in grid order (first occurrence)
     */
    public List<Point> points(Installed installed, long maxPoints) {
        if (size() > maxPoints) {
            throw new IllegalArgumentException("grid has " + size() + " points, more than --max-points " + maxPoints);
        }
        List<ProcessorModel> models = new ArrayList<>();
        for (String p : axes.get("processor")) {
            models.add(installed.processor(p));
        }
        for (String m : axes.get("mechanism")) {
            installed.requireMechanism(m);
        }
        for (String s : axes.get("scheduler")) {
            installed.requireScheduler(s);
        }
        List<Switches> sets = new ArrayList<>();
        for (String s : axes.get("switches")) {
            sets.add(switchSet(s));
        }
        List<Integer> sizes = new ArrayList<>();
        for (String s : axes.get("size")) {
            sizes.add(number("size", s, 0, MAX_SIZE));
        }
        int rounds = number("rounds", axes.get("rounds").get(0), 1, Integer.MAX_VALUE);
        Map<String, Point> points = new LinkedHashMap<>();
        for (ProcessorModel model : models) {
            for (String mechanism : axes.get("mechanism")) {
                for (String scheduler : axes.get("scheduler")) {
                    for (Switches set : sets) {
                        for (int size : sizes) {
                            Point p = Point.of(installed, model, mechanism, scheduler, set, size, rounds);
                            points.putIfAbsent(p.hash(), p);
                        }
                    }
                }
            }
        }
        return List.copyOf(points.values());
    }

    /** @return the switches a set names: {@code all}, {@code none}, or {@code NAME=on|off} joined by {@code +} */
    static Switches switchSet(String set) {
        if (set.equals("all") || set.equals("all=on")) {
            return Switches.ALL_ON;
        }
        if (set.equals("none") || set.equals("all=off")) {
            return Switches.ALL_OFF;
        }
        Switches s = Switches.ALL_ON;
        for (String setting : set.split("\\+", -1)) {
            String[] kv = setting.strip().split("=", -1);
            if (kv.length != 2 || !(kv[1].equals("on") || kv[1].equals("off"))) {
                throw new IllegalArgumentException("bad switch set '" + set + "': expected all, none or NAME=on|off "
                        + "joined by +, e.g. direct=off+vtcb=off");
            }
            s = s.with(Switch.byKey(kv[0]), kv[1].equals("on"));
        }
        return s;
    }

    private static int number(String axis, String value, int min, int max) {
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("grid axis '" + axis + "': '" + value + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("grid axis '" + axis + "' must be " + min + ".." + max + ", got " + n);
        }
        return (int) n;
    }

    /** @return SHA-256 of {@code text}, as a report names its configuration ({@link Configuration#sha256}) */
    static String sha256(String text) {
        return Configuration.sha256(text);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Grid g && g.axes.equals(axes);
    }

    @Override
    public int hashCode() {
        return axes.hashCode();
    }

    @Override
    public String toString() {
        return canonical();
    }
}

package org.l3wb.lab.shell;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Objects;

import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;

/**
 * What the user selected: processor model, IPC mechanism and the Table 1 switches (the scheduler is
 * the {@link Switch#LAZY_SCHEDULING lazy} switch). Immutable; converts to and from the configuration
 * {@value WorkbenchConfig#PID} described by {@link WorkbenchConfig}.
 *
 * @param processor processor model name
 * @param mechanism IPC mechanism name
 * @param switches the optimisation switches, lazy scheduling included
 */
record Selection(String processor, String mechanism, Switches switches) {
    static final String PROCESSOR = "processor";
    static final String MECHANISM = "mechanism";
    static final String SCHEDULER = "scheduler";
    static final String SWITCHES_OFF = "switches.off";
    static final String LAZY = "lazy";
    static final String STRICT = "strict";

    /** The paper's kernel on the paper's machine. */
    static final Selection DEFAULT = new Selection(WorkbenchConfig.DEFAULT_PROCESSOR,
            WorkbenchConfig.DEFAULT_MECHANISM, Switches.ALL_ON);

    Selection {
        Objects.requireNonNull(processor, "processor");
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(switches, "switches");
    }

    /**
     * Reads a configuration. It may come from a hand-written {@code .cfg} file, and a bad value there
     * must not take every command down with the component, so what cannot be read falls back: a blank
     * name to the default, a scheduler other than {@code strict} to lazy, an unknown switch name is
     * skipped. The commands validate before they write, so they never store such values. A name that
     * is well formed but not installed is kept: its bundle may arrive later.
     */
    static Selection from(WorkbenchConfig config) {
        return of(config.processor(), config.mechanism(), config.scheduler(), config.switches_off());
    }

    /**
     * Reads stored configuration properties (as Config Admin returns them) the way DS converts them
     * for {@link #from(WorkbenchConfig)}: a missing property is the default, {@code switches.off} may
     * be a String array, a collection or one String.
     */
    static Selection from(Dictionary<String, ?> properties) {
        Object off = properties.get(SWITCHES_OFF);
        String[] offKeys;
        if (off instanceof String[] array) {
            offKeys = array;
        } else if (off instanceof Collection<?> c) {
            offKeys = c.stream().map(String::valueOf).toArray(String[]::new);
        } else {
            offKeys = off == null ? new String[0] : new String[] {String.valueOf(off)};
        }
        return of(string(properties.get(PROCESSOR)), string(properties.get(MECHANISM)),
                string(properties.get(SCHEDULER)), offKeys);
    }

    private static String string(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    private static Selection of(String processor, String mechanism, String scheduler, String[] off) {
        Switches switches = Switches.ALL_ON.with(Switch.LAZY_SCHEDULING, !STRICT.equals(scheduler));
        for (String element : off == null ? new String[0] : off) {
            // a plain .cfg line (FileInstall reads a file with any untyped value as all strings) gives
            // one String: "direct,vtcb", "direct vtcb" or even the literal ["direct","vtcb"]
            for (String key : element == null ? new String[0] : element.split("[\\s,\\[\\]\"]+")) {
                for (Switch s : Switch.values()) {
                    if (s != Switch.LAZY_SCHEDULING && s.key().equals(key)) {
                        switches = switches.with(s, false);
                    }
                }
            }
        }
        return new Selection(nameOr(processor, WorkbenchConfig.DEFAULT_PROCESSOR),
                nameOr(mechanism, WorkbenchConfig.DEFAULT_MECHANISM), switches);
    }

    private static String nameOr(String name, String fallback) {
        return name == null || name.isBlank() ? fallback : name.strip();
    }

    /** @return {@code lazy} while the lazy-scheduling switch is on, {@code strict} otherwise */
    String scheduler() {
        return switches.isOn(Switch.LAZY_SCHEDULING) ? LAZY : STRICT;
    }

    Selection withProcessor(String name) {
        return new Selection(name, mechanism, switches);
    }

    Selection withMechanism(String name) {
        return new Selection(processor, name, switches);
    }

    Selection withSwitches(Switches s) {
        return new Selection(processor, mechanism, s);
    }

    /** @return the switch keys that are off, in Table 1 order, without {@code lazy} (the scheduler says it) */
    String[] switchesOff() {
        List<String> off = new ArrayList<>();
        for (Switch s : Switch.values()) {
            if (s != Switch.LAZY_SCHEDULING && !switches.isOn(s)) {
                off.add(s.key());
            }
        }
        return off.toArray(String[]::new);
    }

    /**
     * @return this selection as configuration properties, with the DS reference targets that bind the
     * selected processor model and IPC mechanism by their service property {@code name}
     */
    Dictionary<String, Object> toProperties() {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(PROCESSOR, processor);
        p.put(MECHANISM, mechanism);
        p.put(SCHEDULER, scheduler());
        p.put(SWITCHES_OFF, switchesOff());
        p.put(WorkbenchConfig.PROCESSOR_TARGET, nameFilter(processor));
        p.put(WorkbenchConfig.MECHANISM_TARGET, nameFilter(mechanism));
        return p;
    }

    /**
     * @return whether {@code stored} (a configuration's properties, may be {@code null}) reads as this
     * selection (a property left out reads as its default: the commands write only what they change)
     */
    boolean isStoredIn(Dictionary<String, ?> stored) {
        return stored != null && from(stored).equals(this);
    }

    /** @return an LDAP filter matching service property {@code name} equal to {@code name}, escaped */
    static String nameFilter(String name) {
        StringBuilder sb = new StringBuilder("(name=");
        for (char c : name.toCharArray()) {
            if (c == '\\' || c == '*' || c == '(' || c == ')') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append(')').toString();
    }
}

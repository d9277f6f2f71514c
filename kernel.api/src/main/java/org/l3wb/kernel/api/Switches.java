package org.l3wb.kernel.api;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which {@link Switch} optimisations are on. Immutable.
 *
 * @param on the switches that are on
 */
public record Switches(Set<Switch> on) {
    public static final Switches ALL_ON = new Switches(EnumSet.allOf(Switch.class));
    public static final Switches ALL_OFF = new Switches(EnumSet.noneOf(Switch.class));

    public Switches {
        on = on.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(on));
    }

    public boolean isOn(Switch s) {
        return on.contains(s);
    }

    public Switches with(Switch s, boolean value) {
        EnumSet<Switch> set = on.isEmpty() ? EnumSet.noneOf(Switch.class) : EnumSet.copyOf(on);
        if (value) {
            set.add(s);
        } else {
            set.remove(s);
        }
        return new Switches(set);
    }

    /** @return all on except {@code s} */
    public static Switches allBut(Switch s) {
        return ALL_ON.with(s, false);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Switch s : Switch.values()) {
            sb.append(sb.length() == 0 ? "" : " ").append(s.key()).append('=').append(isOn(s) ? "on" : "off");
        }
        return sb.toString();
    }
}

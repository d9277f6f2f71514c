package org.l3wb.lab.format;

import java.util.Locale;

/** Output formats every experiment command accepts with {@code --format}. */
public enum Format {
    TEXT, CSV, JSON;

    /** @return the format named {@code name}; fails with a one-line message naming the bad value */
    public static Format parse(String name) {
        if (name != null) {
            for (Format f : values()) {
                if (f.name().equalsIgnoreCase(name.trim())) {
                    return f;
                }
            }
        }
        throw new IllegalArgumentException("unknown --format '" + name + "': expected text, csv or json");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}

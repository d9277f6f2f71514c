package org.l3wb.hw.api;

/** Shared checks for the geometry records; messages name the offending setting. */
final class Geometry {
    private Geometry() {
    }

    static void powerOfTwo(String setting, long value) {
        if (value <= 0 || Long.bitCount(value) != 1) {
            throw new IllegalArgumentException(setting + " must be a positive power of two, got " + value);
        }
    }

    static void positive(String setting, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(setting + " must be positive, got " + value);
        }
    }
}

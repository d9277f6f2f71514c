package org.l3wb.hw.api;

import java.util.List;

/**
 * Timing of what lies behind the on-chip cache: the board's external cache, its DRAM and the
 * processor's write buffer. The paper fixes none of these; a processor model documents where its
 * values come from. All cycle counts are in processor clock cycles.
 *
 * @param memoryBytes            installed DRAM, a power of two (the paper's PC has 16 MB)
 * @param externalCacheBytes     external (second-level) cache size, a power of two; direct mapped,
 *                               with lines as long as the on-chip cache's
 * @param externalFillCycles     stall to fill one on-chip line from the external cache
 * @param dramFillCycles         stall to fill one on-chip line from DRAM (external cache miss)
 * @param writeBufferEntries     depth of the processor's write buffer (the i486 has 4)
 * @param externalWriteCycles    bus cycles one buffered write occupies when it hits the external cache
 * @param dramWriteCycles        bus cycles one buffered write occupies when it goes to DRAM
 *
 * <p>Since 2.2 the settings can also be read and replaced by name ({@link #SETTINGS}), so that an
 * experiment can vary one board parameter of a model without knowing how the model was configured
 * ({@code lab:sensitivity}):
 *
 * <pre>
 * MemoryTiming slower = model.memoryTiming().with("externalWriteCycles", MemoryTiming.cycles(160, model.clockMHz()));
 * int writes = slower.setting("externalWriteCycles"); // 8 at 50 MHz
 * </pre>
 */
public record MemoryTiming(int memoryBytes, int externalCacheBytes, int externalFillCycles, int dramFillCycles,
                           int writeBufferEntries, int externalWriteCycles, int dramWriteCycles) {
    /** Rejects impossible settings, naming them. */
    public MemoryTiming {
        Geometry.powerOfTwo("memory.memoryBytes", memoryBytes);
        if (memoryBytes < (1 << 20)) {
            throw new IllegalArgumentException("memory.memoryBytes must be at least 1 MB, got " + memoryBytes);
        }
        Geometry.powerOfTwo("memory.externalCacheBytes", externalCacheBytes);
        Geometry.positive("memory.externalFillCycles", externalFillCycles);
        Geometry.positive("memory.dramFillCycles", dramFillCycles);
        Geometry.positive("memory.writeBufferEntries", writeBufferEntries);
        Geometry.positive("memory.externalWriteCycles", externalWriteCycles);
        Geometry.positive("memory.dramWriteCycles", dramWriteCycles);
    }

    /**
     * The settings' names, in the record's order.
     *
     * @since 2.2
     */
    public static final List<String> SETTINGS = List.of("memoryBytes", "externalCacheBytes", "externalFillCycles",
            "dramFillCycles", "writeBufferEntries", "externalWriteCycles", "dramWriteCycles");

    /**
     * @return the value of setting {@code name} (one of {@link #SETTINGS})
     * @throws IllegalArgumentException naming {@code name} and the settings, when it is none of them
     * @since 2.2
     */
    public int setting(String name) {
        return switch (known(name)) {
            case "memoryBytes" -> memoryBytes;
            case "externalCacheBytes" -> externalCacheBytes;
            case "externalFillCycles" -> externalFillCycles;
            case "dramFillCycles" -> dramFillCycles;
            case "writeBufferEntries" -> writeBufferEntries;
            case "externalWriteCycles" -> externalWriteCycles;
            default -> dramWriteCycles;
        };
    }

    /**
     * @return this timing with setting {@code name} (one of {@link #SETTINGS}) set to {@code value}, the others
     * unchanged
     * @throws IllegalArgumentException in one line naming the setting, when {@code name} is none of
     * {@link #SETTINGS} or {@code value} is impossible for it (as the constructor checks)
     * @since 2.2
     */
    public MemoryTiming with(String name, int value) {
        String n = known(name);
        return new MemoryTiming(n.equals("memoryBytes") ? value : memoryBytes,
                n.equals("externalCacheBytes") ? value : externalCacheBytes,
                n.equals("externalFillCycles") ? value : externalFillCycles,
                n.equals("dramFillCycles") ? value : dramFillCycles,
                n.equals("writeBufferEntries") ? value : writeBufferEntries,
                n.equals("externalWriteCycles") ? value : externalWriteCycles,
                n.equals("dramWriteCycles") ? value : dramWriteCycles);
    }

    /**
     * A board's timing in nanoseconds as whole processor cycles: a bus transfer ends on a clock edge,
     * so a part of a cycle counts as a cycle (80 ns at 50 MHz: 4 cycles; 60 ns: 3; at 33 MHz: 3 and 2).
     *
     * @throws IllegalArgumentException when {@code ns} or {@code clockMHz} is not positive
     * @since 2.2
     */
    public static int cycles(int ns, int clockMHz) {
        Geometry.positive("ns", ns);
        Geometry.positive("clockMHz", clockMHz);
        return (int) ((ns * (long) clockMHz + 999) / 1000);
    }

    private static String known(String name) {
        if (name == null || !SETTINGS.contains(name)) {
            throw new IllegalArgumentException("unknown memory timing setting '" + name + "' (one of "
                    + String.join(", ", SETTINGS) + ")");
        }
        return name;
    }
}

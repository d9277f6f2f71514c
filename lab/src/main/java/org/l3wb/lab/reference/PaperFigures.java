package org.l3wb.lab.reference;

/**
 * The paper's published figures (Liedtke, SOSP 1993), used only to print beside what the model
 * produces and to compute deviations. Nothing in the machine or the kernel reads these.
 */
public final class PaperFigures {
    private PaperFigures() {
    }

    /** @return total cycles of appendix table 3, 4 or 5 (execution + 9 per TLB miss) */
    public static int appendixCycles(int table) {
        return switch (table) {
            case 3 -> 172;
            case 4 -> 62;
            case 5 -> 29;
            default -> throw new IllegalArgumentException("no appendix table " + table);
        };
    }

    /** @return execution cycles of appendix table 3, 4 or 5 */
    public static int appendixExecutionCycles(int table) {
        return switch (table) {
            case 3 -> 127;
            case 4 -> 35;
            case 5 -> 11;
            default -> throw new IllegalArgumentException("no appendix table " + table);
        };
    }

    /** @return TLB misses of appendix table 3, 4 or 5 */
    public static int appendixTlbMisses(int table) {
        return switch (table) {
            case 3 -> 5;
            case 4 -> 3;
            case 5 -> 2;
            default -> throw new IllegalArgumentException("no appendix table " + table);
        };
    }

    /** Message sizes of Table 7, bytes. */
    public static final int[] TABLE7_SIZES = {8, 12, 128, 512, 1024, 2048, 4096};
    private static final double[] TABLE7_L3 = {5.2, 7.6, 9.8, 18.1, 31.7, 53.2, 115.6};
    private static final double[] TABLE7_COLD_PENALTY = {6.4, 9.7, 11.6, 16.3, 25.5, 41.6, 54.3};
    private static final double[] TABLE7_MACH = {115, 124, 180, 214, 305, 386, 460};

    /** @return Table 7's L3 time per IPC (us) for a size, or null where the paper has none */
    public static Double table7L3(int size) {
        return lookup(TABLE7_L3, size);
    }

    /** @return Table 7's worst-case cache penalty (us) */
    public static Double table7ColdPenalty(int size) {
        return lookup(TABLE7_COLD_PENALTY, size);
    }

    /** @return Table 7's Mach time per IPC (us) */
    public static Double table7Mach(int size) {
        return lookup(TABLE7_MACH, size);
    }

    private static Double lookup(double[] values, int size) {
        for (int i = 0; i < TABLE7_SIZES.length; i++) {
            if (TABLE7_SIZES[i] == size) {
                return values[i];
            }
        }
        return null;
    }

    /** Message sizes of Table 1, bytes. */
    public static final int[] TABLE1_SIZES = {8, 12, 128, 512, 4096};

    /**
     * @param switchKey the {@code Switch} key ({@code registers}, {@code direct}, ...)
     * @return Table 1's added time in percent, or null where the paper has none ("-")
     */
    public static Double table1(String switchKey, int size) {
        int column = -1;
        for (int i = 0; i < TABLE1_SIZES.length; i++) {
            if (TABLE1_SIZES[i] == size) {
                column = i;
            }
        }
        if (column < 0) {
            return null;
        }
        double[] row = switch (switchKey) {
            case "registers" -> new double[] {49, -1, -1, -1, -1};
            case "direct" -> new double[] {-1, 9, 23, 58, 157};
            case "lazy" -> new double[] {23, 16, 12, 7, 1};
            case "segments" -> new double[] {21, 14, 11, 6, 1};
            case "replywait" -> new double[] {18, 13, 10, 5, 1};
            case "condensed" -> new double[] {13, 9, 7, 4, 1};
            case "vtcb" -> new double[] {10, 7, 5, 3, 1};
            default -> throw new IllegalArgumentException("no Table 1 row for switch " + switchKey);
        };
        return row[column] < 0 ? null : row[column];
    }

    /** Sum of Table 1's 8-byte column: removing all optimisations costs "far more" than this, percent. */
    public static final double TABLE1_SUM_8 = 134;

    /** Figure 8: the bare copy rate drawn beside the IPC times, 15 ns per byte. */
    public static final double BARE_COPY_MICROS_PER_BYTE = 0.015;

    /** Section 6: bytes of on-chip cache one short ping-pong uses. */
    public static final int FOOTPRINT_BYTES = 592;

    /** Section 7.1 / Table 5: cycles ports add to an 8-byte IPC. */
    public static final int PORTS_ADDED_CYCLES = 29;
    /** Section 7.1 / Table 5: the TLB misses ports add (port table, B's port link table). */
    public static final int PORTS_ADDED_TLB_MISSES = 2;

    /**
     * Section 7.2: "L3 (Dash-like) ipc takes 8+n µs transferring n pages (including access to each page
     * in the receiver's address space)", on the 486 DX-50.
     *
     * @return µs for one Dash-like transfer of {@code pages} pages
     */
    public static double dashMicros(int pages) {
        return 8 + pages;
    }

    /**
     * Table 2: L3's null RPC (two IPCs) in us on the processor the paper measured, by the model's name, or
     * null where the paper has no L3 row for that processor: i486dx50 10 us, i486dx33 15 us, i386dx20
     * 60 us ("L3 | 386, 20 | 60"). Each processor is compared with its own row only: a DX2-66 or a
     * hypothetical 486 gets none, whatever its clock.
     */
    public static Double table2L3(String processor) {
        return switch (processor) {
            case "i486dx50" -> 10.0;
            case "i486dx33" -> 15.0;
            case "i386dx20" -> 60.0;
            default -> null;
        };
    }

    /**
     * Section 7.4: "a 486-compatible processor without the segment system (saving 80 cycles) and with a
     * multi-address-space TLB (saving 45 cycles) could reduce the time needed for short ipc from 5 µs to
     * 2.5 µs" — cycles per short IPC on the DX-50.
     */
    public static final int SECTION74_SEGMENTS_SAVING = 80;
    /** Section 7.4: the multi-address-space (tagged) TLB's saving per short IPC, cycles. */
    public static final int SECTION74_TAGGED_TLB_SAVING = 45;
    /** Section 7.4: both savings, cycles per short IPC. */
    public static final int SECTION74_BOTH_SAVING = SECTION74_SEGMENTS_SAVING + SECTION74_TAGGED_TLB_SAVING;
    /** Section 7.4: short IPC today (5 µs) and on the hypothetical processor (2.5 µs), DX-50. */
    public static final double SECTION74_FROM_MICROS = 5.0;
    public static final double SECTION74_TO_MICROS = 2.5;

    /**
     * Section 5.6, on the 486-50: "18 µs for the mach thread self call whereas the bare machine time for
     * user → kernel → user is 2 µs" (µs per call), by the model's name; null for other processors.
     */
    public static Double section56Micros(String processor, boolean threadSelf) {
        return "i486dx50".equals(processor) ? (threadSelf ? 18.0 : 2.0) : null;
    }
}

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
}

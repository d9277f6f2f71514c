package org.l3wb.hw.api;

/**
 * A frozen copy of {@link Statistics} as it was before its hot counters moved into per-mode fields
 * (every counter a {@code long[2]} indexed by the mode): the reference that
 * {@link StatisticsEquivalenceTest} compares it with. Not to be optimised.
 */
final class ReferenceStatistics {
    private int mode = Mode.KERNEL.ordinal();
    private long now;
    private final long[] cycles = new long[2];
    private final long[] instructions = new long[2];
    private final long[] tlbHits = new long[2];
    private final long[] tlbMisses = new long[2];
    private final long[] cacheHits = new long[2];
    private final long[] compulsoryMisses = new long[2];
    private final long[] capacityMisses = new long[2];
    private final long[] conflictMisses = new long[2];
    private final long[] writes = new long[2];
    private final long[] writeStallCycles = new long[2];
    private final long[] tlbMissCycles = new long[2];
    private final long[] lineFillCycles = new long[2];

    /** Sets the mode later events are counted under. */
    public void enter(Mode m) {
        mode = m.ordinal();
    }

    /** @return the mode events are currently counted under */
    public Mode mode() {
        return mode == 0 ? Mode.USER : Mode.KERNEL;
    }

    /** @return the clock: all cycles so far */
    public long now() {
        return now;
    }

    /** Charges cycles to the current mode. */
    public void charge(int n) {
        now += n;
        cycles[mode] += n;
    }

    /** Counts one retired instruction and charges its cycles. */
    public void instruction(int cost) {
        instructions[mode]++;
        charge(cost);
    }

    /** Counts {@code n} TLB hits. */
    public void tlbHits(int n) {
        tlbHits[mode] += n;
    }

    /** Counts a TLB miss and charges its walk's fixed cycles. */
    public void tlbMiss(int cost) {
        tlbMisses[mode]++;
        tlbMissCycles[mode] += cost;
        charge(cost);
    }

    /** Charges the stall of one on-chip line fill (the miss itself is counted by its class). */
    public void lineFill(int stall) {
        lineFillCycles[mode] += stall;
        charge(stall);
    }

    /** Counts {@code n} on-chip cache read hits. */
    public void cacheHits(int n) {
        cacheHits[mode] += n;
    }

    /** Counts an on-chip miss on a line not touched since the cache was last empty. */
    public void compulsoryMiss() {
        compulsoryMisses[mode]++;
    }

    /** Counts an on-chip miss a fully associative cache of the same size would also have had. */
    public void capacityMiss() {
        capacityMisses[mode]++;
    }

    /** Counts an on-chip miss a fully associative cache of the same size would not have had. */
    public void conflictMiss() {
        conflictMisses[mode]++;
    }

    /** Counts one buffered write and charges the cycles it stalled waiting for room. */
    public void write(int stall) {
        writes[mode]++;
        writeStallCycles[mode] += stall;
        charge(stall);
    }

    /** Charges cycles spent waiting for the write buffer to drain. */
    public void writeStall(int stall) {
        writeStallCycles[mode] += stall;
        charge(stall);
    }

    public long cycles(Mode m) {
        return cycles[m.ordinal()];
    }

    public long instructions(Mode m) {
        return instructions[m.ordinal()];
    }

    public long tlbHits(Mode m) {
        return tlbHits[m.ordinal()];
    }

    public long tlbMisses(Mode m) {
        return tlbMisses[m.ordinal()];
    }

    public long cacheHits(Mode m) {
        return cacheHits[m.ordinal()];
    }

    public long cacheMisses(Mode m) {
        int i = m.ordinal();
        return compulsoryMisses[i] + capacityMisses[i] + conflictMisses[i];
    }

    public long compulsoryMisses(Mode m) {
        return compulsoryMisses[m.ordinal()];
    }

    public long capacityMisses(Mode m) {
        return capacityMisses[m.ordinal()];
    }

    public long conflictMisses(Mode m) {
        return conflictMisses[m.ordinal()];
    }

    public long writes(Mode m) {
        return writes[m.ordinal()];
    }

    public long writeStallCycles(Mode m) {
        return writeStallCycles[m.ordinal()];
    }

    public long tlbMissCycles(Mode m) {
        return tlbMissCycles[m.ordinal()];
    }

    public long lineFillCycles(Mode m) {
        return lineFillCycles[m.ordinal()];
    }

    /**
     * @return cycles spent executing instructions: all cycles less those the TLB walks, line fills
     * and write-buffer stalls added (the paper's appendix "execution" column)
     */
    public long executionCycles() {
        long stalls = 0;
        for (int i = 0; i < 2; i++) {
            stalls += tlbMissCycles[i] + lineFillCycles[i] + writeStallCycles[i];
        }
        return now - stalls;
    }

    /** @return instructions in both modes */
    public long instructions() {
        return instructions[0] + instructions[1];
    }

    /** @return TLB misses in both modes */
    public long tlbMisses() {
        return tlbMisses[0] + tlbMisses[1];
    }

    /** @return TLB hits in both modes */
    public long tlbHits() {
        return tlbHits[0] + tlbHits[1];
    }

    /** @return on-chip cache misses in both modes */
    public long cacheMisses() {
        return cacheMisses(Mode.USER) + cacheMisses(Mode.KERNEL);
    }

    /** @return on-chip cache read hits in both modes */
    public long cacheHits() {
        return cacheHits[0] + cacheHits[1];
    }

    /** @return an independent copy of all counters, e.g. to subtract later with {@link #since} */
    public ReferenceStatistics copy() {
        ReferenceStatistics c = new ReferenceStatistics();
        c.mode = mode;
        c.now = now;
        for (int i = 0; i < 2; i++) {
            c.cycles[i] = cycles[i];
            c.instructions[i] = instructions[i];
            c.tlbHits[i] = tlbHits[i];
            c.tlbMisses[i] = tlbMisses[i];
            c.cacheHits[i] = cacheHits[i];
            c.compulsoryMisses[i] = compulsoryMisses[i];
            c.capacityMisses[i] = capacityMisses[i];
            c.conflictMisses[i] = conflictMisses[i];
            c.writes[i] = writes[i];
            c.writeStallCycles[i] = writeStallCycles[i];
            c.tlbMissCycles[i] = tlbMissCycles[i];
            c.lineFillCycles[i] = lineFillCycles[i];
        }
        return c;
    }

    /** @return the counts accumulated since {@code earlier}, a copy taken from this instance */
    public ReferenceStatistics since(ReferenceStatistics earlier) {
        ReferenceStatistics d = copy();
        d.now -= earlier.now;
        for (int i = 0; i < 2; i++) {
            d.cycles[i] -= earlier.cycles[i];
            d.instructions[i] -= earlier.instructions[i];
            d.tlbHits[i] -= earlier.tlbHits[i];
            d.tlbMisses[i] -= earlier.tlbMisses[i];
            d.cacheHits[i] -= earlier.cacheHits[i];
            d.compulsoryMisses[i] -= earlier.compulsoryMisses[i];
            d.capacityMisses[i] -= earlier.capacityMisses[i];
            d.conflictMisses[i] -= earlier.conflictMisses[i];
            d.writes[i] -= earlier.writes[i];
            d.writeStallCycles[i] -= earlier.writeStallCycles[i];
            d.tlbMissCycles[i] -= earlier.tlbMissCycles[i];
            d.lineFillCycles[i] -= earlier.lineFillCycles[i];
        }
        return d;
    }

    @Override
    public String toString() {
        return "cycles=" + now + " instructions=" + instructions() + " tlbMisses=" + tlbMisses()
                + " cacheMisses=" + cacheMisses();
    }
}

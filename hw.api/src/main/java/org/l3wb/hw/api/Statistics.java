package org.l3wb.hw.api;

/**
 * The counters every experiment reads: cycles, instructions, TLB hits and misses, cache hits and
 * misses (split compulsory / capacity / conflict), buffered writes and write-buffer stalls, each split
 * by the processor {@link Mode} current when the event happened. The cycle counter is the machine's
 * clock. One instance belongs to one machine; the processor, MMU and cache of that machine update it
 * on the simulator's hot path, so updates are plain field arithmetic.
 */
public final class Statistics {
    private int mode = Mode.KERNEL.ordinal();
    private long now;
    /*
     * The counters the simulator bumps for (nearly) every instruction or access (cycles,
     * instructions, TLB and cache hits, writes and their stalls) count the current mode in plain
     * fields: one field update each, with no mode index and no array bounds check on the hot path.
     * settle() adds them into the per-mode arrays; enter() and every reader call it, so what the
     * getters return is exactly what per-mode counting would give. The current mode's cycles are
     * now - modeStart: charge only moves the clock. (So reading writes too: like its machine, an
     * instance is for one thread at a time. StatisticsEquivalenceTest checks it against the
     * earlier all-array counting.)
     */
    private long modeStart;
    private long modeInstructions;
    private long modeTlbHits;
    private long modeCacheHits;
    private long modeWrites;
    private long modeWriteStallCycles;
    // per mode (index Mode.ordinal()): the hot ones up to the last settle(), the rarer ones directly
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
    // the trace of execution, when one is on (Processor#trace): told of misses, fills and stalls
    private TraceListener trace;

    /**
     * Reports misses, line fills and write stalls to {@code listener} from now on (null: no longer).
     * The processor sets it with its own trace ({@link Processor#trace}).
     *
     * @since 2.0
     */
    public void trace(TraceListener listener) {
        trace = listener;
    }

    /** Adds the current mode's field counters into the per-mode arrays and restarts them. */
    private void settle() {
        int m = mode;
        cycles[m] += now - modeStart;
        modeStart = now;
        instructions[m] += modeInstructions;
        modeInstructions = 0;
        tlbHits[m] += modeTlbHits;
        modeTlbHits = 0;
        cacheHits[m] += modeCacheHits;
        modeCacheHits = 0;
        writes[m] += modeWrites;
        modeWrites = 0;
        writeStallCycles[m] += modeWriteStallCycles;
        modeWriteStallCycles = 0;
    }

    /** Sets the mode later events are counted under. */
    public void enter(Mode m) {
        settle();
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
    }

    /** Counts one retired instruction and charges its cycles. */
    public void instruction(int cost) {
        modeInstructions++;
        now += cost;
    }

    /** Counts {@code n} TLB hits. */
    public void tlbHits(int n) {
        modeTlbHits += n;
    }

    /** Counts a TLB miss and charges its walk's fixed cycles. */
    public void tlbMiss(int cost) {
        tlbMisses[mode]++;
        tlbMissCycles[mode] += cost;
        now += cost;
        if (trace != null) {
            trace.tlbMiss(cost);
        }
    }

    /** Charges the stall of one on-chip line fill (the miss itself is counted by its class). */
    public void lineFill(int stall) {
        lineFill(stall, false);
    }

    /**
     * Charges the stall of one on-chip line fill (or of a read without an on-chip cache) served by the
     * external cache ({@code fromExternalCache}) or by memory.
     *
     * @since 2.0
     */
    public void lineFill(int stall, boolean fromExternalCache) {
        lineFillCycles[mode] += stall;
        now += stall;
        if (trace != null) {
            trace.lineFill(stall, fromExternalCache);
        }
    }

    /** Counts {@code n} on-chip cache read hits. */
    public void cacheHits(int n) {
        modeCacheHits += n;
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
        modeWrites++;
        modeWriteStallCycles += stall;
        now += stall;
        if (stall != 0 && trace != null) {
            trace.writeStall(stall);
        }
    }

    /** Charges cycles spent waiting for the write buffer to drain. */
    public void writeStall(int stall) {
        modeWriteStallCycles += stall;
        now += stall;
        if (stall != 0 && trace != null) {
            trace.writeStall(stall);
        }
    }

    public long cycles(Mode m) {
        settle();
        return cycles[m.ordinal()];
    }

    public long instructions(Mode m) {
        settle();
        return instructions[m.ordinal()];
    }

    public long tlbHits(Mode m) {
        settle();
        return tlbHits[m.ordinal()];
    }

    public long tlbMisses(Mode m) {
        return tlbMisses[m.ordinal()];
    }

    public long cacheHits(Mode m) {
        settle();
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
        settle();
        return writes[m.ordinal()];
    }

    public long writeStallCycles(Mode m) {
        settle();
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
        settle();
        long stalls = 0;
        for (int i = 0; i < 2; i++) {
            stalls += tlbMissCycles[i] + lineFillCycles[i] + writeStallCycles[i];
        }
        return now - stalls;
    }

    /** @return instructions in both modes */
    public long instructions() {
        settle();
        return instructions[0] + instructions[1];
    }

    /** @return TLB misses in both modes */
    public long tlbMisses() {
        return tlbMisses[0] + tlbMisses[1];
    }

    /** @return TLB hits in both modes */
    public long tlbHits() {
        settle();
        return tlbHits[0] + tlbHits[1];
    }

    /** @return on-chip cache misses in both modes */
    public long cacheMisses() {
        return cacheMisses(Mode.USER) + cacheMisses(Mode.KERNEL);
    }

    /** @return on-chip cache read hits in both modes */
    public long cacheHits() {
        settle();
        return cacheHits[0] + cacheHits[1];
    }

    /** @return an independent copy of all counters, e.g. to subtract later with {@link #since} */
    public Statistics copy() {
        settle();
        Statistics c = new Statistics();
        c.mode = mode;
        c.now = now;
        c.modeStart = now;
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
    public Statistics since(Statistics earlier) {
        earlier.settle();
        Statistics d = copy();
        d.now -= earlier.now;
        d.modeStart = d.now;
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

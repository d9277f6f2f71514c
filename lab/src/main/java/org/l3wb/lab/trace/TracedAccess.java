package org.l3wb.lab.trace;

import java.util.List;

import org.l3wb.hw.api.TraceListener;

/**
 * One memory access of a traced instruction and what it cost: the TLB (a miss and its walk's fixed
 * cycles), the on-chip cache (the line fills it caused, each from the external cache or memory, the
 * walk's own fills included) and the write buffer (cycles a write waited for room).
 *
 * @param linear the virtual (linear) address accessed
 * @param kind {@link TraceListener#FETCH}, {@link TraceListener#READ} or {@link TraceListener#WRITE}
 * @param page the page's name from the kernel's layout: "TCB of B", "kernel code", "user code of A", ...
 * @param tlbMiss whether the access missed the TLB
 * @param walkCycles the TLB miss's fixed walk cycles (0 on a hit)
 * @param fills the line fills the access (or its walk) caused, in order
 * @param stallCycles cycles the write waited for the write buffer
 */
public record TracedAccess(int linear, int kind, String page, boolean tlbMiss, int walkCycles, List<LineFill> fills,
                           int stallCycles) {
    /** Kind names, by {@link #kind}. */
    private static final String[] KINDS = {"fetch", "read", "write"};

    public TracedAccess {
        fills = List.copyOf(fills);
    }

    /**
     * One line fill: its stall, where the line came from, and whether it was an on-chip cache miss (a
     * processor without an on-chip cache reads every operand over the bus: a fill that is no miss).
     */
    public record LineFill(int cycles, boolean fromExternalCache, boolean miss) {
        /** @return "external cache" or "memory" */
        public String source() {
            return fromExternalCache ? "external cache" : "memory";
        }
    }

    /** @return "fetch", "read" or "write" */
    public String kindName() {
        return KINDS[kind];
    }

    /**
     * @return the access in one line: "read E0040414 TCB of B: TLB miss 9 cycles, cache hit", "fetch 00081765
     * user code of A: TLB hit, cache miss from memory 22 cycles", "write ... : TLB hit, write stall 2 cycles"
     */
    public String describe() {
        StringBuilder sb = new StringBuilder(kindName()).append(' ').append(String.format("%08X", linear)).append(' ')
                .append(page).append(": ").append(tlbMiss ? "TLB miss " + walkCycles + " cycles" : "TLB hit");
        if (fills.isEmpty() && kind != TraceListener.WRITE) {
            sb.append(", cache hit");
        }
        for (LineFill f : fills) {
            sb.append(f.miss() ? ", cache miss from " : ", bus read from ").append(f.source()).append(' ')
                    .append(f.cycles()).append(" cycles");
        }
        if (stallCycles > 0) {
            sb.append(", write stall ").append(stallCycles).append(" cycles");
        }
        return sb.toString();
    }

    /** @return on-chip cache misses of this access (its walk's included) */
    public int cacheMisses() {
        int n = 0;
        for (LineFill f : fills) {
            n += f.miss() ? 1 : 0;
        }
        return n;
    }

    /** @return the stall cycles of its line fills */
    public int fillCycles() {
        int n = 0;
        for (LineFill f : fills) {
            n += f.cycles();
        }
        return n;
    }
}

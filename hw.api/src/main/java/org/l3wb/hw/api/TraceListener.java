package org.l3wb.hw.api;

/**
 * Receives, in order, what the machine does while a trace is on ({@link Processor#trace}): the
 * memory accesses of each instruction and what each cost, then the instruction's retirement. Events
 * between two {@link #retired} calls belong to the second instruction; the cycles an instruction took
 * are the clock ({@link Statistics#now()}) at its retirement minus the clock at the previous one.
 *
 * <p>With no listener set the machine calls nothing: tracing is free when off. A listener must not
 * drive the processor; it may read registers and memory through their free accessors. Every method
 * does nothing unless overridden: a listener implements what it records ({@code new TraceListener() {}}
 * records nothing, and lets the processor keep the step marks, which it does only while a trace is on).
 *
 * @since 2.0
 */
public interface TraceListener {
    /** Instruction fetches, as {@link #access}'s {@code kind}. */
    int FETCH = 0;
    /** Data reads. */
    int READ = 1;
    /** Data writes. */
    int WRITE = 2;

    /** The program marked the start of {@code step}; the instructions after it belong to it. */
    default void step(CodeStep step) {
    }

    /**
     * The current instruction accesses {@code linear} ({@link #FETCH}, {@link #READ} or {@link #WRITE}),
     * about to be translated; the misses reported next belong to this access.
     */
    default void access(int linear, int kind) {
    }

    /** The last access missed the TLB: the walk cost {@code cycles} (its entries' line fills follow, if any). */
    default void tlbMiss(int cycles) {
    }

    /**
     * An on-chip cache line fill of {@code cycles} for the last access (or the walk it caused), served by
     * the external cache ({@code fromExternalCache}) or by memory.
     */
    default void lineFill(int cycles, boolean fromExternalCache) {
    }

    /** A write waited {@code cycles} for room in the write buffer, or the processor for it to drain. */
    default void writeStall(int cycles) {
    }

    /**
     * An instruction retired. {@code reg} is its register operand (destination, or source of a store),
     * {@code base} and {@code index} those of its memory operand; {@link Reg#NONE} where absent.
     *
     * @param at its address (EIP before it)
     */
    default void retired(Mnemonic op, int at, Reg reg, Reg base, Reg index) {
    }
}

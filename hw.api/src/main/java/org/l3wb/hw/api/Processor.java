package org.l3wb.hw.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The simulated processor, driven one instruction at a time by kernel and user code written in Java.
 * Each instruction method retires one instruction at the current code address: it charges the cost
 * from the model's {@link InstructionCosts}, fetches its bytes through the TLB and cache (a new 16-byte
 * line costs a fetch; a CR3 load or a jump restarts prefetching), translates and caches each memory
 * operand at its real linear address, and advances EIP by the instruction's length. Values are
 * computed by the Java caller; what the processor models is the cost of the instruction stream and
 * the data it moves.
 *
 * <p>The register accessors {@link #reg}/{@link #setReg} cost nothing: they inspect or preset state,
 * like a debugger. Instructions that put a value in a register take a {@link Reg} argument.
 *
 * <p>Descriptor tables follow the 386 layout: an IDT gate holds selector and offset of the handler,
 * the TSS holds the kernel stack pointer at {@link #TSS_ESP0} and its selector at {@link #TSS_SS0}.
 */
@ProviderType
public interface Processor {
    /** Offset of ESP0, the kernel stack pointer loaded on entry from user mode, in the TSS. */
    int TSS_ESP0 = 4;
    /** Offset of SS0 in the TSS. */
    int TSS_SS0 = 8;

    /** @return the model this processor was built from */
    ProcessorModel model();

    /** @return the machine's counters; {@code statistics().now()} is the cycle counter */
    Statistics statistics();

    /** @return cycles since the machine was built */
    long cycles();

    /** @return current privilege */
    Mode mode();

    /** @return the address of the next instruction */
    int eip();

    /** Continues execution at {@code linear} without an instruction (boot, or a debugger's "set EIP"). */
    void jumpTo(int linear);

    /** @return a general register's value (free) */
    int reg(Reg r);

    /** Presets a general register (free). */
    void setReg(Reg r, int value);

    /** @return a segment register's selector (free) */
    int sreg(Sreg s);

    /** Presets a segment register without loading its descriptor (free; boot only). */
    void setSreg(Sreg s, int selector);

    /** Sets the privilege directly (free; boot only, before the first IRET to user mode). */
    void setMode(Mode m);

    /** LGDT, LIDT and LTR: the linear addresses of GDT, IDT and TSS. */
    void loadDescriptorTables(int gdt, int idt, int tss);

    // --- marks for a trace (free) ---------------------------------------------------------------

    /**
     * Marks the start of {@code step}: the instructions after it belong to it. Recorded only while a
     * trace is on (and then reported to it); with none it costs one test and is not kept, so that marks
     * are free when off. Kernels call it on entry to each method named after a step of their path.
     *
     * @return the step that was current while a trace is on, to restore when a nested step ends (null
     *         with no trace on: restoring null is then harmless)
     * @since 2.0
     */
    CodeStep step(CodeStep step);

    /** @return the step last marked while a trace was on (null before the first such mark) @since 2.0 */
    CodeStep step();

    /**
     * Starts ({@code listener} not null) or stops (null) a trace of execution: from now on the machine
     * reports each access, miss, step mark and retired instruction to {@code listener}. Off by default
     * and free when off. Changes no cycle. Marks made while no trace was on are not known: a trace that
     * must tag its first instructions is started (with any listener) before the code that marks them;
     * passing from one listener to another keeps the current mark.
     *
     * @since 2.0
     */
    void trace(TraceListener listener);

    // --- instructions -------------------------------------------------------------------------
    //
    // One way to emit: each method retires one instruction and names its register operands, so a trace
    // shows them and a model can see pipeline interlocks. Reg.NONE marks an absent operand (an
    // immediate, a memory operand without base). Values are computed by the Java caller and live in
    // its locals: only the methods that take a result write it into the register file (movImm, the
    // alu and shift forms with a result, loadRegister); the others leave the registers as they were,
    // so kernel code may run while a thread's message sits in them (Table 6). Conditional jumps return
    // whether they were taken, so that a branch is written once: {@code if (cpu.jcc(full)) { ... }}.

    /** MOV r32, imm32: sets {@code dst}. */
    void movImm(Reg dst, int imm);

    /** One register-only instruction, {@code dst op= src} (ADD, AND, CMP r,r, TEST, MOV r,r; {@code src} NONE for an immediate). @since 2.0 */
    void alu(Reg dst, Reg src);

    /** One register-only instruction leaving {@code result} in {@code dst}. @since 2.0 */
    void alu(Reg dst, Reg src, int result);

    /** SHL/SHR r32, imm8. @since 2.0 */
    void shift(Reg dst);

    /** SHL/SHR r32, imm8 leaving {@code result} in {@code dst}. */
    void shift(Reg dst, int result);

    /**
     * DIV r32: divides EDX:EAX, unsigned, by {@code divisor}, leaving {@code quotient} in EAX and
     * {@code remainder} in EDX. Charged the model's {@link InstructionCosts#divide()} (40 clocks on the
     * i486), not an ALU instruction's: a hash modulo a table size is a DIV in compiled C.
     *
     * @since 2.3
     */
    void div(Reg divisor, int quotient, int remainder);

    /** MOV dst, [base + disp]: @return the dword at {@code linear} (the register file is not written). @since 2.0 */
    int load(Reg dst, Reg base, int linear);

    /** MOV dst, [base + index*s + disp] (one more cycle on the 486): @return the dword at {@code linear}. @since 2.0 */
    int load(Reg dst, Reg base, Reg index, int linear);

    /** MOV dst, [base + disp] that also sets {@code dst}: @return the dword at {@code linear}. @since 2.0 */
    int loadRegister(Reg dst, Reg base, int linear);

    /** MOV [base + disp], src: writes {@code value} at {@code linear}. @since 2.0 */
    void store(Reg base, int linear, Reg src, int value);

    /** MOV [base + index*s + disp], src. @since 2.0 */
    void store(Reg base, Reg index, int linear, Reg src, int value);

    /** CMP r, [base + disp]: @return the dword compared against. @since 2.0 */
    int compare(Reg r, Reg base, int linear);

    /** Jcc: not taken falls through; taken continues at {@code target}. @return {@code taken} @since 2.0 */
    boolean jcc(boolean taken, int target);

    /** Bytes a {@link #jcc(boolean)} skips when taken. */
    int SHORT_BRANCH = 32;

    /**
     * A short conditional jump over an out-of-line block of {@link #SHORT_BRANCH} bytes: for kernel
     * code written in Java, whose rare paths are not laid out byte by byte. Taken, it costs the taken
     * cycles and fetching continues after the skipped block.
     *
     * @return {@code taken}, so the Java branch and the simulated one are one expression
     * @since 2.0
     */
    default boolean jcc(boolean taken) {
        return jcc(taken, eip() + 2 + SHORT_BRANCH);
    }

    /** JMP near. */
    void jmp(int target);

    /** CALL near: pushes the return address. */
    void call(int target);

    /** RET near: pops the return address. */
    void ret();

    /** PUSH src: pushes {@code value}. @since 2.0 */
    void push(Reg src, int value);

    /** POP dst: @return the popped dword (the register file is not written). @since 2.0 */
    int pop(Reg dst);

    /**
     * INT n. From user mode: reads the IDT gate, the handler's code descriptor, ESP0/SS0 from the TSS
     * and the stack descriptor, switches to the kernel stack, pushes SS, ESP, EFLAGS, CS, EIP, enters
     * kernel mode at the gate's offset.
     */
    void softwareInterrupt(int vector);

    /** A hardware interrupt (e.g. the timer) taken at the current instruction boundary, like INT n. */
    void hardwareInterrupt(int vector);

    /** IRET: pops EIP, CS, EFLAGS (and ESP, SS when returning to user mode, reading their descriptors). */
    void iret();

    /** MOV CR3, r32: switches address space; flushes an untagged TLB. */
    void movCr3(int pageDirectory);

    /**
     * INVLPG m.
     *
     * @throws InvalidOpcode when the model lacks {@link Instruction#INVLPG} (a 386)
     */
    void invlpg(int linear);

    /**
     * Flush by tag: invalidates the TLB entries of the address space whose page directory is
     * {@code pageDirectory}, keeping global entries and other spaces' entries. Charged as INVLPG.
     *
     * @throws InvalidOpcode when the model lacks {@link Instruction#FLUSH_TLB_TAG}
     * @since 1.1
     */
    void flushTlbTag(int pageDirectory);

    /** MOV Sreg, r32: reads the descriptor from the GDT (unless the model has no segments). */
    void loadSegment(Sreg s, int selector);

    /** MOV r32, Sreg: @return the selector. */
    int readSegment(Sreg s);

    /** PUSH Sreg. */
    void pushSegment(Sreg s);

    /** POP Sreg: pops a selector and loads its descriptor (unless the model has no segments). */
    void popSegment(Sreg s);

    /** HLT: waits for the next interrupt; the clock runs on to the timer's next tick. */
    void halt();

    /** REP MOVSD: moves {@code dwords} dwords from {@code src} to {@code dst}, really, through the MMU. */
    void repMovsd(int src, int dst, int dwords);

    /** REP MOVSB: moves {@code bytes} bytes. */
    void repMovsb(int src, int dst, int bytes);

    /**
     * WBINVD: writes dirty lines back and empties the on-chip cache.
     *
     * @throws InvalidOpcode when the model lacks {@link Instruction#WBINVD} (a 386)
     */
    void flushCache();

    // --- timer --------------------------------------------------------------------------------

    /** Programs the interval timer to raise its interrupt every {@code periodCycles} (0 stops it). */
    void programTimer(long periodCycles);

    /** @return whether a timer interrupt is pending at this instruction boundary */
    boolean timerDue();

    /** Acknowledges the pending timer interrupt (the next one is one period later). */
    void acknowledgeTimer();
}

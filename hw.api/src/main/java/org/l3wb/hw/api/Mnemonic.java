package org.l3wb.hw.api;

/**
 * What kind of instruction (or instruction-like event) a {@link TraceListener} saw retire: one per
 * method of {@link Processor} that issues an instruction, plus the events that charge cycles without
 * one (a hardware interrupt's entry).
 *
 * @since 2.0
 */
public enum Mnemonic {
    /** MOV r32, imm32. */
    MOV_IMM("mov r,imm"),
    /** A register-only ALU instruction (ADD, AND, CMP r,r, MOV r,r, ...). */
    ALU("alu r,r"),
    /** SHL/SHR r32, imm8. */
    SHIFT("shift"),
    /** MOV r32, m32. */
    LOAD("mov r,m"),
    /** MOV m32, r32. */
    STORE("mov m,r"),
    /** CMP r32, m32. */
    CMP_MEM("cmp r,m"),
    /** Jcc, taken. */
    JCC_TAKEN("jcc taken"),
    /** Jcc, not taken. */
    JCC("jcc"),
    /** JMP near. */
    JMP("jmp"),
    /** CALL near. */
    CALL("call"),
    /** RET near. */
    RET("ret"),
    /** PUSH r32 or PUSH Sreg. */
    PUSH("push"),
    /** POP r32 or POP Sreg. */
    POP("pop"),
    /** INT n. */
    INT("int"),
    /** A hardware interrupt taken at an instruction boundary (no instruction of its own). */
    INTERRUPT("interrupt"),
    /** IRET. */
    IRET("iret"),
    /** MOV CR3, r32. */
    MOV_CR3("mov cr3"),
    /** INVLPG m. */
    INVLPG("invlpg"),
    /** Flush the TLB entries of one tag. */
    FLUSH_TLB_TAG("flush tag"),
    /** MOV Sreg, r32. */
    LOAD_SEGMENT("mov sreg,r"),
    /** MOV r32, Sreg. */
    READ_SEGMENT("mov r,sreg"),
    /** LGDT, LIDT, LTR. */
    LOAD_TABLE_REGISTER("lgdt/lidt/ltr"),
    /** HLT, with the wait for the next timer tick. */
    HLT("hlt"),
    /** REP MOVSD, every iteration. */
    REP_MOVSD("rep movsd"),
    /** REP MOVSB, every iteration. */
    REP_MOVSB("rep movsb"),
    /** WBINVD. */
    WBINVD("wbinvd"),
    /** DIV r32 (its register operand is the divisor); last, so that the 2.2 constants keep their ordinals. @since 2.3 */
    DIV("div r");

    private final String text;

    Mnemonic(String text) {
        this.text = text;
    }

    /** @return how a trace prints it */
    public String text() {
        return text;
    }
}

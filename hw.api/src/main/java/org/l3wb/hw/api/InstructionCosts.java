package org.l3wb.hw.api;

/**
 * A processor model's cost table, in clock cycles, for instructions whose operands hit the on-chip
 * cache and TLB. Misses are charged separately by the TLB and cache models, so these are the
 * execution cycles of the paper's appendix tables.
 *
 * @param movRegImm       MOV r32, imm32
 * @param alu             a register-only ALU instruction (ADD, AND, CMP r,r, MOV r,r, ...)
 * @param shift           SHL/SHR r32, imm8
 * @param indexedAddressing extra cycles when a memory operand uses an index register
 * @param load            MOV r32, m32
 * @param store           MOV m32, r32
 * @param cmpMem          CMP r32, m32
 * @param jccTaken        conditional jump, taken
 * @param jccNotTaken     conditional jump, not taken
 * @param jmp             unconditional near jump
 * @param call            near CALL
 * @param ret             near RET
 * @param push            PUSH r32
 * @param pop             POP r32
 * @param intToInner      INT n (or a hardware interrupt) from user to kernel privilege, including its
 *                        IDT, GDT and TSS reads and the five stack pushes
 * @param intSameLevel    INT n at the same privilege
 * @param iretToOuter     IRET from kernel to user privilege, including its GDT reads and pops
 * @param iretSameLevel   IRET at the same privilege
 * @param movCr3          MOV CR3, r32 (the TLB flush's later misses are not included)
 * @param invlpg          INVLPG m
 * @param loadSegment     MOV Sreg, r/m in protected mode (reads the descriptor)
 * @param readSegment     MOV r32, Sreg
 * @param repMovsStartup  REP MOVS start-up cost
 * @param repMovsPerItem  REP MOVS per item moved (dword or byte)
 * @param tlbMiss         a TLB miss whose page-directory and page-table entries hit the cache
 * @param cacheFlush      INVD / WBINVD
 * @param loadTableRegister LGDT / LIDT / LTR
 * @param divide          DIV r32: EDX:EAX divided by a register, quotient in EAX, remainder in EDX (the
 *                        i486 takes 40 clocks whatever the operands: no early out, unlike MUL); since 2.3
 */
public record InstructionCosts(
        int movRegImm, int alu, int shift, int indexedAddressing, int load, int store, int cmpMem,
        int jccTaken, int jccNotTaken, int jmp, int call, int ret, int push, int pop,
        int intToInner, int intSameLevel, int iretToOuter, int iretSameLevel,
        int movCr3, int invlpg, int loadSegment, int readSegment,
        int repMovsStartup, int repMovsPerItem, int tlbMiss, int cacheFlush, int loadTableRegister,
        int divide) {

    /**
     * DIV r32 on the i486: 40 clocks (Intel, <i>i486 Microprocessor Programmer's Reference Manual</i>, 1990,
     * DIV in the instruction set chapter; the same in the i486 data book's instruction timing table).
     */
    public static final int I486_DIVIDE = 40;

    /**
     * The 2.2 cost table, without DIV: a model written against 2.2 describes an i486, so its DIV costs the
     * i486's {@link #I486_DIVIDE} (as {@link ProcessorModel}'s 1.1 capabilities default to the i486's).
     * A model of another core passes its own DIV to the canonical constructor.
     */
    public InstructionCosts(
            int movRegImm, int alu, int shift, int indexedAddressing, int load, int store, int cmpMem,
            int jccTaken, int jccNotTaken, int jmp, int call, int ret, int push, int pop,
            int intToInner, int intSameLevel, int iretToOuter, int iretSameLevel,
            int movCr3, int invlpg, int loadSegment, int readSegment,
            int repMovsStartup, int repMovsPerItem, int tlbMiss, int cacheFlush, int loadTableRegister) {
        this(movRegImm, alu, shift, indexedAddressing, load, store, cmpMem, jccTaken, jccNotTaken, jmp, call, ret, push, pop,
                intToInner, intSameLevel, iretToOuter, iretSameLevel, movCr3, invlpg, loadSegment, readSegment,
                repMovsStartup, repMovsPerItem, tlbMiss, cacheFlush, loadTableRegister, I486_DIVIDE);
    }

    /** Rejects negative costs, naming the field. */
    public InstructionCosts {
        int[] all = {movRegImm, alu, shift, indexedAddressing, load, store, cmpMem, jccTaken, jccNotTaken, jmp, call, ret, push, pop,
                intToInner, intSameLevel, iretToOuter, iretSameLevel, movCr3, invlpg, loadSegment, readSegment,
                repMovsStartup, repMovsPerItem, tlbMiss, cacheFlush, loadTableRegister, divide};
        String[] names = {"movRegImm", "alu", "shift", "indexedAddressing", "load", "store", "cmpMem", "jccTaken", "jccNotTaken", "jmp", "call",
                "ret", "push", "pop", "intToInner", "intSameLevel", "iretToOuter", "iretSameLevel", "movCr3",
                "invlpg", "loadSegment", "readSegment", "repMovsStartup", "repMovsPerItem", "tlbMiss",
                "cacheFlush", "loadTableRegister", "divide"};
        for (int i = 0; i < all.length; i++) {
            if (all[i] < 0) {
                throw new IllegalArgumentException("cost " + names[i] + " must not be negative, got " + all[i]);
            }
        }
    }
}

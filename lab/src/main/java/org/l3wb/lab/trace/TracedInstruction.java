package org.l3wb.lab.trace;

import java.util.List;

import org.l3wb.hw.api.Mnemonic;
import org.l3wb.hw.api.Mode;
import org.l3wb.hw.api.Reg;

/**
 * One retired instruction of a trace: the step of the kernel's path it belongs to (as the code marked
 * it), what it was, where, its register operands, what it cost and what its accesses touched.
 *
 * @param step the step's label ({@link #UNMARKED} when the code marked none yet)
 * @param source where the step comes from (a section of the paper, a source file; "" if nowhere)
 * @param op the instruction
 * @param address its address (EIP before it)
 * @param reg its register operand (destination, or source of a store); {@link Reg#NONE} if absent
 * @param base its memory operand's base (the source register of a register-only ALU instruction)
 * @param index its memory operand's index
 * @param start clock at the previous instruction's retirement, in cycles since the trace began
 * @param cycles clock at its retirement minus {@code start}: everything it cost, stalls included
 * @param tlbMisses TLB misses (its fetch's, its operands' and its walks')
 * @param cacheMisses on-chip cache misses
 * @param stallCycles write-buffer stall cycles
 * @param mode the privilege it retired in (kernel for an INT, user for an IRET to user)
 * @param thread whose it is: "A" or "B" (the ping-pong's client and server), or another name; in
 *               kernel mode the thread whose kernel stack is current (see {@link Pages#thread})
 * @param codePage the name of the page its address lies in
 * @param accesses its accesses in order
 */
public record TracedInstruction(String step, String source, Mnemonic op, int address, Reg reg, Reg base, Reg index,
                                long start, long cycles, int tlbMisses, int cacheMisses, int stallCycles, Mode mode,
                                String thread, String codePage, List<TracedAccess> accesses) {
    /** The step of instructions before the code marked any. */
    public static final String UNMARKED = "(no step marked)";

    public TracedInstruction {
        accesses = List.copyOf(accesses);
    }

    /** @return clock at its retirement, cycles since the trace began */
    public long end() {
        return start + cycles;
    }

    /**
     * @return cycles it spent executing: all its cycles less its TLB walks, line fills and write-buffer
     * stalls (the appendix's "execution" column, as {@code Statistics.executionCycles} counts it)
     */
    public long executionCycles() {
        long stalls = stallCycles;
        for (TracedAccess a : accesses) {
            stalls += a.walkCycles() + a.fillCycles();
        }
        return cycles - stalls;
    }

    /** @return its register operands as an assembler would show them: "EAX, [EBX+ESI]", "EDX, ECX", "" */
    public String operands() {
        return switch (op) {
            case LOAD, CMP_MEM -> join(name(reg), memory());
            case STORE -> join(memory(), name(reg));
            case ALU -> reg == Reg.NONE && base == Reg.NONE ? "" : join(name(reg), base == Reg.NONE ? "imm" : base.name());
            case REP_MOVSD, REP_MOVSB -> "[EDI], [ESI]";
            default -> name(reg);
        };
    }

    /** @return whether this and {@code o} are the same instruction kind with the same operands and step */
    boolean sameKind(TracedInstruction o) {
        return op == o.op && reg == o.reg && base == o.base && index == o.index && step.equals(o.step);
    }

    private String memory() {
        if (base == Reg.NONE && index == Reg.NONE) {
            return "[abs]";
        }
        if (index == Reg.NONE) {
            return "[" + base + "]";
        }
        return "[" + (base == Reg.NONE ? "" : base + "+") + index + "]";
    }

    private static String name(Reg r) {
        return r == Reg.NONE ? "" : r.name();
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + ", " + b;
    }
}

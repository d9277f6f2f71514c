package org.l3wb.kernel.sched;

import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;

/**
 * Conventions for writing the scheduler as an instruction stream on the simulated processor.
 *
 * <p>Java locals are the registers: values come from the loads issued on the processor, and the
 * register-only instructions that compute with them are issued as {@link Processor#alu()} (which
 * charges the instruction without touching the simulated register file: that belongs to the nucleus,
 * which may hold a thread's message registers while the scheduler runs).
 *
 * <p>Branch targets: a taken forward jump skips a short stretch of code ({@link #ahead}); rarely
 * executed work sits out of line behind the routine ({@link #outOfLine}) and jumps back; loops jump
 * back to the address their first instruction had. So the code a routine fetches stays within a few
 * hundred bytes of where the nucleus called it, as inlined kernel code would.
 */
final class Code {
    /** Bytes of a short conditional jump (Jcc rel8), to compute where the fall-through continues. */
    static final int JCC_BYTES = 2;
    private static final int SKIP = 16;
    private static final int OUT_OF_LINE = 96;

    private Code() {
    }

    /** @return the target of a jump over a few instructions */
    static int ahead(Processor cpu) {
        return cpu.eip() + JCC_BYTES + SKIP;
    }

    /** @return the target of a jump to an out-of-line path behind the routine */
    static int outOfLine(Processor cpu) {
        return cpu.eip() + JCC_BYTES + OUT_OF_LINE;
    }

    /** @return the address the code after a Jcc issued now continues at */
    static int fallThrough(Processor cpu) {
        return cpu.eip() + JCC_BYTES;
    }

    /**
     * SHR/SHL r32, imm8, charged without changing the nucleus's registers (the scheduler's own
     * values are Java locals).
     */
    static void shift(Processor cpu) {
        cpu.shift(Reg.ECX, cpu.reg(Reg.ECX));
    }
}

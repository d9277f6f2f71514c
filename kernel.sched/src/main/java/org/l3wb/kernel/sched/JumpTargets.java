package org.l3wb.kernel.sched;

import org.l3wb.hw.api.Processor;

/**
 * Where the scheduler's taken conditional jumps land, so that its code keeps the layout it has always
 * had: a jump over a few instructions lands {@link #FEW} bytes on; rarely executed work sits out of
 * line, {@link #OUT_OF_LINE} bytes behind the jump, and jumps back to the fall-through; loops jump
 * back to the address their first instruction had. So the code a routine fetches stays within a few
 * hundred bytes of where the nucleus called it, as inlined kernel code would (5.5.1).
 *
 * <p>Only the target is computed here; the instruction is the processor's own
 * {@code cpu.jcc(taken, target)}. The arithmetic is that of {@link Processor#jcc(boolean)} with
 * another distance: a stand-in until the processor offers a short jump over a given number of bytes.
 */
final class JumpTargets {
    /** Bytes of a short conditional jump (Jcc rel8): the fall-through follows them. */
    static final int JCC_BYTES = 2;
    /** A jump over a few instructions. */
    static final int FEW = 16;
    /** The distance to an out-of-line path behind the routine. */
    static final int OUT_OF_LINE = 96;

    private JumpTargets() {
    }

    /** @return the target of a Jcc issued now that skips {@code bytes} bytes */
    static int over(Processor cpu, int bytes) {
        return fallThrough(cpu) + bytes;
    }

    /** @return the target of a Jcc issued now over a few instructions */
    static int ahead(Processor cpu) {
        return over(cpu, FEW);
    }

    /** @return the address the code after a Jcc issued now continues at (where out-of-line code returns) */
    static int fallThrough(Processor cpu) {
        return cpu.eip() + JCC_BYTES;
    }
}

package org.l3wb.hw.api;

/**
 * How a processor enters and leaves the kernel: through the 386 segment system, or without one.
 *
 * <p>With {@link #PROTECTED_MODE} (the i486), INT reads the IDT gate, the handler's code-segment
 * descriptor from the GDT, ESP0/SS0 from the TSS and the stack-segment descriptor, and IRET reads the
 * descriptors of the selectors it pops; they cost the cost table's {@link InstructionCosts#intToInner()}
 * and {@link InstructionCosts#iretToOuter()} (71 and 36 cycles on the i486; paper 7.4: "the built-in
 * segment system ... automatically loads and checks segment descriptors").
 *
 * <p>With {@link #none(int, int)} (paper 7.4's "hypothetical 486-compatible processor without the
 * segment system"), INT and IRET read no descriptors: the processor finds the handler through the IDT's
 * vector (a processor must hold each vector's handler somewhere; the 68000 reads its exception vector
 * too) but reads no GDT descriptor and no TSS, taking the kernel stack pointer from an on-chip
 * supervisor stack pointer that every return to user mode leaves pointing at the kernel stack's top
 * (as the 68000's SSP). Entering the kernel costs {@code entryCycles}, leaving it {@code exitCycles},
 * whatever the privilege levels.
 *
 * @param protectedMode whether INT, IRET and segment loads read descriptors (the 386 segment system)
 * @param entryCycles   cycles of INT without segments; 0 in protected mode (the cost table decides)
 * @param exitCycles    cycles of IRET without segments; 0 in protected mode (the cost table decides)
 */
public record Segmentation(boolean protectedMode, int entryCycles, int exitCycles) {
    /** The 386/486 segment system; entry and exit cost what the cost table says. */
    public static final Segmentation PROTECTED_MODE = new Segmentation(true, 0, 0);

    /** Rejects negative cycles, and cycles on protected mode (where the cost table holds them). */
    public Segmentation {
        if (protectedMode && (entryCycles != 0 || exitCycles != 0)) {
            throw new IllegalArgumentException("segmentation: protected-mode entry and exit cost the cost table's "
                    + "intToInner and iretToOuter, so entryCycles and exitCycles must be 0, got "
                    + entryCycles + " and " + exitCycles);
        }
        if (entryCycles < 0) {
            throw new IllegalArgumentException("segmentation.entryCycles must not be negative, got " + entryCycles);
        }
        if (exitCycles < 0) {
            throw new IllegalArgumentException("segmentation.exitCycles must not be negative, got " + exitCycles);
        }
    }

    /** @return a processor without segments whose kernel entry and exit cost the given cycles */
    public static Segmentation none(int entryCycles, int exitCycles) {
        return new Segmentation(false, entryCycles, exitCycles);
    }
}

package org.l3wb.hw.api;

/**
 * The eight general registers of the 386/486 (paper, Table 6 gives their IPC roles), and {@link #NONE}
 * for an instruction's absent operand (an immediate, or a memory operand without base or index).
 */
public enum Reg {
    EAX, EBX, ECX, EDX, ESI, EDI, EBP, ESP,
    /**
     * No register: the operand is absent. {@link Processor#reg}/{@link Processor#setReg} on it read 0 and
     * store nowhere that matters. @since 2.0
     */
    NONE;

    /** The eight general registers, without {@link #NONE}. @since 2.0 */
    public static final java.util.List<Reg> GENERAL = java.util.List.of(EAX, EBX, ECX, EDX, ESI, EDI, EBP, ESP);
}

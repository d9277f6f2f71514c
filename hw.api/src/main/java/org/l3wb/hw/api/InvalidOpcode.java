package org.l3wb.hw.api;

/**
 * The processor's invalid-opcode exception (#UD): the instruction does not exist on this processor
 * (e.g. INVLPG on a 386). Not a {@link PageFault}: no kernel handles it; it reports a kernel that
 * issued an instruction its processor does not declare in {@link ProcessorModel#instructions()}.
 */
public class InvalidOpcode extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Instruction instruction;
    private final String processor;

    /**
     * @param instruction the instruction executed
     * @param processor   the name of the processor that lacks it
     */
    public InvalidOpcode(Instruction instruction, String processor) {
        super("invalid opcode: " + instruction + " does not exist on processor " + processor);
        this.instruction = instruction;
        this.processor = processor;
    }

    /** @return the instruction the processor lacks */
    public Instruction instruction() {
        return instruction;
    }

    /** @return the processor's name */
    public String processor() {
        return processor;
    }
}

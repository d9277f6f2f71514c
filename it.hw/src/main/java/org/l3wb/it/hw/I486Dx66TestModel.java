package org.l3wb.it.hw;

import org.l3wb.hw.api.CacheGeometry;
import org.l3wb.hw.api.InstructionCosts;
import org.l3wb.hw.api.MemoryTiming;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.TlbGeometry;
import org.osgi.service.component.annotations.Component;

/**
 * A made-up third-party processor: what a bundle adding a processor looks like. It needs nothing but
 * {@code org.l3wb.hw.api} (and the DS annotations). Its costs differ from the i486's on purpose, so a
 * test can tell that a machine really charges this model's table.
 */
@Component(service = ProcessorModel.class, property = ProcessorModel.NAME + "=" + I486Dx66TestModel.NAME)
public class I486Dx66TestModel implements ProcessorModel {
    static final String NAME = "i486dx66-test";

    static final InstructionCosts COSTS = new InstructionCosts(
            2, // MOV r32, imm32
            3, // ALU r, r
            4, // SHL/SHR
            2, // index register
            5, // MOV r32, m32
            6, // MOV m32, r32
            7, // CMP r32, m32
            8, // Jcc taken
            9, // Jcc not taken
            10, // JMP
            11, // CALL
            12, // RET
            13, // PUSH
            14, // POP
            80, 50, 40, 25, // INT inner / same, IRET outer / same
            6, 15, 10, 4, // MOV CR3, INVLPG, MOV Sreg, MOV r,Sreg
            14, 4, // REP MOVS start-up, per item
            11, 7, 12, // TLB miss, cache flush, LGDT/LIDT
            40); // DIV r32 (the i486's)

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "made-up clock-doubled 486 for the in-framework tests";
    }

    @Override
    public int clockMHz() {
        return 66;
    }

    @Override
    public InstructionCosts costs() {
        return COSTS;
    }

    @Override
    public TlbGeometry tlb() {
        return new TlbGeometry(32, 4);
    }

    @Override
    public CacheGeometry onChipCache() {
        return new CacheGeometry(8192, 4, 16);
    }

    @Override
    public MemoryTiming memoryTiming() {
        return new MemoryTiming(16 << 20, 256 << 10, 12, 26, 4, 5, 10);
    }

    @Override
    public boolean hasSegments() {
        return true;
    }

    @Override
    public boolean taggedTlb() {
        return false;
    }
}

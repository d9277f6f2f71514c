package com.example.cpu;

import org.l3wb.hw.api.CacheGeometry;
import org.l3wb.hw.api.InstructionCosts;
import org.l3wb.hw.api.MemoryTiming;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.TlbGeometry;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * An Intel 486 DX2-66 on the paper's kind of board: the i486 core (so the i486 manual's cycle
 * counts) at twice the bus clock. Its board timing in CORE cycles is therefore longer than the
 * DX-50's: 180 ns for an external-cache line fill is 12 cycles at 66 MHz, 400 ns from DRAM 27.
 * <p>
 * A third-party processor bundle needs nothing but {@code org.l3wb.hw.api} and the DS annotations.
 * Declarative Services registers it as a {@link ProcessorModel} service with {@code name=i486dx66};
 * {@code hw:processors} lists it and {@code hw:use i486dx66} selects it.
 * <p>
 * Configuration Admin PID {@value #PID} (e.g. a file {@code plugins/com.example.cpu.i486dx66.cfg}
 * holding {@code clockMHz=100}) changes the clock; DS re-creates the component with it.
 */
@Component(service = ProcessorModel.class, configurationPid = I486Dx66.PID,
        property = ProcessorModel.NAME + "=" + I486Dx66.NAME)
public class I486Dx66 implements ProcessorModel {
    static final String NAME = "i486dx66";
    static final String PID = "com.example.cpu.i486dx66";

    /** The configuration: DS maps the PID's property {@code clockMHz} onto this method. */
    public @interface Config {
        int clockMHz() default 66;
    }

    /** The i486 core's cycle counts for operands that hit cache and TLB (as in hw.cpu486). */
    static final InstructionCosts I486_CORE = new InstructionCosts(
            1, 1, 2, 1,          // MOV r,imm; ALU r,r; SHL/SHR; + index register
            1, 1, 2,             // MOV r,m; MOV m,r; CMP r,m
            3, 1, 3, 3, 5,       // Jcc taken / not taken; JMP; CALL; RET
            1, 1,                // PUSH; POP
            71, 44, 36, 20,      // INT to inner / same privilege; IRET to outer / same
            4, 12, 9, 3,         // MOV CR3; INVLPG; MOV Sreg,r/m; MOV r,Sreg
            12, 3,               // REP MOVS start-up, per item
            9, 5, 11,            // TLB miss (paper, Table 3); WBINVD; LGDT/LIDT
            40);                 // DIV r32 (i486 Programmer's Reference Manual)

    private final int clockMHz;

    @Activate
    public I486Dx66(Config config) {
        if (config.clockMHz() <= 0) {
            throw new IllegalArgumentException("clockMHz must be positive, got " + config.clockMHz());
        }
        this.clockMHz = config.clockMHz();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Intel 486 DX2-66 (example plugin): i486 core at twice the bus clock, 256 KB external cache";
    }

    @Override
    public int clockMHz() {
        return clockMHz;
    }

    @Override
    public InstructionCosts costs() {
        return I486_CORE;
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
        // 16 MB DRAM, 256 KB external cache, the i486's 4-entry write buffer; the board's times
        // (hw.cpu486's defaults: line fill 180 ns from the external cache, 400 ns from DRAM, a
        // buffered write 80 ns on the bus) in whole core cycles at this clock
        return new MemoryTiming(16 << 20, 256 << 10, cycles(180), cycles(400), 4, cycles(80), cycles(80));
    }

    /** @return whole core cycles covering {@code ns} (a bus transfer ends on a clock edge) */
    private int cycles(int ns) {
        return (int) ((ns * (long) clockMHz + 999) / 1000);
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

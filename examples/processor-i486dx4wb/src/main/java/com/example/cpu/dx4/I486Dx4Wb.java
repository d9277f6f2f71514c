package com.example.cpu.dx4;

import org.l3wb.hw.api.CacheGeometry;
import org.l3wb.hw.api.InstructionCosts;
import org.l3wb.hw.api.MemoryTiming;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.TlbGeometry;
import org.l3wb.hw.api.WritePolicy;
import org.osgi.service.component.annotations.Component;

/**
 * The Write-Back Enhanced IntelDX4-100 (Intel, 1994): the i486 core (the i486 manual's cycle counts)
 * at three times a 33 MHz bus, with a 16 KB 4-way on-chip cache of 16-byte lines run write-back.
 * <p>
 * Written from {@code hw.api/readme.md} alone, as a third party would: the nine methods of
 * {@link ProcessorModel}, plus one capability of hw.api 1.1 that differs from the i486's default,
 * {@link #writePolicy()}. It needs nothing but {@code org.l3wb.hw.api} and the DS annotations. The
 * capabilities it leaves alone keep the i486's behaviour: segments, an untagged TLB without global
 * pages, INVLPG and WBINVD (which a write-back cache needs: the only way to write dirty lines back),
 * pseudo-LRU replacement, write protection.
 */
@Component(service = ProcessorModel.class, property = ProcessorModel.NAME + "=" + I486Dx4Wb.NAME)
public class I486Dx4Wb implements ProcessorModel {
    static final String NAME = "i486dx4wb";
    static final int CLOCK_MHZ = 100;

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

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Write-Back Enhanced IntelDX4-100 (example plugin): i486 core at 3x33 MHz, 16 KB write-back cache";
    }

    @Override
    public int clockMHz() {
        return CLOCK_MHZ;
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
        return new CacheGeometry(16384, 4, 16); // twice the i486's 8 KB
    }

    @Override
    public MemoryTiming memoryTiming() {
        // 16 MB DRAM, 256 KB external cache, a 4-entry write buffer; the board's times (hw.cpu486's:
        // a line fill 180 ns from the external cache, 400 ns from DRAM, a buffered write 80 ns on the
        // bus) in whole core cycles at 100 MHz: 18, 40 and 8
        return new MemoryTiming(16 << 20, 256 << 10, cycles(180), cycles(400), 4, cycles(80), cycles(80));
    }

    /** @return whole core cycles covering {@code ns} (a bus transfer ends on a clock edge) */
    private static int cycles(int ns) {
        return (ns * CLOCK_MHZ + 999) / 1000;
    }

    @Override
    public boolean hasSegments() {
        return true;
    }

    @Override
    public boolean taggedTlb() {
        return false;
    }

    /**
     * The capability that differs from the i486 (hw.api 1.1): writes stop in the on-chip cache and
     * mark the line dirty; a dirty line goes to the bus only when it is replaced or by WBINVD. (The
     * workbench's write-back policy also fills a line on a write miss.)
     */
    @Override
    public WritePolicy writePolicy() {
        return WritePolicy.WRITE_BACK_ALLOCATE;
    }
}

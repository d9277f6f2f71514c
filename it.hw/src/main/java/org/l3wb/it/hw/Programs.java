package org.l3wb.it.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.l3wb.hw.api.InstructionCosts;
import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.Mmu;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.PhysicalMemory;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.api.Statistics;
import org.l3wb.hw.api.Mode;

/** A tiny kernel-mode program run on a machine through hw.api only. */
final class Programs {
    static final int CODE = 0x0040_0000;
    static final int DATA = 0x0080_0000;

    private Programs() {
    }

    /** Maps one code page and one data page and loads CR3 (free set-up, no instructions). */
    static void mapCodeAndData(Machine m) {
        PhysicalMemory mem = m.memory();
        Mmu mmu = m.mmu();
        int pd = mem.allocateFrame();
        mmu.map(pd, CODE, mem.allocateFrame(), 0);
        int dataFrame = mem.allocateFrame();
        mmu.map(pd, DATA, dataFrame, PageFlags.WRITABLE);
        mem.writeWord(dataFrame, 0x1234_5678);
        mem.writeWord(dataFrame + 4, 42);
        mmu.loadCr3(pd);
    }

    /** Runs the program once from {@link #CODE}: six register and memory-read instructions. */
    static void run(Processor cpu) {
        cpu.jumpTo(CODE);
        cpu.movImm(Reg.EAX, 7); // MOV EAX, 7
        cpu.alu(Reg.EBX, Reg.EAX, 7); // MOV EBX, EAX
        cpu.shift(Reg.EAX, 28); // SHL EAX, 2
        assertEquals(0x1234_5678, cpu.loadRegister(Reg.ECX, Reg.NONE, DATA)); // MOV ECX, [DATA]
        assertEquals(42, cpu.compare(Reg.EAX, Reg.NONE, DATA + 4)); // CMP EAX, [DATA+4]
        cpu.jcc(false, CODE); // JE back: not taken
    }

    /** The cost-table sum of {@link #run}. */
    static long cost(InstructionCosts c) {
        return c.movRegImm() + c.alu() + c.shift() + c.load() + c.cmpMem() + c.jccNotTaken();
    }

    /**
     * Runs the program twice and checks the second, warm run (code, data and page-table entries in
     * cache and TLB) advanced the cycle counter by exactly the cost-table sum of its instructions.
     */
    static void assertWarmRunCostsTable(Machine m) {
        mapCodeAndData(m);
        Processor cpu = m.cpu();
        Statistics s = m.statistics();
        assertEquals(Mode.KERNEL, cpu.mode());
        run(cpu); // cold: TLB misses and line fills
        long before = s.now();
        long tlbMissesBefore = s.tlbMisses(Mode.KERNEL);
        long cacheMissesBefore = s.cacheMisses(Mode.KERNEL);
        long instructionsBefore = s.instructions(Mode.KERNEL);
        run(cpu);
        assertEquals(6, s.instructions(Mode.KERNEL) - instructionsBefore, "instructions retired");
        assertEquals(0, s.tlbMisses(Mode.KERNEL) - tlbMissesBefore, "TLB misses in the warm run");
        assertEquals(0, s.cacheMisses(Mode.KERNEL) - cacheMissesBefore, "cache misses in the warm run");
        assertEquals(cost(m.model().costs()), s.now() - before, "cycles of the warm run = cost-table sum");
        assertEquals(s.now(), cpu.cycles(), "cpu.cycles() is the statistics clock");
    }
}

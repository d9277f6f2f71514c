package org.l3wb.hw.cpu486;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.InstructionCosts;
import org.l3wb.hw.api.Mnemonic;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.api.TraceListener;
import org.l3wb.hw.cpu386.I386Dx20;

/**
 * DIV r32 costs each processor's documented clocks (i486 Programmer's Reference Manual: 40; 80386
 * Programmer's Reference Manual: 38), not an ALU instruction's one: a hash modulo a table size pays them.
 */
class DivideTest {
    /** @return the cycles of one warm 2-byte instruction at the top of the kernel code page */
    private static long cyclesOf(FlatSystem sys, Runnable instruction) {
        long cycles = 0;
        for (int warm = 0; warm < 2; warm++) {
            sys.cpu.jumpTo(FlatSystem.KERNEL_CODE + 0x100);
            long before = sys.cycles();
            instruction.run();
            cycles = sys.cycles() - before;
        }
        return cycles;
    }

    /** DIV against MOV r,r at the same address (both 2 bytes, the same fetches): the table's difference. */
    private static void divCostsTheTablesDivide(ProcessorModel model, int documented) {
        FlatSystem sys = new FlatSystem(model);
        InstructionCosts k = model.costs();
        assertEquals(documented, k.divide(), model.name() + "'s DIV r32");
        long alu = cyclesOf(sys, () -> sys.cpu.alu(Reg.EDX, Reg.ECX, 3));
        long div = cyclesOf(sys, () -> sys.cpu.div(Reg.ECX, 11, 3));
        assertEquals(k.divide() - k.alu(), div - alu, model.name() + ": DIV minus MOV r,r");
    }

    @Test
    void onTheI486ADivCostsFortyClocks() {
        divCostsTheTablesDivide(StandardModels.i486dx50(), 40);
        FlatSystem sys = new FlatSystem(StandardModels.i486dx50());
        assertEquals(40, cyclesOf(sys, () -> sys.cpu.div(Reg.ECX, 11, 3)), "warm: the table's cycles, nothing else");
    }

    @Test
    void onTheI386ADivCostsThirtyEightClocks() {
        divCostsTheTablesDivide(new I386Dx20(), 38);
    }

    @Test
    void aModelWrittenAgainstTwoTwoDividesLikeAnI486() {
        InstructionCosts c = I486Model.I486_COSTS;
        InstructionCosts old = new InstructionCosts(c.movRegImm(), c.alu(), c.shift(), c.indexedAddressing(), c.load(),
                c.store(), c.cmpMem(), c.jccTaken(), c.jccNotTaken(), c.jmp(), c.call(), c.ret(), c.push(), c.pop(),
                c.intToInner(), c.intSameLevel(), c.iretToOuter(), c.iretSameLevel(), c.movCr3(), c.invlpg(),
                c.loadSegment(), c.readSegment(), c.repMovsStartup(), c.repMovsPerItem(), c.tlbMiss(), c.cacheFlush(),
                c.loadTableRegister());
        assertEquals(c, old);
    }

    @Test
    void divLeavesQuotientAndRemainderAndTheTraceShowsIt() {
        FlatSystem sys = new FlatSystem();
        List<String> retired = new ArrayList<>();
        sys.cpu.trace(new TraceListener() {
            @Override
            public void retired(Mnemonic op, int at, Reg reg, Reg base, Reg index) {
                retired.add(op.text() + " " + reg);
            }
        });
        sys.cpu.div(Reg.ECX, 100 / 7, 100 % 7);
        assertEquals(List.of("div r ECX"), retired);
        assertEquals(14, sys.cpu.reg(Reg.EAX));
        assertEquals(2, sys.cpu.reg(Reg.EDX));
    }
}

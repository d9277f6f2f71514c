package org.l3wb.hw.cpu486;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.InstructionCosts;
import org.l3wb.hw.api.Mode;
import org.l3wb.hw.api.PageFault;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.api.Sreg;
import org.l3wb.hw.api.Statistics;

class X86ProcessorTest {
    final FlatSystem sys = new FlatSystem();
    final Processor cpu = sys.cpu;
    final InstructionCosts k = cpu.model().costs();

    /** A little of everything, starting at the top of the kernel code page; returns where it ends. */
    private void mixedSequence() {
        cpu.jumpTo(FlatSystem.KERNEL_CODE);
        cpu.setReg(Reg.ESP, FlatSystem.KERNEL_STACK_TOP);
        int d = FlatSystem.KERNEL_DATA;
        cpu.movImm(Reg.EAX, 7);
        cpu.alu(Reg.EBX, Reg.NONE, 8);
        cpu.shift(Reg.EBX, 1);
        cpu.store(Reg.NONE, d, Reg.NONE, 5);
        cpu.loadRegister(Reg.ECX, Reg.NONE, d);
        cpu.store(Reg.NONE, Reg.NONE, d + 0x40, Reg.NONE, 6);
        cpu.load(Reg.NONE, Reg.NONE, Reg.NONE, d + 0x40);
        cpu.compare(Reg.NONE, Reg.NONE, d);
        cpu.jcc(false);
        cpu.jcc(true, cpu.eip() + 2 + 8);
        cpu.push(Reg.NONE, 1);
        cpu.pop(Reg.NONE);
        cpu.call(FlatSystem.KERNEL_CODE + 0x200);
        cpu.ret();
    }

    @Test
    void warmInstructionsCostExactlyTheirTableCycles() {
        mixedSequence(); // warms TLB and caches
        long before = sys.cycles();
        long instructionsBefore = sys.machine.statistics().instructions();
        mixedSequence();
        int expected = k.movRegImm() + k.alu() + k.shift() + k.store() + k.load() + (k.store() + k.indexedAddressing())
                + (k.load() + k.indexedAddressing()) + k.cmpMem() + k.jccNotTaken() + k.jccTaken() + k.push() + k.pop()
                + k.call() + k.ret();
        assertEquals(expected, sys.cycles() - before);
        assertEquals(26, expected, "i486 table: 1+1+2+1+1+2+2+2+1+3+1+1+3+5");
        assertEquals(14, sys.machine.statistics().instructions() - instructionsBefore);
    }

    @Test
    void loadsAndStoresReallyMoveValuesThroughThePageTables() {
        cpu.store(Reg.NONE, FlatSystem.KERNEL_DATA + 0x10, Reg.NONE, 0xCAFE);
        assertEquals(0xCAFE, sys.machine.memory().readWord(sys.phys(FlatSystem.KERNEL_DATA + 0x10)));
        assertEquals(0xCAFE, cpu.loadRegister(Reg.EDX, Reg.NONE, FlatSystem.KERNEL_DATA + 0x10));
        assertEquals(0xCAFE, cpu.reg(Reg.EDX));
    }

    /**
     * The copy routine: length into ECX, bytes to dwords, source and destination, REP MOVSD.
     *
     * @return {execution cycles, all cycles}: what the instructions cost, and that plus the stalls
     * of the write buffer, which the bus drains at one write per 4 cycles while REP MOVSD issues one
     * per 3
     */
    private long[] copy(int src, int dst, int bytes) {
        var before = sys.machine.statistics().copy();
        cpu.movImm(Reg.ECX, bytes);
        cpu.shift(Reg.ECX, bytes >>> 2);
        cpu.alu(Reg.ESI, Reg.NONE, src);
        cpu.alu(Reg.EDI, Reg.NONE, dst);
        cpu.repMovsd(src, dst, bytes >>> 2);
        var d = sys.machine.statistics().since(before);
        return new long[] {d.executionCycles(), d.now()};
    }

    @Test
    void copyingNBytesInCacheCostsAboutTwentyPlusThreeQuartersN() {
        int src = FlatSystem.KERNEL_DATA;
        int dst = FlatSystem.KERNEL_DATA + 0x2000;
        long[][] cost = new long[3][];
        int[] sizes = {64, 256, 1024};
        for (int i = 0; i < sizes.length; i++) {
            copy(src, dst, sizes[i]); // first touch: lines come from DRAM
            copy(dst, src, sizes[i]); // the destination is read once, so the external cache holds it
            copy(src, dst, sizes[i]);
            cpu.jumpTo(FlatSystem.KERNEL_CODE);
            cost[i] = copy(src, dst, sizes[i]);
            cpu.jumpTo(FlatSystem.KERNEL_CODE);
        }
        double slope = (cost[2][0] - cost[0][0]) / (double) (sizes[2] - sizes[0]);
        assertEquals(0.75, slope, 1e-9, "3 cycles per dword (5.2.3: 20 + 0.75 n)");
        double startup = cost[0][0] - 0.75 * sizes[0];
        assertTrue(startup >= 15 && startup <= 25, "start-up about 20 cycles, was " + startup);
        assertEquals(cost[1][0], Math.round(startup + 0.75 * sizes[1]));
        double withStalls = (cost[2][1] - cost[0][1]) / (double) (sizes[2] - sizes[0]);
        assertEquals(1.0, withStalls, 0.01, "the bus's 4-cycle writes pace the copy at 1 cycle per byte");
        for (int i = 0; i < 1024; i += 4) {
            assertEquals(sys.machine.memory().readWord(sys.phys(src + i)),
                    sys.machine.memory().readWord(sys.phys(dst + i)));
        }
    }

    @Test
    void interruptEntryReadsTheTablesSwitchesStacksAndIretReturns() {
        // drop to user mode through IRET from a hand-built frame
        cpu.setReg(Reg.ESP, FlatSystem.KERNEL_STACK_TOP - 20);
        int frame = FlatSystem.KERNEL_STACK_TOP - 20;
        var mem = sys.machine.memory();
        mem.writeWord(sys.phys(frame), FlatSystem.USER_CODE);
        mem.writeWord(sys.phys(frame + 4), FlatSystem.USER_CS);
        mem.writeWord(sys.phys(frame + 8), 0x202);
        mem.writeWord(sys.phys(frame + 12), FlatSystem.USER_DATA + 0x3000);
        mem.writeWord(sys.phys(frame + 16), FlatSystem.USER_DS);
        cpu.iret();
        assertEquals(Mode.USER, cpu.mode());
        assertEquals(FlatSystem.USER_CODE, cpu.eip());
        assertEquals(FlatSystem.USER_DATA + 0x3000, cpu.reg(Reg.ESP));

        for (int round = 0; round < 2; round++) {
            cpu.jumpTo(FlatSystem.USER_CODE);
            long before = sys.cycles();
            cpu.softwareInterrupt(FlatSystem.VECTOR);
            long intCycles = sys.cycles() - before;
            assertEquals(Mode.KERNEL, cpu.mode());
            assertEquals(FlatSystem.HANDLER, cpu.eip());
            assertEquals(FlatSystem.KERNEL_STACK_TOP - 20, cpu.reg(Reg.ESP));
            assertEquals(FlatSystem.USER_CODE + 2, mem.readWord(sys.phys(FlatSystem.KERNEL_STACK_TOP - 20)),
                    "return address after the 2-byte INT");
            assertEquals(FlatSystem.USER_DS, mem.readWord(sys.phys(FlatSystem.KERNEL_STACK_TOP - 4)));
            before = sys.cycles();
            cpu.iret();
            long iretCycles = sys.cycles() - before;
            assertEquals(Mode.USER, cpu.mode());
            assertEquals(FlatSystem.USER_CODE + 2, cpu.eip());
            if (round == 1) {
                assertEquals(k.intToInner(), intCycles, "warm INT costs its table cycles");
                assertEquals(k.iretToOuter(), iretCycles, "warm IRET costs its table cycles");
            }
        }
        assertThrows(PageFault.class, () -> cpu.load(Reg.NONE, Reg.NONE, FlatSystem.KERNEL_DATA),
                "user mode cannot read kernel data");
    }

    @Test
    void intFromUserModeToAKernelOnlyGateIsAProtectionError() {
        var mem = sys.machine.memory();
        int gateHigh = sys.phys(FlatSystem.IDT + 0x31 * 8 + 4);
        mem.writeWord(gateHigh - 4, org.l3wb.hw.api.Descriptors.gateLow(FlatSystem.KERNEL_CS, FlatSystem.HANDLER));
        mem.writeWord(gateHigh, org.l3wb.hw.api.Descriptors.gateHigh(FlatSystem.HANDLER, 0));
        cpu.setMode(Mode.USER);
        cpu.jumpTo(FlatSystem.USER_CODE);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cpu.softwareInterrupt(0x31));
        assertTrue(e.getMessage().contains("general protection"), e.getMessage());
    }

    @Test
    void segmentLoadsReadTheirDescriptorFromTheGdt() {
        cpu.loadSegment(Sreg.DS, FlatSystem.USER_DS); // warms the descriptor's cache line
        List<Integer> misses = new ArrayList<>();
        sys.machine.mmu().flushTlb();
        cpu.jumpTo(FlatSystem.KERNEL_CODE);
        cpu.alu(Reg.NONE, Reg.NONE); // code page back in the TLB
        sys.machine.mmu().onTlbMiss(misses::add);
        long before = sys.cycles();
        cpu.loadSegment(Sreg.ES, FlatSystem.USER_DS);
        assertEquals(List.of(FlatSystem.TABLES), misses, "the descriptor read misses on the GDT page");
        assertEquals(k.loadSegment() + k.tlbMiss(), sys.cycles() - before);
        assertEquals(FlatSystem.USER_DS, cpu.readSegment(Sreg.ES));
    }

    @Test
    void cr3LoadFlushesTheTlbAndTheNextFetchMissesOnTheCodePage() {
        cpu.alu(Reg.NONE, Reg.NONE);
        cpu.load(Reg.NONE, Reg.NONE, FlatSystem.KERNEL_DATA);
        assertTrue(sys.machine.mmu().tlbHolds(FlatSystem.KERNEL_DATA));
        List<Integer> misses = new ArrayList<>();
        sys.machine.mmu().onTlbMiss(misses::add);
        cpu.movCr3(sys.pdir);
        assertFalse(sys.machine.mmu().tlbHolds(FlatSystem.KERNEL_DATA));
        cpu.alu(Reg.NONE, Reg.NONE);
        assertEquals(List.of(FlatSystem.KERNEL_CODE), misses);
        cpu.invlpg(FlatSystem.KERNEL_CODE);
        assertFalse(sys.machine.mmu().tlbHolds(FlatSystem.KERNEL_CODE));
    }

    @Test
    void repMovsFaultsPartwayWithRegistersSayingHowFarItGot() {
        int src = FlatSystem.USER_DATA;
        int unmapped = FlatSystem.USER_DATA + 0x4000 - 8; // two dwords before the end of the mapped pages
        PageFault f = assertThrows(PageFault.class, () -> cpu.repMovsd(src, unmapped, 4));
        assertEquals(FlatSystem.USER_DATA + 0x4000, f.linear());
        assertEquals(2, cpu.reg(Reg.ECX), "two dwords left");
        assertEquals(FlatSystem.USER_DATA + 0x4000, cpu.reg(Reg.EDI));
    }

    @Test
    void theTimerRaisesItsInterruptEveryPeriod() {
        long start = sys.cycles();
        cpu.programTimer(100);
        assertFalse(cpu.timerDue());
        int ticks = 0;
        while (sys.cycles() < start + 1000) {
            cpu.alu(Reg.NONE, Reg.NONE);
            if (cpu.timerDue()) {
                ticks++;
                cpu.acknowledgeTimer();
            }
        }
        assertEquals(10, ticks);
        cpu.programTimer(0);
        assertFalse(cpu.timerDue());
    }

    @Test
    void statisticsSplitUserAndKernel() {
        cpu.alu(Reg.NONE, Reg.NONE);
        cpu.setMode(Mode.USER);
        cpu.jumpTo(FlatSystem.USER_CODE);
        cpu.alu(Reg.NONE, Reg.NONE);
        cpu.alu(Reg.NONE, Reg.NONE);
        Statistics s = sys.machine.statistics();
        assertEquals(2, s.instructions(Mode.USER));
        assertTrue(s.instructions(Mode.KERNEL) >= 1);
        assertEquals(s.now(), s.cycles(Mode.USER) + s.cycles(Mode.KERNEL));
        assertTrue(s.tlbMisses(Mode.USER) >= 1, "the user code page missed in user mode");
    }

    /** A deterministic pseudo-random program over code and data. */
    private static Statistics program(FlatSystem s) {
        Processor c = s.cpu;
        long seed = 42;
        for (int i = 0; i < 20_000; i++) {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            int r = (int) (seed >>> 33);
            int addr = FlatSystem.KERNEL_DATA + ((r & 0x3FFC) & ~3);
            switch (r >>> 28 & 7) {
                case 0 -> c.load(Reg.NONE, Reg.NONE, addr);
                case 1 -> c.store(Reg.NONE, addr, Reg.NONE, r);
                case 2 -> c.jmp(FlatSystem.KERNEL_CODE + (r & 0x3FF0));
                case 3 -> c.repMovsd(addr & ~0xFFF, FlatSystem.KERNEL_DATA + 0x3000, 16);
                case 4 -> c.flushCache();
                case 5 -> c.movCr3(s.pdir);
                default -> c.alu(Reg.NONE, Reg.NONE);
            }
        }
        return s.machine.statistics();
    }

    @Test
    void theSameProgramOnTheSameModelGivesTheSameCyclesBitForBit() {
        Statistics a = program(new FlatSystem());
        Statistics b = program(new FlatSystem());
        assertEquals(a.now(), b.now());
        assertEquals(a.tlbMisses(), b.tlbMisses());
        assertEquals(a.cacheMisses(), b.cacheMisses());
        assertEquals(a.writeStallCycles(Mode.KERNEL), b.writeStallCycles(Mode.KERNEL));
        assertTrue(a.cacheMisses() > 0 && a.tlbMisses() > 0, "the program exercises both");
    }

    @Test
    void theDx33IsTheSameCoreWithFewerCyclesPerMemoryTransfer() {
        var dx33 = StandardModels.i486dx33();
        var dx50 = StandardModels.i486dx50();
        assertEquals(33, dx33.clockMHz());
        assertEquals(dx50.costs(), dx33.costs());
        assertTrue(dx33.memoryTiming().dramFillCycles() < dx50.memoryTiming().dramFillCycles());
        assertEquals(9, dx50.memoryTiming().externalFillCycles(), "3-2-2-2 burst at 50 MHz");
    }

    @Test
    void invalidModelsAreRejectedNamingTheSetting() {
        var zeroClock = new I486Dx50();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> zeroClock.configure(StandardModels.defaults(0)));
        assertEquals("i486dx50: clockMHz must be positive, got 0", e.getMessage());

        var badCache = StandardModels.defaults(50);
        var proxy = (I486Config) java.lang.reflect.Proxy.newProxyInstance(I486Config.class.getClassLoader(),
                new Class<?>[] {I486Config.class},
                (p, m, a) -> m.getName().equals("cacheWays") ? 3 : m.invoke(badCache, a));
        e = assertThrows(IllegalArgumentException.class, () -> new I486Dx50().configure(proxy));
        assertEquals("i486dx50: cache.ways must be a positive power of two, got 3", e.getMessage());

        var thirdParty = new I486Model("x486", "made up") {
        };
        e = assertThrows(IllegalArgumentException.class,
                () -> new MachineFactoryComponent(new org.l3wb.hw.mmu.MmuFactoryComponent(),
                        new org.l3wb.hw.cache.CacheFactoryComponent()).create(thirdParty));
        assertEquals("processor x486: clockMHz must be positive, got 0", e.getMessage());
    }
}

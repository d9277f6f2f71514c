package org.l3wb.hw.cpu486;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.Cache;
import org.l3wb.hw.api.CacheFactory;
import org.l3wb.hw.api.CacheGeometry;
import org.l3wb.hw.api.InstructionCosts;
import org.l3wb.hw.api.Instruction;
import org.l3wb.hw.api.InvalidOpcode;
import org.l3wb.hw.api.MemoryTiming;
import org.l3wb.hw.api.Mode;
import org.l3wb.hw.api.PhysicalMemory;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.api.Segmentation;
import org.l3wb.hw.api.Statistics;
import org.l3wb.hw.api.TlbGeometry;
import org.l3wb.hw.api.WritePolicy;
import org.l3wb.hw.cache.CacheFactoryComponent;
import org.l3wb.hw.mmu.MmuFactoryComponent;

/** The core honours what a model declares: missing instructions, segments, and impossible combinations. */
class ProcessorCapabilitiesTest {
    /** The i486 DX-50 with capabilities changed field by field. */
    static class Variant implements ProcessorModel {
        final ProcessorModel base = StandardModels.i486dx50();
        String name = "variant";
        boolean segments = true;
        Segmentation segmentation = Segmentation.PROTECTED_MODE;
        boolean tagged;
        Set<Instruction> instructions = EnumSet.of(Instruction.INVLPG, Instruction.WBINVD);
        WritePolicy policy = WritePolicy.WRITE_THROUGH_NO_ALLOCATE;
        CacheGeometry cache = base.onChipCache();

        public String name() { return name; }
        public String description() { return "test variant of the i486 DX-50"; }
        public int clockMHz() { return base.clockMHz(); }
        public InstructionCosts costs() { return base.costs(); }
        public TlbGeometry tlb() { return base.tlb(); }
        public CacheGeometry onChipCache() { return cache; }
        public MemoryTiming memoryTiming() { return base.memoryTiming(); }
        public boolean hasSegments() { return segments; }
        public boolean taggedTlb() { return tagged; }
        @Override public Segmentation segmentation() { return segmentation; }
        @Override public Set<Instruction> instructions() { return instructions; }
        @Override public WritePolicy writePolicy() { return policy; }
    }

    @Test
    void invlpgAndWbinvdOnAProcessorWithoutThemAreInvalidOpcodes() {
        Variant i386 = new Variant();
        i386.name = "i386";
        i386.instructions = EnumSet.noneOf(Instruction.class);
        FlatSystem sys = new FlatSystem(i386);
        InvalidOpcode e = assertThrows(InvalidOpcode.class, () -> sys.cpu.invlpg(FlatSystem.KERNEL_DATA));
        assertEquals(Instruction.INVLPG, e.instruction());
        assertEquals("invalid opcode: INVLPG does not exist on processor i386", e.getMessage());
        e = assertThrows(InvalidOpcode.class, sys.cpu::flushCache);
        assertEquals(Instruction.WBINVD, e.instruction());
        assertEquals("i386", e.processor());

        FlatSystem i486 = new FlatSystem();
        i486.cpu.invlpg(FlatSystem.KERNEL_DATA);
        i486.cpu.flushCache();
        assertThrows(InvalidOpcode.class, () -> i486.cpu.flushTlbTag(i486.pdir), "the i486 TLB has no tags");
    }

    @Test
    void flushByTagOnATaggedTlbDropsTheSpacesEntriesAtInvlpgCost() {
        Variant tagged = new Variant();
        tagged.tagged = true;
        tagged.instructions = EnumSet.allOf(Instruction.class);
        FlatSystem sys = new FlatSystem(tagged);
        sys.cpu.load(Reg.NONE, Reg.NONE, FlatSystem.KERNEL_DATA);
        assertTrue(sys.machine.mmu().tlbHolds(FlatSystem.KERNEL_DATA));
        sys.cpu.alu(Reg.NONE, Reg.NONE); // the code line is fetched: the next instruction costs its table cycles only
        long before = sys.cycles();
        sys.cpu.flushTlbTag(sys.pdir);
        assertEquals(tagged.costs().invlpg(), sys.cycles() - before);
        assertFalse(sys.machine.mmu().tlbHolds(FlatSystem.KERNEL_DATA));
    }

    /** Drops to user mode through IRET from a frame at the top of the kernel stack. */
    private static void iretToUser(FlatSystem sys) {
        int frame = FlatSystem.KERNEL_STACK_TOP - 20;
        var mem = sys.machine.memory();
        sys.cpu.setReg(Reg.ESP, frame);
        mem.writeWord(sys.phys(frame), FlatSystem.USER_CODE);
        mem.writeWord(sys.phys(frame + 4), FlatSystem.USER_CS);
        mem.writeWord(sys.phys(frame + 8), 0x202);
        mem.writeWord(sys.phys(frame + 12), FlatSystem.USER_DATA + 0x3000);
        mem.writeWord(sys.phys(frame + 16), FlatSystem.USER_DS);
        sys.cpu.iret();
    }

    @Test
    void withoutSegmentsIntAndIretReadNoGdtAndNoTssAndCostWhatTheModelDeclares() {
        Variant flat = new Variant();
        flat.segments = false;
        flat.segmentation = Segmentation.none(20, 10);
        FlatSystem sys = new FlatSystem(flat);
        iretToUser(sys);
        assertEquals(Mode.USER, sys.cpu.mode());
        // a wrong ESP0 in the TSS: a processor that read it would switch to it
        sys.machine.memory().writeWord(sys.phys(FlatSystem.TSS + 4), 0xDEAD_0000);
        Cache cache = sys.machine.cache();
        for (int round = 0; round < 2; round++) {
            cache.flush();
            sys.cpu.jumpTo(FlatSystem.USER_CODE);
            long before = sys.cycles();
            sys.cpu.softwareInterrupt(FlatSystem.VECTOR);
            long intCycles = sys.cycles() - before;
            assertEquals(FlatSystem.KERNEL_STACK_TOP - 20, sys.cpu.reg(Reg.ESP),
                    "the kernel stack from the supervisor stack pointer the last IRET left");
            assertTrue(cache.holds(sys.phys(FlatSystem.IDT + FlatSystem.VECTOR * 8)), "the vector is read");
            assertFalse(cache.holds(sys.phys(FlatSystem.GDT + 8)), "no code-segment descriptor read");
            assertFalse(cache.holds(sys.phys(FlatSystem.TSS + 4)), "no TSS read");
            before = sys.cycles();
            sys.cpu.iret();
            long iretCycles = sys.cycles() - before;
            assertFalse(cache.holds(sys.phys(FlatSystem.GDT + 24)), "IRET reads no user descriptor");
            if (round == 1) {
                sys.cpu.jumpTo(FlatSystem.USER_CODE);
                before = sys.cycles();
                sys.cpu.softwareInterrupt(FlatSystem.VECTOR); // warm: everything hits
                assertEquals(20, sys.cycles() - before, "INT costs the declared entry cycles");
                before = sys.cycles();
                sys.cpu.iret();
                assertEquals(10, sys.cycles() - before, "IRET costs the declared exit cycles");
                assertTrue(intCycles > 20 && iretCycles >= 10, "cold, line fills came on top");
            }
        }

        FlatSystem i486 = new FlatSystem();
        iretToUser(i486);
        i486.machine.cache().flush();
        i486.cpu.jumpTo(FlatSystem.USER_CODE);
        i486.cpu.softwareInterrupt(FlatSystem.VECTOR);
        assertTrue(i486.machine.cache().holds(i486.phys(FlatSystem.GDT + 8)), "protected mode reads the GDT");
        assertTrue(i486.machine.cache().holds(i486.phys(FlatSystem.TSS + 4)), "and the TSS");
    }

    /** A cache factory that fails the test if a machine is half built. */
    static final CacheFactory UNTOUCHED = new CacheFactory() {
        public PhysicalMemory createMemory(MemoryTiming timing) {
            return fail("memory allocated for an invalid model");
        }

        public Cache createCache(CacheGeometry onChip, MemoryTiming timing, Statistics statistics) {
            return fail("cache built for an invalid model");
        }

        public Cache createCache(ProcessorModel model, Statistics statistics) {
            return fail("cache built for an invalid model");
        }
    };

    private static String rejection(Variant v) {
        var factory = new MachineFactoryComponent(new MmuFactoryComponent(), UNTOUCHED);
        return assertThrows(IllegalArgumentException.class, () -> factory.create(v)).getMessage();
    }

    @Test
    void impossibleCombinationsAreRejectedWithOneMessageNamingTheSettingBeforeAnythingIsBuilt() {
        Variant bigLines = new Variant();
        bigLines.cache = new CacheGeometry(65536, 2, 8192);
        assertEquals("processor variant: onChipCache.lineBytes must not exceed the 4096-byte page, got 8192",
                rejection(bigLines));

        Variant untaggable = new Variant();
        untaggable.tagged = true;
        assertEquals("processor variant: instructions: a tagged TLB needs FLUSH_TLB_TAG, since loading CR3 does "
                + "not flush it", rejection(untaggable));

        Variant writeBack = new Variant();
        writeBack.policy = WritePolicy.WRITE_BACK_ALLOCATE;
        writeBack.instructions = EnumSet.of(Instruction.INVLPG);
        assertEquals("processor variant: writePolicy WRITE_BACK_ALLOCATE needs WBINVD in instructions, the only way "
                + "to write dirty lines back", rejection(writeBack));

        Variant contradiction = new Variant();
        contradiction.segments = false;
        assertEquals("processor variant: segmentation.protectedMode is true but hasSegments() is false",
                rejection(contradiction));

        Variant valid = new Variant();
        valid.policy = WritePolicy.WRITE_BACK_ALLOCATE;
        new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent()).create(valid);
    }

    @Test
    void aModelWrittenAgainstTheFirstApiIsAnI486() {
        ProcessorModel old = StandardModels.i486dx50();
        assertEquals(Segmentation.PROTECTED_MODE, old.segmentation());
        assertEquals(EnumSet.of(Instruction.INVLPG, Instruction.WBINVD), old.instructions());
        assertTrue(old.writeProtect());
        assertFalse(old.globalPages());
    }
}

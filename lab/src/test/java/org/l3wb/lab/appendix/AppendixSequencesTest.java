package org.l3wb.lab.appendix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.cache.CacheFactoryComponent;
import org.l3wb.hw.cpu486.MachineFactoryComponent;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.hw.mmu.MmuFactoryComponent;
import org.l3wb.kernel.core.KernelComponent;
import org.l3wb.kernel.ipc.L3Ipc;
import org.l3wb.kernel.sched.LazyScheduler;

class AppendixSequencesTest {
    final MachineFactory machines = new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent());
    final KernelComponent kernel = kernel();
    final AppendixSequences sequences = new AppendixSequences(machines, StandardModels.i486dx50(), kernel, "l3", "lazy");

    static KernelComponent kernel() {
        KernelComponent k = new KernelComponent();
        k.addMechanism(new L3Ipc());
        k.addScheduler(new LazyScheduler());
        return k;
    }

    @Test
    void table3NullIpcIs127ExecutionCyclesPlusFiveTlbMisses() {
        AppendixResult r = sequences.run(AppendixSequences.Table.NULL_IPC);
        assertEquals(127, r.executionCycles());
        assertEquals(5, r.tlbMisses());
        assertEquals(172, r.cycles());
        assertEquals(0, r.cacheMisses(), "the footnotes assume cache hits");
        assertEquals(List.of("tcb/kernel stack of B", "kernel code", "tcb/kernel stack of B", "GDT/IDT/TSS",
                "user code"), r.missPages(), "TCB of B; kernel code; new kernel stack + GDT; user code");
    }

    @Test
    void table4TemporaryMappingIs35ExecutionCyclesPlusThreeTlbMisses() {
        AppendixResult r = sequences.run(AppendixSequences.Table.TEMPORARY_MAPPING);
        assertEquals(35, r.executionCycles());
        assertEquals(3, r.tlbMisses());
        assertEquals(62, r.cycles());
        assertEquals(0, r.cacheMisses());
        assertEquals(List.of("pdir of B", "pdir of A", "receive buffer of B"), r.missPages());
    }

    @Test
    void table4CopiesThroughTheWindowIntoTheReceiversOwnSpace() {
        sequences.run(AppendixSequences.Table.TEMPORARY_MAPPING);
        var m = sequences.lastSpaces.machine;
        // read B's receive buffer through B's page tables, not through the window
        int pdirB = m.mmu().cr3(); // the measured transfer ended in B
        assertEquals(sequences.lastSpaces.b.space(), pdirB);
        int rcv = sequences.lastSpaces.b.receiveBuffer();
        int phys = (m.mmu().entry(pdirB, rcv) & PageFlags.FRAME_MASK) | (rcv & 0xFFF);
        assertEquals(0x4c33_4950 ^ 1, m.memory().readWord(phys), "A's message word arrived in B's buffer");
    }

    @Test
    void theSequencesRunOnTheNucleussOwnTcbsAndSpaces() {
        sequences.run(AppendixSequences.Table.NULL_IPC);
        KernelSpaces k = sequences.lastSpaces;
        // the nucleus's TCB of A: its uid, its space, and the stack pointer the measured switch saved there
        assertEquals(k.a.id().low(), k.kernelWord(k.a.tcb() + org.l3wb.kernel.api.Tcb.UID_LOW));
        assertEquals(k.a.space(), k.kernelWord(k.a.tcb() + org.l3wb.kernel.api.Tcb.SPACE));
        int saved = k.kernelWord(k.a.tcb() + org.l3wb.kernel.api.Tcb.STACK_POINTER);
        assertEquals(k.a.kernelStackTop() - 20, saved, "A's INT frame on A's kernel stack, inside its TCB (5.2.5)");
        assertEquals(k.b.space(), k.machine.mmu().cr3(), "the measured transfer ended in B's space");
        assertEquals(k.layout.tcbArray() + k.b.id().threadNumber() * org.l3wb.kernel.api.Tcb.SIZE, k.b.tcb());
    }

    @Test
    void table5PortAccessIs11ExecutionCyclesPlusTwoTlbMisses() {
        AppendixResult r = sequences.run(AppendixSequences.Table.PORT_ACCESS);
        assertEquals(11, r.executionCycles());
        assertEquals(2, r.tlbMisses());
        assertEquals(29, r.cycles());
        assertEquals(0, r.cacheMisses());
        assertEquals(List.of("port table", "port link table of B"), r.missPages());
    }

    @Test
    void aTaggedTlbKeepsTheFlushedEntriesButSharedKernelPagesNowCompeteForWays() {
        var tagged = new org.l3wb.hw.api.ProcessorModel() {
            final org.l3wb.hw.api.ProcessorModel base = StandardModels.i486dx50();

            public String name() {
                return "i486-tagged";
            }

            public String description() {
                return "i486 with an address-space-tagged TLB (paper 7.4)";
            }

            public int clockMHz() {
                return 50;
            }

            public org.l3wb.hw.api.InstructionCosts costs() {
                return base.costs();
            }

            public org.l3wb.hw.api.TlbGeometry tlb() {
                return base.tlb();
            }

            public org.l3wb.hw.api.CacheGeometry onChipCache() {
                return base.onChipCache();
            }

            public org.l3wb.hw.api.MemoryTiming memoryTiming() {
                return base.memoryTiming();
            }

            public boolean hasSegments() {
                return true;
            }

            public boolean taggedTlb() {
                return true;
            }
        };
        AppendixResult r = new AppendixSequences(machines, tagged, kernel, "l3", "lazy").run(AppendixSequences.Table.NULL_IPC);
        assertEquals(127, r.executionCycles(), "same instructions");
        // kernel code, GDT and user code survive the switch; what still misses is B's TCB page: both
        // spaces now hold their own tagged entries for the shared kernel pages, and TLB set 0
        // (kernel code, TCB of A, TCB of B, in each space) has only four ways
        assertEquals(List.of("tcb/kernel stack of B", "tcb/kernel stack of B"), r.missPages());
    }
}

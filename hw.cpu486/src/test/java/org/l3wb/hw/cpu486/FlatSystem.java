package org.l3wb.hw.cpu486;

import org.l3wb.hw.api.Descriptors;
import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.Mode;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.Sreg;
import org.l3wb.hw.cache.CacheFactoryComponent;
import org.l3wb.hw.mmu.MmuFactoryComponent;

/**
 * Test fixture: one address space with kernel code, kernel data, descriptor tables, a kernel stack,
 * user code and user data pages, flat segments, and INT 0x30 gated to kernel code.
 */
final class FlatSystem {
    static final int USER_CODE = 0x0040_0000;
    static final int USER_DATA = 0x0080_0000;
    static final int KERNEL_CODE = 0xC000_0000;
    static final int KERNEL_DATA = 0xC000_4000; // four pages
    static final int TABLES = 0xC001_0000;
    static final int GDT = TABLES;
    static final int TSS = TABLES + 0x100;
    static final int IDT = TABLES + 0x800;
    static final int KERNEL_STACK_TOP = 0xC002_0000;
    static final int HANDLER = KERNEL_CODE + 0x800;
    static final int VECTOR = 0x30;
    static final int KERNEL_CS = Descriptors.selector(1, 0);
    static final int KERNEL_DS = Descriptors.selector(2, 0);
    static final int USER_CS = Descriptors.selector(3, 3);
    static final int USER_DS = Descriptors.selector(4, 3);

    final Machine machine;
    final Processor cpu;
    final int pdir;

    FlatSystem() {
        this(StandardModels.i486dx50());
    }

    FlatSystem(ProcessorModel model) {
        machine = new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent()).create(model);
        cpu = machine.cpu();
        var mem = machine.memory();
        var mmu = machine.mmu();
        pdir = mem.allocateFrame();
        for (int i = 0; i < 4; i++) {
            mmu.map(pdir, KERNEL_CODE + i * 4096, mem.allocateFrame(), 0);
            mmu.map(pdir, KERNEL_DATA + i * 4096, mem.allocateFrame(), PageFlags.WRITABLE);
            mmu.map(pdir, USER_CODE + i * 4096, mem.allocateFrame(), PageFlags.USER);
            mmu.map(pdir, USER_DATA + i * 4096, mem.allocateFrame(), PageFlags.USER | PageFlags.WRITABLE);
        }
        int tables = mem.allocateFrame();
        mmu.map(pdir, TABLES, tables, PageFlags.WRITABLE);
        mmu.map(pdir, KERNEL_STACK_TOP - 4096, mem.allocateFrame(), PageFlags.WRITABLE);
        int[] gdt = {0, 0,
            Descriptors.flatSegmentLow(), Descriptors.flatSegmentHigh(true, 0),
            Descriptors.flatSegmentLow(), Descriptors.flatSegmentHigh(false, 0),
            Descriptors.flatSegmentLow(), Descriptors.flatSegmentHigh(true, 3),
            Descriptors.flatSegmentLow(), Descriptors.flatSegmentHigh(false, 3)};
        for (int i = 0; i < gdt.length; i++) {
            mem.writeWord(tables + 4 * i, gdt[i]);
        }
        mem.writeWord(tables + 0x800 + VECTOR * 8, Descriptors.gateLow(KERNEL_CS, HANDLER));
        mem.writeWord(tables + 0x800 + VECTOR * 8 + 4, Descriptors.gateHigh(HANDLER, 3));
        mem.writeWord(tables + 0x100 + Processor.TSS_ESP0, KERNEL_STACK_TOP);
        mem.writeWord(tables + 0x100 + Processor.TSS_SS0, KERNEL_DS);
        mmu.loadCr3(pdir);
        cpu.setMode(Mode.KERNEL);
        cpu.setSreg(Sreg.CS, KERNEL_CS);
        cpu.setSreg(Sreg.SS, KERNEL_DS);
        cpu.jumpTo(KERNEL_CODE);
        cpu.loadDescriptorTables(GDT, IDT, TSS);
    }

    /** @return physical address of a linear one, via the page tables (free) */
    int phys(int linear) {
        return (machine.mmu().entry(pdir, linear) & PageFlags.FRAME_MASK) | (linear & 0xFFF);
    }

    long cycles() {
        return machine.statistics().now();
    }
}

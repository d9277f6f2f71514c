package org.l3wb.benchmarks;

import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.Mmu;
import org.l3wb.hw.api.Mode;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.PhysicalMemory;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.cache.CacheFactoryComponent;
import org.l3wb.hw.cpu486.MachineFactoryComponent;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.hw.mmu.MmuFactoryComponent;

/**
 * A freshly built i486 running in kernel mode in one address space: a page directory, one page of
 * kernel code and a kernel data region of the requested size, CR3 loaded, paging, TLB and caches on,
 * EIP at the start of the code page. Built outside any framework, as the unit tests' fixtures are.
 * There are no descriptor tables: MOV to and from memory never reads them.
 * Setting it up costs no simulated instruction: every counter of {@link #machine}'s statistics is
 * still zero afterwards.
 */
final class KernelMachine {
    /** Linear address of the kernel code page (the benchmark's loop body lives here). */
    static final int KERNEL_CODE = 0xC000_0000;
    /** Linear address of the kernel data region (the working set); in the same 4 MB page table. */
    static final int KERNEL_DATA = 0xC010_0000;
    /** Largest data region this layout fits below the end of the first kernel page table. */
    static final int MAX_DATA_BYTES = PageFlags.REGION_SIZE - (KERNEL_DATA - KERNEL_CODE);

    final Machine machine;
    final Processor cpu;
    final int pageDirectory;
    final int dataBytes;

    /** An i486 DX-50 with the board's documented defaults. */
    KernelMachine(int dataBytes) {
        this(StandardModels.i486dx50(), dataBytes);
    }

    KernelMachine(ProcessorModel model, int dataBytes) {
        if (dataBytes <= 0 || dataBytes % PageFlags.PAGE_SIZE != 0 || dataBytes > MAX_DATA_BYTES) {
            throw new IllegalArgumentException("data region must be a positive multiple of 4 KB up to "
                    + (MAX_DATA_BYTES >> 10) + " KB, got " + dataBytes + " bytes");
        }
        this.dataBytes = dataBytes;
        machine = new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent()).create(model);
        cpu = machine.cpu();
        PhysicalMemory mem = machine.memory();
        Mmu mmu = machine.mmu();
        pageDirectory = mem.allocateFrame();
        mmu.map(pageDirectory, KERNEL_CODE, mem.allocateFrame(), 0);
        for (int offset = 0; offset < dataBytes; offset += PageFlags.PAGE_SIZE) {
            mmu.map(pageDirectory, KERNEL_DATA + offset, mem.allocateFrame(), PageFlags.WRITABLE);
        }
        mmu.loadCr3(pageDirectory);
        cpu.setMode(Mode.KERNEL);
        cpu.jumpTo(KERNEL_CODE);
    }
}

package org.l3wb.kernel.core;

import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.Descriptors;
import org.l3wb.hw.api.Mode;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.api.Sreg;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.KernelCall;
import org.l3wb.kernel.api.KernelStep;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.kernel.api.ThreadId;

/**
 * Boot and layout: the kernel area mapped into every space (5.2.5, 5.5.1), descriptor tables, the idle
 * thread, and the set-up work on tasks, TCBs and user memory. All of it free (host set-up of simulated
 * memory), except set-up that runs kernel code ({@link #inKernel}), which is marked
 * {@link KernelStep#SET_UP}.
 */
final class Boot {
    static final int CLOCK_VECTOR = 0x20;
    static final int PAGE_FAULT_VECTOR = 14;
    static final int EXIT_VECTOR = 0x34;
    static final int KERNEL_CS = Descriptors.selector(1, 0);
    static final int KERNEL_DS = Descriptors.selector(2, 0);
    static final int USER_CS = Descriptors.selector(3, 3);
    static final int USER_DS = Descriptors.selector(4, 3);
    /*
     * Code placement (5.5.1): each IPC operation's path is straight-line code in its own 256-byte
     * block; call and reply-and-receive-next, the RPC pair, sit at offsets 0x400 and 0x500 of the code
     * page, cache sets 64..95, clear of the sets that TCBs (offset 0 of their page), page-directory
     * entries of user space and of the kernel area (offsets 0 and 0xE00) and the descriptor tables use.
     */
    static final int[] IPC_CODE = {
        Layout.KERNEL_CODE + 0xC00, // SEND
        Layout.KERNEL_CODE + 0xD00, // RECEIVE
        Layout.KERNEL_CODE + 0x400, // CALL
        Layout.KERNEL_CODE + 0x500, // REPLY_AND_RECEIVE_NEXT
    };
    /**
     * The non-IPC system calls of section 5.6 ({@link KernelCall}): the null call's gate leads to an
     * IRET, the thread-self call's to the entry work and the bound mechanism. Blocks 0x600 and 0x700,
     * free in the code page.
     */
    static final int[] KERNEL_CALL_CODE = {
        Layout.KERNEL_CODE + 0x600, // NULL
        Layout.KERNEL_CODE + 0x700, // THREAD_SELF
    };
    static final int EXIT_CODE = Layout.KERNEL_CODE + 0x800;
    static final int CREATE_CODE = Layout.KERNEL_CODE + 0x900;
    static final int IDLE_CODE = Layout.KERNEL_CODE + 0xA00;
    static final int CLOCK_CODE = Layout.KERNEL_CODE + 0xE00;
    static final int FAULT_CODE = Layout.KERNEL_CODE + 0xF00;
    /**
     * User code of local thread n at USER_CODE + n x 4 KB + 0x740 (cache sets 116.., free of kernel
     * lines; TLB set 1, beside the kernel code and TCB pages of set 0); its stack page below
     * USER_STACKS + (n+1) x 4 KB.
     */
    static final int USER_CODE = 0x0008_1000;
    static final int USER_CODE_OFFSET = 0x740;
    static final int USER_STACKS = 0x0070_0000;
    static final int TIMESLICE_TICKS = 10;

    private final NucleusState s;

    Boot(NucleusState state) {
        this.s = state;
    }

    /** Boots: the kernel area, descriptor tables, the idle thread; the processor idles, the clock runs. */
    void boot() {
        s.cpu.step(KernelStep.SET_UP);
        mapKernelArea();
        writeDescriptorTables();
        s.idle = createIdleThread();
        s.idleStackTop = s.readKernelWord(s.idle + Tcb.STACK_TOP);
        startIdling();
    }

    /**
     * Maps a kernel-area page, shared by all spaces: global where the TLB supports it, so that kernel
     * code, TCBs and tables are neither duplicated per space in a tagged TLB nor flushed by a CR3 load.
     * (The per-space regions, window and own directory, are not mapped through here.)
     */
    private void kernelMap(int linear, int frame, int flags) {
        s.mmu.map(s.kernelDirectory, linear, frame, flags | s.kernelGlobal);
    }

    /** Allocates a frame and maps it supervisor-writable in the kernel area. */
    private int kernelPage(int linear) {
        int frame = s.memory.allocateFrame();
        kernelMap(linear, frame, PageFlags.WRITABLE);
        return frame;
    }

    private void mapKernelArea() {
        for (int i = 0; i < 4; i++) {
            kernelMap(Layout.KERNEL_CODE + i * PageFlags.PAGE_SIZE, s.memory.allocateFrame(), 0);
        }
        for (int page : s.layout.tablePages()) {
            kernelPage(page);
        }
        for (int phys = 0; phys < s.memory.size(); phys += PageFlags.PAGE_SIZE) {
            kernelMap(Layout.PHYSICAL_MAP + phys, phys, PageFlags.WRITABLE);
        }
        for (int i = 0; i < Layout.KERNEL_BUFFER_BYTES; i += PageFlags.PAGE_SIZE) {
            kernelPage(Layout.KERNEL_BUFFER + i);
        }
        if (!s.virtualTcb) {
            for (int i = 0; i < (Layout.THREAD_MASK + 1) * 4; i += PageFlags.PAGE_SIZE) {
                kernelPage(Layout.TCB_TABLE + i);
            }
        }
        // every kernel region gets its page table now, so that later mappings reach all spaces
        int[] regions = {Layout.PAGE_DIRECTORIES, Layout.TCB_HEAP, Layout.STACKS};
        for (int r : regions) {
            ensurePageTable(r);
        }
        // the first mechanism's data region; later ones get theirs when a second mechanism first asks
        for (int r = 0; r < Layout.MECHANISM_DATA_BYTES; r += PageFlags.REGION_SIZE) {
            ensurePageTable(Layout.MECHANISM_DATA + r);
        }
        for (int r = Layout.TCB_ARRAY; r != 0 && r - Layout.TCB_ARRAY < (Layout.THREAD_MASK + 1) * Tcb.SIZE;
                r += PageFlags.REGION_SIZE) {
            ensurePageTable(r);
        }
        kernelMap(Layout.PAGE_DIRECTORIES, s.kernelDirectory, PageFlags.WRITABLE);
    }

    /**
     * A mechanism got a data region: give it kernel page tables and enter them in every space's
     * directory, as boot did for the first region (free: kernel memory set-up).
     */
    void newMechanismRegion(int region) {
        for (int r = 0; r < Layout.MECHANISM_DATA_BYTES; r += PageFlags.REGION_SIZE) {
            ensurePageTable(region + r);
            int pde = (region + r) >>> 22;
            int entry = s.memory.readWord(s.kernelDirectory + pde * 4);
            for (int task = 0; task < s.tasks; task++) {
                s.memory.writeWord(s.taskDirectory[task] + pde * 4, entry);
            }
        }
    }

    private void ensurePageTable(int linear) {
        int pdeAddress = s.kernelDirectory + (linear >>> 22) * 4;
        if ((s.memory.readWord(pdeAddress) & PageFlags.PRESENT) == 0) {
            s.memory.writeWord(pdeAddress, s.memory.allocateFrame() | PageFlags.PRESENT | PageFlags.WRITABLE
                    | PageFlags.USER);
        }
    }

    private void writeDescriptorTables() {
        int gdt = s.layout.gdt();
        int[][] entries = {
            {0, 0},
            {Descriptors.flatSegmentLow(), Descriptors.flatSegmentHigh(true, 0)},
            {Descriptors.flatSegmentLow(), Descriptors.flatSegmentHigh(false, 0)},
            {Descriptors.flatSegmentLow(), Descriptors.flatSegmentHigh(true, 3)},
            {Descriptors.flatSegmentLow(), Descriptors.flatSegmentHigh(false, 3)},
        };
        for (int i = 0; i < entries.length; i++) {
            s.writeKernelWord(gdt + 8 * i, entries[i][0]);
            s.writeKernelWord(gdt + 8 * i + 4, entries[i][1]);
        }
        for (IpcOperation op : IpcOperation.values()) {
            gate(op.vector(), IPC_CODE[op.ordinal()], 3);
        }
        for (KernelCall call : KernelCall.values()) {
            gate(call.vector(), KERNEL_CALL_CODE[call.ordinal()], 3);
        }
        gate(EXIT_VECTOR, EXIT_CODE, 3);
        gate(CLOCK_VECTOR, CLOCK_CODE, 0);
        gate(PAGE_FAULT_VECTOR, FAULT_CODE, 0);
        s.writeKernelWord(s.layout.tss() + Processor.TSS_SS0, KERNEL_DS);
        s.writeKernelWord(s.layout.timesliceLeft(), TIMESLICE_TICKS);
    }

    private void gate(int vector, int handler, int dpl) {
        int entry = s.layout.idt() + vector * 8;
        s.writeKernelWord(entry, Descriptors.gateLow(KERNEL_CS, handler));
        s.writeKernelWord(entry + 4, Descriptors.gateHigh(handler, dpl));
    }

    private int createIdleThread() {
        int number = 1; // thread 0 is nil; thread 1 of the kernel task idles
        int tcb = allocateTcb(number);
        writeTcb(tcb, ThreadId.of(number, 1, 0), 0, s.kernelDirectory);
        return tcb;
    }

    /** The processor in kernel mode at the idle loop, descriptor tables loaded, the 1-ms clock started. */
    private void startIdling() {
        Processor cpu = s.cpu;
        s.mmu.loadCr3(s.kernelDirectory);
        cpu.setMode(Mode.KERNEL);
        cpu.setSreg(Sreg.CS, KERNEL_CS);
        cpu.setSreg(Sreg.SS, KERNEL_DS);
        cpu.setSreg(Sreg.DS, USER_DS);
        cpu.setSreg(Sreg.ES, USER_DS);
        cpu.setSreg(Sreg.FS, USER_DS);
        cpu.setSreg(Sreg.GS, USER_DS);
        cpu.jumpTo(IDLE_CODE);
        cpu.setReg(Reg.ESP, s.idleStackTop);
        cpu.loadDescriptorTables(s.layout.gdt(), s.layout.idt(), s.layout.tss());
        cpu.programTimer(s.machine.model().clockMHz() * 1000L); // 1 ms clock tick
        s.current = s.idle;
        if (!s.virtualTcb) {
            s.writeKernelWord(s.layout.currentThread(), s.idle);
        }
    }

    /** Maps a TCB (and, without virtual TCBs, its table entry and separate stack page); free set-up. */
    private int allocateTcb(int number) {
        int tcb;
        int stackTop;
        if (s.virtualTcb) {
            tcb = Layout.TCB_ARRAY + number * Tcb.SIZE;
            int page = tcb & PageFlags.FRAME_MASK;
            int pte = s.mmu.entry(s.kernelDirectory, page);
            if ((pte & PageFlags.PRESENT) == 0 || (pte & PageFlags.FRAME_MASK) == s.nullTcbFrame) {
                kernelPage(page);
                s.mmu.invalidatePage(page);
            }
            stackTop = tcb + Tcb.SIZE;
        } else {
            int slot = s.heapSlots++;
            tcb = Layout.TCB_HEAP + slot * Tcb.SIZE;
            if ((tcb & 0xFFF) == 0) {
                kernelPage(tcb);
            }
            int stackPage = Layout.STACKS + slot * PageFlags.PAGE_SIZE;
            kernelPage(stackPage);
            stackTop = stackPage + PageFlags.PAGE_SIZE;
            s.writeKernelWord(Layout.TCB_TABLE + number * 4, tcb);
        }
        int base = s.physical(tcb);
        for (int i = 0; i < Tcb.SIZE; i += 4) {
            s.memory.writeWord(base + i, 0);
        }
        s.writeKernelWord(tcb + Tcb.STACK_TOP, stackTop);
        s.tcbByNumber[number] = tcb;
        return tcb;
    }

    private void writeTcb(int tcb, ThreadId id, int task, int directory) {
        s.writeKernelWord(tcb + Tcb.UID_LOW, id.low());
        s.writeKernelWord(tcb + Tcb.UID_HIGH, id.high());
        s.writeKernelWord(tcb + Tcb.STATE, Tcb.READY);
        s.writeKernelWord(tcb + Tcb.SPACE, directory);
        s.writeKernelWord(tcb + Tcb.TASK, task);
        s.writeKernelWord(tcb + Tcb.WAKEUP_LIST, -1);
        s.writeKernelWord(tcb + Tcb.RESUME, Tcb.RESUME_DIRECT);
        s.writeKernelWord(tcb + Tcb.STACK_POINTER, s.readKernelWord(tcb + Tcb.STACK_TOP));
    }

    /** @return a new task: its page directory shares the kernel area, its own regions empty */
    int createTask() {
        if (s.tasks >= Layout.MAX_TASKS) {
            throw new IllegalStateException("no more tasks: all " + (Layout.MAX_TASKS - 1) + " exist");
        }
        int task = s.tasks++;
        int directory = s.memory.allocateFrame();
        for (int pde = Layout.PHYSICAL_MAP >>> 22; pde < 1024; pde++) {
            s.memory.writeWord(directory + pde * 4, s.memory.readWord(s.kernelDirectory + pde * 4));
        }
        for (int pde : new int[] {Layout.WINDOW >>> 22, (Layout.WINDOW >>> 22) + 1,
            Layout.OWN_PAGE_DIRECTORY >>> 22}) {
            s.memory.writeWord(directory + pde * 4, 0); // per-space regions
        }
        s.mmu.map(directory, Layout.OWN_PAGE_DIRECTORY, directory, PageFlags.WRITABLE);
        kernelMap(Layout.PAGE_DIRECTORIES + task * PageFlags.PAGE_SIZE, directory, PageFlags.WRITABLE);
        s.taskDirectory[task] = directory;
        return task;
    }

    private void requireTask(int task) {
        if (task <= 0 || task >= s.tasks) {
            throw new IllegalArgumentException("no task " + task + ": tasks are 1.." + (s.tasks - 1));
        }
    }

    /** Maps fresh user pages (free, set-up); pages mapped already stay. */
    void mapUser(int task, int linear, int pages, boolean writable) {
        requireTask(task);
        // unsigned: user space is 3 GB, so its top gigabyte has the sign bit set
        if ((linear & 0xFFF) != 0 || pages <= 0
                || Integer.toUnsignedLong(linear) + (long) pages * PageFlags.PAGE_SIZE
                > Integer.toUnsignedLong(Layout.USER_TOP)) {
            throw new IllegalArgumentException(String.format(
                    "user mapping 0x%08x + %d pages is not page-aligned user space below 0x%08x",
                    linear, pages, Layout.USER_TOP));
        }
        for (int i = 0; i < pages; i++) {
            int page = linear + i * PageFlags.PAGE_SIZE;
            if ((s.mmu.entry(s.taskDirectory[task], page) & PageFlags.PRESENT) == 0) {
                s.mmu.map(s.taskDirectory[task], page, s.memory.allocateFrame(),
                        PageFlags.USER | (writable ? PageFlags.WRITABLE : 0));
            }
        }
    }

    /**
     * The free part of creating a thread: its TCB, code and stack pages, and a kernel stack as if it
     * had trapped into the kernel at the start of its code.
     *
     * @return its TCB
     */
    int setUpThread(int task, int number, ThreadId id, int local) {
        int tcb = allocateTcb(number);
        writeTcb(tcb, id, task, s.taskDirectory[task]);
        int code = USER_CODE + local * PageFlags.PAGE_SIZE;
        mapUser(task, code, 1, false);
        int stack = USER_STACKS + local * PageFlags.PAGE_SIZE;
        mapUser(task, stack, 1, true);
        int top = s.readKernelWord(tcb + Tcb.STACK_TOP);
        int[] frame = {code + USER_CODE_OFFSET, USER_CS, 0x202, stack + PageFlags.PAGE_SIZE, USER_DS};
        for (int i = 0; i < frame.length; i++) {
            s.writeKernelWord(top - 20 + 4 * i, frame[i]);
        }
        int sp = top - 20;
        if (s.reloadSegments) {
            for (int i = 0; i < 4; i++) { // DS, ES, FS, GS as the entry pushed them
                sp -= 4;
                s.writeKernelWord(sp, USER_DS);
            }
        }
        s.writeKernelWord(tcb + Tcb.STACK_POINTER, sp);
        return tcb;
    }

    /** @return the next local thread number of {@code task}, counted as used */
    int nextLocal(int task) {
        requireTask(task);
        int local = s.nextLocal[task];
        if (local >= Layout.THREADS_PER_TASK) {
            throw new IllegalStateException("task " + task + " has all " + Layout.THREADS_PER_TASK + " threads");
        }
        s.nextLocal[task] = local + 1;
        return local;
    }

    /**
     * Runs set-up work that issues kernel instructions ({@link KernelStep#SET_UP}), then puts the
     * processor back as it was.
     */
    void inKernel(int code, Runnable work) {
        Processor cpu = s.cpu;
        CodeStep previous = cpu.step(KernelStep.SET_UP);
        Mode mode = cpu.mode();
        int eip = cpu.eip();
        int[] regs = new int[Reg.values().length];
        for (Reg r : Reg.values()) {
            regs[r.ordinal()] = cpu.reg(r);
        }
        int cr3 = s.mmu.cr3();
        cpu.setMode(Mode.KERNEL);
        cpu.jumpTo(code);
        work.run();
        for (Reg r : Reg.values()) {
            cpu.setReg(r, regs[r.ordinal()]);
        }
        if (s.mmu.cr3() != cr3) {
            s.mmu.loadCr3(cr3);
        }
        cpu.setMode(mode);
        cpu.jumpTo(eip);
        cpu.step(previous);
    }

    /** Maps a page of a mechanism data region in the kernel area (free, set-up). */
    void mapKernelPage(int linear) {
        if (!s.layout.inMechanismData(linear)) {
            throw new IllegalArgumentException(String.format(
                    "0x%08x is not in a mechanism data region (KernelLayout.mechanismData)", linear));
        }
        int page = linear & PageFlags.FRAME_MASK;
        if ((s.mmu.entry(s.kernelDirectory, page) & PageFlags.PRESENT) == 0) {
            kernelPage(page);
        }
    }

    /** @return the physical address of a mapped user address of {@code task} (free) */
    int userPhysical(int task, int linear) {
        requireTask(task);
        int pte = s.mmu.entry(s.taskDirectory[task], linear);
        if ((pte & PageFlags.PRESENT) == 0 || Integer.compareUnsigned(linear, Layout.USER_TOP) >= 0) {
            throw new IllegalArgumentException(String.format("0x%08x is not mapped in task %d", linear, task));
        }
        return (pte & PageFlags.FRAME_MASK) | (linear & 0xFFF);
    }
}

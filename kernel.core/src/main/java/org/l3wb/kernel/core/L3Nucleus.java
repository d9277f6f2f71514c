package org.l3wb.kernel.core;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.l3wb.hw.api.Descriptors;
import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.Mmu;
import org.l3wb.hw.api.Mode;
import org.l3wb.hw.api.PageFault;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.PhysicalMemory;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.api.Sreg;
import org.l3wb.kernel.api.IpcMechanism;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.KernelLayout;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.ProcessorFeatures;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Scheduler;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.api.UserProgram;

/**
 * The L3-style nucleus on one simulated machine: tasks with page directories in simulated memory,
 * threads with TCBs in a virtual array (5.2.5) or, with that switch off, in a heap found through a
 * table with kernel stacks apart; system calls through INT and IRET; the clock interrupt; the
 * page-fault handler for unused TCBs and the communication window. It is both the {@link Nucleus}
 * experiments drive and the {@link KernelContext} the bound IPC mechanism and scheduler run in.
 *
 * <p>All kernel state lives in simulated memory. The Java fields here are what a debugger or the
 * user level would know (which program a thread runs, which task has which page directory frame)
 * and the current thread, which the hardware knows as ESP.
 */
final class L3Nucleus implements Nucleus, KernelContext {
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
    private static final int[] NO_THREADS = new int[0];

    private final KernelComponent kernel;
    private final Machine machine;
    private final Processor cpu;
    private final Mmu mmu;
    private final PhysicalMemory memory;
    private final Switches switches;
    private final Layout layout;
    private final boolean virtualTcb;
    /** The processor's capabilities, read once at boot; each is asked in one place below. */
    private final ProcessorFeatures features;
    /** With segments and the switch on: check DS and ES on entry (5.5.3). */
    private final boolean checkSegments;
    /** With segments and the switch off: save the user's segment registers, load the kernel's. */
    private final boolean reloadSegments;
    /** The 386 segment system: INT takes the kernel stack from the TSS's ESP0. */
    private final boolean segments;
    /** A CR3 load does not flush the TLB: the window is flushed by tag (5.2.3). */
    private final boolean taggedTlb;
    /** {@link PageFlags#GLOBAL} where the TLB honours it, for every kernel-area page; else 0. */
    private final int kernelGlobal;
    private final int kernelDirectory;
    private final int nullTcbFrame;
    private final int idle;
    private final int idleStackTop;
    private final UserThread user;

    private final UserProgram[] programs = new UserProgram[Layout.THREAD_MASK + 1];
    private final int[] generations = new int[Layout.THREAD_MASK + 1];
    private final int[] tcbByNumber = new int[Layout.THREAD_MASK + 1];
    private final int[] taskDirectory = new int[Layout.MAX_TASKS];
    private final int[] nextLocal = new int[Layout.MAX_TASKS];
    private int tasks = 1; // task 0 is the kernel's
    private int heapSlots;
    // requested by any host thread (useMechanism, useScheduler); read by the simulation at kernel entry
    private volatile String mechanism;
    private volatile String scheduler;
    private final AtomicInteger requests = new AtomicInteger();
    private int current;
    private long ipcs;
    /*
     * The bound services, latched at each kernel entry (latch) and used for the whole entry: re-resolved
     * only when the kernel's references changed or a request came since the last latch.
     */
    private int resolvedChanges = -1;
    private int registeredAt = -1;
    private int resolvedRequests = -1;
    private IpcMechanism boundMechanism;
    private Scheduler boundScheduler;
    /** The bound mechanism's name, for other host threads (written only when the binding changes). */
    private volatile String boundMechanismName;
    /** The mechanisms registered at the latest latch, by name. */
    private Map<String, IpcMechanism> registered = Map.of();
    /**
     * Per TCB (indexed by its address / 1 KB), the mechanism that ran the thread's latest system call or
     * continuation: it owns the thread's pending continuation and wait (host bookkeeping, like which
     * service object implements a call, not kernel data).
     */
    private final IpcMechanism[] owners = new IpcMechanism[Layout.THREAD_MASK + 1];
    /**
     * Per TCB, what its owner declared ({@link IpcMechanism#keepsItsStateInThreadIpc}) when it ran the
     * thread: asked then, since the owner's service (and bundle) may be gone when the answer is needed.
     */
    private final boolean[] ownerInThreadIpc = new boolean[Layout.THREAD_MASK + 1];
    /** Threads whose continuation waits for its own mechanism to be registered again (state LOCKED). */
    private final List<Integer> parked = new ArrayList<>();
    /** The registered mechanisms changed while threads were parked: look at them at the next clock tick. */
    private boolean unparkPending;
    /** What {@link #runnerFor} answers when only the thread's own, unregistered, mechanism may continue it. */
    private static final IpcMechanism DEFER = new IpcMechanism() {
        @Override
        public String name() {
            return "(deferred)";
        }

        @Override
        public void ipc(KernelContext k, IpcOperation operation) {
            throw new IllegalStateException("deferred");
        }

        @Override
        public void resumeTransfer(KernelContext k) {
            throw new IllegalStateException("deferred");
        }
    };

    L3Nucleus(KernelComponent kernel, Machine machine, Switches switches, String mechanism, String scheduler) {
        this.kernel = kernel;
        this.machine = machine;
        this.cpu = machine.cpu();
        this.mmu = machine.mmu();
        this.memory = machine.memory();
        this.switches = switches;
        this.layout = new Layout(switches, this::newMechanismRegion);
        this.virtualTcb = switches.isOn(Switch.VIRTUAL_TCB);
        // 7.4, a different processor: what the kernel does follows what the processor declares
        this.features = ProcessorFeatures.of(machine.model());
        this.segments = features.segments();
        this.checkSegments = segments && switches.isOn(Switch.SEGMENT_REGISTERS);
        this.reloadSegments = segments && !switches.isOn(Switch.SEGMENT_REGISTERS);
        this.taggedTlb = features.taggedTlb();
        this.kernelGlobal = features.globalPages() ? PageFlags.GLOBAL : 0;
        this.mechanism = mechanism;
        this.scheduler = scheduler;
        if (memory.size() > Layout.TCB_HEAP - Layout.PHYSICAL_MAP) {
            throw new IllegalArgumentException("memory of " + memory.size() + " bytes does not fit the kernel's physical map");
        }
        kernelDirectory = memory.allocateFrame();
        taskDirectory[0] = kernelDirectory;
        nullTcbFrame = memory.allocateFrame();
        mapKernelArea();
        writeDescriptorTables();
        idle = createIdleThread();
        idleStackTop = readKernelWord(idle + Tcb.STACK_TOP);
        user = new UserThread(this);
        boot();
        latch();
    }

    // ---------------------------------------------------------------- boot: free set-up work

    /**
     * Maps a kernel-area page, shared by all spaces: global where the TLB supports it, so that kernel
     * code, TCBs and tables are neither duplicated per space in a tagged TLB nor flushed by a CR3 load.
     * (The per-space regions, window and own directory, are not mapped through here.)
     */
    private void kernelMap(int linear, int frame, int flags) {
        mmu.map(kernelDirectory, linear, frame, flags | kernelGlobal);
    }

    /** Allocates a frame and maps it supervisor-writable in the kernel area. */
    private int kernelPage(int linear) {
        int frame = memory.allocateFrame();
        kernelMap(linear, frame, PageFlags.WRITABLE);
        return frame;
    }

    private void mapKernelArea() {
        for (int i = 0; i < 4; i++) {
            kernelMap(Layout.KERNEL_CODE + i * PageFlags.PAGE_SIZE, memory.allocateFrame(), 0);
        }
        for (int page : layout.tablePages()) {
            kernelPage(page);
        }
        for (int phys = 0; phys < memory.size(); phys += PageFlags.PAGE_SIZE) {
            kernelMap(Layout.PHYSICAL_MAP + phys, phys, PageFlags.WRITABLE);
        }
        for (int i = 0; i < Layout.KERNEL_BUFFER_BYTES; i += PageFlags.PAGE_SIZE) {
            kernelPage(Layout.KERNEL_BUFFER + i);
        }
        if (!virtualTcb) {
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
        kernelMap(Layout.PAGE_DIRECTORIES, kernelDirectory, PageFlags.WRITABLE);
    }

    /**
     * A mechanism got a data region: give it kernel page tables and enter them in every space's
     * directory, as boot did for the first region (free: kernel memory set-up).
     */
    private void newMechanismRegion(int region) {
        for (int r = 0; r < Layout.MECHANISM_DATA_BYTES; r += PageFlags.REGION_SIZE) {
            ensurePageTable(region + r);
            int pde = (region + r) >>> 22;
            int entry = memory.readWord(kernelDirectory + pde * 4);
            for (int task = 0; task < tasks; task++) {
                memory.writeWord(taskDirectory[task] + pde * 4, entry);
            }
        }
    }

    private void ensurePageTable(int linear) {
        int pdeAddress = kernelDirectory + (linear >>> 22) * 4;
        if ((memory.readWord(pdeAddress) & PageFlags.PRESENT) == 0) {
            memory.writeWord(pdeAddress, memory.allocateFrame() | PageFlags.PRESENT | PageFlags.WRITABLE
                    | PageFlags.USER);
        }
    }

    /** @return physical address of a kernel-area linear address, through the kernel's page tables (free) */
    int physical(int linear) {
        int pte = mmu.entry(kernelDirectory, linear);
        if ((pte & PageFlags.PRESENT) == 0) {
            throw new IllegalStateException(String.format("kernel address 0x%08x is not mapped", linear));
        }
        return (pte & PageFlags.FRAME_MASK) | (linear & 0xFFF);
    }

    private void writeKernelWord(int linear, int value) {
        memory.writeWord(physical(linear), value);
    }

    private int readKernelWord(int linear) {
        return memory.readWord(physical(linear));
    }

    private void writeDescriptorTables() {
        int gdt = layout.gdt();
        int[][] entries = {
            {0, 0},
            {Descriptors.flatSegmentLow(), Descriptors.flatSegmentHigh(true, 0)},
            {Descriptors.flatSegmentLow(), Descriptors.flatSegmentHigh(false, 0)},
            {Descriptors.flatSegmentLow(), Descriptors.flatSegmentHigh(true, 3)},
            {Descriptors.flatSegmentLow(), Descriptors.flatSegmentHigh(false, 3)},
        };
        for (int i = 0; i < entries.length; i++) {
            writeKernelWord(gdt + 8 * i, entries[i][0]);
            writeKernelWord(gdt + 8 * i + 4, entries[i][1]);
        }
        for (IpcOperation op : IpcOperation.values()) {
            gate(op.vector(), IPC_CODE[op.ordinal()], 3);
        }
        gate(EXIT_VECTOR, EXIT_CODE, 3);
        gate(CLOCK_VECTOR, CLOCK_CODE, 0);
        gate(PAGE_FAULT_VECTOR, FAULT_CODE, 0);
        writeKernelWord(layout.tss() + Processor.TSS_SS0, KERNEL_DS);
        writeKernelWord(layout.timesliceLeft(), TIMESLICE_TICKS);
    }

    private void gate(int vector, int handler, int dpl) {
        int entry = layout.idt() + vector * 8;
        writeKernelWord(entry, Descriptors.gateLow(KERNEL_CS, handler));
        writeKernelWord(entry + 4, Descriptors.gateHigh(handler, dpl));
    }

    private int createIdleThread() {
        int number = 1; // thread 0 is nil; thread 1 of the kernel task idles
        int tcb = allocateTcb(number);
        writeTcb(tcb, ThreadId.of(number, 1, 0), 0, kernelDirectory);
        return tcb;
    }

    private void boot() {
        mmu.loadCr3(kernelDirectory);
        cpu.setMode(Mode.KERNEL);
        cpu.setSreg(Sreg.CS, KERNEL_CS);
        cpu.setSreg(Sreg.SS, KERNEL_DS);
        cpu.setSreg(Sreg.DS, USER_DS);
        cpu.setSreg(Sreg.ES, USER_DS);
        cpu.setSreg(Sreg.FS, USER_DS);
        cpu.setSreg(Sreg.GS, USER_DS);
        cpu.jumpTo(IDLE_CODE);
        cpu.setReg(Reg.ESP, idleStackTop);
        cpu.loadDescriptorTables(layout.gdt(), layout.idt(), layout.tss());
        cpu.programTimer(machine.model().clockMHz() * 1000L); // 1 ms clock tick
        current = idle;
        if (!virtualTcb) {
            writeKernelWord(layout.currentThread(), idle);
        }
    }

    /** Maps a TCB (and, without virtual TCBs, its table entry and separate stack page); free set-up. */
    private int allocateTcb(int number) {
        int tcb;
        int stackTop;
        if (virtualTcb) {
            tcb = Layout.TCB_ARRAY + number * Tcb.SIZE;
            int page = tcb & PageFlags.FRAME_MASK;
            int pte = mmu.entry(kernelDirectory, page);
            if ((pte & PageFlags.PRESENT) == 0 || (pte & PageFlags.FRAME_MASK) == nullTcbFrame) {
                kernelPage(page);
                mmu.invalidatePage(page);
            }
            stackTop = tcb + Tcb.SIZE;
        } else {
            int slot = heapSlots++;
            tcb = Layout.TCB_HEAP + slot * Tcb.SIZE;
            if ((tcb & 0xFFF) == 0) {
                kernelPage(tcb);
            }
            int stackPage = Layout.STACKS + slot * PageFlags.PAGE_SIZE;
            kernelPage(stackPage);
            stackTop = stackPage + PageFlags.PAGE_SIZE;
            writeKernelWord(Layout.TCB_TABLE + number * 4, tcb);
        }
        int base = physical(tcb);
        for (int i = 0; i < Tcb.SIZE; i += 4) {
            memory.writeWord(base + i, 0);
        }
        writeKernelWord(tcb + Tcb.STACK_TOP, stackTop);
        tcbByNumber[number] = tcb;
        return tcb;
    }

    private void writeTcb(int tcb, ThreadId id, int task, int directory) {
        writeKernelWord(tcb + Tcb.UID_LOW, id.low());
        writeKernelWord(tcb + Tcb.UID_HIGH, id.high());
        writeKernelWord(tcb + Tcb.STATE, Tcb.READY);
        writeKernelWord(tcb + Tcb.SPACE, directory);
        writeKernelWord(tcb + Tcb.TASK, task);
        writeKernelWord(tcb + Tcb.WAKEUP_LIST, -1);
        writeKernelWord(tcb + Tcb.RESUME, Tcb.RESUME_DIRECT);
        writeKernelWord(tcb + Tcb.STACK_POINTER, readKernelWord(tcb + Tcb.STACK_TOP));
    }

    // ---------------------------------------------------------------- Nucleus

    @Override
    public Machine machine() {
        return machine;
    }

    @Override
    public KernelLayout layout() {
        return layout;
    }

    @Override
    public Switches switches() {
        return switches;
    }

    @Override
    public int createTask() {
        if (tasks >= Layout.MAX_TASKS) {
            throw new IllegalStateException("no more tasks: all " + (Layout.MAX_TASKS - 1) + " exist");
        }
        int task = tasks++;
        int directory = memory.allocateFrame();
        for (int pde = Layout.PHYSICAL_MAP >>> 22; pde < 1024; pde++) {
            memory.writeWord(directory + pde * 4, memory.readWord(kernelDirectory + pde * 4));
        }
        for (int pde : new int[] {Layout.WINDOW >>> 22, (Layout.WINDOW >>> 22) + 1,
            Layout.OWN_PAGE_DIRECTORY >>> 22}) {
            memory.writeWord(directory + pde * 4, 0); // per-space regions
        }
        mmu.map(directory, Layout.OWN_PAGE_DIRECTORY, directory, PageFlags.WRITABLE);
        kernelMap(Layout.PAGE_DIRECTORIES + task * PageFlags.PAGE_SIZE, directory, PageFlags.WRITABLE);
        taskDirectory[task] = directory;
        return task;
    }

    private void requireTask(int task) {
        if (task <= 0 || task >= tasks) {
            throw new IllegalArgumentException("no task " + task + ": tasks are 1.." + (tasks - 1));
        }
    }

    @Override
    public void mapUser(int task, int linear, int pages, boolean writable) {
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
            if ((mmu.entry(taskDirectory[task], page) & PageFlags.PRESENT) == 0) {
                mmu.map(taskDirectory[task], page, memory.allocateFrame(),
                        PageFlags.USER | (writable ? PageFlags.WRITABLE : 0));
            }
        }
    }

    @Override
    public ThreadId createThread(int task, UserProgram program) {
        requireTask(task);
        int local = nextLocal[task];
        if (local >= Layout.THREADS_PER_TASK) {
            throw new IllegalStateException("task " + task + " has all " + Layout.THREADS_PER_TASK + " threads");
        }
        nextLocal[task] = local + 1;
        int number = task * Layout.THREADS_PER_TASK + local;
        int tcb = allocateTcb(number);
        ThreadId id = ThreadId.of(number, ++generations[number], task);
        writeTcb(tcb, id, task, taskDirectory[task]);
        int code = USER_CODE + local * PageFlags.PAGE_SIZE;
        mapUser(task, code, 1, false);
        int stack = USER_STACKS + local * PageFlags.PAGE_SIZE;
        mapUser(task, stack, 1, true);
        // the thread starts as if it had trapped into the kernel at the start of its code
        int top = readKernelWord(tcb + Tcb.STACK_TOP);
        int[] frame = {code + USER_CODE_OFFSET, USER_CS, 0x202, stack + PageFlags.PAGE_SIZE, USER_DS};
        for (int i = 0; i < frame.length; i++) {
            writeKernelWord(top - 20 + 4 * i, frame[i]);
        }
        int sp = top - 20;
        if (reloadSegments) {
            for (int i = 0; i < 4; i++) { // DS, ES, FS, GS as the entry pushed them
                sp -= 4;
                writeKernelWord(sp, USER_DS);
            }
        }
        writeKernelWord(tcb + Tcb.STACK_POINTER, sp);
        programs[number] = program;
        latch(); // set-up work that runs kernel code is a kernel entry too
        inKernel(CREATE_CODE, () -> scheduler().preempted(this, tcb));
        return id;
    }

    /** Runs set-up work that issues kernel instructions, then puts the processor back as it was. */
    private void inKernel(int code, Runnable work) {
        Mode mode = cpu.mode();
        int eip = cpu.eip();
        int[] regs = new int[Reg.values().length];
        for (Reg r : Reg.values()) {
            regs[r.ordinal()] = cpu.reg(r);
        }
        int cr3 = mmu.cr3();
        cpu.setMode(Mode.KERNEL);
        cpu.jumpTo(code);
        work.run();
        for (Reg r : Reg.values()) {
            cpu.setReg(r, regs[r.ordinal()]);
        }
        if (mmu.cr3() != cr3) {
            mmu.loadCr3(cr3);
        }
        cpu.setMode(mode);
        cpu.jumpTo(eip);
    }

    @Override
    public ThreadId endpoint(ThreadId caller, ThreadId target) {
        int from = tcbOfUid(caller);
        int to = tcbOfUid(target);
        latch();
        IpcMechanism m = mechanismNow();
        if (m == null) {
            throw new IllegalStateException("no IPC mechanism is installed (requested '" + mechanism + "')");
        }
        long[] words = new long[1];
        inKernel(CREATE_CODE, () -> words[0] = m.endpoint(this, from, to));
        return new ThreadId((int) words[0], (int) (words[0] >>> 32));
    }

    @Override
    public void mapKernelPage(int linear) {
        if (!layout.inMechanismData(linear)) {
            throw new IllegalArgumentException(String.format(
                    "0x%08x is not in a mechanism data region (KernelLayout.mechanismData)", linear));
        }
        int page = linear & PageFlags.FRAME_MASK;
        if ((mmu.entry(kernelDirectory, page) & PageFlags.PRESENT) == 0) {
            kernelPage(page);
        }
    }

    @Override
    public void deleteThread(ThreadId thread) {
        int tcb = tcbOfUid(thread);
        if (tcb == idle || tcb == current) {
            throw new IllegalArgumentException("cannot delete the running thread " + thread);
        }
        latch();
        inKernel(EXIT_CODE, () -> kill(tcb));
    }

    /** @return the TCB of a live thread (free look-up) or fails naming it */
    private int tcbOfUid(ThreadId thread) {
        int number = thread.threadNumber();
        int tcb = number > 0 && number <= Layout.THREAD_MASK ? tcbByNumber[number] : 0;
        if (tcb == 0 || readKernelWord(tcb + Tcb.UID_LOW) != thread.low()
                || readKernelWord(tcb + Tcb.UID_HIGH) != thread.high()
                || readKernelWord(tcb + Tcb.STATE) == Tcb.FREE) {
            throw new IllegalArgumentException("no thread " + thread);
        }
        return tcb;
    }

    /**
     * A thread ends: its state becomes free and its uid stale (the generation moves on), and every
     * thread polling it or waiting to receive from it gets {@link ResultCode#CANCELLED}.
     */
    private void kill(int tcb) {
        int low = cpu.load(tcb + Tcb.UID_LOW);
        int high = cpu.load(tcb + Tcb.UID_HIGH);
        if (cpu.load(tcb + Tcb.STATE) == Tcb.TRANSFERRING) {
            // it dies in the middle of a long send: its receiver is unlocked and goes on waiting
            abandonTransfer(tcb);
        }
        cpu.store(tcb + Tcb.STATE, Tcb.FREE);
        cpu.store(tcb + Tcb.UID_HIGH, high + (1 << 16));
        own(tcb, null);
        programs[low >>> 10] = null;
        for (int number = 1; number <= Layout.THREAD_MASK; number++) {
            int other = tcbByNumber[number];
            if (other == 0 || other == tcb) {
                continue;
            }
            int state = readKernelWord(other + Tcb.STATE);
            if ((state == Tcb.POLLING || state == Tcb.RECEIVING || state == Tcb.LOCKED)
                    && readKernelWord(other + Tcb.PARTNER_LOW) == low
                    && readKernelWord(other + Tcb.PARTNER_HIGH) == high) {
                abortWait(other, ResultCode.CANCELLED);
            } else if (state == Tcb.TRANSFERRING && readKernelWord(other + Tcb.TRANSFER_PARTNER) == tcb) {
                // its receiver died during the transfer: the send ends cancelled
                cpu.store(other + Tcb.WINDOW_TASK, 0);
                abortWait(other, ResultCode.CANCELLED);
            }
        }
    }

    /** A long send of {@code tcb} ends unfinished: its receiver is unlocked and goes on waiting. */
    private void abandonTransfer(int tcb) {
        int receiver = cpu.load(tcb + Tcb.TRANSFER_PARTNER);
        if (cpu.load(receiver + Tcb.STATE) == Tcb.LOCKED) {
            cpu.store(receiver + Tcb.STATE, Tcb.RECEIVING);
            // while locked, lazy clean-up may have dropped its wakeup entry: arm its timeout again
            int timeout = cpu.load(receiver + Tcb.TIMEOUTS) & 0xFFFF;
            if (timeout != 0xFFFF && timeout != 0) {
                scheduler().wakeupAt(this, receiver, now() + org.l3wb.kernel.api.Timeout.decode(timeout).ms());
            }
        }
        cpu.store(tcb + Tcb.WINDOW_TASK, 0);
    }

    /** A waiting thread gives up: it gets {@code result} and becomes ready. */
    private void abortWait(int tcb, ResultCode result) {
        IpcMechanism m = runnerFor(tcb);
        if (m == DEFER) {
            // only its own mechanism, gone now, can end this wait: look again in 1 ms
            scheduler().wakeupAt(this, tcb, now() + 1);
            return;
        }
        if (m != null) {
            m.abort(this, tcb, result);
        } else {
            saveResults(tcb, result.code(), 0, 0, 0, 0);
        }
        cpu.store(tcb + Tcb.STATE, Tcb.READY);
        Scheduler s = scheduler();
        s.wakeupCancelled(this, tcb);
        s.preempted(this, tcb);
    }

    @Override
    public boolean run(BooleanSupplier done, long maxCycles) {
        long limit = cpu.cycles() + maxCycles;
        while (!done.getAsBoolean()) {
            if (cpu.cycles() >= limit) {
                return false;
            }
            if (current == idle) {
                cpu.jumpTo(IDLE_CODE);
                cpu.halt();
                if (!cpu.timerDue()) {
                    return false;
                }
                cpu.hardwareInterrupt(CLOCK_VECTOR);
                clockInterrupt(false);
                continue;
            }
            if (cpu.timerDue()) {
                cpu.hardwareInterrupt(CLOCK_VECTOR);
                clockInterrupt(true);
                continue;
            }
            int thread = current;
            UserProgram program = programs[uidLow(thread) >>> 10];
            if (program == null) {
                throw new IllegalStateException("thread at TCB " + Integer.toHexString(thread) + " has no program");
            }
            user.enter(thread);
            program.run(user);
            if (!user.trapped()) {
                throw new IllegalStateException("the program of " + user.self()
                        + " returned without a system call or exit");
            }
        }
        return true;
    }

    @Override
    public String mechanismName() {
        return mechanism;
    }

    @Override
    public void useMechanism(String name) {
        mechanism = name;
        requests.incrementAndGet(); // after the name: a latch that sees the count sees the name
    }

    @Override
    public String boundMechanism() {
        return boundMechanismName;
    }

    /**
     * At a kernel entry (simulation thread only): re-binds the mechanism and scheduler when a service
     * came or went or a request came since the last entry. The requested mechanism, or the next
     * available one ({@link KernelComponent#available}). Free: the host's bookkeeping, not kernel code.
     */
    private void latch() {
        int changes = kernel.changes();
        int requested = requests.get();
        if (changes != resolvedChanges || requested != resolvedRequests) {
            resolvedChanges = changes;
            resolvedRequests = requested;
            IpcMechanism m = kernel.available(mechanism);
            if (changes != registeredAt) {
                registered = kernel.registered();
                registeredAt = changes;
                unparkPending = !parked.isEmpty();
            }
            boundMechanism = m;
            boundScheduler = kernel.scheduler(scheduler);
            boundMechanismName = m == null ? null : m.name();
        }
    }

    /** @return the mechanism bound at this kernel entry, or null */
    private IpcMechanism mechanismNow() {
        return boundMechanism;
    }

    /** Records that {@code m} (null: none) runs {@code tcb}'s system call or continuation, and its declaration. */
    private void own(int tcb, IpcMechanism m) {
        int i = (tcb >>> 10) & Layout.THREAD_MASK;
        owners[i] = m;
        ownerInThreadIpc[i] = m != null && m.keepsItsStateInThreadIpc();
    }

    /**
     * Who continues (a pending receive part or preempted transfer) or aborts (timeout, lost partner)
     * what {@code tcb} waits in. Such state belongs to the mechanism that ran the thread's latest
     * system call or continuation, its owner: while a mechanism of the owner's name is registered, that
     * one (bound or not). Once none is: for an owner that declared, when it ran the thread, that all its
     * waiting state is L3's thread IPC in the TCBs ({@link IpcMechanism#keepsItsStateInThreadIpc}: l3,
     * ports, dash, a third-party mechanism built on ThreadIpc), the bound mechanism (null when none); for
     * any other (mach: its continuation state and kernel stack are its own) {@link #DEFER}: nobody may,
     * until the owner is registered again.
     */
    private IpcMechanism runnerFor(int tcb) {
        IpcMechanism owner = owners[(tcb >>> 10) & Layout.THREAD_MASK];
        IpcMechanism bound = boundMechanism;
        if (owner == null || owner == bound) {
            return bound;
        }
        IpcMechanism now = registered.get(owner.name());
        if (now != null) {
            return now;
        }
        return ownerInThreadIpc[(tcb >>> 10) & Layout.THREAD_MASK] ? bound : DEFER;
    }

    /**
     * The current thread's continuation must wait for its own mechanism: it leaves the processor in
     * state LOCKED (no sender starts on it; its kernel stack and RESUME kept as they are) until a
     * mechanism of that name is registered again ({@link #unpark}).
     */
    private void park(int me) {
        parked.add(me);
        cpu.store(me + Tcb.STATE, Tcb.LOCKED);
        scheduler().blocked(this, me);
        dispatchNext();
    }

    /** At a clock tick after the registered mechanisms changed: parked threads whose owner is back get ready. */
    private void unpark() {
        unparkPending = false;
        for (Iterator<Integer> it = parked.iterator(); it.hasNext(); ) {
            int t = it.next();
            IpcMechanism owner = owners[(t >>> 10) & Layout.THREAD_MASK];
            if (readKernelWord(t + Tcb.STATE) != Tcb.LOCKED || owner == null) {
                it.remove(); // deleted meanwhile
            } else if (registered.containsKey(owner.name())) {
                it.remove();
                cpu.store(t + Tcb.STATE, Tcb.READY);
                scheduler().preempted(this, t);
            }
        }
    }

    @Override
    public String schedulerName() {
        return scheduler;
    }

    @Override
    public void useScheduler(String name) {
        if (kernel.scheduler(name) == null) {
            throw new IllegalArgumentException("unknown scheduler '" + name + "': installed are " + kernel.schedulers());
        }
        scheduler = name;
        requests.incrementAndGet();
    }

    @Override
    public int state(ThreadId thread) {
        int number = thread.threadNumber();
        int tcb = number > 0 && number <= Layout.THREAD_MASK ? tcbByNumber[number] : 0;
        if (tcb == 0 || readKernelWord(tcb + Tcb.UID_HIGH) != thread.high()) {
            return Tcb.FREE;
        }
        return readKernelWord(tcb + Tcb.STATE);
    }

    private int userPhysical(int task, int linear) {
        requireTask(task);
        int pte = mmu.entry(taskDirectory[task], linear);
        if ((pte & PageFlags.PRESENT) == 0 || Integer.compareUnsigned(linear, Layout.USER_TOP) >= 0) {
            throw new IllegalArgumentException(String.format("0x%08x is not mapped in task %d", linear, task));
        }
        return (pte & PageFlags.FRAME_MASK) | (linear & 0xFFF);
    }

    @Override
    public int peek(int task, int linear) {
        return memory.readWord(userPhysical(task, linear));
    }

    @Override
    public void poke(int task, int linear, int value) {
        memory.writeWord(userPhysical(task, linear), value);
    }

    @Override
    public long ipcCount() {
        return ipcs;
    }

    @Override
    public void checkInvariants() {
        InvariantChecker.check(this);
    }

    // helpers for the invariant checker and tests
    int tcbOfNumber(int number) {
        return tcbByNumber[number];
    }

    int word(int kernelLinear) {
        return readKernelWord(kernelLinear);
    }

    /*
     * The host's per-IPC look-ups of the running thread (its program in run, its stub's address in
     * UserThread) read the uid in its TCB. A TCB's page keeps its frame once the TCB is allocated, so
     * the physical address is remembered per TCB (direct mapped by TCB number) instead of walking
     * the kernel's page tables each time; the uid itself is still read from simulated memory.
     */
    private final int[] physicalTcb = new int[64];
    private final int[] physicalTcbAt = new int[64];

    /** @return the low word of the uid in the TCB at {@code tcb} (free, like {@link #word}) */
    int uidLow(int tcb) {
        int i = (tcb >>> 10) & 63;
        if (physicalTcb[i] != tcb || tcb == 0) {
            physicalTcbAt[i] = physical(tcb);
            physicalTcb[i] = tcb;
        }
        return memory.readWord(physicalTcbAt[i] + Tcb.UID_LOW);
    }

    int currentTcb() {
        return current;
    }

    int idleTcb() {
        return idle;
    }

    // ---------------------------------------------------------------- system calls

    /** Called by the user stub right after its INT: the kernel runs until it returns to some thread. */
    void systemCall(IpcOperation op) {
        ipcs++;
        latch();
        enterKernel();
        IpcMechanism m = mechanismNow();
        if (m == null) {
            cpu.movImm(Reg.EAX, ResultCode.NO_MECHANISM.code());
            returnToUser();
            return;
        }
        own(current, m);
        m.ipc(this, op);
    }

    /** The thread ends (system call {@code exit}). */
    void exitCall() {
        latch();
        enterKernel();
        int me = current();
        kill(me);
        dispatchNext();
    }

    /**
     * Entry after INT: check that DS and ES hold the flat descriptor (5.5.3, 10 cycles), or, with that
     * switch off, save the user's four data segment registers and load the kernel's. A processor
     * without segments (7.4) has no segment registers to check or reload: nothing.
     */
    private void enterKernel() {
        if (checkSegments) {
            cpu.readSegment(Sreg.DS);
            cpu.alu();
            cpu.jcc(false);
            cpu.readSegment(Sreg.ES);
            cpu.alu();
            cpu.jcc(false);
        } else if (reloadSegments) {
            cpu.pushSegment(Sreg.DS);
            cpu.pushSegment(Sreg.ES);
            cpu.pushSegment(Sreg.FS);
            cpu.pushSegment(Sreg.GS);
            cpu.loadSegment(Sreg.DS, KERNEL_DS);
            cpu.loadSegment(Sreg.ES, KERNEL_DS);
        }
    }

    // ---------------------------------------------------------------- KernelContext

    @Override
    public Processor cpu() {
        return cpu;
    }

    @Override
    public ProcessorFeatures features() {
        return features;
    }

    @Override
    public void cleanWindow(int space) {
        if (taggedTlb) {
            cpu.flushTlbTag(space); // a CR3 load keeps a tagged TLB's entries (5.2.3, 7.4)
        } else {
            cpu.movCr3(space);
        }
    }

    @Override
    public void windowDoneBeforeSwitch() {
        if (taggedTlb) {
            cpu.flushTlbTag(mmu.cr3()); // the switch's CR3 load will not clean the window (5.2.3)
        }
    }

    @Override
    public void invalidatePages(int first, int pages) {
        if (features.invlpg()) {
            for (int i = 0; i < pages; i++) {
                cpu.invlpg(first + i * PageFlags.PAGE_SIZE);
            }
        } else {
            // no INVLPG: drop every entry of this space, as a window clean does (a 386 reloads CR3,
            // flushing the whole TLB; a tagged TLB flushes the space's tag)
            cleanWindow(mmu.cr3());
        }
    }

    @Override
    public Scheduler scheduler() {
        Scheduler s = boundScheduler;
        if (s == null) {
            throw new IllegalStateException("scheduler '" + scheduler + "' is not installed");
        }
        return s;
    }

    @Override
    public int current() {
        if (virtualTcb) {
            cpu.alu(); // MOV reg, ESP
            cpu.alu(); // AND reg, -SIZE: the TCB holds the kernel stack (5.2.5)
            return current;
        }
        cpu.load(layout.currentThread());
        return current;
    }

    @Override
    public int tcbOf(int uidLow) {
        if (virtualTcb) {
            cpu.alu(); // AND with the thread mask
            cpu.alu(); // ADD the TCB array base
            return Layout.TCB_ARRAY + (uidLow & (Layout.THREAD_MASK * Tcb.SIZE));
        }
        cpu.alu(); // AND with the thread mask
        cpu.shift(Reg.EBP, uidLow >>> 10); // to a table index
        int tcb = loadKernel(Layout.TCB_TABLE + ((uidLow >>> 10) & Layout.THREAD_MASK) * 4, true);
        return tcb;
    }

    /** A kernel load that survives faults on unused TCBs (the handler maps the empty TCB page). */
    private int loadKernel(int linear, boolean indexed) {
        while (true) {
            try {
                return indexed ? cpu.loadIndexed(linear) : cpu.load(linear);
            } catch (PageFault f) {
                pageFault(f);
            }
        }
    }

    private int compareKernel(int linear) {
        while (true) {
            try {
                return cpu.compare(linear);
            } catch (PageFault f) {
                pageFault(f);
            }
        }
    }

    @Override
    public int lookup(int uidLow, int uidHigh) {
        int tcb = tcbOf(uidLow);
        if (tcb == 0) {
            cpu.alu();
            cpu.jcc(true);
            return 0;
        }
        boolean lowMatches = compareKernel(tcb + Tcb.UID_LOW) == uidLow;
        cpu.jcc(!lowMatches);
        if (!lowMatches) {
            return 0;
        }
        boolean highMatches = compareKernel(tcb + Tcb.UID_HIGH) == uidHigh;
        cpu.jcc(!highMatches);
        return highMatches && uidHigh != 0 ? tcb : 0;
    }

    @Override
    public void switchTo(int from, int to) {
        cpu.store(from + Tcb.STACK_POINTER, cpu.reg(Reg.ESP)); // switch stack
        cpu.load(Reg.ESP, to + Tcb.STACK_POINTER);
        // the 386 segment system takes the kernel stack from the TSS's ESP0 on INT; without segments
        // the processor keeps the supervisor stack pointer itself, left by the IRET to user mode (7.4)
        int stackTop = 0;
        if (virtualTcb) {
            if (segments) {
                stackTop = to + Tcb.SIZE;
                cpu.alu(Reg.EBP, stackTop); // ADD: the new kernel stack bottom
            }
        } else {
            if (segments) {
                stackTop = cpu.load(to + Tcb.STACK_TOP);
            }
            cpu.store(layout.currentThread(), to);
        }
        if (segments) {
            cpu.store(layout.tss() + Processor.TSS_ESP0, stackTop);
        }
        int space = cpu.load(to + Tcb.SPACE); // switch address space
        boolean sameSpace = space == mmu.cr3();
        cpu.alu();
        cpu.jcc(sameSpace);
        if (!sameSpace) {
            // flushes an untagged TLB: the window is clean (5.2.3); a tagged TLB keeps the entries, so
            // every transfer that leaves the window flushed it by tag already (windowDoneBeforeSwitch)
            cpu.movCr3(space);
        } else {
            windowCleanOnSameSpaceSwitch(from);
        }
        current = to;
    }

    /**
     * Same space, other thread: if {@code from}'s transfer uses the communication window, invalidate
     * the window's directory entries and flush the TLB (5.2.3, rules 1 and 2). The thread finds the
     * window unmapped when it continues and the page-fault handler maps it again.
     */
    private void windowCleanOnSameSpaceSwitch(int from) {
        int windowTask = cpu.load(from + Tcb.WINDOW_TASK);
        cpu.alu();
        cpu.jcc(windowTask == 0);
        if (windowTask != 0) {
            int pde = Layout.OWN_PAGE_DIRECTORY + (Layout.WINDOW >>> 22) * 4;
            cpu.store(pde, 0);
            cpu.store(pde + 4, 0);
            cleanWindow(mmu.cr3());
        }
    }

    @Override
    public void returnToUser() {
        if (reloadSegments) {
            cpu.popSegment(Sreg.GS);
            cpu.popSegment(Sreg.FS);
            cpu.popSegment(Sreg.ES);
            cpu.popSegment(Sreg.DS);
        }
        cpu.iret();
    }

    @Override
    public void resume() {
        int me = current;
        int how = cpu.load(me + Tcb.RESUME);
        cpu.alu();
        cpu.jcc(how != Tcb.RESUME_DIRECT);
        switch (how) {
            case Tcb.RESUME_DIRECT -> returnToUser();
            case Tcb.RESUME_RESULTS -> {
                cpu.load(Reg.EAX, me + Tcb.SAVED_EAX);
                cpu.load(Reg.EBX, me + Tcb.SAVED_EBX);
                cpu.load(Reg.ECX, me + Tcb.SAVED_ECX);
                cpu.load(Reg.EDX, me + Tcb.SAVED_EDX);
                cpu.load(Reg.ESI, me + Tcb.SAVED_ESI);
                cpu.store(me + Tcb.RESUME, Tcb.RESUME_DIRECT);
                returnToUser();
            }
            case Tcb.RESUME_INTERRUPTED -> {
                cpu.store(me + Tcb.RESUME, Tcb.RESUME_DIRECT);
                popRegisters();
                returnToUser();
            }
            case Tcb.RESUME_TRANSFER -> {
                if (runnerFor(me) == DEFER) {
                    park(me);
                    return;
                }
                cpu.store(me + Tcb.RESUME, Tcb.RESUME_DIRECT);
                // another thread of this space may have used the window since: invalidate it, so the
                // transfer's first access faults and the handler maps this thread's region again (5.2.3)
                int pde = Layout.OWN_PAGE_DIRECTORY + (Layout.WINDOW >>> 22) * 4;
                cpu.store(pde, 0);
                cpu.store(pde + 4, 0);
                cleanWindow(mmu.cr3());
                IpcMechanism m = runnerFor(me);
                if (m == null) {
                    // nothing can continue the transfer: the send ends with NO_MECHANISM, undelivered,
                    // and the receiver is unlocked and goes on waiting (as when a sender dies)
                    abandonTransfer(me);
                    cpu.store(me + Tcb.STATE, Tcb.READY);
                    cpu.movImm(Reg.EAX, ResultCode.NO_MECHANISM.code());
                    returnToUser();
                } else {
                    own(me, m);
                    m.resumeTransfer(this);
                }
            }
            case Tcb.RESUME_RECEIVE -> {
                if (runnerFor(me) == DEFER) {
                    park(me);
                    return;
                }
                cpu.store(me + Tcb.RESUME, Tcb.RESUME_DIRECT);
                cpu.load(Reg.EAX, me + Tcb.RECEIVE_BUFFER);
                cpu.load(Reg.EDX, me + Tcb.PARTNER_LOW);
                cpu.load(Reg.ESI, me + Tcb.PARTNER_HIGH);
                cpu.load(Reg.EDI, me + Tcb.TIMEOUTS);
                IpcMechanism m = runnerFor(me);
                if (m == null) {
                    cpu.movImm(Reg.EAX, ResultCode.NO_MECHANISM.code());
                    returnToUser();
                } else {
                    own(me, m);
                    m.ipc(this, org.l3wb.kernel.api.IpcOperation.RECEIVE);
                }
            }
            default -> throw new IllegalStateException("TCB " + Integer.toHexString(me) + " has resume kind " + how);
        }
    }

    private void pushRegisters() {
        for (Reg r : SAVED) {
            cpu.push(cpu.reg(r));
        }
    }

    private void popRegisters() {
        for (int i = SAVED.length - 1; i >= 0; i--) {
            cpu.setReg(SAVED[i], cpu.pop());
        }
    }

    private static final Reg[] SAVED = {Reg.EAX, Reg.EBX, Reg.ECX, Reg.EDX, Reg.ESI, Reg.EDI, Reg.EBP};

    @Override
    public void saveResults(int tcb, int eax, int ebx, int ecx, int edx, int esi) {
        cpu.store(tcb + Tcb.SAVED_EAX, eax);
        cpu.store(tcb + Tcb.SAVED_EBX, ebx);
        cpu.store(tcb + Tcb.SAVED_ECX, ecx);
        cpu.store(tcb + Tcb.SAVED_EDX, edx);
        cpu.store(tcb + Tcb.SAVED_ESI, esi);
        cpu.store(tcb + Tcb.RESUME, Tcb.RESUME_RESULTS);
    }

    @Override
    public void pageFault(PageFault fault) {
        int eip = cpu.eip();
        cpu.hardwareInterrupt(PAGE_FAULT_VECTOR);
        cpu.jumpTo(FAULT_CODE);
        int linear = fault.linear();
        boolean tcbArea = Integer.compareUnsigned(linear, Layout.TCB_ARRAY) >= 0 && virtualTcb;
        boolean window = (linear & ~(2 * PageFlags.REGION_SIZE - 1)) == Layout.WINDOW;
        cpu.alu();
        cpu.jcc(!tcbArea);
        if (tcbArea && fault.cause() == PageFault.Cause.NOT_PRESENT) {
            // an unused thread's TCB: map the empty TCB, whose uid matches no thread (5.2.5)
            int pdeFrame = memory.readWord(kernelDirectory + (linear >>> 22) * 4) & PageFlags.FRAME_MASK;
            int pteAddress = pdeFrame + ((linear >>> 12) & 0x3FF) * 4;
            cpu.store(Layout.PHYSICAL_MAP + pteAddress, nullTcbFrame | PageFlags.PRESENT | kernelGlobal);
            cpu.iret();
            cpu.jumpTo(eip);
            return;
        }
        cpu.alu();
        cpu.jcc(!window);
        if (window && fault.cause() == PageFault.Cause.NOT_PRESENT) {
            int me = current;
            int task = cpu.load(me + Tcb.WINDOW_TASK);
            int region = cpu.load(me + Tcb.WINDOW_REGION);
            if (task != 0) {
                int directory = Layout.PAGE_DIRECTORIES + task * PageFlags.PAGE_SIZE;
                int own = Layout.OWN_PAGE_DIRECTORY + (Layout.WINDOW >>> 22) * 4;
                int first = cpu.loadIndexed(directory + region * 4);
                int second = cpu.loadIndexed(directory + (region + 1) * 4);
                boolean invalidated = cpu.compare(own) != first | cpu.compare(own + 4) != second;
                cpu.jcc(!invalidated);
                if (invalidated) {
                    // the window was taken from us by a thread switch: map our region again (5.2.3)
                    cpu.storeIndexed(own, first);
                    cpu.storeIndexed(own + 4, second);
                    cpu.iret();
                    cpu.jumpTo(eip);
                    return;
                }
                // the window maps our region: the partner's page itself is missing, a real fault
            }
        }
        cpu.iret();
        cpu.jumpTo(eip);
        throw fault;
    }

    @Override
    public long now() {
        int base = cpu.load(layout.clockBase());
        int offset = cpu.load(layout.clockOffset());
        cpu.alu();
        return (base & 0xFFFF_FFFFL) + offset;
    }

    @Override
    public void dispatchNext() {
        Scheduler s = scheduler();
        int next = s.next(this);
        int from = current;
        if (next == 0) {
            if (from != idle) {
                switchTo(from, idle);
            }
            cpu.jumpTo(IDLE_CODE);
            // the idle loop keeps nothing on its stack: start it afresh, whatever frames were left
            cpu.movImm(Reg.ESP, idleStackTop);
            return;
        }
        s.newTimeslice(this);
        if (next != from) {
            switchTo(from, next);
        }
        resume();
    }

    @Override
    public boolean preemptionPending() {
        return cpu.timerDue();
    }

    @Override
    public boolean clockInterruptInKernel() {
        int eip = cpu.eip();
        cpu.hardwareInterrupt(CLOCK_VECTOR);
        cpu.jumpTo(CLOCK_CODE);
        tick();
        boolean exhausted = scheduler().timesliceExhausted(this);
        cpu.iret();
        cpu.jumpTo(eip);
        return exhausted;
    }

    /** The clock tick's work: time, wakeups (aborting expired waits), acknowledgement. */
    private void tick() {
        cpu.acknowledgeTimer();
        int[] expired = scheduler().tick(this);
        for (int t : expired) {
            int state = cpu.load(t + Tcb.STATE);
            if (state == Tcb.POLLING) {
                abortWait(t, ResultCode.SEND_TIMEOUT);
            } else if (state == Tcb.RECEIVING) {
                abortWait(t, ResultCode.RECEIVE_TIMEOUT);
            }
        }
    }

    /** Clock interrupt from user level (or the idle loop): maybe end the time slice. */
    private void clockInterrupt(boolean fromUser) {
        latch();
        cpu.jumpTo(CLOCK_CODE);
        if (fromUser) {
            if (reloadSegments) {
                cpu.pushSegment(Sreg.DS);
                cpu.pushSegment(Sreg.ES);
                cpu.pushSegment(Sreg.FS);
                cpu.pushSegment(Sreg.GS);
            }
            pushRegisters();
        }
        if (unparkPending) {
            unpark();
        }
        tick();
        Scheduler s = scheduler();
        int me = current;
        if (me == idle) {
            int next = s.next(this);
            if (next == 0) {
                cpu.iret();
                return;
            }
            s.newTimeslice(this);
            switchTo(idle, next);
            resume();
            return;
        }
        if (s.timesliceExhausted(this)) {
            // end of time slice: the thread stays ready, so it must be in the ready queue (5.3.4)
            cpu.store(me + Tcb.RESUME, Tcb.RESUME_INTERRUPTED);
            s.preempted(this, me);
            int next = s.next(this);
            s.newTimeslice(this);
            if (next != me && next != 0) {
                switchTo(me, next);
            }
            resume();
            return;
        }
        popRegisters();
        returnToUser();
    }
}

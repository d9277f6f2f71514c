package org.l3wb.lab.appendix;

import org.l3wb.hw.api.Descriptors;
import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.Mmu;
import org.l3wb.hw.api.Mode;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.PhysicalMemory;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.api.Sreg;

/**
 * The minimal machine state the paper's appendix tables assume: two address spaces A and B, each
 * with one thread, and a kernel area shared by both (the same page tables referenced from both page
 * directories). The layout follows section 5: thread control blocks in a virtual array with the
 * kernel stack at the top of each TCB (5.2.4, 5.2.5); descriptor tables GDT, IDT and TSS condensed
 * into one page (5.5.2); a virtual array of all page directories plus a fixed per-space address of
 * the space's own directory, so temporary mapping is two loads and two stores (5.2.5, figure 5);
 * the global port table and a virtual array of port link tables for section 7.1.
 *
 * <p>This is scaffolding for the appendix sequences only; the nucleus has its own, complete layout.
 */
final class TwoSpaceLayout {
    /*
     * Careful placement (5.5.1, 5.5.2): the on-chip cache indexes sets by address bits 10..4, so
     * page-aligned structures and the entries of small page-table indices would all crowd set 0.
     * The addresses below spread the lines the IPC path touches (TCB fields, kernel stacks, GDT,
     * TSS, IDT gate, page-directory and page-table entries of every page used, code, buffers) over
     * different sets, and the pages over different TLB sets, so that the steady state has the cache
     * hits the appendix assumes.
     */
    static final int USER_CODE = 0x0008_1600;
    static final int USER_DATA = 0x0010_2300;
    static final int KERNEL_CODE = 0xE004_0000;
    /** GDT at +0x200, TSS at +0x280, IDT at +0x800: one page, one TLB entry. */
    static final int TABLES = 0xE004_1000;
    static final int GDT = TABLES + 0x200;
    static final int TSS = TABLES + 0x280;
    static final int IDT = TABLES + 0x800;
    static final int PDIR_ARRAY = 0xE042_0000;
    static final int PORT_TABLE = 0xE084_0000;
    static final int PORT_LINKS = 0xE0C6_0000;
    static final int WINDOW = 0xEF00_0000;
    static final int OWN_PDIR = 0xEFC4_0000;
    static final int TCBS = 0xF000_0000;
    static final int TCB_SIZE = 1024;
    static final int THREADS_PER_TASK = 128;
    static final int PORT_LINKS_PER_TASK = 512;

    /** Offsets of the TCB fields the sequences touch; hot fields share the TCB's first line. */
    static final int UID_LOW = 0;
    static final int UID_HIGH = 4;
    static final int STACK_POINTER = 8;
    static final int PAGE_DIRECTORY = 12;
    static final int PAGE_DIRECTORY_VIRTUAL = 16;
    static final int RECEIVE_BUFFER = 20;

    /** Port table entries: receiving thread, reply port entered by the sender, receiver's reply link. */
    static final int PORT_ENTRY_SIZE = 16;
    static final int PORT_THREAD = 0;
    static final int PORT_REPLY_TO = 4;
    static final int PORT_REPLY_LINK = 8;
    /** Port links are (read, write) pairs of port numbers. */
    static final int PORT_LINK_SIZE = 8;
    static final int PORT_LINK_WRITE = 4;
    static final int PORT_TO_B = 1;
    static final int PORT_TO_A = 2;
    static final int REPLY_LINK = 1;

    static final int IPC_VECTOR = 0x30;
    static final int IPC_ENTRY = KERNEL_CODE + 0x500;
    static final int KERNEL_CS = Descriptors.selector(1, 0);
    static final int KERNEL_DS = Descriptors.selector(2, 0);
    static final int USER_CS = Descriptors.selector(3, 3);
    static final int USER_DS = Descriptors.selector(4, 3);

    /** One thread and its address space. */
    static final class Space {
        final int task;
        final int tcb;
        final int pageDirectory;
        final int uidLow;
        final int uidHigh;
        final int portLinks;
        final int receiveBuffer = USER_DATA + 0x480;
        final int sendBuffer = USER_DATA;
        final int replyPort;

        Space(int task, int pageDirectory) {
            this.task = task;
            int threadNo = task * THREADS_PER_TASK;
            this.tcb = TCBS + threadNo * TCB_SIZE;
            this.pageDirectory = pageDirectory;
            this.uidLow = threadNo;
            this.uidHigh = 0x0001_0000 | task; // generation 1, chief = task
            this.portLinks = PORT_LINKS + task * PORT_LINKS_PER_TASK * PORT_LINK_SIZE;
            this.replyPort = task == 1 ? PORT_TO_A : PORT_TO_B;
        }

        int kernelStackTop() {
            return tcb + TCB_SIZE;
        }
    }

    final Machine machine;
    final Space a;
    final Space b;

    TwoSpaceLayout(Machine machine) {
        this.machine = machine;
        PhysicalMemory memory = machine.memory();
        Mmu mmu = machine.mmu();
        int pdirA = memory.allocateFrame();
        int pdirB = memory.allocateFrame();
        int kernel = memory.allocateFrame();
        a = new Space(1, pdirA);
        b = new Space(2, pdirB);

        int code = memory.allocateFrame();
        int tables = memory.allocateFrame();
        mmu.map(kernel, KERNEL_CODE, code, 0);
        mmu.map(kernel, TABLES, tables, PageFlags.WRITABLE);
        mmu.map(kernel, PORT_TABLE, memory.allocateFrame(), PageFlags.WRITABLE);
        for (Space s : new Space[] {a, b}) {
            mmu.map(kernel, PDIR_ARRAY + s.task * PageFlags.PAGE_SIZE, s.pageDirectory, PageFlags.WRITABLE);
            mmu.map(kernel, s.tcb, memory.allocateFrame(), PageFlags.WRITABLE);
            mmu.map(kernel, s.portLinks, memory.allocateFrame(), PageFlags.WRITABLE);
        }
        for (Space s : new Space[] {a, b}) {
            // share the kernel area's page tables
            for (int pde = KERNEL_CODE >>> 22; pde < 1024; pde++) {
                memory.writeWord(s.pageDirectory + pde * 4, memory.readWord(kernel + pde * 4));
            }
            mmu.map(s.pageDirectory, USER_CODE & PageFlags.FRAME_MASK, memory.allocateFrame(), PageFlags.USER);
            mmu.map(s.pageDirectory, USER_DATA & PageFlags.FRAME_MASK, memory.allocateFrame(),
                    PageFlags.USER | PageFlags.WRITABLE);
            mmu.map(s.pageDirectory, OWN_PDIR, s.pageDirectory, PageFlags.WRITABLE);
            writeTcb(memory, mmu, kernel, s);
        }
        writeDescriptorTables(memory, tables);
        writePorts(memory, mmu, kernel);
        boot();
    }

    private static void writeTcb(PhysicalMemory memory, Mmu mmu, int kernel, Space s) {
        int frame = mmu.entry(kernel, s.tcb) & PageFlags.FRAME_MASK;
        int base = frame + (s.tcb & 0xFFF);
        memory.writeWord(base + UID_LOW, s.uidLow);
        memory.writeWord(base + UID_HIGH, s.uidHigh);
        memory.writeWord(base + PAGE_DIRECTORY, s.pageDirectory);
        memory.writeWord(base + PAGE_DIRECTORY_VIRTUAL, PDIR_ARRAY + s.task * PageFlags.PAGE_SIZE);
        memory.writeWord(base + RECEIVE_BUFFER, s.receiveBuffer);
        // the thread is blocked in the kernel: its stack holds the frame its INT pushed
        int frameTop = base + TCB_SIZE;
        memory.writeWord(frameTop - 4, USER_DS);          // SS
        memory.writeWord(frameTop - 8, (USER_DATA & PageFlags.FRAME_MASK) + 0xFFC); // ESP (user stack, unused)
        memory.writeWord(frameTop - 12, 0x202);           // EFLAGS
        memory.writeWord(frameTop - 16, USER_CS);         // CS
        memory.writeWord(frameTop - 20, AppendixSequences.RESUME); // EIP: after its INT
        memory.writeWord(base + STACK_POINTER, s.kernelStackTop() - 20);
    }

    /**
     * Port 1 leads to B, port 2 to A; each space's link 0 is a write link to the other's port, and
     * each port entry names the reply link of its receiver (section 7.1, figure 9).
     */
    private void writePorts(PhysicalMemory memory, Mmu mmu, int kernel) {
        int ports = mmu.entry(kernel, PORT_TABLE) & PageFlags.FRAME_MASK;
        writePort(memory, ports, PORT_TO_B, b);
        writePort(memory, ports, PORT_TO_A, a);
        int linksA = mmu.entry(kernel, a.portLinks) & PageFlags.FRAME_MASK;
        int linksB = mmu.entry(kernel, b.portLinks) & PageFlags.FRAME_MASK;
        memory.writeWord(linksA + PORT_LINK_WRITE, PORT_TO_B);
        memory.writeWord(linksB + PORT_LINK_WRITE, PORT_TO_A);
    }

    private static void writePort(PhysicalMemory memory, int ports, int port, Space receiver) {
        int entry = ports + port * PORT_ENTRY_SIZE;
        memory.writeWord(entry + PORT_THREAD, receiver.tcb);
        memory.writeWord(entry + PORT_REPLY_LINK, receiver.task * PORT_LINKS_PER_TASK + REPLY_LINK);
    }

    private static void writeDescriptorTables(PhysicalMemory memory, int tables) {
        int[][] gdt = {
            {0, 0},
            {Descriptors.flatSegmentLow(), Descriptors.flatSegmentHigh(true, 0)},
            {Descriptors.flatSegmentLow(), Descriptors.flatSegmentHigh(false, 0)},
            {Descriptors.flatSegmentLow(), Descriptors.flatSegmentHigh(true, 3)},
            {Descriptors.flatSegmentLow(), Descriptors.flatSegmentHigh(false, 3)},
        };
        int gdtBase = tables + (GDT - TABLES);
        for (int i = 0; i < gdt.length; i++) {
            memory.writeWord(gdtBase + i * 8, gdt[i][0]);
            memory.writeWord(gdtBase + i * 8 + 4, gdt[i][1]);
        }
        int gate = tables + (IDT - TABLES) + IPC_VECTOR * 8;
        memory.writeWord(gate, Descriptors.gateLow(KERNEL_CS, IPC_ENTRY));
        memory.writeWord(gate + 4, Descriptors.gateHigh(IPC_ENTRY, 3));
        memory.writeWord(tables + (TSS - TABLES) + org.l3wb.hw.api.Processor.TSS_SS0, KERNEL_DS);
    }

    /** Loads the tables and enters thread A at user level through its saved frame, as after a reply. */
    private void boot() {
        Processor cpu = machine.cpu();
        cpu.setMode(Mode.KERNEL);
        cpu.setSreg(Sreg.CS, KERNEL_CS);
        cpu.setSreg(Sreg.SS, KERNEL_DS);
        machine.mmu().loadCr3(a.pageDirectory); // paging was enabled with A's directory
        cpu.jumpTo(KERNEL_CODE);
        cpu.loadDescriptorTables(GDT, IDT, TSS);
        cpu.store(TSS + Processor.TSS_ESP0, a.kernelStackTop());
        cpu.load(Reg.ESP, a.tcb + STACK_POINTER);
        cpu.iret();
    }
}

package org.l3wb.lab.appendix;

import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.Mmu;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.PhysicalMemory;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.Kernel;
import org.l3wb.kernel.api.KernelLayout;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.api.UserContext;

/**
 * The machine state the paper's appendix tables assume, made by the nucleus itself: a nucleus booted
 * with every Table 1 switch on (virtual TCBs with the kernel stack inside, 5.2.4 and 5.2.5; descriptor
 * tables condensed into one page, 5.5.2; the virtual array of page directories and each space's own
 * directory, 5.2.5 and figure 5), two tasks A and B with one thread each, created by the nucleus. Every
 * address the sequences touch is the nucleus's: its TCBs and their {@link Tcb} fields, its descriptor
 * tables, kernel code, page directories, communication window and the user code its threads start in.
 *
 * <p>What the nucleus does not have, the appendix adds as the user program and the paper's section 7.1
 * define it: a user data page (the message, B's receive buffer, whose address B's TCB holds as a pending
 * receive does) and the port table and port link tables of figure 9, placed in a mechanism data region
 * the nucleus hands the appendix ({@link KernelLayout#mechanismData}), as it would to a port mechanism.
 *
 * <p>The nucleus never runs a thread here: the appendix drives the processor through the paper's
 * instructions itself, from A's user level ({@link #KernelSpaces} ends with the IRET into A).
 */
final class KernelSpaces {
    /** The user program's data: the message at the start, the receive buffer at {@link #RECEIVE_OFFSET}. */
    static final int USER_DATA = 0x0010_2300;
    static final int RECEIVE_OFFSET = 0x480;
    /** The name under which the nucleus hands the appendix a mechanism data region for its port tables. */
    static final String PORTS_REGION = "appendix";
    /*
     * Placement in that region (5.5.1): the port table's page in TLB set 0, its entries in cache sets
     * 1..; the link tables in a 4 MB region of their own (their own page table), A's and B's in TLB
     * sets 1 and 2.
     */
    static final int PORT_TABLE_OFFSET = 0x0084_0000;
    static final int PORT_LINKS_OFFSET = 0x00C6_0000;
    /** Port table entries (7.1, Table 5): receiving thread (TCB), reply port entered by the sender, receiver's reply link. */
    static final int PORT_ENTRY_SIZE = 16;
    static final int PORT_THREAD = 0;
    static final int PORT_REPLY_TO = 4;
    static final int PORT_REPLY_LINK = 8;
    /** Port links are (read, write) pairs of port numbers; a task's table has 512 of them. */
    static final int PORT_LINK_SIZE = 8;
    static final int PORT_LINK_WRITE = 4;
    static final int PORT_LINKS_PER_TASK = 512;
    /** Port 1 leads to B, port 2 to A; link 1 of each task is its reply link. */
    static final int PORT_TO_B = 1;
    static final int PORT_TO_A = 2;
    static final int REPLY_LINK = 1;

    /**
     * One thread and its address space, as the nucleus made them.
     *
     * @param task      the task number
     * @param id        the thread's uid
     * @param tcb       its TCB in the virtual TCB array
     * @param space     its page directory, physical (the CR3 value, {@link Tcb#SPACE})
     * @param code      where its user code starts (the EIP of the frame the nucleus left on its kernel stack)
     * @param portLinks its port link table
     * @param replyPort the port that leads to it
     */
    record Space(int task, ThreadId id, int tcb, int space, int code, int portLinks, int replyPort) {
        int sendBuffer() {
            return USER_DATA;
        }

        int receiveBuffer() {
            return USER_DATA + RECEIVE_OFFSET;
        }

        /** @return the top of its kernel stack: the TCB's end (5.2.5) */
        int kernelStackTop() {
            return tcb + Tcb.SIZE;
        }
    }

    final Machine machine;
    final Nucleus nucleus;
    final KernelLayout layout;
    final int portTable;
    final int portLinks;
    final Space a;
    final Space b;

    KernelSpaces(Machine machine, Kernel kernel, String mechanism, String scheduler) {
        this.machine = machine;
        this.nucleus = kernel.boot(machine, Switches.ALL_ON, mechanism, scheduler);
        this.layout = nucleus.layout();
        int region = layout.mechanismData(PORTS_REGION);
        this.portTable = region + PORT_TABLE_OFFSET;
        this.portLinks = region + PORT_LINKS_OFFSET;
        this.a = space(nucleus.createTask(), PORT_TO_A);
        this.b = space(nucleus.createTask(), PORT_TO_B);
        for (Space s : new Space[] {a, b}) {
            writeKernelWord(s.tcb + Tcb.RECEIVE_BUFFER, s.receiveBuffer()); // its pending receive (Table 6's EAX)
        }
        writePorts();
        enter(a);
    }

    /** A task's thread, created by the nucleus (it never runs its program: the appendix drives the processor). */
    private Space space(int task, int replyPort) {
        ThreadId id = nucleus.createThread(task, UserContext::exit);
        nucleus.mapUser(task, USER_DATA & PageFlags.FRAME_MASK, 1, true);
        int tcb = layout.tcbArray() + (id.low() & layout.threadMask() * Tcb.SIZE); // mask and add (5.3.1)
        int code = kernelWord(kernelWord(tcb + Tcb.STACK_POINTER)); // the frame's EIP: the start of its code
        return new Space(task, id, tcb, kernelWord(tcb + Tcb.SPACE), code,
                portLinks + task * PORT_LINKS_PER_TASK * PORT_LINK_SIZE, replyPort);
    }

    /**
     * Port 1 leads to B, port 2 to A; each space's link 0 is a write link to the other's port, and each
     * port entry names the reply link of its receiver (section 7.1, figure 9). Pages mapped as the
     * nucleus maps its kernel pages (global where it does), free set-up.
     */
    private void writePorts() {
        mapKernelPage(portTable);
        writePort(PORT_TO_B, b);
        writePort(PORT_TO_A, a);
        for (Space s : new Space[] {a, b}) {
            mapKernelPage(s.portLinks);
            writeKernelWord(s.portLinks + PORT_LINK_WRITE, s == a ? PORT_TO_B : PORT_TO_A);
        }
    }

    private void writePort(int port, Space receiver) {
        int entry = portTable + port * PORT_ENTRY_SIZE;
        writeKernelWord(entry + PORT_THREAD, receiver.tcb);
        writeKernelWord(entry + PORT_REPLY_LINK, receiver.task * PORT_LINKS_PER_TASK + REPLY_LINK);
    }

    /** Enters {@code s}'s thread at user level through the frame the nucleus left on its stack, as after a reply. */
    private void enter(Space s) {
        Processor cpu = machine.cpu();
        machine.mmu().loadCr3(s.space); // as though s had been running
        cpu.store(Reg.NONE, layout.tss() + Processor.TSS_ESP0, Reg.EAX, s.kernelStackTop());
        cpu.loadRegister(Reg.ESP, Reg.EBP, s.tcb + Tcb.STACK_POINTER);
        cpu.iret();
    }

    /** @return the page directory of the kernel area (every space shares its page tables) */
    private int kernelDirectory() {
        return machine.mmu().cr3();
    }

    private void mapKernelPage(int linear) {
        Mmu mmu = machine.mmu();
        int global = mmu.entry(kernelDirectory(), layout.kernelCode()) & PageFlags.GLOBAL;
        mmu.map(kernelDirectory(), linear & PageFlags.FRAME_MASK, machine.memory().allocateFrame(),
                PageFlags.WRITABLE | global);
    }

    private int physical(int linear) {
        int pte = machine.mmu().entry(kernelDirectory(), linear);
        return (pte & PageFlags.FRAME_MASK) | (linear & 0xFFF);
    }

    /** @return a kernel dword, read without cycles (set-up) */
    int kernelWord(int linear) {
        return machine.memory().readWord(physical(linear));
    }

    private void writeKernelWord(int linear, int value) {
        PhysicalMemory memory = machine.memory();
        memory.writeWord(physical(linear), value);
    }
}

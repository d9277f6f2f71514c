package org.l3wb.lab.appendix;

import static org.l3wb.lab.appendix.KernelSpaces.*;

import java.util.ArrayList;
import java.util.List;

import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.Mode;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.api.Statistics;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.Kernel;
import org.l3wb.kernel.api.KernelLayout;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.lab.appendix.KernelSpaces.Space;
/**
 * The paper's appendix tables 3, 4 and 5 executed instruction by instruction on a simulated machine,
 * on the nucleus's own TCBs, tables and spaces ({@link KernelSpaces}).
 *
 * <p>Each table runs inside a complete user-to-user transfer between the nucleus's two spaces: A's user
 * code loads B's id and traps, the kernel checks B's TCB, switches stack and address space and returns
 * to B, which inspects the message. Transfers alternate A to B and B to A so that TLB and caches reach
 * the steady state the footnotes assume (cache hits, TLB flushed by the last address-space switch, the
 * current space's kernel stack, GDT page, kernel code and user code entries reloaded since); then one
 * A-to-B transfer is measured, around the table's own instructions only. The misses are what the TLB
 * model observes, never counted by hand. These are the paper's minimal sequences, not the kernel's
 * path: {@link KernelPaths} traces the kernel's path for the same operations beside them.
 *
 * <p>Registers: B's TCB in EBP, the destination's uid in EDX and ESI, the message as Table 6 passes it;
 * A's TCB is the current one, found from ESP (5.2.5), in EAX where the sequence reaches it.
 */
public final class AppendixSequences {
    private static final int WARM_UP_ROUND_TRIPS = 4;
    private static final int MESSAGE_WORD = 0x4c33_4950; // "PI3L"
    /** The system call the sequences trap with: the call, whose 8-byte path the kernel's side traces. */
    static final IpcOperation OPERATION = IpcOperation.CALL;

    /** The three sequences. */
    public enum Table {
        NULL_IPC(3, "minimal null IPC, user A -> kernel -> user B"),
        TEMPORARY_MAPPING(4, "temporary mapping of B's receive buffer and a one-dword copy"),
        PORT_ACCESS(5, "port access (section 7.1)");

        final int number;
        final String action;

        Table(int number, String action) {
            this.number = number;
            this.action = action;
        }

        public int number() {
            return number;
        }

        public String action() {
            return action;
        }
    }

    private final MachineFactory factory;
    private final ProcessorModel model;
    private final Kernel kernel;
    private final String mechanism;
    private final String scheduler;

    /**
     * @param kernel    boots the nucleus whose layout the sequences run on
     * @param mechanism the mechanism to request (none of its code runs: the appendix drives the processor)
     * @param scheduler the scheduler to boot with (it runs only while the nucleus creates the threads)
     */
    public AppendixSequences(MachineFactory factory, ProcessorModel model, Kernel kernel, String mechanism,
            String scheduler) {
        this.factory = factory;
        this.model = model;
        this.kernel = kernel;
        this.mechanism = mechanism;
        this.scheduler = scheduler;
    }

    /** @return tables 3, 4 and 5, each on a freshly built machine */
    public List<AppendixResult> runAll() {
        List<AppendixResult> rows = new ArrayList<>();
        for (Table t : Table.values()) {
            rows.add(run(t));
        }
        return rows;
    }

    /** @return one table executed on a fresh machine in the footnotes' steady state */
    public AppendixResult run(Table table) {
        Run r = new Run(factory.create(model), table);
        for (int i = 0; i < WARM_UP_ROUND_TRIPS; i++) {
            r.transfer(r.spaces.a, r.spaces.b, false);
            r.transfer(r.spaces.b, r.spaces.a, false);
        }
        r.transfer(r.spaces.a, r.spaces.b, true);
        return r.result();
    }

    /** The spaces of the last {@link #run}: for tests that look at memory afterwards. */
    KernelSpaces lastSpaces;

    /** One machine, one table, and the probe around the measured instructions. */
    private final class Run {
        final Machine machine;
        final Processor cpu;
        final KernelSpaces spaces;
        final KernelLayout layout;
        final Table table;
        final List<String> missPages = new ArrayList<>();
        Statistics before;
        Statistics measured;

        Run(Machine machine, Table table) {
            this.machine = machine;
            this.cpu = machine.cpu();
            this.spaces = new KernelSpaces(machine, kernel, mechanism, scheduler);
            this.layout = spaces.layout;
            this.table = table;
            lastSpaces = spaces;
        }

        void start(boolean measure) {
            if (measure) {
                before = machine.statistics().copy();
                machine.mmu().onTlbMiss(page -> missPages.add(name(page)));
            }
        }

        void stop(boolean measure) {
            if (measure) {
                measured = machine.statistics().since(before);
                machine.mmu().onTlbMiss(null);
            }
        }

        /** One user-to-user transfer from {@code from} to {@code to}; {@code measure} probes the table. */
        void transfer(Space from, Space to, boolean measure) {
            // user level in `from`, at the top of its program: the message (a dope: 4 bytes, one word)
            cpu.store(Reg.NONE, from.sendBuffer(), Reg.NONE, 4);
            cpu.store(Reg.NONE, from.sendBuffer() + 4, Reg.NONE, MESSAGE_WORD ^ from.task());
            if (table == Table.NULL_IPC) {
                start(measure);
            }
            cpu.movImm(Reg.EDX, to.id().low()); // load id of B
            cpu.movImm(Reg.ESI, to.id().high());
            cpu.movImm(Reg.ECX, table == Table.NULL_IPC ? 0 : from.sendBuffer()); // message (length 0)
            cpu.softwareInterrupt(OPERATION.vector()); // call kernel
            // kernel
            if (table == Table.PORT_ACCESS) {
                cpu.load(Reg.ECX, Reg.NONE, from.portLinks()); // the link table's bound, read on entry (not in table 5)
                start(measure);
                portAccess(from);
                stop(measure);
            } else {
                cpu.compare(Reg.EDX, Reg.EBP, to.tcb() + Tcb.UID_LOW); // access B: uid check against B's TCB
                cpu.alu(Reg.ESI, Reg.NONE);
                cpu.jcc(false);
            }
            if (table == Table.TEMPORARY_MAPPING) {
                start(measure);
                temporaryMapping(from, to);
                stop(measure);
            }
            cpu.loadRegister(Reg.EDX, Reg.EAX, from.tcb() + Tcb.UID_LOW); // load id of A
            cpu.loadRegister(Reg.ESI, Reg.EAX, from.tcb() + Tcb.UID_HIGH);
            cpu.store(Reg.EAX, from.tcb() + Tcb.STACK_POINTER, Reg.ESP, cpu.reg(Reg.ESP)); // switch stack
            cpu.loadRegister(Reg.ESP, Reg.EBP, to.tcb() + Tcb.STACK_POINTER);
            cpu.alu(Reg.EAX, Reg.EBP, to.kernelStackTop());
            cpu.store(Reg.NONE, layout.tss() + Processor.TSS_ESP0, Reg.EAX, to.kernelStackTop());
            cpu.movCr3(cpu.load(Reg.EAX, Reg.EBP, to.tcb() + Tcb.SPACE)); // switch address space
            cpu.iret(); // return to user
            // user level in `to`
            cpu.alu(Reg.EAX, Reg.EAX); // inspect msg
            cpu.jcc(false);
            if (table == Table.NULL_IPC) {
                stop(measure);
            }
            cpu.jmp(to.code());
        }

        /**
         * Table 4: map B's receive region into A's communication window and copy through it. B's page
         * directory is reached through the TCB's {@link Tcb#SPACE} and the kernel's map of physical memory.
         */
        private void temporaryMapping(Space from, Space to) {
            int rcv = cpu.load(Reg.EAX, Reg.EBP, to.tcb() + Tcb.RECEIVE_BUFFER); // load rcv addr
            cpu.alu(Reg.EBX, Reg.EAX, rcv); // calc 8 MB region
            cpu.shift(Reg.EBX, rcv >>> 22);
            int pdirTo = layout.physicalMap() + cpu.load(Reg.EDX, Reg.EBP, to.tcb() + Tcb.SPACE); // load pdir B addr
            int region = rcv >>> 22;
            int window = layout.communicationWindow() >>> 22;
            int ownPdir = layout.ownPageDirectory();
            // copy pdir entries (the paper counts the stores as indexed)
            cpu.store(Reg.NONE, Reg.NONE, ownPdir + window * 4, Reg.EAX,
                    cpu.load(Reg.EAX, Reg.EDX, Reg.EBX, pdirTo + region * 4));
            cpu.store(Reg.NONE, Reg.NONE, ownPdir + (window + 1) * 4, Reg.EAX,
                    cpu.load(Reg.EAX, Reg.EDX, Reg.EBX, pdirTo + (region + 1) * 4));
            cpu.alu(Reg.EDI, Reg.NONE); // calc dest addr: and + add
            int dst = layout.communicationWindow() + (rcv & (PageFlags.REGION_SIZE - 1));
            cpu.alu(Reg.EDI, Reg.NONE, dst);
            int bytes = cpu.loadRegister(Reg.ECX, Reg.ECX, from.sendBuffer()); // move data: length from the dope
            cpu.shift(Reg.ECX, bytes >>> 2);
            cpu.alu(Reg.ESI, Reg.NONE, from.sendBuffer() + 4);
            cpu.jcc(bytes == 0);
            cpu.repMovsd(from.sendBuffer() + 4, dst, bytes >>> 2);
        }

        /** Table 5: port link, port entry, reply link. */
        private void portAccess(Space from) {
            int index = 0;
            cpu.alu(Reg.EDX, Reg.NONE, index & 0xFF); // restrict port index
            int port = cpu.load(Reg.EAX, Reg.NONE, Reg.EDX,
                    from.portLinks() + index * PORT_LINK_SIZE + PORT_LINK_WRITE); // load port link
            int entry = spaces.portTable + port * PORT_ENTRY_SIZE;
            int thread = cpu.load(Reg.EBP, Reg.NONE, Reg.EAX, entry + PORT_THREAD); // load port entry
            cpu.alu(Reg.EBP, Reg.EBP); // check empty
            cpu.jcc(thread == 0);
            cpu.store(Reg.EAX, entry + PORT_REPLY_TO, Reg.ECX, from.replyPort()); // enter A for reply
            int replyLink = cpu.load(Reg.EBX, Reg.EAX, entry + PORT_REPLY_LINK); // get B reply index
            cpu.store(Reg.NONE, Reg.EBX, spaces.portLinks + replyLink * PORT_LINK_SIZE, Reg.ECX,
                    from.replyPort()); // set B reply link
        }

        String name(int page) {
            Space a = spaces.a;
            Space b = spaces.b;
            if (page == (b.tcb() & PageFlags.FRAME_MASK)) {
                return "tcb/kernel stack of B";
            }
            if (page == (a.tcb() & PageFlags.FRAME_MASK)) {
                return "tcb/kernel stack of A";
            }
            if (page == layout.kernelCode()) {
                return "kernel code";
            }
            if (page == (layout.gdt() & PageFlags.FRAME_MASK)) {
                return "GDT/IDT/TSS";
            }
            if (page == (a.code() & PageFlags.FRAME_MASK)) {
                return "user code";
            }
            if (page == (USER_DATA & PageFlags.FRAME_MASK)) {
                return "user data";
            }
            if (page == layout.physicalMap() + b.space()) {
                return "pdir of B";
            }
            if (page == layout.ownPageDirectory()) {
                return "pdir of A";
            }
            if ((page & ~(2 * PageFlags.REGION_SIZE - 1)) == layout.communicationWindow()) {
                return "receive buffer of B";
            }
            if (page == (spaces.portTable & PageFlags.FRAME_MASK)) {
                return "port table";
            }
            if (page == (b.portLinks() & PageFlags.FRAME_MASK)) {
                return "port link table of B";
            }
            if (page == (a.portLinks() & PageFlags.FRAME_MASK)) {
                return "port link table of A";
            }
            return String.format("0x%08x", page);
        }

        AppendixResult result() {
            Statistics s = measured;
            return new AppendixResult(table.number, table.action, s.now(),
                    s.instructions(Mode.USER) + s.instructions(Mode.KERNEL), s.executionCycles(), s.tlbMisses(),
                    s.cacheMisses(), List.copyOf(missPages));
        }
    }
}

package org.l3wb.lab.appendix;

import static org.l3wb.lab.appendix.TwoSpaceLayout.*;

import java.util.ArrayList;
import java.util.List;

import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.api.Statistics;
import org.l3wb.lab.appendix.TwoSpaceLayout.Space;

/**
 * The paper's appendix tables 3, 4 and 5 executed instruction by instruction on a simulated machine.
 *
 * <p>Each table runs inside a complete user-to-user transfer between the two spaces of a
 * {@link TwoSpaceLayout}: A's user code loads B's id and traps, the kernel checks B's TCB, switches
 * stack and address space and returns to B, which inspects the message. Transfers alternate A to B
 * and B to A so that TLB and caches reach the steady state the footnotes assume (cache hits, TLB
 * flushed by the last address-space switch, the current space's kernel stack, GDT page, kernel
 * code and user code entries reloaded since); then one A-to-B transfer is measured, around the
 * table's own instructions only. The misses are what the TLB model observes, never counted by hand.
 */
public final class AppendixSequences {
    /** User program: two stores of the message, three MOV r,imm, INT: resumption after the INT. */
    static final int RESUME = USER_CODE + 3 + 3 + 5 + 5 + 5 + 2;
    private static final int WARM_UP_ROUND_TRIPS = 4;
    private static final int MESSAGE_WORD = 0x4c33_4950; // "PI3L"

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
    }

    private final MachineFactory factory;
    private final ProcessorModel model;

    public AppendixSequences(MachineFactory factory, ProcessorModel model) {
        this.factory = factory;
        this.model = model;
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
            r.transfer(r.layout.a, r.layout.b, false);
            r.transfer(r.layout.b, r.layout.a, false);
        }
        r.transfer(r.layout.a, r.layout.b, true);
        return r.result();
    }

    /** The machine after {@link #run}: for tests that look at memory afterwards. */
    Machine lastMachine;

    /** One machine, one table, and the probe around the measured instructions. */
    private final class Run {
        final Machine machine;
        final Processor cpu;
        final TwoSpaceLayout layout;
        final Table table;
        final List<String> missPages = new ArrayList<>();
        boolean measuring;
        Statistics before;
        Statistics measured;

        Run(Machine machine, Table table) {
            this.machine = machine;
            this.cpu = machine.cpu();
            this.layout = new TwoSpaceLayout(machine);
            this.table = table;
            lastMachine = machine;
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
            // user level in `from`, at the top of its program
            cpu.store(from.sendBuffer, 4);
            cpu.store(from.sendBuffer + 4, MESSAGE_WORD ^ from.task);
            if (table == Table.NULL_IPC) {
                start(measure);
            }
            cpu.movImm(Reg.EDX, to.uidLow); // load id of B
            cpu.movImm(Reg.ESI, to.uidHigh);
            cpu.movImm(Reg.ECX, table == Table.NULL_IPC ? 0 : from.sendBuffer); // message (length 0)
            cpu.softwareInterrupt(IPC_VECTOR); // call kernel
            // kernel
            if (table == Table.PORT_ACCESS) {
                cpu.load(from.portLinks); // the link table's bound, read on entry (not in table 5)
                start(measure);
                portAccess(from);
                stop(measure);
            } else {
                cpu.compare(to.tcb + UID_LOW); // access B: uid check against B's TCB
                cpu.alu();
                cpu.jcc(false);
            }
            if (table == Table.TEMPORARY_MAPPING) {
                start(measure);
                temporaryMapping(from, to);
                stop(measure);
            }
            cpu.load(Reg.EDX, from.tcb + UID_LOW); // load id of A
            cpu.load(Reg.ESI, from.tcb + UID_HIGH);
            cpu.store(from.tcb + STACK_POINTER, cpu.reg(Reg.ESP)); // switch stack
            cpu.load(Reg.ESP, to.tcb + STACK_POINTER);
            cpu.alu(Reg.EAX, to.kernelStackTop());
            cpu.store(TSS + Processor.TSS_ESP0, to.kernelStackTop());
            cpu.movCr3(cpu.load(to.tcb + PAGE_DIRECTORY)); // switch address space
            cpu.iret(); // return to user
            // user level in `to`
            cpu.alu(); // inspect msg
            cpu.jcc(false);
            if (table == Table.NULL_IPC) {
                stop(measure);
            }
            cpu.jmp(USER_CODE);
        }

        /** Table 4: map B's receive region into A's communication window and copy through it. */
        private void temporaryMapping(Space from, Space to) {
            int rcv = cpu.load(to.tcb + RECEIVE_BUFFER); // load rcv addr
            cpu.alu(Reg.EBX, rcv); // calc 8 MB region
            cpu.shift(Reg.EBX, rcv >>> 22);
            int pdirTo = cpu.load(to.tcb + PAGE_DIRECTORY_VIRTUAL); // load pdir B addr
            int region = rcv >>> 22;
            int window = WINDOW >>> 22;
            cpu.storeIndexed(OWN_PDIR + window * 4, cpu.loadIndexed(pdirTo + region * 4)); // copy pdir entries
            cpu.storeIndexed(OWN_PDIR + (window + 1) * 4, cpu.loadIndexed(pdirTo + (region + 1) * 4));
            cpu.alu(); // calc dest addr: and + add
            int dst = WINDOW + (rcv & (PageFlags.REGION_SIZE - 1));
            cpu.alu(Reg.EDI, dst);
            int bytes = cpu.load(Reg.ECX, from.sendBuffer); // move data: length from the dope
            cpu.shift(Reg.ECX, bytes >>> 2);
            cpu.alu(Reg.ESI, from.sendBuffer + 4);
            cpu.jcc(bytes == 0);
            cpu.repMovsd(from.sendBuffer + 4, dst, bytes >>> 2);
        }

        /** Table 5: port link, port entry, reply link. */
        private void portAccess(Space from) {
            int index = 0;
            cpu.alu(Reg.EBX, index & 0xFF); // restrict port index
            int port = cpu.loadIndexed(from.portLinks + index * PORT_LINK_SIZE + PORT_LINK_WRITE); // load port link
            int entry = PORT_TABLE + port * PORT_ENTRY_SIZE;
            int thread = cpu.loadIndexed(entry + PORT_THREAD); // load port entry
            cpu.alu(); // check empty
            cpu.jcc(thread == 0);
            cpu.store(entry + PORT_REPLY_TO, from.replyPort); // enter A for reply
            int replyLink = cpu.load(entry + PORT_REPLY_LINK); // get B reply index
            cpu.storeIndexed(PORT_LINKS + replyLink * PORT_LINK_SIZE, from.replyPort); // set B reply link
        }

        String name(int page) {
            Space a = layout.a;
            Space b = layout.b;
            if (page == (b.tcb & PageFlags.FRAME_MASK)) {
                return "tcb/kernel stack of B";
            }
            if (page == (a.tcb & PageFlags.FRAME_MASK)) {
                return "tcb/kernel stack of A";
            }
            if (page == KERNEL_CODE) {
                return "kernel code";
            }
            if (page == TABLES) {
                return "GDT/IDT/TSS";
            }
            if (page == (USER_CODE & PageFlags.FRAME_MASK)) {
                return "user code";
            }
            if (page == (USER_DATA & PageFlags.FRAME_MASK)) {
                return "user data";
            }
            if (page == PDIR_ARRAY + b.task * PageFlags.PAGE_SIZE) {
                return "pdir of B";
            }
            if (page == OWN_PDIR) {
                return "pdir of A";
            }
            if ((page & ~(2 * PageFlags.REGION_SIZE - 1)) == WINDOW) {
                return "receive buffer of B";
            }
            if (page == PORT_TABLE) {
                return "port table";
            }
            if (page == (b.portLinks & PageFlags.FRAME_MASK)) {
                return "port link table of B";
            }
            if (page == (a.portLinks & PageFlags.FRAME_MASK)) {
                return "port link table of A";
            }
            return String.format("0x%08x", page);
        }

        AppendixResult result() {
            Statistics s = measured;
            return new AppendixResult(table.number, table.action, s.now(), s.executionCycles(), s.tlbMisses(),
                    s.cacheMisses(), List.copyOf(missPages));
        }
    }
}

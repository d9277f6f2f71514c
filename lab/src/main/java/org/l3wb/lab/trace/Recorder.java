package org.l3wb.lab.trace;

import java.util.ArrayList;
import java.util.List;

import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.Mnemonic;
import org.l3wb.hw.api.Mode;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.api.Statistics;
import org.l3wb.hw.api.TraceListener;

/**
 * Builds the instruction list of a trace from the machine's reports ({@link TraceListener}): the
 * accesses and misses between two retirements belong to the second instruction, whose cycles are the
 * clock at its retirement minus the clock at the previous one ({@link Statistics#now()}), so the
 * instructions' cycles add up to the clock's advance exactly. Cache misses are the machine's own
 * count ({@link Statistics#cacheMisses()}) read at each fill, so they add up to it as well.
 *
 * <p>It also cuts the trace into IPCs: one ends with the IRET that enters user mode in another address
 * space than the one whose thread trapped (the receiver, after the sender's INT), so an IPC includes
 * its sender's user code since the previous IPC, and consecutive IPCs cover the trace without gap.
 */
final class Recorder implements TraceListener {
    private final Machine machine;
    private final Statistics stats;
    private final Pages pages;
    private final long origin;
    private final List<List<TracedInstruction>> ipcs = new ArrayList<>();
    private final List<String> senders = new ArrayList<>();
    private List<TracedInstruction> ipc = new ArrayList<>();
    private String sender;
    private int senderCr3;
    private CodeStep step;
    private long last;
    private long missesAtLast;
    private long missesSeen;
    private int tlbMisses;
    private int stall;
    private final List<TracedAccess> accesses = new ArrayList<>();
    // the access being built
    private int linear;
    private int kind = -1;
    private String page;
    private boolean tlbMiss;
    private int walk;
    private int accessStall;
    private final List<TracedAccess.LineFill> fills = new ArrayList<>();

    Recorder(Machine machine, Pages pages) {
        this.machine = machine;
        this.stats = machine.statistics();
        this.pages = pages;
        this.origin = stats.now();
        this.last = origin;
        this.missesAtLast = stats.cacheMisses();
        this.missesSeen = missesAtLast;
        this.step = machine.cpu().step();
        this.sender = pages.space();
        this.senderCr3 = machine.mmu().cr3();
    }

    @Override
    public void step(CodeStep s) {
        step = s;
    }

    @Override
    public void access(int at, int k) {
        closeAccess();
        linear = at;
        kind = k;
        page = pages.name(at, k);
    }

    @Override
    public void tlbMiss(int cycles) {
        openIfNone();
        tlbMiss = true;
        walk += cycles;
        tlbMisses++;
    }

    @Override
    public void lineFill(int cycles, boolean fromExternalCache) {
        openIfNone();
        long misses = stats.cacheMisses();
        fills.add(new TracedAccess.LineFill(cycles, fromExternalCache, misses != missesSeen));
        missesSeen = misses;
    }

    @Override
    public void writeStall(int cycles) {
        stall += cycles;
        if (kind == WRITE) {
            accessStall += cycles;
        }
    }

    @Override
    public void retired(Mnemonic op, int at, Reg reg, Reg base, Reg index) {
        closeAccess();
        long now = stats.now();
        long misses = stats.cacheMisses();
        Mode mode = machine.cpu().mode();
        String label = step == null ? TracedInstruction.UNMARKED : step.label();
        String source = step == null ? "" : step.source();
        ipc.add(new TracedInstruction(label, source, op, at, reg, base, index, last - origin, now - last, tlbMisses,
                (int) (misses - missesAtLast), stall, mode, pages.thread(), pages.name(at, FETCH),
                new ArrayList<>(accesses)));
        last = now;
        missesAtLast = misses;
        missesSeen = misses;
        tlbMisses = 0;
        stall = 0;
        accesses.clear();
        if (op == Mnemonic.IRET && mode == Mode.USER && machine.mmu().cr3() != senderCr3) {
            ipcs.add(ipc);
            senders.add(sender);
            ipc = new ArrayList<>();
            sender = pages.space();
            senderCr3 = machine.mmu().cr3();
        }
    }

    /** A miss reported with no access before it (none is expected): kept, on an access of no address. */
    private void openIfNone() {
        if (kind < 0) {
            linear = 0;
            kind = READ;
            page = "(no access reported)";
        }
    }

    private void closeAccess() {
        if (kind >= 0) {
            accesses.add(new TracedAccess(linear, kind, page, tlbMiss, walk, fills, accessStall));
        }
        kind = -1;
        tlbMiss = false;
        walk = 0;
        accessStall = 0;
        fills.clear();
    }

    /** @return the IPCs completed so far, each its instructions; and the instructions after the last one */
    List<List<TracedInstruction>> ipcs() {
        return ipcs;
    }

    /** @return per completed IPC, its sender ("A" or "B") */
    List<String> senders() {
        return senders;
    }

    /** @return instructions after the last completed IPC */
    List<TracedInstruction> rest() {
        return ipc;
    }
}

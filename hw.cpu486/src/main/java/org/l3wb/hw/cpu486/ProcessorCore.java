package org.l3wb.hw.cpu486;

import org.l3wb.hw.api.Access;
import org.l3wb.hw.api.Cache;
import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.Mmu;
import org.l3wb.hw.api.Mnemonic;
import org.l3wb.hw.api.Mode;
import org.l3wb.hw.api.PhysicalMemory;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.api.Sreg;
import org.l3wb.hw.api.Statistics;
import org.l3wb.hw.api.TraceListener;

/**
 * What every instruction of {@link X86Processor} goes through: the register file, the prefetcher that
 * fetches each instruction's bytes through the TLB and the cache, the data accesses at real linear
 * addresses, the stack, the interval timer, and the reports to a trace of execution when one is on.
 * The instructions themselves, with their costs, are {@link X86Processor}'s.
 */
abstract class ProcessorCore implements Processor {
    final ProcessorModel model;
    final Mmu mmu;
    final Cache cache;
    final PhysicalMemory memory;
    final Statistics stats;
    final int lineShift;

    final int[] regs = new int[Reg.values().length];
    final int[] sregs = new int[Sreg.values().length];
    int eip;
    int userAccess; // Access.USER in user mode, 0 in kernel mode
    Mode mode = Mode.KERNEL;
    int lastFetchLine = -1;
    // the prefetched line as a range for fetch's one-subtraction test: its start, and its length
    // (-1 when there is none, so that every instruction takes the slow path)
    int fetchStart;
    int fetchRoom = -1;
    /** The trace of execution, null when off (every report is behind one null test). */
    TraceListener trace;
    CodeStep step;
    long timerPeriod;
    long nextTimer;

    ProcessorCore(ProcessorModel model, Mmu mmu, Cache cache, PhysicalMemory memory, Statistics stats) {
        this.model = model;
        this.mmu = mmu;
        this.cache = cache;
        this.memory = memory;
        this.stats = stats;
        this.lineShift = Integer.numberOfTrailingZeros(cache.geometry().lineBytes());
    }

    // --- state -------------------------------------------------------------------------------

    @Override
    public ProcessorModel model() {
        return model;
    }

    @Override
    public Statistics statistics() {
        return stats;
    }

    @Override
    public long cycles() {
        return stats.now();
    }

    @Override
    public Mode mode() {
        return mode;
    }

    @Override
    public int eip() {
        return eip;
    }

    @Override
    public void jumpTo(int linear) {
        eip = linear;
        forgetPrefetch();
    }

    @Override
    public int reg(Reg r) {
        return regs[r.ordinal()];
    }

    @Override
    public void setReg(Reg r, int value) {
        regs[r.ordinal()] = value;
    }

    @Override
    public int sreg(Sreg s) {
        return sregs[s.ordinal()];
    }

    @Override
    public void setSreg(Sreg s, int selector) {
        sregs[s.ordinal()] = selector;
    }

    @Override
    public CodeStep step(CodeStep next) {
        CodeStep previous = step;
        step = next;
        if (trace != null) {
            trace.step(next);
        }
        return previous;
    }

    @Override
    public CodeStep step() {
        return step;
    }

    @Override
    public void trace(TraceListener listener) {
        trace = listener;
        stats.trace(listener);
        if (listener != null && step != null) {
            listener.step(step);
        }
    }

    /** Tells the trace, if one is on, that the instruction at {@code at} retired. */
    final void retired(Mnemonic op, int at, Reg reg, Reg base, Reg index) {
        if (trace != null) {
            trace.retired(op, at, reg, base, index);
        }
    }

    @Override
    public void setMode(Mode m) {
        mode = m;
        userAccess = m == Mode.USER ? Access.USER : 0;
        stats.enter(m);
        forgetPrefetch();
    }

    // --- the pipeline's front and back end ------------------------------------------------------

    /** The prefetcher forgets its line: the next instruction fetches again (jumps, CR3 loads, INT, IRET). */
    final void forgetPrefetch() {
        lastFetchLine = -1;
        fetchRoom = -1;
    }

    /*
     * Runs once per simulated instruction: the common case, all of the instruction's bytes in the line
     * the prefetcher holds, is one subtraction and two comparisons (d is the offset into that line,
     * modulo 2^32: the bytes are in it iff 0 <= d <= line length - instruction length).
     */
    final void fetch(int length) {
        int start = eip;
        int d = start - fetchStart;
        if (d < 0 || d > fetchRoom - length) {
            fetchLines(start, length);
        }
        eip = start + length;
    }

    /** The instruction enters a line the prefetcher does not hold: fetch it (and the next, if it crosses). */
    final void fetchLines(int start, int length) {
        int line = start >>> lineShift;
        if (line != lastFetchLine) {
            fetchLine(start);
        }
        int endLine = (start + length - 1) >>> lineShift;
        if (endLine != line) {
            fetchLine(start + length - 1);
        }
    }

    final void fetchLine(int linear) {
        if (trace != null) {
            trace.access(linear, TraceListener.FETCH);
        }
        cache.read(mmu.translate(linear, Access.FETCH | userAccess));
        int line = linear >>> lineShift;
        lastFetchLine = line;
        fetchStart = line << lineShift;
        fetchRoom = 1 << lineShift;
    }

    final int read(int linear, int access) {
        if (trace != null) {
            trace.access(linear, TraceListener.READ);
        }
        int phys = mmu.translate(linear, access);
        cache.read(phys);
        return memory.readWord(phys);
    }

    final void write(int linear, int value, int access) {
        if (trace != null) {
            trace.access(linear, TraceListener.WRITE);
        }
        int phys = mmu.translate(linear, access | Access.WRITE);
        cache.write(phys);
        memory.writeWord(phys, value);
    }

    final void pushWord(int value, int access) {
        int sp = regs[Reg.ESP.ordinal()] - 4;
        write(sp, value, access);
        regs[Reg.ESP.ordinal()] = sp;
    }

    final int popWord(int access) {
        int sp = regs[Reg.ESP.ordinal()];
        int v = read(sp, access);
        regs[Reg.ESP.ordinal()] = sp + 4;
        return v;
    }

    // --- timer -------------------------------------------------------------------------------

    @Override
    public void programTimer(long periodCycles) {
        if (periodCycles < 0) {
            throw new IllegalArgumentException("timer period must not be negative, got " + periodCycles);
        }
        timerPeriod = periodCycles;
        nextTimer = stats.now() + periodCycles;
    }

    @Override
    public boolean timerDue() {
        return timerPeriod > 0 && stats.now() >= nextTimer;
    }

    @Override
    public void acknowledgeTimer() {
        if (timerDue()) {
            nextTimer += timerPeriod;
        }
    }
}

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

    /*
     * Marks are kept only while a trace is on: with none, a mark is one null test. (Storing the mark
     * into this long-lived object would cost a garbage collector's write barrier per mark, with G1 a
     * few per cent of the host time of an IPC; and nobody reads the mark when no trace is on.)
     */
    @Override
    public CodeStep step(CodeStep next) {
        if (trace == null) {
            return null;
        }
        CodeStep previous = step;
        step = next;
        trace.step(next);
        return previous;
    }

    @Override
    public CodeStep step() {
        return step;
    }

    @Override
    public void trace(TraceListener listener) {
        if (trace == null) {
            step = null; // marks made while no trace was on were not kept
        }
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

    // --- string moves ------------------------------------------------------------------------

    /**
     * The items of a string move (REP MOVS), ECX of them from ESI to EDI, each {@code cyclesEach}
     * cycles, then a read of its source through the TLB and the cache (the cache seeing the dword
     * that holds it), then a write of its destination. ESI, EDI and ECX advance item by item, as
     * the real instruction leaves them (also when an item faults).
     *
     * <p>With a trace on, or unaligned dwords, every item goes through translate, read and write as
     * any access does. Otherwise the host works per page and per line, with the same result: of each
     * run of items within one source and one destination page, the first in full and the rest's
     * translations counted at once where the TLB vouches for them ({@link Mmu#translateAgain});
     * within that, of each run within one source and one destination line, the first item in full
     * and the rest by {@link Cache#readWriteAgain} where the cache vouches for them (each item's
     * cycles, read hit and write-buffer entry, in order). Where either does not, item by item. The
     * dwords of a page run whose translations the TLB vouched for are moved at once
     * ({@link PhysicalMemory#copyWords}, upwards, as the items would).
     */
    final void moveItems(int count, int width, int cyclesEach) {
        int esi = regs[Reg.ESI.ordinal()];
        int edi = regs[Reg.EDI.ordinal()];
        if (trace != null || (width == 4 && ((esi | edi) & 3) != 0)) {
            for (int left = count; left > 0; left--) {
                moveItem(esi, edi, width, cyclesEach);
                esi += width;
                edi += width;
                advanceItems(esi, edi, left - 1);
            }
            return;
        }
        int access = userAccess;
        int left = count;
        while (left > 0) {
            int pageItems = Math.min(left, Math.min(itemsBefore(esi, PAGE_BYTES, width),
                    itemsBefore(edi, PAGE_BYTES, width)));
            int srcPhys = moveItem(esi, edi, width, cyclesEach);
            int dstPhys = movedTo;
            int more = pageItems - 1;
            boolean counted = more > 0 && mmu.translateAgain(esi, access, edi, access | Access.WRITE, more);
            esi += width;
            edi += width;
            left--;
            advanceItems(esi, edi, left);
            if (!counted) { // the rest of the run item by item
                for (; more > 0; more--, left--) {
                    moveItem(esi, edi, width, cyclesEach);
                    esi += width;
                    edi += width;
                    advanceItems(esi, edi, left - 1);
                }
                continue;
            }
            int lineBytes = 1 << lineShift;
            int srcNext = srcPhys + width;
            int dstNext = dstPhys + width;
            // dwords: the run's data at once (no access of the run reads memory: its translations all
            // hit, so no walk reads a page table; the cache holds tags only); bytes item by item
            boolean moved = width == 4;
            if (moved) {
                memory.copyWords(srcNext, dstNext, more);
            }
            while (more > 0) {
                int lineItems = Math.min(more, Math.min(itemsBefore(srcNext, lineBytes, width),
                        itemsBefore(dstNext, lineBytes, width)));
                stats.charge(cyclesEach);
                cache.read(srcNext & ~3);
                if (!moved) {
                    copyItem(srcNext, dstNext, width);
                }
                cache.write(dstNext & ~3);
                int again = lineItems - 1;
                int s = srcNext + width;
                int d = dstNext + width;
                if (again > 0 && !cache.readWriteAgain(s & ~3, d & ~3, again, cyclesEach)) {
                    for (int n = 0; n < again; n++, s += width, d += width) {
                        stats.charge(cyclesEach);
                        cache.read(s & ~3);
                        if (!moved) {
                            copyItem(s, d, width);
                        }
                        cache.write(d & ~3);
                    }
                } else if (!moved) {
                    for (int n = 0; n < again; n++, s += width, d += width) {
                        copyItem(s, d, width);
                    }
                }
                srcNext += lineItems * width;
                dstNext += lineItems * width;
                esi += lineItems * width;
                edi += lineItems * width;
                left -= lineItems;
                more -= lineItems;
                advanceItems(esi, edi, left);
            }
        }
    }

    private static final int PAGE_BYTES = 4096;

    /** @return how many items of {@code width} bytes from {@code address} lie before the next multiple of {@code unit} */
    private static int itemsBefore(int address, int unit, int width) {
        return (unit - (address & (unit - 1)) + width - 1) / width;
    }

    /** One item in full, as any access: @return its source's physical address */
    private int moveItem(int esi, int edi, int width, int cyclesEach) {
        stats.charge(cyclesEach);
        if (trace != null) {
            trace.access(esi, TraceListener.READ);
        }
        int access = userAccess;
        int phys = mmu.translate(esi, access);
        cache.read(phys & ~3);
        int v = width == 4 ? memory.readWord(phys) : memory.readByte(phys);
        if (trace != null) {
            trace.access(edi, TraceListener.WRITE);
        }
        int target = mmu.translate(edi, access | Access.WRITE);
        cache.write(target & ~3);
        if (width == 4) {
            memory.writeWord(target, v);
        } else {
            memory.writeByte(target, v);
        }
        movedTo = target;
        return phys;
    }

    /** The destination's physical address of the last {@link #moveItem}. */
    private int movedTo;

    private void copyItem(int srcPhys, int dstPhys, int width) {
        if (width == 4) {
            memory.writeWord(dstPhys, memory.readWord(srcPhys));
        } else {
            memory.writeByte(dstPhys, memory.readByte(srcPhys));
        }
    }

    private void advanceItems(int esi, int edi, int left) {
        regs[Reg.ESI.ordinal()] = esi;
        regs[Reg.EDI.ordinal()] = edi;
        regs[Reg.ECX.ordinal()] = left;
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

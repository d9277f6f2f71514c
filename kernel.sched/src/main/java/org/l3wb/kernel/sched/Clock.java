package org.l3wb.kernel.sched;

import org.l3wb.hw.api.Processor;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.KernelLayout;

/**
 * The clock tick and the time slice (paper 5.3.3, 5.3.5). The time in ms is base + offset, two words
 * of kernel data ({@link KernelLayout#clockBase()}, {@link KernelLayout#clockOffset()}); the offset
 * stays below 2^24 by rebasing, so every time the kernel handles is one 32-bit word. The time slice
 * is a word counted down by the tick ({@link KernelLayout#timesliceLeft()}); a direct process switch
 * leaves it alone, which donates the rest of the slice to the thread switched to (5.3.5).
 */
final class Clock {
    /** The offset that triggers rebasing: 2^24 ms (about 4.5 hours). */
    static final int REBASE_AT = 1 << 24;
    /** What rebasing moves from offset to base: 2^23 ms (keeps 4-ms slots and 64-ms walks in phase). */
    static final int REBASE_STEP = 1 << 23;
    /** Ticks (ms) of a fresh time slice. */
    static final int TIMESLICE_TICKS = 10;
    /** What tick returns when nothing expired: shared, so a quiet tick allocates nothing. */
    static final int[] NONE = new int[0];

    private Clock() {
    }

    /**
     * One 1-ms tick: offset + 1 (rebasing at 2^24), time slice - 1, then either the wakeup list of the
     * 4-ms slot that ends now or, every 64 ms, the long-time list. With empty lists this is about a
     * dozen instructions.
     */
    static int[] tick(KernelContext k) {
        Processor cpu = k.cpu();
        KernelLayout layout = k.layout();
        int n = WakeupLists.count(layout);
        int off = cpu.load(layout.clockOffset()) + 1;       // MOV eax, [offset]
        cpu.alu();                                          // INC eax
        cpu.store(layout.clockOffset(), off);               // MOV [offset], eax
        cpu.alu();                                          // CMP eax, 2^24
        boolean rebase = Integer.compareUnsigned(off, REBASE_AT) >= 0;
        if (rebase) {
            int back = Code.fallThrough(cpu);
            cpu.jcc(true, Code.outOfLine(cpu));             // JAE rebase (out of line)
            off = WakeupLists.rebase(k, off);
            cpu.jmp(back);
        } else {
            cpu.jcc(false);
        }
        int slice = cpu.load(layout.timesliceLeft());       // MOV edx, [timeslice]
        cpu.alu();                                          // DEC edx
        cpu.store(layout.timesliceLeft(), slice - 1);       // MOV [timeslice], edx
        WakeupLists.Found found = null;
        cpu.alu();                                          // LEA edx, [eax+1]
        cpu.alu();                                          // TEST edx, 3
        boolean slotEnds = (off & 3) == 3;
        cpu.jcc(!slotEnds, Code.ahead(cpu));                // JNZ not_slot_end
        if (slotEnds) {
            cpu.alu();                                      // MOV edx, eax
            Code.shift(cpu);                                // SHR edx, 2
            cpu.alu();                                      // AND edx, n-1
            found = WakeupLists.inspect(k, off, (off >>> WakeupLists.SLOT_SHIFT) & (n - 1), null);
        } else {
            cpu.alu();                                      // TEST eax, 63
            boolean walk = (off & WakeupLists.LONG_WALK_MASK) == 0;
            cpu.jcc(!walk, Code.ahead(cpu));                // JNZ done
            if (walk) {
                found = WakeupLists.walkLong(k, off, null);
            }
        }
        return found == null ? NONE : found.toArray();
    }

    /** CMP [timeslice], 0; JLE: the jump is taken when the slice is used up. */
    static boolean exhausted(KernelContext k) {
        Processor cpu = k.cpu();
        int left = cpu.compare(k.layout().timesliceLeft());
        boolean exhausted = left <= 0;
        cpu.jcc(exhausted, Code.ahead(cpu));
        return exhausted;
    }

    /** MOV [timeslice], 10. */
    static void newTimeslice(KernelContext k) {
        k.cpu().store(k.layout().timesliceLeft(), TIMESLICE_TICKS);
    }
}

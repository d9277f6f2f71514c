package org.l3wb.kernel.sched;

import static org.l3wb.kernel.sched.JumpTargets.ahead;
import static org.l3wb.kernel.sched.JumpTargets.fallThrough;
import static org.l3wb.kernel.sched.JumpTargets.over;

import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.KernelLayout;
import org.l3wb.kernel.api.KernelStep;

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
     * dozen instructions. The time and the slice are the caller's step (the clock interrupt); the
     * wakeup lists are {@link KernelStep#TIMEOUTS}.
     */
    static int[] tick(KernelContext k) {
        Processor cpu = k.cpu();
        KernelLayout layout = k.layout();
        int n = WakeupLists.count(layout);
        int off = cpu.load(Reg.EAX, Reg.NONE, layout.clockOffset()) + 1; // MOV eax, [offset]
        cpu.alu(Reg.EAX, Reg.NONE);                         // INC eax
        cpu.store(Reg.NONE, layout.clockOffset(), Reg.EAX, off); // MOV [offset], eax
        cpu.alu(Reg.EAX, Reg.NONE);                         // CMP eax, 2^24
        int back = fallThrough(cpu);
        boolean rebase = Integer.compareUnsigned(off, REBASE_AT) >= 0;
        if (cpu.jcc(rebase, over(cpu, JumpTargets.OUT_OF_LINE))) { // JAE rebase (out of line)
            CodeStep clock = cpu.step(KernelStep.TIMEOUTS);
            off = WakeupLists.rebase(k, off);
            cpu.jmp(back);
            cpu.step(clock);
        }
        int slice = cpu.load(Reg.EDX, Reg.NONE, layout.timesliceLeft()); // MOV edx, [timeslice]
        cpu.alu(Reg.EDX, Reg.NONE);                         // DEC edx
        cpu.store(Reg.NONE, layout.timesliceLeft(), Reg.EDX, slice - 1); // MOV [timeslice], edx
        WakeupLists.Found found = null;
        CodeStep clock = cpu.step(KernelStep.TIMEOUTS);
        cpu.alu(Reg.EDX, Reg.EAX);                          // LEA edx, [eax+1]
        cpu.alu(Reg.EDX, Reg.NONE);                         // TEST edx, 3
        if (!cpu.jcc((off & 3) != 3, ahead(cpu))) {         // JNZ not_slot_end
            cpu.alu(Reg.EDX, Reg.EAX);                      // MOV edx, eax
            cpu.shift(Reg.EDX);                             // SHR edx, 2
            cpu.alu(Reg.EDX, Reg.NONE);                     // AND edx, n-1
            found = WakeupLists.inspect(k, off, (off >>> WakeupLists.SLOT_SHIFT) & (n - 1), null);
        } else {
            cpu.alu(Reg.EAX, Reg.NONE);                     // TEST eax, 63
            if (!cpu.jcc((off & WakeupLists.LONG_WALK_MASK) != 0, ahead(cpu))) { // JNZ done
                found = WakeupLists.walkLong(k, off, null);
            }
        }
        cpu.step(clock);
        return found == null ? NONE : found.toArray();
    }

    /** CMP [timeslice], 0; JLE: the jump is taken when the slice is used up. */
    static boolean exhausted(KernelContext k) {
        Processor cpu = k.cpu();
        int left = cpu.compare(Reg.NONE, Reg.NONE, k.layout().timesliceLeft());
        return cpu.jcc(left <= 0, ahead(cpu));
    }

    /** MOV [timeslice], 10. */
    static void newTimeslice(KernelContext k) {
        k.cpu().store(Reg.NONE, k.layout().timesliceLeft(), Reg.NONE, TIMESLICE_TICKS);
    }
}

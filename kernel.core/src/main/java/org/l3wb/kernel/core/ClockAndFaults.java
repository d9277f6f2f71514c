package org.l3wb.kernel.core;

import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.PageFault;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.api.Sreg;
import org.l3wb.kernel.api.KernelStep;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Scheduler;
import org.l3wb.kernel.api.Tcb;

/**
 * The clock interrupt (5.3.3: time, wakeups, the end of a time slice) from user level, from the idle
 * loop or inside the kernel, and the page-fault handler (5.2.3, 5.2.5): the empty TCB page for an
 * unused thread's TCB, the communication window mapped again after a thread switch took it.
 */
final class ClockAndFaults {
    private final L3Nucleus n;
    private final NucleusState s;
    private final Processor cpu;

    ClockAndFaults(L3Nucleus nucleus, NucleusState state) {
        this.n = nucleus;
        this.s = state;
        this.cpu = state.cpu;
    }

    /** The page-fault handler: repairs what the kernel may fault on and returns, or rethrows a real fault. */
    void pageFault(PageFault fault) {
        CodeStep previous = cpu.step(KernelStep.PAGE_FAULT);
        int eip = cpu.eip();
        cpu.hardwareInterrupt(Boot.PAGE_FAULT_VECTOR);
        cpu.jumpTo(Boot.FAULT_CODE);
        int linear = fault.linear();
        boolean tcbArea = Integer.compareUnsigned(linear, Layout.TCB_ARRAY) >= 0 && s.virtualTcb;
        boolean window = (linear & ~(2 * PageFlags.REGION_SIZE - 1)) == Layout.WINDOW;
        cpu.alu(Reg.EAX, Reg.NONE);                 // CMP eax (CR2), TCB array
        if (!cpu.jcc(!tcbArea) && fault.cause() == PageFault.Cause.NOT_PRESENT) {
            // an unused thread's TCB: map the empty TCB, whose uid matches no thread (5.2.5)
            int pdeFrame = s.memory.readWord(s.kernelDirectory + (linear >>> 22) * 4) & PageFlags.FRAME_MASK;
            int pteAddress = pdeFrame + ((linear >>> 12) & 0x3FF) * 4;
            cpu.store(Reg.NONE, Layout.PHYSICAL_MAP + pteAddress, Reg.NONE,
                    s.nullTcbFrame | PageFlags.PRESENT | s.kernelGlobal);
            returnFromFault(eip, previous);
            return;
        }
        cpu.alu(Reg.EAX, Reg.NONE);                 // CMP eax (CR2), window
        if (!cpu.jcc(!window) && fault.cause() == PageFault.Cause.NOT_PRESENT && windowTakenAway()) {
            returnFromFault(eip, previous);
            return;
        }
        returnFromFault(eip, previous);
        throw fault;
    }

    /**
     * A fault in the window: if a thread switch took the window from the current thread, map its
     * region again (5.2.3).
     *
     * @return whether it did; false for a real fault (the window maps our region, the page is missing)
     */
    private boolean windowTakenAway() {
        int me = s.current;
        int task = cpu.load(Reg.EDX, Reg.EBP, me + Tcb.WINDOW_TASK);
        int region = cpu.load(Reg.ECX, Reg.EBP, me + Tcb.WINDOW_REGION);
        if (task == 0) {
            return false;
        }
        int directory = Layout.PAGE_DIRECTORIES + task * PageFlags.PAGE_SIZE;
        int own = Layout.OWN_PAGE_DIRECTORY + (Layout.WINDOW >>> 22) * 4;
        int first = cpu.load(Reg.EAX, Reg.EDX, Reg.ECX, directory + region * 4);
        int second = cpu.load(Reg.EBX, Reg.EDX, Reg.ECX, directory + (region + 1) * 4);
        boolean invalidated = cpu.compare(Reg.EAX, Reg.NONE, own) != first
                | cpu.compare(Reg.EBX, Reg.NONE, own + 4) != second;
        if (cpu.jcc(!invalidated)) {
            return false;
        }
        cpu.store(Reg.NONE, Reg.NONE, own, Reg.EAX, first);
        cpu.store(Reg.NONE, Reg.NONE, own + 4, Reg.EBX, second);
        return true;
    }

    /** IRET to the faulting instruction, which runs again in its own step. */
    private void returnFromFault(int eip, CodeStep previous) {
        cpu.iret();
        cpu.jumpTo(eip);
        cpu.step(previous);
    }

    /** @return the time in ms: base + offset (5.3.3) */
    long now() {
        int base = cpu.load(Reg.EAX, Reg.NONE, s.layout.clockBase());
        int offset = cpu.load(Reg.EDX, Reg.NONE, s.layout.clockOffset());
        cpu.alu(Reg.EAX, Reg.EDX);                  // ADD eax, edx
        return (base & 0xFFFF_FFFFL) + offset;
    }

    /** A clock interrupt taken inside the kernel (a long transfer): @return whether the slice is used up */
    boolean clockInterruptInKernel() {
        CodeStep previous = cpu.step(KernelStep.CLOCK);
        int eip = cpu.eip();
        cpu.hardwareInterrupt(Boot.CLOCK_VECTOR);
        cpu.jumpTo(Boot.CLOCK_CODE);
        tick();
        boolean exhausted = n.binding.scheduler().timesliceExhausted(n);
        cpu.iret();
        cpu.jumpTo(eip);
        cpu.step(previous);
        return exhausted;
    }

    /** The clock tick's work: time, wakeups (aborting expired waits), acknowledgement. */
    private void tick() {
        cpu.acknowledgeTimer();
        int[] expired = n.binding.scheduler().tick(n);
        for (int t : expired) {
            int state = cpu.load(Reg.EAX, Reg.EBP, t + Tcb.STATE);
            if (state == Tcb.POLLING) {
                n.threads.abortWait(t, ResultCode.SEND_TIMEOUT);
            } else if (state == Tcb.RECEIVING) {
                n.threads.abortWait(t, ResultCode.RECEIVE_TIMEOUT);
            }
        }
    }

    /** The idle loop halts until the clock interrupt: @return whether it came */
    boolean idle() {
        cpu.step(KernelStep.CLOCK);
        cpu.jumpTo(Boot.IDLE_CODE);
        cpu.halt();
        if (!cpu.timerDue()) {
            return false;
        }
        cpu.hardwareInterrupt(Boot.CLOCK_VECTOR);
        clockInterrupt(false);
        return true;
    }

    /** The clock interrupt arrives while a thread runs at user level. */
    void clockFromUser() {
        cpu.step(KernelStep.CLOCK);
        cpu.hardwareInterrupt(Boot.CLOCK_VECTOR);
        clockInterrupt(true);
    }

    /** Clock interrupt from user level (or the idle loop): maybe end the time slice. */
    private void clockInterrupt(boolean fromUser) {
        n.binding.latch();
        cpu.jumpTo(Boot.CLOCK_CODE);
        TrapPath trap = n.trap;
        if (fromUser) {
            if (s.reloadSegments) {
                cpu.pushSegment(Sreg.DS);
                cpu.pushSegment(Sreg.ES);
                cpu.pushSegment(Sreg.FS);
                cpu.pushSegment(Sreg.GS);
            }
            trap.pushRegisters();
        }
        if (n.binding.unparkPending()) {
            n.binding.unpark();
        }
        tick();
        Scheduler scheduler = n.binding.scheduler();
        int me = s.current;
        if (me == s.idle) {
            int next = scheduler.next(n);
            if (next == 0) {
                cpu.iret();                         // back to the idle loop's HLT
                return;
            }
            scheduler.newTimeslice(n);
            trap.switchTo(s.idle, next);
            trap.resume();
            return;
        }
        if (scheduler.timesliceExhausted(n)) {
            // end of time slice: the thread stays ready, so it must be in the ready queue (5.3.4)
            cpu.store(Reg.EBP, me + Tcb.RESUME, Reg.NONE, Tcb.RESUME_INTERRUPTED);
            scheduler.preempted(n, me);
            int next = scheduler.next(n);
            scheduler.newTimeslice(n);
            if (next != me && next != 0) {
                trap.switchTo(me, next);
            }
            trap.resume();
            return;
        }
        trap.popRegisters();
        trap.returnToUser();
    }
}

package org.l3wb.kernel.sched;

import static org.l3wb.kernel.sched.JumpTargets.ahead;

import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.KernelStep;
import org.l3wb.kernel.api.Scheduler;
import org.l3wb.kernel.api.Tcb;
import org.osgi.service.component.annotations.Component;

/**
 * Lazy scheduling (paper 5.3.4). IPC changes only a thread's STATE; the queues are allowed to lag
 * behind, under the invariants
 * <ul>
 * <li>the ready queue contains at least all ready threads, except possibly the current one;</li>
 * <li>each wakeup list contains at least all threads waiting in its class.</li>
 * </ul>
 * So {@link #blocked} and {@link #unblocked} (call, reply &amp; receive next) do nothing at all: the
 * thread switched to runs next by direct process switch (5.3.5). Only the three ways a thread loses
 * the processor and stays ready (end of time slice, interrupt, send) insert it, and only when it
 * is not queued still ({@link #preempted}). Whoever parses a queue removes the threads that no
 * longer belong in it ({@link #next}, the wakeup-list inspection in the clock tick).
 */
@Component(service = Scheduler.class, property = Scheduler.NAME + "=lazy")
public class LazyScheduler extends SchedulerBase {
    @Override
    public String name() {
        return "lazy";
    }

    /** Nothing: the STATE the IPC path wrote is all (no instruction, no memory access). */
    @Override
    public void blocked(KernelContext k, int tcb) {
    }

    /** Nothing: the thread is switched to directly, the ready queue need not hold the current one. */
    @Override
    public void unblocked(KernelContext k, int tcb) {
    }

    /**
     * Inserts {@code tcb} at the tail unless it is still queued. The queued case is one load, a TEST
     * and a not-taken Jcc; insertion is out of line.
     */
    @Override
    public void preempted(KernelContext k, int tcb) {
        Processor cpu = k.cpu();
        CodeStep previous = cpu.step(KernelStep.SCHEDULE);
        TcbQueue.READY.insertUnlessQueued(cpu, k.layout().readyQueue(), tcb, true);
        cpu.step(previous);
    }

    /**
     * Takes threads from the head: one that is not READY or TRANSFERRING is unlinked and skipped
     * (lazy cleanup); the first ready one is unlinked and returned (it becomes the current thread,
     * which need not be queued).
     */
    @Override
    public int next(KernelContext k) {
        Processor cpu = k.cpu();
        CodeStep previous = cpu.step(KernelStep.SCHEDULE);
        int head = k.layout().readyQueue();
        int top = cpu.eip();
        while (true) {
            int h = cpu.load(Reg.ESI, Reg.NONE, head);      // MOV esi, [ready]
            cpu.alu(Reg.ESI, Reg.ESI);                      // TEST esi, esi
            if (cpu.jcc(h == 0, ahead(cpu))) {              // JZ none
                cpu.step(previous);
                return 0;
            }
            int state = cpu.load(Reg.EAX, Reg.ESI, h + Tcb.STATE); // MOV eax, [esi+state]
            boolean ready = runnable(cpu, state);
            TcbQueue.READY.removeFirst(cpu, head, h);
            if (ready) {
                cpu.step(previous);
                return h;
            }
            cpu.jmp(top);                                   // not ready any more: dropped, go on
        }
    }

    /**
     * Lazy: one store marks the entry dead ({@link WakeupLists#NEVER}) and leaves the unlinking to
     * the next inspection of its list. The STATE alone cannot tell: the thread may wait again, with
     * no timeout, before its old list is inspected.
     */
    @Override
    public void wakeupCancelled(KernelContext k, int tcb) {
        Processor cpu = k.cpu();
        CodeStep previous = cpu.step(KernelStep.TIMEOUTS);
        cpu.store(Reg.EDI, tcb + Tcb.WAKEUP_TIME, Reg.NONE, WakeupLists.NEVER); // MOV [edi+wtime], NEVER
        cpu.step(previous);
    }

    /** @return whether a thread whose STATE is in a register may run: CMP/JE, CMP/JE */
    static boolean runnable(Processor cpu, int state) {
        cpu.alu(Reg.EAX, Reg.NONE);                         // CMP eax, READY
        if (cpu.jcc(state == Tcb.READY, ahead(cpu))) {      // JE take
            return true;
        }
        cpu.alu(Reg.EAX, Reg.NONE);                         // CMP eax, TRANSFERRING
        return cpu.jcc(state == Tcb.TRANSFERRING, ahead(cpu)); // JE take
    }
}

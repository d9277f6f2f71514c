package org.l3wb.kernel.sched;

import static org.l3wb.kernel.sched.JumpTargets.ahead;
import static org.l3wb.kernel.sched.JumpTargets.fallThrough;
import static org.l3wb.kernel.sched.JumpTargets.over;

import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.KernelStep;
import org.l3wb.kernel.api.KernelLayout;
import org.l3wb.kernel.api.Scheduler;
import org.l3wb.kernel.api.Tcb;
import org.osgi.service.component.annotations.Component;

/**
 * Strict scheduling, the conventional way lazy scheduling is measured against (paper 5.3.4, Table 1
 * "lazy scheduling" removed): the ready queue holds exactly the ready threads, the running one
 * included, and the waiting queue exactly the blocked ones. So every call and reply &amp; receive
 * next pays the four operations 5.3.4 lists: delete the sender from the ready queue, insert it into
 * the waiting queue, delete the receiver from the waiting queue, insert it into the ready queue;
 * and their accesses to neighbouring TCBs cost TLB misses. Wakeup lists are kept exact too.
 *
 * <p>Threads carried over from lazy scheduling (hot swap) may sit in the ready queue while not ready,
 * or be missing from a queue: every operation checks first (one load each) and {@link #next}
 * moves a non-ready head to where it belongs.
 */
@Component(service = Scheduler.class, property = Scheduler.NAME + "=strict")
public class StrictScheduler extends SchedulerBase {
    @Override
    public String name() {
        return "strict";
    }

    /** Ready queue -&gt; waiting queue. */
    @Override
    public void blocked(KernelContext k, int tcb) {
        Processor cpu = k.cpu();
        CodeStep previous = cpu.step(KernelStep.SCHEDULE);
        KernelLayout layout = k.layout();
        TcbQueue.READY.removeIfQueued(cpu, layout.readyQueue(), tcb);
        TcbQueue.WAITING.insertUnlessQueued(cpu, layout.waitingQueue(), tcb, false);
        cpu.step(previous);
    }

    /** Waiting queue -&gt; ready queue (at the tail). */
    @Override
    public void unblocked(KernelContext k, int tcb) {
        Processor cpu = k.cpu();
        CodeStep previous = cpu.step(KernelStep.SCHEDULE);
        KernelLayout layout = k.layout();
        TcbQueue.WAITING.removeIfQueued(cpu, layout.waitingQueue(), tcb);
        TcbQueue.READY.insertUnlessQueued(cpu, layout.readyQueue(), tcb, false);
        cpu.step(previous);
    }

    /**
     * Makes sure {@code tcb} is in the ready queue (normally it is: the running thread stays queued)
     * and not in the waiting queue (a wait that ended by timeout or cancellation).
     */
    @Override
    public void preempted(KernelContext k, int tcb) {
        Processor cpu = k.cpu();
        CodeStep previous = cpu.step(KernelStep.SCHEDULE);
        KernelLayout layout = k.layout();
        int w = cpu.load(Reg.EAX, Reg.EDI, tcb + Tcb.WAIT_NEXT); // MOV eax, [edi+wnext]
        cpu.alu(Reg.EAX, Reg.EAX);                          // TEST eax, eax
        int back = fallThrough(cpu);
        if (cpu.jcc(w != 0, over(cpu, JumpTargets.OUT_OF_LINE))) { // JNZ unwait (out of line)
            TcbQueue.WAITING.unlink(cpu, layout.waitingQueue(), tcb, w);
            cpu.jmp(back);
        }
        TcbQueue.READY.insertUnlessQueued(cpu, layout.readyQueue(), tcb, true);
        cpu.step(previous);
    }

    /**
     * @return the head of the ready queue, rotated to the tail (it runs now and stays queued: round
     * robin), or 0 when the queue is empty
     */
    @Override
    public int next(KernelContext k) {
        Processor cpu = k.cpu();
        CodeStep previous = cpu.step(KernelStep.SCHEDULE);
        KernelLayout layout = k.layout();
        int head = layout.readyQueue();
        int top = cpu.eip();
        while (true) {
            int h = cpu.load(Reg.ESI, Reg.NONE, head);      // MOV esi, [ready]
            cpu.alu(Reg.ESI, Reg.ESI);                      // TEST esi, esi
            if (cpu.jcc(h == 0, ahead(cpu))) {              // JZ none
                cpu.step(previous);
                return 0;
            }
            int state = cpu.load(Reg.EAX, Reg.ESI, h + Tcb.STATE); // MOV eax, [esi+state]
            if (LazyScheduler.runnable(cpu, state)) {
                int n = cpu.load(Reg.EAX, Reg.ESI, h + Tcb.READY_NEXT); // rotate: the successor becomes
                cpu.store(Reg.NONE, head, Reg.EAX, n);      // head, h the tail
                cpu.step(previous);
                return h;
            }
            // left over from lazy scheduling or a deleted thread: put it where it belongs
            TcbQueue.READY.removeFirst(cpu, head, h);
            cpu.alu(Reg.EAX, Reg.NONE);                     // CMP eax, FREE
            if (!cpu.jcc(state == Tcb.FREE, ahead(cpu))) {  // JE dropped
                TcbQueue.WAITING.insertUnlessQueued(cpu, layout.waitingQueue(), h, false);
            }
            cpu.jmp(top);
        }
    }

    /** Unlinks {@code tcb} from its wakeup list now. */
    @Override
    public void wakeupCancelled(KernelContext k, int tcb) {
        CodeStep previous = k.cpu().step(KernelStep.TIMEOUTS);
        WakeupLists.unlinkIfLinked(k, tcb);
        k.cpu().step(previous);
    }
}

package org.l3wb.kernel.mach;

import static org.l3wb.kernel.mach.MachData.E_NEXT;
import static org.l3wb.kernel.mach.MachData.E_OBJECT;
import static org.l3wb.kernel.mach.MachData.G_ACTIVE_THREADS;
import static org.l3wb.kernel.mach.MachData.G_INVOKE_HITS;
import static org.l3wb.kernel.mach.MachData.G_KERNEL_PMAP;
import static org.l3wb.kernel.mach.MachData.G_KERNEL_STACK;
import static org.l3wb.kernel.mach.MachData.G_KTSS;
import static org.l3wb.kernel.mach.MachData.G_PROCESSOR;
import static org.l3wb.kernel.mach.MachData.G_PSET;
import static org.l3wb.kernel.mach.MachData.G_SCHED_TICK;
import static org.l3wb.kernel.mach.MachData.G_SWITCH_TABLE;
import static org.l3wb.kernel.mach.MachData.KERNEL_LDT_SELECTOR;
import static org.l3wb.kernel.mach.MachData.KERNEL_TSS_SELECTOR;
import static org.l3wb.kernel.mach.MachData.TK_MAP;
import static org.l3wb.kernel.mach.MachData.T_EFL;
import static org.l3wb.kernel.mach.MachData.T_IO_TSS;
import static org.l3wb.kernel.mach.MachData.T_KERNEL_STACK;
import static org.l3wb.kernel.mach.MachData.T_LAST_PROCESSOR;
import static org.l3wb.kernel.mach.MachData.T_LDT;
import static org.l3wb.kernel.mach.MachData.T_MSTATE;
import static org.l3wb.kernel.mach.MachData.T_PCB;
import static org.l3wb.kernel.mach.MachData.T_RUNQ;
import static org.l3wb.kernel.mach.MachData.T_SCHED_STAMP;
import static org.l3wb.kernel.mach.MachData.T_STACK_PRIVILEGE;
import static org.l3wb.kernel.mach.MachData.T_SWAP_FUNC;
import static org.l3wb.kernel.mach.MachData.T_TASK;
import static org.l3wb.kernel.mach.MachData.T_TIMER;
import static org.l3wb.kernel.mach.MachData.T_WAIT_RESULT;
import static org.l3wb.kernel.mach.MachData.Z_AST;

import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.Scheduler;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.kernel.api.Timeout;

/**
 * Mach's scheduling on the IPC path ({@code kern/ipc_sched.c}, {@code kern/sched_prim.c},
 * {@code i386/pcb.c}): the sender wakes the waiting receiver ({@code thread_go}, {@code thread_setrun});
 * the receiver waits ({@code thread_will_wait}) and blocks with a continuation ({@code thread_block},
 * {@code thread_select}, {@code thread_invoke}, {@code stack_handoff}, {@code switch_ktss}). The run
 * queue and wakeup lists are the bound {@link Scheduler}'s; the CR3 load is the nucleus's switch
 * (readme, "The modelled path", 5 and 6). The old thread is in ESI, the new (or woken) one in EDI.
 */
final class Scheduling {
    private Scheduling() {
    }

    /**
     * thread_go (ipc_sched.c): splsched; reset_timeout_check; the state's switch (jump table); state and
     * wait result stored; thread_setrun; splx.
     */
    static void threadGo(Trap t, int waiter, int thread) {
        Processor cpu = t.cpu;
        int g = t.globals;
        CodeStep caller = t.enter(Routine.THREAD_GO);
        int s = Spl.splsched(t);
        Scheduler sched = t.k.scheduler();
        cpu.load(Reg.EAX, Reg.EDI, thread + T_TIMER); // reset_timeout_check(&thread->timer)
        cpu.alu(Reg.EAX, Reg.EAX);
        cpu.jcc(true);
        sched.wakeupCancelled(t.k, waiter);
        int state = cpu.load(Reg.EAX, Reg.EDI, waiter + Tcb.STATE); // switch (state & TH_SCHED_STATE)
        cpu.alu(Reg.EAX, Reg.NONE); // ANDL $TH_SCHED_STATE, %eax
        cpu.alu(Reg.EAX, Reg.NONE); // CMPL $max case, %eax
        cpu.jcc(false);
        cpu.load(Reg.EAX, Reg.NONE, Reg.EAX, g + G_SWITCH_TABLE + 4 * (state & 7)); // JMP *table(,%eax,4)
        cpu.jmp(cpu.eip() + 2);
        cpu.store(Reg.EDI, waiter + Tcb.STATE, Reg.EAX, Tcb.READY); // thread->state = (state &~ TH_WAIT) | TH_RUN
        cpu.store(Reg.EDI, thread + T_WAIT_RESULT, Reg.NONE, 0); // thread->wait_result = THREAD_AWAKENED
        threadSetrun(t, waiter, thread);
        Spl.splx(t, s);
        t.leave(caller);
    }

    /** thread_setrun(thread, TRUE): sched_stamp against sched_tick; the run queue (the scheduler's). */
    private static void threadSetrun(Trap t, int waiter, int thread) {
        Processor cpu = t.cpu;
        CodeStep caller = t.enter(Routine.THREAD_SETRUN);
        cpu.load(Reg.EAX, Reg.EDI, thread + T_SCHED_STAMP); // th->sched_stamp != sched_tick
        cpu.compare(Reg.EAX, Reg.NONE, t.globals + G_SCHED_TICK);
        cpu.jcc(false);
        t.k.scheduler().preempted(t.k, waiter); // "make sure it is in the ready queue": the run queue
        t.leave(caller);
    }

    /**
     * thread_will_wait(_with_timeout): under splsched, the current thread's wait state (its receive
     * parameters kept, its continuation mach_msg_receive_continue), a finite timeout into the wakeup lists.
     */
    static void threadWillWait(Trap t) {
        Processor cpu = t.cpu;
        int me = t.me;
        CodeStep caller = t.enter(Routine.THREAD_WILL_WAIT);
        int spl = Spl.splsched(t);
        cpu.load(Reg.EAX, Reg.EBX, me + Tcb.STATE); // thread->state |= TH_WAIT
        cpu.alu(Reg.EAX, Reg.NONE); // ORL $TH_WAIT, %eax (the nucleus's receiving state below)
        cpu.store(Reg.EBX, me + Tcb.STATE, Reg.EAX, Tcb.RECEIVING);
        cpu.store(Reg.EBX, me + Tcb.PARTNER_LOW, Reg.NONE, 0);
        cpu.store(Reg.EBX, me + Tcb.PARTNER_HIGH, Reg.NONE, 0);
        cpu.store(Reg.EBX, me + Tcb.RECEIVE_BUFFER, Reg.EDX, t.receive);
        cpu.store(Reg.EBX, me + Tcb.TIMEOUTS, Reg.ECX, t.timeouts);
        cpu.store(Reg.EBX, me + Tcb.RESUME, Reg.NONE, Tcb.RESUME_RECEIVE); // continuation: mach_msg_receive_continue
        int encoded = t.timeouts & 0xFFFF;
        cpu.alu(Reg.ECX, Reg.NONE); // CMPL $NEVER, timeout
        boolean finite = encoded != 0xFFFF;
        if (!cpu.jcc(!finite)) {
            t.k.scheduler().wakeupAt(t.k, me, t.k.now() + Timeout.decode(encoded).ms()); // thread_will_wait_with_timeout
        }
        Spl.splx(t, spl);
        t.leave(caller);
    }

    /**
     * thread_block(mach_msg_receive_continue): the stack is given up, strict scheduling picks the next
     * thread (thread_select), thread_invoke hands the stack over; then the nucleus's dispatch (CR3 and the
     * rest). It does not return: the thread resumes in its continuation.
     */
    static void threadBlock(Trap t) {
        Processor cpu = t.cpu;
        int g = t.globals;
        t.enter(Routine.THREAD_BLOCK); // (no return to the caller: the continuation is called instead)
        cpu.load(Reg.ESI, Reg.NONE, g + G_ACTIVE_THREADS); // current_thread
        cpu.alu(Reg.EAX, Reg.NONE); // cpu_to_processor
        Spl.splsched(t);
        int ast = cpu.load(Reg.EAX, Reg.NONE, g + Z_AST); // ast_off(cpu, AST_BLOCK)
        cpu.alu(Reg.EAX, Reg.NONE); // ANDL $~AST_BLOCK, %eax
        cpu.store(Reg.NONE, g + Z_AST, Reg.EAX, ast);
        t.k.scheduler().blocked(t.k, t.me);
        int next = threadSelect(t);
        threadInvoke(t, t.thread, next);
        t.handBack();
        t.k.dispatchNext(); // the switch itself (CR3 and the rest) is the nucleus's
    }

    /**
     * thread_select: first_quantum; the processor's local run queue count; the processor set's run queue
     * (count, low, the queue's head dequeued, thread->runq cleared, count decremented); the quantum.
     * @return the next thread's Mach state, 0 if the run queue is empty (the nucleus idles)
     */
    private static int threadSelect(Trap t) {
        Processor cpu = t.cpu;
        int g = t.globals;
        CodeStep caller = t.enter(Routine.THREAD_SELECT);
        cpu.store(Reg.NONE, g + G_PROCESSOR, Reg.NONE, 1); // myprocessor->first_quantum = TRUE
        int local = cpu.load(Reg.EAX, Reg.NONE, g + G_PROCESSOR + 4); // myprocessor->runq.count > 0?
        cpu.alu(Reg.EAX, Reg.EAX);
        cpu.jcc(local == 0);
        int count = cpu.load(Reg.EDX, Reg.NONE, g + G_PSET); // simple_lock; pset->runq.count == 0?
        cpu.alu(Reg.EDX, Reg.EDX);
        int head = cpu.load(Reg.EDI, Reg.NONE, t.k.layout().readyQueue()); // the run queue: strict scheduling's ready queue
        int next = 0;
        if (!cpu.jcc(head == 0)) {
            cpu.load(Reg.EAX, Reg.NONE, g + G_PSET + 4); // q = runq + runq.low
            cpu.alu(Reg.EAX, Reg.NONE);
            cpu.load(Reg.EAX, Reg.EDI, head + Tcb.UID_LOW); // queue_empty(q)?
            cpu.alu(Reg.EAX, Reg.EAX);
            cpu.jcc(false);
            next = SetUp.threadState(t.k, head); // dequeue_head(q)
            // a thread that has made no mach call yet (one the nucleus created, never named in an
            // endpoint) gets its task and ports now: in Mach they exist from its creation
            SetUp.ensureThread(t, head, next);
            cpu.store(Reg.EDI, next + T_RUNQ, Reg.NONE, 0); // thread->runq = RUN_QUEUE_NULL
            cpu.store(Reg.NONE, g + G_PSET, Reg.EDX, count); // pset->runq.count--
        }
        cpu.load(Reg.EAX, Reg.NONE, g + G_PSET + 8); // myprocessor->quantum = pset->set_quantum
        cpu.store(Reg.NONE, g + G_PROCESSOR + 8, Reg.EAX, 0);
        t.leave(caller);
        return next;
    }

    /**
     * thread_invoke with a continuation: the new thread's swap state; stack_handoff; the old thread's
     * continuation and state; the hit counter. The CR3 load is the nucleus's switch; the new thread's
     * spl0 and call_continuation are in its continuation, so thread_invoke does not return here.
     */
    private static void threadInvoke(Trap t, int old, int next) {
        Processor cpu = t.cpu;
        int g = t.globals;
        CodeStep caller = t.enter(Routine.THREAD_INVOKE);
        cpu.alu(Reg.ESI, Reg.EDI); // old_thread == new_thread?
        if (cpu.jcc(next == 0)) {
            t.leave(caller);
            return;
        }
        int privilege = cpu.load(Reg.EAX, Reg.ESI, old + T_STACK_PRIVILEGE); // old->stack_privilege != current_stack()
        cpu.compare(Reg.EAX, Reg.NONE, g + G_KERNEL_STACK);
        cpu.jcc(privilege != 0);
        cpu.alu(Reg.EBX, Reg.EBX); // continuation != 0
        cpu.jcc(false);
        int state = cpu.load(Reg.EAX, Reg.EDI, next + T_MSTATE); // switch (new_thread->state & TH_SWAP_STATE)
        cpu.alu(Reg.EAX, Reg.NONE); // ANDL $TH_SWAP_STATE, %eax
        cpu.alu(Reg.EAX, Reg.NONE); // CMPL $TH_SWAPPED, %eax
        cpu.jcc(false);
        cpu.store(Reg.EDI, next + T_MSTATE, Reg.EAX, state); // new_thread->state &= ~(TH_SWAPPED | TH_UNINT)
        cpu.store(Reg.EDI, next + T_LAST_PROCESSOR, Reg.EDX, g + G_PROCESSOR); // new_thread->last_processor
        cpu.load(Reg.EAX, Reg.NONE, g + Z_AST); // ast_context(new_thread, cpu)
        cpu.store(Reg.NONE, g + Z_AST, Reg.NONE, 0);
        stackHandoff(t, old, next);
        cpu.store(Reg.ESI, old + T_SWAP_FUNC, Reg.EBX, Routine.RECEIVE_CONTINUE.offset()); // old_thread->swap_func = continuation
        int oldState = cpu.load(Reg.EAX, Reg.ESI, old + T_MSTATE); // switch (old_thread->state): jump table
        cpu.alu(Reg.EAX, Reg.NONE);
        cpu.jcc(false);
        cpu.load(Reg.EAX, Reg.NONE, Reg.EAX, g + G_SWITCH_TABLE + 4 * (oldState & 7));
        cpu.jmp(cpu.eip() + 2);
        cpu.store(Reg.ESI, old + T_MSTATE, Reg.EAX, oldState); // (state & ~TH_RUN) | TH_SWAPPED
        int hits = cpu.load(Reg.EAX, Reg.NONE, g + G_INVOKE_HITS); // counter_always(c_thread_invoke_hits++)
        cpu.store(Reg.NONE, g + G_INVOKE_HITS, Reg.EAX, hits + 1);
        cpu.load(Reg.EAX, Reg.EDI, next + T_SWAP_FUNC); // call_continuation(new_thread->swap_func), after spl0
    }

    /**
     * stack_handoff (i386/pcb.c): set_ts, the tasks' pmaps deactivated and activated, switch_ktss, the
     * kernel stack handed over, active_threads, the saved state's pointer.
     */
    private static void stackHandoff(Trap t, int old, int next) {
        Processor cpu = t.cpu;
        int g = t.globals;
        CodeStep caller = t.enter(Routine.STACK_HANDOFF);
        // fpu_save_context: set_ts(): MOV EAX, CR0; OR; MOV CR0, EAX (no CR0 moves in the processor API:
        // register instructions)
        cpu.alu(Reg.EAX, Reg.NONE);
        cpu.alu(Reg.EAX, Reg.NONE);
        cpu.alu(Reg.NONE, Reg.EAX);
        int oldTask = cpu.load(Reg.EAX, Reg.ESI, old + T_TASK); // old->task != new->task
        int newTask = cpu.load(Reg.EDX, Reg.EDI, next + T_TASK);
        cpu.alu(Reg.EAX, Reg.EDX);
        if (!cpu.jcc(oldTask == newTask)) {
            int map = cpu.load(Reg.EAX, Reg.EAX, oldTask + TK_MAP); // PMAP_DEACTIVATE_USER(vm_map_pmap(old_task->map))
            cpu.compare(Reg.EAX, Reg.NONE, g + G_KERNEL_PMAP);
            cpu.jcc(false);
            cpu.store(Reg.EAX, map + E_NEXT, Reg.NONE, 0); // pmap->cpus_using = FALSE
            int newMap = cpu.load(Reg.EDX, Reg.EDX, newTask + TK_MAP); // PMAP_ACTIVATE_USER: set_dirbase (the nucleus's CR3)
            cpu.load(Reg.EAX, Reg.EDX, newMap + E_OBJECT); // pmap->dirbase
            cpu.compare(Reg.EDX, Reg.NONE, g + G_KERNEL_PMAP);
            cpu.jcc(false);
            cpu.store(Reg.EDX, newMap + E_NEXT, Reg.NONE, 1); // pmap->cpus_using = TRUE
        }
        cpu.load(Reg.EBX, Reg.EDI, next + T_PCB); // switch_ktss(new->pcb)
        switchKtss(t, next);
        cpu.load(Reg.EAX, Reg.NONE, g + G_KERNEL_STACK); // stack = current_stack()
        cpu.store(Reg.ESI, old + T_KERNEL_STACK, Reg.NONE, 0); // old->kernel_stack = 0
        cpu.store(Reg.EDI, next + T_KERNEL_STACK, Reg.EAX, g + G_KERNEL_STACK); // new->kernel_stack = stack
        cpu.store(Reg.NONE, g + G_ACTIVE_THREADS, Reg.EDI, next); // active_threads[mycpu] = new
        cpu.store(Reg.EDI, next + T_PCB, Reg.EDI, next); // STACK_IEL(stack)->saved_state = &new->pcb->iss
        t.leave(caller);
    }

    /**
     * switch_ktss (i386/pcb.c): the I/O TSS and EFL_VM tested, the TSS descriptor's busy bit in the GDT,
     * esp0 in Mach's TSS image, set_ldt(KERNEL_LDT) (no LLDT in the processor API: its GDT descriptor read).
     */
    private static void switchKtss(Trap t, int next) {
        Processor cpu = t.cpu;
        int gdt = t.k.layout().gdt();
        CodeStep caller = t.enter(Routine.SWITCH_KTSS);
        int tss = cpu.load(Reg.EAX, Reg.EDI, next + T_IO_TSS); // pcb->ims.io_tss
        int efl = cpu.load(Reg.EDX, Reg.EDI, next + T_EFL); // pcb->iss.efl & EFL_VM
        cpu.alu(Reg.EDX, Reg.NONE);
        cpu.jcc(efl == 0);
        cpu.alu(Reg.EAX, Reg.EAX);
        cpu.jcc(tss != 0);
        cpu.load(Reg.EAX, Reg.NONE, gdt + KERNEL_TSS_SELECTOR + 4); // gdt KERNEL_TSS access & ACC_TSS_BUSY
        cpu.alu(Reg.EAX, Reg.NONE);
        cpu.jcc(true); // busy: no LTR
        cpu.store(Reg.NONE, t.globals + G_KTSS, Reg.EBX, next + T_PCB); // curr_ktss(mycpu)->esp0 = pcb_stack_top (Mach's own TSS image)
        int ldt = cpu.load(Reg.EAX, Reg.EDI, next + T_LDT); // pcb->ims.ldt == 0: set_ldt(KERNEL_LDT)
        cpu.alu(Reg.EAX, Reg.EAX);
        cpu.jcc(ldt != 0);
        cpu.movImm(Reg.EAX, KERNEL_LDT_SELECTOR); // LLDT
        cpu.load(Reg.NONE, Reg.NONE, gdt + KERNEL_LDT_SELECTOR);
        cpu.load(Reg.NONE, Reg.NONE, gdt + KERNEL_LDT_SELECTOR + 4);
        t.leave(caller);
    }
}

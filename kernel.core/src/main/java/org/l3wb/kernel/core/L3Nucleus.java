package org.l3wb.kernel.core;

import java.util.function.BooleanSupplier;

import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.PageFault;
import org.l3wb.hw.api.Processor;
import org.l3wb.kernel.api.IpcMechanism;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.KernelCall;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.KernelLayout;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.ProcessorFeatures;
import org.l3wb.kernel.api.Scheduler;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.api.UserProgram;

/**
 * The L3-style nucleus on one simulated machine: tasks with page directories in simulated memory,
 * threads with TCBs in a virtual array (5.2.5) or, with that switch off, in a heap found through a
 * table with kernel stacks apart; system calls through INT and IRET; the clock interrupt; the
 * page-fault handler for unused TCBs and the communication window. It is both the {@link Nucleus}
 * experiments drive and the {@link KernelContext} the bound IPC mechanism and scheduler run in.
 *
 * <p>A facade over the parts, one concern each, which share a {@link NucleusState}: {@link Boot}
 * (boot and layout, set-up), {@link MechanismBinding} (binding and hot swap), {@link TrapPath} (kernel
 * entry, uid to TCB, switch, return to user), {@link ClockAndFaults} (clock interrupt, page faults),
 * {@link ThreadEnd} (ends of threads and waits).
 */
final class L3Nucleus implements Nucleus, KernelContext {
    final NucleusState state;
    final Boot boot;
    final MechanismBinding binding;
    final TrapPath trap;
    final ClockAndFaults clock;
    final ThreadEnd threads;
    private final UserThread user;

    L3Nucleus(KernelComponent kernel, Machine machine, Switches switches, String mechanism, String scheduler) {
        Boot[] later = new Boot[1]; // the layout calls back when a mechanism gets a region, after boot
        this.state = new NucleusState(machine, switches, region -> later[0].newMechanismRegion(region));
        this.boot = new Boot(state);
        later[0] = boot;
        this.binding = new MechanismBinding(kernel, this, state, mechanism, scheduler);
        this.trap = new TrapPath(this, state);
        this.clock = new ClockAndFaults(this, state);
        this.threads = new ThreadEnd(this, state);
        boot.boot();
        this.user = new UserThread(this);
        binding.latch();
    }

    // ---------------------------------------------------------------- Nucleus

    @Override
    public Machine machine() {
        return state.machine;
    }

    @Override
    public KernelLayout layout() {
        return state.layout;
    }

    @Override
    public Switches switches() {
        return state.switches;
    }

    @Override
    public int createTask() {
        return boot.createTask();
    }

    @Override
    public void mapUser(int task, int linear, int pages, boolean writable) {
        boot.mapUser(task, linear, pages, writable);
    }

    @Override
    public ThreadId createThread(int task, UserProgram program) {
        int local = boot.nextLocal(task);
        int number = task * Layout.THREADS_PER_TASK + local;
        ThreadId id = ThreadId.of(number, ++state.generations[number], task);
        int tcb = boot.setUpThread(task, number, id, local);
        state.programs[number] = program;
        binding.latch(); // set-up work that runs kernel code is a kernel entry too
        boot.inKernel(Boot.CREATE_CODE, () -> scheduler().preempted(this, tcb));
        return id;
    }

    @Override
    public ThreadId endpoint(ThreadId caller, ThreadId target) {
        int from = state.tcbOfUid(caller);
        int to = state.tcbOfUid(target);
        binding.latch();
        IpcMechanism m = binding.mechanismNow();
        if (m == null) {
            throw new IllegalStateException("no IPC mechanism is installed (requested '" + mechanismName() + "')");
        }
        long[] words = new long[1];
        boot.inKernel(Boot.CREATE_CODE, () -> words[0] = m.endpoint(this, from, to));
        return new ThreadId((int) words[0], (int) (words[0] >>> 32));
    }

    @Override
    public void mapKernelPage(int linear) {
        boot.mapKernelPage(linear);
    }

    @Override
    public void deleteThread(ThreadId thread) {
        int tcb = state.tcbOfUid(thread);
        if (tcb == state.idle || tcb == state.current) {
            throw new IllegalArgumentException("cannot delete the running thread " + thread);
        }
        binding.latch();
        boot.inKernel(Boot.EXIT_CODE, () -> threads.kill(tcb));
    }

    @Override
    public boolean run(BooleanSupplier done, long maxCycles) {
        Processor cpu = state.cpu;
        long limit = cpu.cycles() + maxCycles;
        while (!done.getAsBoolean()) {
            if (cpu.cycles() >= limit) {
                return false;
            }
            if (state.current == state.idle) {
                if (!clock.idle()) {
                    return false;
                }
                continue;
            }
            if (cpu.timerDue()) {
                clock.clockFromUser();
                continue;
            }
            int thread = state.current;
            UserProgram program = state.programs[state.uidLow(thread) >>> 10];
            if (program == null) {
                throw new IllegalStateException("thread at TCB " + Integer.toHexString(thread) + " has no program");
            }
            user.enter(thread);
            program.run(user);
            if (!user.trapped()) {
                throw new IllegalStateException("the program of " + user.self()
                        + " returned without a system call or exit");
            }
        }
        return true;
    }

    @Override
    public String mechanismName() {
        return binding.mechanismName();
    }

    @Override
    public void useMechanism(String name) {
        binding.useMechanism(name);
    }

    @Override
    public String boundMechanism() {
        return binding.boundMechanismName();
    }

    @Override
    public String schedulerName() {
        return binding.schedulerName();
    }

    @Override
    public void useScheduler(String name) {
        binding.useScheduler(name);
    }

    @Override
    public int state(ThreadId thread) {
        int number = thread.threadNumber();
        int tcb = number > 0 && number <= Layout.THREAD_MASK ? state.tcbByNumber[number] : 0;
        if (tcb == 0 || state.readKernelWord(tcb + Tcb.UID_HIGH) != thread.high()) {
            return Tcb.FREE;
        }
        return state.readKernelWord(tcb + Tcb.STATE);
    }

    @Override
    public int peek(int task, int linear) {
        return state.memory.readWord(boot.userPhysical(task, linear));
    }

    @Override
    public void poke(int task, int linear, int value) {
        state.memory.writeWord(boot.userPhysical(task, linear), value);
    }

    @Override
    public long ipcCount() {
        return state.ipcs;
    }

    @Override
    public void checkInvariants() {
        InvariantChecker.check(state);
    }

    // ---------------------------------------------------------------- system calls from the user stub

    void systemCall(IpcOperation op) {
        trap.systemCall(op);
    }

    void exitCall() {
        trap.exitCall();
    }

    void kernelCall(KernelCall call) {
        trap.kernelCall(call);
    }

    // ---------------------------------------------------------------- KernelContext

    @Override
    public Processor cpu() {
        return state.cpu;
    }

    @Override
    public ProcessorFeatures features() {
        return state.features;
    }

    @Override
    public void cleanWindow(int space) {
        trap.cleanWindow(space);
    }

    @Override
    public void windowDoneBeforeSwitch() {
        trap.windowDoneBeforeSwitch();
    }

    @Override
    public void invalidatePages(int first, int pages) {
        trap.invalidatePages(first, pages);
    }

    @Override
    public Scheduler scheduler() {
        return binding.scheduler();
    }

    @Override
    public int current() {
        return trap.current();
    }

    @Override
    public int tcbOf(int uidLow) {
        return trap.tcbOf(uidLow);
    }

    @Override
    public int lookup(int uidLow, int uidHigh) {
        return trap.lookup(uidLow, uidHigh);
    }

    @Override
    public void switchTo(int from, int to) {
        trap.switchTo(from, to);
    }

    @Override
    public void returnToUser() {
        trap.returnToUser();
    }

    @Override
    public void resume() {
        trap.resume();
    }

    @Override
    public void saveResults(int tcb, int eax, int ebx, int ecx, int edx, int esi) {
        trap.saveResults(tcb, eax, ebx, ecx, edx, esi);
    }

    @Override
    public void pageFault(PageFault fault) {
        clock.pageFault(fault);
    }

    @Override
    public long now() {
        return clock.now();
    }

    @Override
    public void dispatchNext() {
        trap.dispatchNext();
    }

    @Override
    public boolean preemptionPending() {
        return state.cpu.timerDue();
    }

    @Override
    public boolean clockInterruptInKernel() {
        return clock.clockInterruptInKernel();
    }
}

package org.l3wb.lab.ipc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.Mnemonic;
import org.l3wb.hw.api.Mode;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.api.Statistics;
import org.l3wb.hw.api.TraceListener;
import org.l3wb.kernel.api.Kernel;
import org.l3wb.kernel.api.KernelCall;
import org.l3wb.kernel.api.KernelStep;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.api.UserContext;
import org.l3wb.kernel.api.UserProgram;
import org.l3wb.lab.format.Table;
import org.l3wb.lab.reference.PaperFigures;

/**
 * Section 5.6's two system calls on one processor: "18 µs for the mach thread self call whereas the bare
 * machine time for user → kernel → user is 2 µs". One thread calls {@link KernelCall#NULL} (its INT into
 * the nucleus's gate, straight back with IRET: nothing else) or, under {@code mach},
 * {@link KernelCall#THREAD_SELF} ({@code mach_thread_self} through Mach's locore, trap table and
 * ipc_tt/ipc_port/ipc_object/ipc_right/ipc_hash code) in a loop; after {@link #WARM_UP_CALLS} calls the
 * machine's trace ({@link TraceListener}) sums, per step, the cycles, instructions, TLB and cache misses of
 * every instruction from the INT to the IRET of each measured call: the user's loop (its jump back to
 * the stub) and clock interrupts taken at user level are not the call's. Averages per call.
 *
 * <pre>
 *  Syscall s = new Syscall(machines, kernel);
 *  Syscall.Measured bare = s.bare(model, 1000);       // ~ INT + IRET
 *  Syscall.Measured self = s.threadSelf(model, 1000); // mach_thread_self
 *  s.table(model, 1000).render(Format.TEXT);
 * </pre>
 *
 * Mach runs as for Table 7's Mach column ({@link Figure8#MACH_SWITCHES}, strict scheduling); the bare
 * trip needs no mechanism (the kernel boots {@code l3}) and no switch touches it.
 */
public final class Syscall {
    /** Calls before the measurement, so that caches and TLB hold what the loop touches. */
    public static final int WARM_UP_CALLS = 20;
    /** Default measured calls of {@code lab:syscall}. */
    public static final String DEFAULT_ROUNDS = "1000";
    /** The most calls a run measures (each under about 2,000 cycles: well inside the kernel's clock). */
    public static final int MAX_ROUNDS = 10_000_000;
    /** Cycles without a completed call that make a stall. */
    private static final long STALL_CYCLES = 100_000_000L;

    /** One step's average per call. */
    public record Step(String label, String source, double cycles, double instructions, double tlbMisses,
                       double cacheMisses) {
    }

    /** What one run measured: averages per call, and per step in order of first appearance. */
    public record Measured(KernelCall call, String mechanism, ProcessorModel model, int rounds, double cycles,
                           double instructions, double tlbMisses, double cacheMisses, List<Step> steps) {
        /** @return simulated µs per call at the model's clock */
        public double micros() {
            return cycles / model.clockMHz();
        }

        /** @return "user → kernel → user" or "mach_thread_self" */
        public String name() {
            return call == KernelCall.NULL ? "user_kernel_user" : "mach_thread_self";
        }
    }

    private final MachineFactory machines;
    private final Kernel kernel;

    public Syscall(MachineFactory machines, Kernel kernel) {
        this.machines = machines;
        this.kernel = kernel;
    }

    /** @return the bare user → kernel → user round trip on {@code model}, averaged over {@code rounds} calls */
    public Measured bare(ProcessorModel model, int rounds) {
        return measure(model, "l3", "lazy", Switches.ALL_ON, KernelCall.NULL, rounds);
    }

    /** @return Mach's mach_thread_self trap on {@code model}, averaged over {@code rounds} calls */
    public Measured threadSelf(ProcessorModel model, int rounds) {
        return measure(model, "mach", "strict", Figure8.MACH_SWITCHES, KernelCall.THREAD_SELF, rounds);
    }

    /** @return both calls beside the paper: cycles, µs, instructions, misses per call, paper µs, deviation % */
    public Table table(ProcessorModel model, int rounds) {
        return table(model, rounds, true);
    }

    /**
     * As {@link #table(ProcessorModel, int)}; without {@code threadSelf} only the bare trip (lab:report, when
     * kernel.mach is not installed). The two calls run at once, each on a machine of its own
     * ({@link Parallel}: on lab:report's shared pool there).
     */
    public Table table(ProcessorModel model, int rounds, boolean threadSelf) {
        Table t = new Table("call", "mechanism", "processor", "rounds", "cycles", "us", "instructions",
                "tlb_misses", "cache_misses", "paper_us", "deviation");
        List<KernelCall> calls = threadSelf ? List.of(KernelCall.NULL, KernelCall.THREAD_SELF) : List.of(KernelCall.NULL);
        // the thread-self call is some eight times the bare trip's cycles: queued first on a shared pool
        List<Measured> measured = Parallel.map(calls, c -> c == KernelCall.NULL ? bare(model, rounds)
                : threadSelf(model, rounds), c -> c == KernelCall.NULL ? 1 : 8);
        for (Measured m : measured) {
            Double paper = PaperFigures.section56Micros(model.name(), m.call() == KernelCall.THREAD_SELF);
            t.row(m.name(), m.mechanism(), model.name(), m.rounds(), Experiments.round(m.cycles(), 1),
                    Experiments.round(m.micros(), 2), Experiments.round(m.instructions(), 1),
                    Experiments.round(m.tlbMisses(), 2), Experiments.round(m.cacheMisses(), 2), paper,
                    Experiments.deviation(m.micros(), paper));
        }
        return t;
    }

    /** @return per call and step: its average cycles, instructions, TLB and cache misses per call */
    public Table steps(ProcessorModel model, int rounds) {
        Table t = new Table("call", "step", "source", "cycles", "instructions", "tlb_misses", "cache_misses");
        for (Measured m : List.of(bare(model, rounds), threadSelf(model, rounds))) {
            for (Step s : m.steps()) {
                t.row(m.name(), s.label(), s.source(), Experiments.round(s.cycles(), 1),
                        Experiments.round(s.instructions(), 1), Experiments.round(s.tlbMisses(), 2),
                        Experiments.round(s.cacheMisses(), 2));
            }
        }
        return t;
    }

    private Measured measure(ProcessorModel model, String mechanism, String scheduler, Switches switches,
                             KernelCall call, int rounds) {
        if (rounds <= 0 || rounds > MAX_ROUNDS) {
            throw new IllegalArgumentException("--rounds must be 1.." + MAX_ROUNDS + ", got " + rounds);
        }
        Machine machine = machines.create(model);
        Nucleus n = kernel.boot(machine, switches, mechanism, scheduler);
        Tally tally = new Tally(machine);
        Caller caller = new Caller(call, tally, rounds);
        n.createThread(n.createTask(), caller);
        if (call == KernelCall.THREAD_SELF) {
            PingPong.requireBound(n, mechanism); // the kernel may have booted another: no figure then
        }
        machine.cpu().trace(tally);
        try {
            while (caller.returned < WARM_UP_CALLS + rounds) {
                int before = caller.returned;
                n.run(() -> caller.returned >= WARM_UP_CALLS + rounds, STALL_CYCLES);
                if (caller.returned == before) {
                    throw new IllegalStateException(call + " stalled: no call returned in " + STALL_CYCLES + " cycles");
                }
            }
        } finally {
            machine.cpu().trace(null);
        }
        if (call == KernelCall.THREAD_SELF) {
            PingPong.requireBound(n, mechanism);
        }
        List<Step> steps = new ArrayList<>();
        double[] total = new double[4];
        tally.sums.forEach((step, s) -> {
            steps.add(new Step(step.label(), step.source(), s[0] / (double) rounds, s[1] / (double) rounds,
                    s[2] / (double) rounds, s[3] / (double) rounds));
            for (int i = 0; i < 4; i++) {
                total[i] += s[i];
            }
        });
        return new Measured(call, call == KernelCall.NULL ? "-" : mechanism, model, rounds, total[0] / rounds,
                total[1] / rounds, total[2] / rounds, total[3] / rounds, List.copyOf(steps));
    }

    /** The thread: the call in a loop; checks each result; arms the tally for the measured calls. */
    private static final class Caller implements UserProgram {
        private final KernelCall call;
        private final Tally tally;
        private final int rounds;
        int returned;
        boolean started;
        int firstName;

        Caller(KernelCall call, Tally tally, int rounds) {
            this.call = call;
            this.tally = tally;
            this.rounds = rounds;
        }

        @Override
        public void run(UserContext u) {
            if (started) {
                returned++;
                check(u);
            }
            started = true;
            // the calls after the warm-up, each from its INT to its IRET
            tally.counting = returned >= WARM_UP_CALLS && returned < WARM_UP_CALLS + rounds;
            u.kernelCall(call);
        }

        /** mach_thread_self returns the same name of a send right every time (EAX); the null call nothing. */
        private void check(UserContext u) {
            if (call != KernelCall.THREAD_SELF) {
                return;
            }
            int name = u.cpu().reg(Reg.EAX);
            if (name == 0 || (firstName != 0 && name != firstName)) {
                throw new IllegalStateException("mach_thread_self returned name " + Integer.toHexString(name)
                        + (firstName == 0 ? "" : ", before " + Integer.toHexString(firstName)));
            }
            firstName = name;
        }
    }

    /**
     * Sums the machine's reports per step while armed: each instruction's cycles are the clock at its
     * retirement minus the clock at the previous one (as lab:trace counts them), so the sums are the
     * clock's own advance over the call. Armed by the caller before its INT, disarmed by the IRET to user
     * level, so neither the user's code nor a clock interrupt taken at user level is counted.
     */
    private static final class Tally implements TraceListener {
        private final Machine machine;
        private final Statistics stats;
        final Map<CodeStep, long[]> sums = new LinkedHashMap<>();
        boolean counting;
        private CodeStep step;
        private long last;
        private long missesAtLast;
        private int tlbMisses;

        Tally(Machine machine) {
            this.machine = machine;
            this.stats = machine.statistics();
            this.step = machine.cpu().step();
            this.last = stats.now();
            this.missesAtLast = stats.cacheMisses();
        }

        @Override
        public void step(CodeStep s) {
            step = s;
        }

        @Override
        public void tlbMiss(int cycles) {
            tlbMisses++;
        }

        @Override
        public void retired(Mnemonic op, int at, Reg reg, Reg base, Reg index) {
            long now = stats.now();
            long misses = stats.cacheMisses();
            if (counting && step != KernelStep.USER && step != KernelStep.CLOCK && step != null) {
                long[] s = sums.computeIfAbsent(step, k -> new long[4]);
                s[0] += now - last;
                s[1]++;
                s[2] += tlbMisses;
                s[3] += misses - missesAtLast;
            }
            last = now;
            missesAtLast = misses;
            tlbMisses = 0;
            if (op == Mnemonic.IRET && machine.cpu().mode() == Mode.USER) {
                counting = false; // the call is back at user level: what follows until the next INT is not its
            }
        }
    }
}

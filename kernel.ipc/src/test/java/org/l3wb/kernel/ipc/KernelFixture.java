package org.l3wb.kernel.ipc;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.cache.CacheFactoryComponent;
import org.l3wb.hw.cpu486.MachineFactoryComponent;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.hw.mmu.MmuFactoryComponent;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.api.Timeout;
import org.l3wb.kernel.api.UserContext;
import org.l3wb.kernel.api.UserProgram;
import org.l3wb.kernel.core.KernelComponent;
import org.l3wb.kernel.sched.LazyScheduler;
import org.l3wb.kernel.sched.StrictScheduler;

/** A booted nucleus with the l3 mechanism, and scripted user threads for tests. */
final class KernelFixture {
    static final int NEVER = Timeout.pair(Timeout.NEVER, Timeout.NEVER);

    final Machine machine;
    final Nucleus nucleus;

    KernelFixture() {
        this(Switches.ALL_ON, "lazy");
    }

    KernelFixture(Switches switches, String scheduler) {
        this(switches, scheduler, StandardModels.i486dx50());
    }

    KernelFixture(ProcessorModel model) {
        this(Switches.ALL_ON, "lazy", model);
    }

    KernelFixture(Switches switches, String scheduler, ProcessorModel model) {
        KernelComponent kernel = new KernelComponent();
        kernel.addMechanism(new L3Ipc());
        kernel.addScheduler(new LazyScheduler());
        kernel.addScheduler(new StrictScheduler());
        machine = new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent())
                .create(model);
        nucleus = kernel.boot(machine, switches, "l3", scheduler);
    }

    /** What one system call returned. */
    record Outcome(ResultCode result, int word0, int word1, ThreadId source) {
    }

    /**
     * A user program made of steps, each ending in one system call; after the last it exits. The
     * outcome of each call is recorded.
     */
    static final class Script implements UserProgram {
        final List<Consumer<UserContext>> steps = new ArrayList<>();
        final List<Outcome> outcomes = new ArrayList<>();
        private int next;

        Script step(Consumer<UserContext> step) {
            steps.add(step);
            return this;
        }

        Script call(IpcOperation op, java.util.function.Supplier<ThreadId> partner, int send, int receive, int w0,
                    int w1, int timeouts) {
            return step(u -> u.ipc(op, partner.get(), send, receive, w0, w1, timeouts));
        }

        boolean finished() {
            return next > steps.size();
        }

        @Override
        public void run(UserContext u) {
            if (next > 0) {
                outcomes.add(new Outcome(u.result(), u.word0(), u.word1(), u.source()));
            }
            if (next < steps.size()) {
                steps.get(next++).accept(u);
            } else {
                next++;
                u.exit();
            }
        }
    }

    boolean run(java.util.function.BooleanSupplier done) {
        return nucleus.run(done, 500_000_000L);
    }
}

package org.l3wb.lab.report;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.cache.CacheFactoryComponent;
import org.l3wb.hw.cpu486.MachineFactoryComponent;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.hw.mmu.MmuFactoryComponent;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.core.KernelComponent;
import org.l3wb.kernel.ipc.L3Ipc;
import org.l3wb.kernel.sched.LazyScheduler;
import org.l3wb.kernel.sched.StrictScheduler;

/** The workbench wired by hand, as Declarative Services wires it, with few rounds per experiment. */
final class TestBench {
    static final MachineFactory MACHINES = new MachineFactoryComponent(new MmuFactoryComponent(),
            new CacheFactoryComponent());
    /** Every mechanism installed. */
    static final KernelComponent KERNEL = kernel(true);
    /** l3 only: ports, dash and mach are not installed. */
    static final KernelComponent L3_ONLY = kernel(false);

    private static KernelComponent kernel(boolean all) {
        KernelComponent k = new KernelComponent();
        L3Ipc l3 = new L3Ipc();
        k.addMechanism(l3);
        if (all) {
            k.addMechanism(new org.l3wb.kernel.ports.PortsIpc(l3));
            k.addMechanism(new org.l3wb.kernel.dash.DashIpc(l3));
            k.addMechanism(new org.l3wb.kernel.mach.MachIpc());
        }
        k.addScheduler(new LazyScheduler());
        k.addScheduler(new StrictScheduler());
        return k;
    }

    static Setup setup() {
        return setup(KERNEL, Switches.ALL_ON);
    }

    static Setup setup(KernelComponent kernel, Switches switches) {
        return new Setup(MACHINES, kernel, StandardModels.i486dx50(), "l3", "lazy", switches,
                List.of(StandardModels.i486dx33(), StandardModels.i486dx50()));
    }

    /** Few round trips: the figures of the steady state hardly change, the test stays quick. */
    static Map<Experiment, Integer> fewRounds() {
        Map<Experiment, Integer> r = new EnumMap<>(Experiment.class);
        for (Experiment e : Experiment.values()) {
            r.put(e, e.defaultRounds() == 0 ? 0 : 20);
        }
        return r;
    }

    private TestBench() {
    }
}

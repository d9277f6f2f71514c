package org.l3wb.lab.ipc;

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

/** The workbench's parts wired by hand, as Declarative Services wires them in the framework (for lab's tests). */
public final class Lab {
    public static final MachineFactory MACHINES = new MachineFactoryComponent(new MmuFactoryComponent(),
            new CacheFactoryComponent());
    public static final KernelComponent KERNEL = new KernelComponent();

    static {
        L3Ipc l3 = new L3Ipc();
        KERNEL.addMechanism(l3);
        KERNEL.addMechanism(new org.l3wb.kernel.ports.PortsIpc(l3));
        KERNEL.addMechanism(new org.l3wb.kernel.dash.DashIpc(l3));
        KERNEL.addMechanism(new org.l3wb.kernel.mach.MachIpc());
        KERNEL.addScheduler(new LazyScheduler());
        KERNEL.addScheduler(new StrictScheduler());
    }

    public static PingPong pingPong() {
        return new PingPong(MACHINES, KERNEL);
    }

    public static PingPong.Config config(int size, int rounds) {
        return new PingPong.Config(StandardModels.i486dx50(), "l3", "lazy", Switches.ALL_ON, size, rounds, false);
    }

    private Lab() {
    }
}

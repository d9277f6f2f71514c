package org.l3wb.lab.sweep;

import java.util.List;

import org.l3wb.hw.cache.CacheFactoryComponent;
import org.l3wb.hw.cpu386.I386Dx20;
import org.l3wb.hw.cpu486.MachineFactoryComponent;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.hw.mmu.MmuFactoryComponent;
import org.l3wb.kernel.core.KernelComponent;
import org.l3wb.kernel.ipc.L3Ipc;
import org.l3wb.kernel.sched.LazyScheduler;
import org.l3wb.kernel.sched.StrictScheduler;

/** The workbench's services wired by hand, as Declarative Services wires them. */
final class Bench {
    private Bench() {
    }

    static Installed installed() {
        KernelComponent k = new KernelComponent();
        L3Ipc l3 = new L3Ipc();
        k.addMechanism(l3);
        k.addMechanism(new org.l3wb.kernel.ports.PortsIpc(l3));
        k.addMechanism(new org.l3wb.kernel.dash.DashIpc(l3));
        k.addScheduler(new LazyScheduler());
        k.addScheduler(new StrictScheduler());
        return new Installed(List.of(StandardModels.i486dx50(), new I386Dx20()),
                new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent()), k);
    }
}

package org.l3wb.kernel.dash;

import java.util.TreeMap;

import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.cache.CacheFactoryComponent;
import org.l3wb.hw.cpu486.MachineFactoryComponent;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.hw.mmu.MmuFactoryComponent;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.api.Timeout;
import org.l3wb.kernel.core.KernelComponent;
import org.l3wb.kernel.ipc.L3Ipc;
import org.l3wb.kernel.sched.LazyScheduler;
import org.l3wb.kernel.sched.StrictScheduler;

/** A real i486 DX-50 machine with a nucleus bound to {@code dash}, and a debugger's view of the ipc region. */
final class DashFixture {
    static final int NEVER = Timeout.pair(Timeout.NEVER, Timeout.NEVER);
    static final int PAGE = PageFlags.PAGE_SIZE;

    final Machine machine;
    final Nucleus n;

    DashFixture() {
        this(Switches.ALL_ON, "lazy");
    }

    DashFixture(Switches switches, String scheduler) {
        this(switches, scheduler, StandardModels.i486dx50());
    }

    DashFixture(Switches switches, String scheduler, org.l3wb.hw.api.ProcessorModel model) {
        machine = new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent()).create(model);
        KernelComponent kernel = new KernelComponent();
        L3Ipc l3 = new L3Ipc();
        kernel.addMechanism(l3);
        kernel.addMechanism(new DashIpc(l3));
        kernel.addScheduler(new LazyScheduler());
        kernel.addScheduler(new StrictScheduler());
        n = kernel.boot(machine, switches, "dash", scheduler);
    }

    /** @return the address of region page {@code index} (may lie outside the region for tests) */
    static int page(int index) {
        return IpcRegion.BASE + index * PAGE;
    }

    /**
     * @return the physical address of {@code task}'s page directory, read (free) through the kernel's
     * virtual array of page directories, which every space maps
     */
    int directory(int task) {
        int pte = machine.mmu().entry(machine.mmu().cr3(), n.layout().pageDirectories() + task * PAGE);
        if ((pte & PageFlags.PRESENT) == 0) {
            throw new IllegalStateException("task " + task + " has no page directory");
        }
        return pte & PageFlags.FRAME_MASK;
    }

    /** @return region page index to frame, for every page {@code task} has mapped in its ipc region */
    TreeMap<Integer, Integer> regionFrames(int task) {
        TreeMap<Integer, Integer> frames = new TreeMap<>();
        int dir = directory(task);
        for (int i = 0; i < IpcRegion.PAGES; i++) {
            int pte = machine.mmu().entry(dir, page(i));
            if ((pte & PageFlags.PRESENT) != 0) {
                frames.put(i, pte & PageFlags.FRAME_MASK);
            }
        }
        return frames;
    }

    /** Maps region pages {@code first..first+count-1} in {@code task} and writes a tag into the first and last word of each. */
    void give(int task, int first, int count, int tagBase) {
        n.mapUser(task, page(first), count, true);
        for (int i = 0; i < count; i++) {
            n.poke(task, page(first + i), tagBase + i);
            n.poke(task, page(first + i) + PAGE - 4, ~(tagBase + i));
        }
    }
}

package org.l3wb.kernel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.cache.CacheFactoryComponent;
import org.l3wb.hw.cpu486.MachineFactoryComponent;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.hw.mmu.MmuFactoryComponent;
import org.l3wb.kernel.api.IpcMechanism;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.KernelLayout;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.sched.LazyScheduler;

/**
 * Mechanisms swapped on one nucleus keep their tables apart: each gets a data region of its own, the
 * first one the same region whichever mechanism it is, and a region handed out after the tasks exist
 * is reachable from their spaces.
 */
class MechanismDataRegionsTest {
    /** Keeps a counter at offset 0x800000 of its region: adds one per IPC and answers the new count. */
    static final class Counting implements IpcMechanism {
        final String name;
        final List<Integer> regions = new ArrayList<>();

        Counting(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void ipc(KernelContext k, IpcOperation operation) {
            int region = k.layout().mechanismData(name);
            regions.add(region);
            int counter = region + (8 << 20);
            k.mapKernelPage(counter);
            // in the caller's space: its directory must reach the region
            int count = k.cpu().load(Reg.EAX, Reg.NONE, counter) + 1;
            k.cpu().store(Reg.NONE, counter, Reg.EAX, count);
            k.cpu().movImm(Reg.EAX, ResultCode.OK.code());
            k.cpu().movImm(Reg.EBX, count);
            k.returnToUser();
        }

        @Override
        public void resumeTransfer(KernelContext k) {
            throw new AssertionError("no transfers here");
        }
    }

    @Test
    void eachMechanismCountsInItsOwnRegion() {
        KernelComponent kernel = new KernelComponent();
        kernel.addScheduler(new LazyScheduler());
        Counting first = new Counting("first");
        Counting second = new Counting("second");
        kernel.addMechanism(first);
        kernel.addMechanism(second);
        Nucleus n = kernel.boot(new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent())
                .create(StandardModels.i486dx50()), Switches.ALL_ON, "second", "lazy");
        List<Integer> counts = new ArrayList<>();
        String[] schedule = {"second", "second", "first", "second", "first", "first"};
        int[] step = {0};
        n.createThread(n.createTask(), u -> {
            if (step[0] > 0) {
                counts.add(u.result() == ResultCode.OK ? u.word0() : -1);
            }
            if (step[0] == schedule.length) {
                u.exit();
                return;
            }
            n.useMechanism(schedule[step[0]++]);
            u.ipc(IpcOperation.SEND, ThreadId.NIL, 1, 0, 0, 0, 0);
        });
        assertTrue(n.run(() -> counts.size() == schedule.length, 10_000_000L));
        // with one shared region the counts would run 1..6
        assertEquals(List.of(1, 2, 1, 3, 2, 3), counts);
        assertEquals(0xE400_0000, (int) second.regions.get(0), "the first to ask gets the first region");
        assertEquals(0xE400_0000 + KernelLayout.MECHANISM_DATA_BYTES, (int) first.regions.get(0));
        assertTrue(second.regions.stream().allMatch(r -> r == 0xE400_0000));
        n.checkInvariants();
    }

    @Test
    void regionsRunOutWithAClearMessage() {
        Layout layout = new Layout(Switches.ALL_ON, region -> { });
        for (int i = 0; i < Layout.MECHANISM_REGIONS; i++) {
            assertEquals(Layout.MECHANISM_DATA + i * Layout.MECHANISM_DATA_BYTES, layout.mechanismData("m" + i));
        }
        assertEquals(Layout.MECHANISM_DATA + 3 * Layout.MECHANISM_DATA_BYTES, layout.mechanismData("m3"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> layout.mechanismData("one more"));
        assertTrue(e.getMessage().startsWith("all 10 mechanism data regions are taken"), e.getMessage());
        assertTrue(Integer.compareUnsigned(Layout.MECHANISM_DATA + Layout.MECHANISM_REGIONS * Layout.MECHANISM_DATA_BYTES,
                Layout.WINDOW) <= 0, "the regions end below the window");
    }
}

package org.l3wb.kernel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.cache.CacheFactoryComponent;
import org.l3wb.hw.cpu486.MachineFactoryComponent;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.hw.mmu.MmuFactoryComponent;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.sched.LazyScheduler;

/**
 * User mappings cover user space, all of it and nothing more: its top gigabyte (addresses with the
 * sign bit set) is user space too, and no mapping reaches the kernel's area or wraps past 4 GB.
 */
class UserMappingBoundsTest {
    private static Nucleus boot() {
        KernelComponent kernel = new KernelComponent();
        kernel.addScheduler(new LazyScheduler());
        return kernel.boot(new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent())
                .create(StandardModels.i486dx50()), Switches.ALL_ON, "none", "lazy");
    }

    @Test
    void theLastUserPagesAreMappableAndReadBack() {
        Nucleus n = boot();
        int task = n.createTask();
        int last = Layout.USER_TOP - 4096;
        n.mapUser(task, 0x8000_0000, 1, true); // the first address with the sign bit set
        n.mapUser(task, last, 1, true);
        n.poke(task, last + 4092, 0x70B);
        assertEquals(0x70B, n.peek(task, last + 4092));
    }

    @Test
    void mappingsIntoTheKernelOrPast4GbAreRefused() {
        Nucleus n = boot();
        int task = n.createTask();
        int[][] bad = {
            {Layout.USER_TOP - 4096, 2}, // straddles the top of user space
            {Layout.USER_TOP, 1},
            {Layout.PHYSICAL_MAP, 1},
            {Layout.TCB_ARRAY, 1},
            {0xFFFF_F000, 2}, // wraps past 4 GB to page 0
            {0x1000_0800, 1}, // not page-aligned
            {0x1000_0000, 0},
        };
        for (int[] b : bad) {
            assertThrows(IllegalArgumentException.class, () -> n.mapUser(task, b[0], b[1], true),
                    String.format("0x%08x + %d pages", b[0], b[1]));
        }
        assertThrows(IllegalArgumentException.class, () -> n.peek(task, Layout.PHYSICAL_MAP),
                "peek reads user space only");
    }
}

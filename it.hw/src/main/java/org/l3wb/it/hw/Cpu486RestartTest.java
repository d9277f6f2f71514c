package org.l3wb.it.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.l3wb.hw.api.Access;
import org.l3wb.hw.api.Cache;
import org.l3wb.hw.api.CacheFactory;
import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.Mmu;
import org.l3wb.hw.api.MmuFactory;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.PhysicalMemory;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.Statistics;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.service.ServiceAware;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/** Stopping hw.cpu486 takes its services away and leaves the MMU and cache bundles working. */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class Cpu486RestartTest {
    private static final long TIMEOUT_MS = Await.MILLIS;

    @InjectBundleContext
    BundleContext context;

    private Bundle cpu486() {
        return Arrays.stream(context.getBundles())
                .filter(b -> "hw.cpu486".equals(b.getSymbolicName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("hw.cpu486 is not installed"));
    }

    @AfterEach
    void leaveCpu486Running() throws Exception {
        Bundle b = cpu486();
        if (b.getState() != Bundle.ACTIVE) {
            b.start();
        }
    }

    @Test
    void stopAndStartCpu486(
            @InjectService(cardinality = 0, filter = "(name=i486dx50)") ServiceAware<ProcessorModel> dx50,
            @InjectService(cardinality = 0, filter = "(name=i486dx33)") ServiceAware<ProcessorModel> dx33,
            @InjectService(cardinality = 0) ServiceAware<MachineFactory> machines,
            @InjectService MmuFactory mmus,
            @InjectService CacheFactory caches) throws Exception {
        assertNotNull(dx50.waitForService(TIMEOUT_MS), "i486dx50 before the stop");
        assertNotNull(machines.waitForService(TIMEOUT_MS), "MachineFactory before the stop");

        Bundle cpu = cpu486();
        cpu.stop();
        assertEquals(Bundle.RESOLVED, cpu.getState());
        assertTrue(dx50.isEmpty(), "i486dx50 gone with hw.cpu486");
        assertTrue(dx33.isEmpty(), "i486dx33 gone with hw.cpu486");
        assertTrue(machines.isEmpty(), "MachineFactory gone with hw.cpu486");

        // hw.mmu's and hw.cache's services still work without it
        ProcessorModel dx66 = new I486Dx66TestModel();
        Statistics stats = new Statistics();
        PhysicalMemory memory = caches.createMemory(dx66.memoryTiming());
        Cache cache = caches.createCache(dx66.onChipCache(), dx66.memoryTiming(), stats);
        Mmu mmu = mmus.create(dx66.tlb(), false, dx66.costs().tlbMiss(), memory, cache, stats);
        int pd = memory.allocateFrame();
        int frame = memory.allocateFrame();
        mmu.map(pd, Programs.DATA, frame, PageFlags.WRITABLE);
        mmu.loadCr3(pd);
        assertEquals(frame + 0x123, mmu.translate(Programs.DATA + 0x123, 0), "translation");
        assertTrue(mmu.tlbHolds(Programs.DATA), "TLB filled by the walk");
        assertTrue(stats.now() > 0, "the walk was charged");
        cache.read(frame);
        assertTrue(cache.holds(frame), "line filled");
        assertEquals(frame, mmu.translate(Programs.DATA, Access.WRITE), "writable page");

        // back again: a machine from a fresh model service runs its cost table exactly
        cpu.start();
        ProcessorModel model = dx50.waitForService(TIMEOUT_MS);
        assertNotNull(model, "i486dx50 back with hw.cpu486");
        MachineFactory factory = machines.waitForService(TIMEOUT_MS);
        assertNotNull(factory, "MachineFactory back with hw.cpu486");
        Machine m = factory.create(model);
        Programs.assertWarmRunCostsTable(m);
    }
}

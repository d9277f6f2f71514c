package org.l3wb.lab.appendix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.cache.CacheFactoryComponent;
import org.l3wb.hw.cpu486.MachineFactoryComponent;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.hw.mmu.MmuFactoryComponent;
import org.l3wb.kernel.api.KernelStep;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.core.KernelComponent;
import org.l3wb.kernel.ipc.L3Ipc;
import org.l3wb.kernel.sched.LazyScheduler;
import org.l3wb.lab.format.Table;
import org.l3wb.lab.ipc.PingPong;
import org.l3wb.lab.trace.StepProfile;

class KernelPathsTest {
    static final MachineFactory MACHINES = new MachineFactoryComponent(new MmuFactoryComponent(),
            new CacheFactoryComponent());

    static KernelComponent kernel(boolean ports) {
        KernelComponent k = new KernelComponent();
        L3Ipc l3 = new L3Ipc();
        k.addMechanism(l3);
        if (ports) {
            k.addMechanism(new org.l3wb.kernel.ports.PortsIpc(l3));
        }
        k.addScheduler(new LazyScheduler());
        return k;
    }

    static Table table(KernelComponent k) {
        List<AppendixResult> appendix = new AppendixSequences(MACHINES, StandardModels.i486dx50(), k, "l3", "lazy")
                .runAll();
        return new KernelPaths(MACHINES, k, StandardModels.i486dx50()).table(appendix);
    }

    static List<Object[]> rows(Table t, int table, String side) {
        List<Object[]> rows = new ArrayList<>();
        for (Object[] r : t.rows()) {
            if (r[0].equals(table) && r[1].equals(side)) {
                rows.add(r);
            }
        }
        return rows;
    }

    @Test
    void eachTableStandsBesideTheKernelsPathForTheSameOperation() {
        KernelComponent k = kernel(true);
        Table t = table(k);
        // the paper's side is the appendix as measured
        assertEquals(172L, rows(t, 3, "paper").get(0)[5]);
        assertEquals(62L, rows(t, 4, "paper").get(0)[5]);
        assertEquals(29L, rows(t, 5, "paper").get(0)[5]);
        // Table 3 beside the whole 8-byte call of l3: its steps add up to the call, the last row
        List<Object[]> call = rows(t, 3, "kernel");
        Object[] whole = call.get(call.size() - 1);
        assertEquals("whole call", whole[3]);
        long sum = 0;
        for (Object[] r : call.subList(0, call.size() - 1)) {
            sum += (Long) r[5];
        }
        assertEquals(whole[5], sum);
        StepProfile traced = StepProfile.call(MACHINES, k, new PingPong.Config(StandardModels.i486dx50(), "l3", "lazy",
                Switches.ALL_ON, 8, 1, false));
        assertEquals(traced.cycles(), whole[5]);
        assertTrue((Long) whole[5] > 172, "the kernel's path is longer than the paper's minimal one");
        // Tables 4 and 5 beside one step of the kernel's path (with figures once the kernel marks it)
        assertTrue(((String) rows(t, 4, "kernel").get(0)[3]).startsWith(KernelStep.TEMPORARY_MAPPING.label()));
        assertTrue(((String) rows(t, 5, "kernel").get(0)[3]).startsWith(KernelStep.PORT_LOOKUP.label()));
        assertEquals("ports 8-byte call", rows(t, 5, "kernel").get(0)[2]);
        assertEquals("l3 " + KernelPaths.longMessage() + "-byte call", rows(t, 4, "kernel").get(0)[2]);
    }

    @Test
    void withoutPortsTable5SaysSoInsteadOfFailing() {
        Table t = table(kernel(false));
        List<Object[]> five = rows(t, 5, "kernel");
        assertEquals(1, five.size());
        assertEquals("not installed: mechanism ports", five.get(0)[3]);
        assertNull(five.get(0)[5]);
    }
}

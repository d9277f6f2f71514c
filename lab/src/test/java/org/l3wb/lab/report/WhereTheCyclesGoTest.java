package org.l3wb.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.kernel.api.IpcMechanism;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.core.KernelComponent;
import org.l3wb.kernel.ipc.L3Ipc;
import org.l3wb.kernel.sched.LazyScheduler;
import org.l3wb.kernel.sched.StrictScheduler;
import org.l3wb.lab.format.Table;
import org.l3wb.lab.ipc.Experiments;

class WhereTheCyclesGoTest {
    static List<String> names(KernelComponent kernel) {
        List<String> names = new ArrayList<>();
        for (WhereTheCyclesGo.Run r : new WhereTheCyclesGo(TestBench.MACHINES, kernel, StandardModels.i486dx50())
                .runs()) {
            names.add(r.name());
        }
        return names;
    }

    @Test
    void everyInstalledMechanismThenL3WithEachSwitchOff() {
        List<String> switches = List.of("l3 registers=off", "l3 direct=off", "l3 lazy=off", "l3 segments=off",
                "l3 replywait=off", "l3 condensed=off", "l3 vtcb=off");
        List<String> all = new ArrayList<>(TestBench.KERNEL.mechanisms()); // what is installed, by name
        all.sort(null);
        all.addAll(switches);
        assertEquals(all, names(TestBench.KERNEL));
        List<String> l3 = new ArrayList<>(List.of("l3"));
        l3.addAll(switches);
        assertEquals(l3, names(TestBench.L3_ONLY));
    }

    @Test
    void aMechanismIsFoundBecauseItIsRegisteredNotBecauseItIsNamedHere() {
        KernelComponent k = new KernelComponent();
        L3Ipc l3 = new L3Ipc();
        // another mechanism, under a name no list in lab holds
        k.addMechanism(new IpcMechanism() {
            public String name() {
                return "l3-again";
            }

            public void ipc(KernelContext c, IpcOperation op) {
                l3.ipc(c, op);
            }

            public void resumeTransfer(KernelContext c) {
                l3.resumeTransfer(c);
            }
        });
        k.addScheduler(new LazyScheduler());
        k.addScheduler(new StrictScheduler());
        assertEquals(List.of("l3-again"), names(k), "no l3: no switch rows either");
        Table t = new WhereTheCyclesGo(TestBench.MACHINES, k, StandardModels.i486dx50()).table(Experiments.Progress.NONE);
        assertEquals("l3-again", t.rows().get(0)[0]);
    }

    @Test
    void eachConfigurationsStepsAddUpToItsWholeCall() {
        Table t = new WhereTheCyclesGo(TestBench.MACHINES, TestBench.KERNEL, StandardModels.i486dx50())
                .table(Experiments.Progress.NONE);
        Map<String, long[]> sums = new LinkedHashMap<>();
        Map<String, Long> totals = new LinkedHashMap<>();
        for (Object[] row : t.rows()) {
            String configuration = (String) row[0];
            long cycles = ((Number) row[5]).longValue();
            if (WhereTheCyclesGo.WHOLE_CALL.equals(row[3])) {
                totals.put(configuration, cycles);
            } else {
                sums.computeIfAbsent(configuration, c -> new long[1])[0] += cycles;
            }
        }
        assertEquals(11, totals.size());
        for (Map.Entry<String, Long> e : totals.entrySet()) {
            assertEquals(e.getValue(), sums.get(e.getKey())[0], e.getKey());
            assertTrue(e.getValue() > 100, e.getKey() + ": an IPC costs more than 100 cycles");
        }
        assertTrue(totals.get("l3 segments=off") > totals.get("l3"), "reloading segments costs");
    }

    @Test
    void thePagesViewHasAStepPerRowAndAConfigurationPerColumn() {
        Table cycles = new Table("configuration", "mechanism", "switch_off", "step", "source", "cycles", "instructions",
                "tlb_misses", "cache_misses");
        cycles.row("l3", "l3", "", "enter kernel", "5.2.1", 40L, 5L, 0L, 0L);
        cycles.row("l3", "l3", "", "switch thread", "5.3.5", 20L, 4L, 1L, 0L);
        cycles.row("l3", "l3", "", WhereTheCyclesGo.WHOLE_CALL, "", 60L, 9L, 1L, 0L);
        cycles.row("mach", "mach", "", "locore", "locore.s", 300L, 50L, 2L, 1L);
        cycles.row("mach", "mach", "", "enter kernel", "5.2.1", 41L, 5L, 0L, 0L);
        cycles.row("mach", "mach", "", WhereTheCyclesGo.WHOLE_CALL, "", 341L, 55L, 2L, 1L);
        Table t = WhereTheCyclesGo.byStep(cycles);
        assertEquals(List.of("step", "source", "l3", "mach"), t.columns());
        List<List<Object>> rows = new ArrayList<>();
        for (Object[] r : t.rows()) {
            rows.add(java.util.Arrays.asList(r));
        }
        assertEquals(List.of(
                java.util.Arrays.asList("enter kernel", "5.2.1", 40L, 41L),
                java.util.Arrays.asList("switch thread", "5.3.5", 20L, null),
                java.util.Arrays.asList("locore", "locore.s", null, 300L),
                java.util.Arrays.asList(WhereTheCyclesGo.WHOLE_CALL, "", 60L, 341L)), rows);
    }
}

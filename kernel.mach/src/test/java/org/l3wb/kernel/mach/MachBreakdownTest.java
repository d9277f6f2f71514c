package org.l3wb.kernel.mach;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.Mnemonic;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.api.Statistics;
import org.l3wb.hw.api.TraceListener;
import org.l3wb.hw.cache.CacheFactoryComponent;
import org.l3wb.hw.cpu486.MachineFactoryComponent;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.hw.mmu.MmuFactoryComponent;
import org.l3wb.kernel.api.Dope;
import org.l3wb.kernel.api.IpcMechanism;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.api.Timeout;
import org.l3wb.kernel.api.UserContext;
import org.l3wb.kernel.api.UserProgram;
import org.l3wb.kernel.core.KernelComponent;
import org.l3wb.kernel.sched.StrictScheduler;

/**
 * Where an 8-byte mach IPC's cycles go: every instruction the mechanism (and the scheduler it calls)
 * issues is attributed by its code address to the Mach routine whose text holds it (kernel.mach's text
 * lays the routines out where the compiled CMU Mach 3.0 objects put them); what the nucleus issues itself
 * (INT, switch, resume) is the remainder. Prints the table; asserts that no routine ran into the next
 * one's text, that the path runs through the Mach routines spread over many text pages, that an 8-byte
 * message uses the cached kmsg, that a trace tags each of Mach's instructions with the routine whose text
 * holds it (the routines are Mach's steps), and pins the measured total. A diagnostic: no figure here is used by the
 * mechanism.
 */
class MachBreakdownTest {
    static final int NEVER = Timeout.pair(Timeout.NEVER, Timeout.NEVER);
    static final int MESSAGE = 0x1400_4610;
    static final int BUFFER = 0x1402_5E30;
    final Map<String, long[]> parts = new TreeMap<>();
    boolean measuring;
    final Steps steps = new Steps();

    /**
     * Mach's steps are its source routines: while a routine's step is marked, each instruction retires in
     * that routine's text; in Mach's text, only the nucleus's and the scheduler's own instructions carry
     * another step (the IRET at the end of _return_from_trap, the dispatch where thread_invoke hands over).
     */
    static final class Steps implements TraceListener {
        int text;
        CodeStep step;
        long inText;
        long tagged;
        String wrong;
        final Map<String, Integer> unmarked = new TreeMap<>();

        @Override
        public void step(CodeStep s) {
            step = s;
        }

        @Override
        public void retired(Mnemonic op, int at, Reg reg, Reg base, Reg index) {
            Routine where = Integer.compareUnsigned(at - text, MachData.TEXT_PAGES * 4096) < 0 ? Routine.at(at - text) : null;
            if (where != null) {
                inText++;
                if (!(step instanceof Routine)) {
                    unmarked.merge(where.name(), 1, Integer::sum);
                }
            }
            if (step instanceof Routine r) {
                tagged++;
                if (r != where && wrong == null) {
                    wrong = op + " at " + Integer.toHexString(at) + " in " + (where == null ? "no routine" : where.name())
                            + ", marked " + r.name();
                }
            }
        }

    }

    String region(KernelContext k, int eip) {
        int text = k.layout().mechanismData(MachIpc.MECHANISM) + MachData.TEXT;
        if (Integer.compareUnsigned(eip - text, MachData.TEXT_PAGES * 4096) < 0) {
            Routine r = Routine.at(eip - text);
            return r == null ? "text" : r.module() + " " + r.name();
        }
        if (Integer.compareUnsigned(eip, k.layout().userTop()) < 0) {
            return "user stub (between the two traps)";
        }
        return "trap entry/exit path, scheduler";
    }

    KernelContext probe(KernelContext k, Statistics stats) {
        Processor real = k.cpu();
        Processor cpu = (Processor) Proxy.newProxyInstance(Processor.class.getClassLoader(),
                new Class<?>[] {Processor.class}, (p, m, args) -> {
                    String where = region(k, real.eip());
                    long c = stats.now();
                    long t = stats.tlbMisses();
                    long h = stats.cacheMisses();
                    long n = stats.instructions();
                    try {
                        return m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (measuring && !m.getName().equals("reg") && !m.getName().equals("setReg")
                                && !m.getName().equals("eip") && !m.getName().equals("cycles")) {
                            long[] a = parts.computeIfAbsent(where, w -> new long[4]);
                            a[0] += stats.now() - c;
                            a[1] += stats.tlbMisses() - t;
                            a[2] += stats.cacheMisses() - h;
                            a[3] += stats.instructions() - n;
                        }
                    }
                });
        return (KernelContext) Proxy.newProxyInstance(KernelContext.class.getClassLoader(),
                new Class<?>[] {KernelContext.class}, (p, m, args) -> {
                    if (m.getName().equals("cpu")) {
                        return cpu;
                    }
                    try {
                        Object[] a = args == null ? null : args.clone();
                        return m.invoke(k, a);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void eightByteIpcBreakdown() {
        Machine machine = new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent())
                .create(StandardModels.i486dx50());
        Statistics stats = machine.statistics();
        MachIpc mach = new MachIpc();
        IpcMechanism probed = new IpcMechanism() {
            @Override
            public String name() {
                return "mach";
            }

            @Override
            public void ipc(KernelContext k, IpcOperation op) {
                steps.text = k.layout().mechanismData(MachIpc.MECHANISM) + MachData.TEXT;
                mach.ipc(probe(k, stats), op);
            }

            @Override
            public void resumeTransfer(KernelContext k) {
                mach.resumeTransfer(k);
            }

            @Override
            public long endpoint(KernelContext k, int caller, int target) {
                return mach.endpoint(k, caller, target);
            }

            @Override
            public void abort(KernelContext k, int tcb, ResultCode result) {
                mach.abort(k, tcb, result);
            }
        };
        KernelComponent kernel = new KernelComponent();
        kernel.addMechanism(probed);
        kernel.addScheduler(new StrictScheduler());
        Nucleus n = kernel.boot(machine, Switches.ALL_OFF.with(Switch.REPLY_AND_WAIT, true), "mach", "strict");
        int a = n.createTask();
        int b = n.createTask();
        for (int task : new int[] {a, b}) {
            n.mapUser(task, MESSAGE & ~0xFFF, 1, true);
            n.mapUser(task, BUFFER & ~0xFFF, 1, true);
            n.poke(task, MESSAGE, new Dope(2, 0, 0).encode());
            n.poke(task, BUFFER + Dope.MAXIMUM, new Dope(2, 0, 0).encode());
        }
        int[] rounds = new int[1];
        ThreadId server = n.createThread(b, new UserProgram() {
            boolean started;

            @Override
            public void run(UserContext u) {
                if (!started) {
                    started = true;
                    u.ipc(IpcOperation.RECEIVE, ThreadId.NIL, 0, BUFFER, 0, 0, NEVER);
                    return;
                }
                u.ipc(IpcOperation.REPLY_AND_RECEIVE_NEXT, u.source(), MESSAGE, BUFFER, u.word0(), 0, NEVER);
            }
        });
        ThreadId[] port = new ThreadId[1];
        ThreadId client = n.createThread(a, u -> {
            rounds[0]++;
            u.ipc(IpcOperation.CALL, port[0], MESSAGE, BUFFER, rounds[0], 8, NEVER);
        });
        port[0] = n.endpoint(client, server);
        assertTrue(n.run(() -> rounds[0] > 20, 100_000_000L));
        int target = rounds[0] + 100;
        measuring = true;
        machine.cpu().trace(steps);
        Statistics before = stats.copy();
        assertTrue(n.run(() -> rounds[0] >= target, 100_000_000L));
        Statistics d = stats.since(before);
        machine.cpu().trace(null);
        measuring = false;
        double ipcs = 200;
        long attributed = 0;
        long instructions = 0;
        StringBuilder out = new StringBuilder(String.format("%-44s %8s %6s %6s %6s%n", "part (per IPC)", "cycles",
                "instr", "tlb", "cache"));
        for (Map.Entry<String, long[]> e : parts.entrySet()) {
            long[] v = e.getValue();
            attributed += v[0];
            instructions += v[3];
            out.append(String.format("%-44s %8.1f %6.1f %6.2f %6.2f%n", e.getKey(), v[0] / ipcs, v[3] / ipcs,
                    v[1] / ipcs, v[2] / ipcs));
        }
        long tlbAttributed = parts.values().stream().mapToLong(v -> v[1]).sum();
        long cacheAttributed = parts.values().stream().mapToLong(v -> v[2]).sum();
        out.append(String.format("%-44s %8.1f %6.1f %6.2f %6.2f%n", "nucleus: INT, switch, resume, user",
                (d.now() - attributed) / ipcs, (d.instructions() - instructions) / ipcs,
                (d.tlbMisses() - tlbAttributed) / ipcs, (d.cacheMisses() - cacheAttributed) / ipcs));
        out.append(String.format("%-44s %8.1f %6.1f %6.2f %6.2f  (%.2f us)%n", "total", d.now() / ipcs,
                d.instructions() / ipcs, d.tlbMisses() / ipcs, d.cacheMisses() / ipcs, machine.micros(d.now()) / ipcs));
        System.out.println(out);
        System.out.println("most text run through in one routine: " + Routine.maxSlotUse + " bytes; least room left: "
                + Routine.minSlotRoom + " bytes, in " + Routine.tightest);
        // a trace tags each instruction with the Mach routine it belongs to
        System.out.println("instructions marked with a Mach routine: " + steps.tagged / ipcs + " per IPC; in Mach's text: "
                + steps.inText / ipcs);
        System.out.println("in Mach's text under the nucleus's steps: " + steps.unmarked);
        assertTrue(steps.wrong == null, steps.wrong);
        // the rest is the nucleus's and the scheduler's code run there (today its IRET and its dispatch)
        assertTrue(steps.tagged > 0.9 * steps.inText, steps.tagged + " of " + steps.inText + ": " + steps.unmarked);
        // each modelled instruction ran inside its routine's own text, never into the next modelled routine
        assertTrue(Routine.minSlotRoom > 0, "a routine ran into the next modelled one");
        // the path runs through the Mach 3.0 routines, spread over the kernel text as linked
        long routines = parts.keySet().stream().filter(w -> w.contains(".c ") || w.contains(".s ")).count();
        assertTrue(routines >= 28, "routines on the path: " + routines);
        long pages = Routine.ALL.stream()
                .filter(r -> parts.containsKey(r.module() + " " + r.name())).mapToInt(r -> r.offset() >> 12).distinct().count();
        assertTrue(pages >= 10, "text pages holding the routines run: " + pages);
        // an 8-byte message takes the per-processor cached kmsg: no kalloc or zalloc
        assertTrue(!parts.containsKey("kalloc.c kalloc") && !parts.containsKey("zalloc.c zalloc"), parts.keySet().toString());
        // most of the cost is Mach's own path now; the measured total (about 4170 cycles, 83 us) is pinned
        assertTrue(attributed > 0.8 * d.now(), attributed + " of " + d.now());
        double perIpc = d.now() / ipcs;
        assertTrue(perIpc > 3750 && perIpc < 4600, "cycles per IPC: " + perIpc);
        assertTrue(attributed <= d.now());
    }
}

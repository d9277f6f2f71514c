package org.l3wb.kernel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.cache.CacheFactoryComponent;
import org.l3wb.hw.cpu486.MachineFactoryComponent;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.hw.mmu.MmuFactoryComponent;
import org.l3wb.kernel.api.IpcMechanism;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.api.UserContext;
import org.l3wb.kernel.api.UserProgram;
import org.l3wb.kernel.sched.LazyScheduler;

/**
 * Which mechanism a nucleus binds, and when: the requested one, else the next available by the
 * mechanisms' {@link Nucleus#FALLBACK_RANK} and then by name, none (NO_MECHANISM) when none is
 * registered, and a change only at a kernel entry, whichever thread asks for it.
 */
class MechanismBindingTest {
    /** A mechanism that answers every IPC at once with OK and its mark in EBX (message word 0). */
    static final class Marked implements IpcMechanism {
        final String name;
        final int mark;
        Nucleus nucleus;
        Runnable duringIpc = () -> { };
        final AtomicInteger mismatches = new AtomicInteger();

        Marked(String name, int mark) {
            this.name = name;
            this.mark = mark;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void ipc(KernelContext k, IpcOperation operation) {
            if (!name.equals(nucleus.boundMechanism())) {
                mismatches.incrementAndGet();
            }
            duringIpc.run();
            k.cpu().movImm(Reg.EAX, ResultCode.OK.code());
            k.cpu().movImm(Reg.EBX, mark);
            if (!name.equals(nucleus.boundMechanism())) {
                mismatches.incrementAndGet(); // the binding moved in the middle of this entry
            }
            k.returnToUser();
        }

        @Override
        public void resumeTransfer(KernelContext k) {
            throw new AssertionError("no transfers here");
        }
    }

    /** The ranks the mechanism bundles declare; zeta and alpha declare none. */
    static final Map<String, Integer> RANKS = Map.of("l3", 10, "ports", 20, "dash", 30, "mach", 40);

    private final KernelComponent kernel = new KernelComponent();
    private final Map<String, Marked> mechanisms = new TreeMap<>();

    MechanismBindingTest() {
        kernel.addScheduler(new LazyScheduler());
        int mark = 1;
        for (String name : List.of("l3", "ports", "dash", "mach", "zeta", "alpha")) {
            Marked m = new Marked(name, mark++);
            mechanisms.put(name, m);
            register(name);
        }
    }

    /** As DS binds the service: with its properties, the rank among them if it declares one. */
    private void register(String name) {
        Integer rank = RANKS.get(name);
        kernel.bindMechanism(mechanisms.get(name),
                rank == null ? Map.of(IpcMechanism.NAME, name) : Map.of(IpcMechanism.NAME, name, Nucleus.FALLBACK_RANK, rank));
    }

    private Nucleus boot(String mechanism) {
        Nucleus n = kernel.boot(new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent())
                .create(StandardModels.i486dx50()), Switches.ALL_ON, mechanism, "lazy");
        mechanisms.values().forEach(m -> m.nucleus = n);
        return n;
    }

    /** One thread: before each of its system calls it runs the next action, then sends; records the results. */
    static final class Sender implements UserProgram {
        final List<Runnable> actions;
        final List<String> results = new ArrayList<>();
        private int next;

        Sender(List<Runnable> actions) {
            this.actions = actions;
        }

        @Override
        public void run(UserContext u) {
            if (next > 0) {
                ResultCode r = u.result();
                results.add(r == ResultCode.OK ? "mark " + u.word0() : r.name());
            }
            if (next == actions.size()) {
                u.exit();
                return;
            }
            actions.get(next++).run();
            u.ipc(IpcOperation.SEND, ThreadId.NIL, 1, 0, 0, 0, 0);
        }
    }

    @Test
    void theRequestedMechanismElseTheNextAvailableElseNone() {
        Nucleus n = boot("ports");
        assertEquals("ports", n.boundMechanism());
        List<String> bound = new ArrayList<>();
        Runnable nothing = () -> { };
        Sender s = new Sender(List.of(
                nothing,
                () -> kernel.removeMechanism(mechanisms.get("ports")),
                () -> kernel.removeMechanism(mechanisms.get("l3")),
                () -> kernel.removeMechanism(mechanisms.get("dash")),
                () -> kernel.removeMechanism(mechanisms.get("mach")),
                () -> kernel.removeMechanism(mechanisms.get("alpha")),
                () -> kernel.removeMechanism(mechanisms.get("zeta")),
                nothing,
                () -> register("mach"),
                () -> register("ports"),
                () -> n.useMechanism("l3"),
                () -> register("l3")));
        n.createThread(n.createTask(), u -> {
            bound.add(String.valueOf(n.boundMechanism()));
            s.run(u);
        });
        assertTrue(n.run(() -> s.results.size() == s.actions.size(), 10_000_000L));
        assertEquals(List.of(
                "mark 2", // ports, as requested
                "mark 1", // ports gone: l3 has the best rank
                "mark 3", // then dash
                "mark 4", // then mach
                "mark 6", // then the others by name: alpha
                "mark 5", // zeta
                "NO_MECHANISM", "NO_MECHANISM",
                "mark 4", // mach is back
                "mark 2", // ports, still requested, is back
                "mark 2", // l3 requested, not there: ports has the best rank of those registered
                "mark 1"), s.results);
        // what the program saw before each call: the mechanism bound at the previous kernel entry
        assertEquals(List.of("ports", "ports", "l3", "dash", "mach", "alpha", "zeta", "null", "null", "mach",
                "ports", "ports", "l3"), bound);
        assertEquals("l3", n.boundMechanism());
        assertEquals("l3", n.mechanismName());
        n.checkInvariants();
    }

    @Test
    void theFallbackIsTheBestRankThenTheNameWhateverTheNames() {
        KernelComponent k = new KernelComponent();
        Marked first = new Marked("zz-first", 1);
        Marked tie = new Marked("b-tie", 2);
        Marked tieFirst = new Marked("a-tie", 3);
        Marked unranked = new Marked("0-unranked", 4);
        Marked text = new Marked("text", 5);
        k.bindMechanism(unranked, Map.of());
        k.bindMechanism(tie, Map.of(Nucleus.FALLBACK_RANK, 7));
        k.bindMechanism(tieFirst, Map.of(Nucleus.FALLBACK_RANK, 7));
        k.bindMechanism(text, Map.of(Nucleus.FALLBACK_RANK, "3"));
        k.bindMechanism(first, Map.of(Nucleus.FALLBACK_RANK, -1));
        assertEquals(first, k.available("gone"), "the lowest rank, whatever its name");
        assertEquals(tie, k.available("b-tie"), "the requested one when registered");
        k.removeMechanism(first);
        assertEquals(text, k.available(null), "a rank given as text counts");
        k.removeMechanism(text);
        assertEquals(tieFirst, k.available("gone"), "equal ranks by name");
        k.removeMechanism(tieFirst);
        k.removeMechanism(tie);
        assertEquals(unranked, k.available("gone"), "unranked after every ranked one");
        k.removeMechanism(unranked);
        assertNull(k.available("gone"));
    }

    @Test
    void aRequestDuringAnEntryTakesEffectAtTheNext() {
        Nucleus n = boot("l3");
        Marked l3 = mechanisms.get("l3");
        l3.duringIpc = () -> n.useMechanism("ports"); // as another thread could, in the middle of the IPC
        Sender s = new Sender(List.of(() -> { }, () -> { }, () -> n.useMechanism("l3"), () -> { }));
        n.createThread(n.createTask(), s);
        assertTrue(n.run(() -> s.results.size() == 4, 10_000_000L));
        assertEquals(List.of("mark 1", "mark 2", "mark 1", "mark 2"), s.results);
        assertEquals(0, l3.mismatches.get() + mechanisms.get("ports").mismatches.get());
    }

    @Test
    void swapsFromAnotherThreadAreSeenOnlyBetweenEntries() throws Exception {
        Nucleus n = boot("l3");
        int calls = 200_000;
        int[] marks = new int[8];
        int[] done = new int[1];
        n.createThread(n.createTask(), u -> {
            if (done[0] > 0) {
                assertEquals(ResultCode.OK, u.result());
                marks[u.word0()]++;
            }
            if (done[0]++ == calls) {
                u.exit();
            } else {
                u.ipc(IpcOperation.SEND, ThreadId.NIL, 1, 0, 0, 0, 0);
            }
        });
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger swaps = new AtomicInteger();
        Thread swapper = new Thread(() -> {
            while (!stop.get()) {
                n.useMechanism(swaps.incrementAndGet() % 2 == 0 ? "l3" : "ports");
            }
        });
        swapper.start();
        try {
            assertTrue(n.run(() -> done[0] > calls, 1_000_000_000L));
        } finally {
            stop.set(true);
            swapper.join();
        }
        assertEquals(calls, marks[1] + marks[2], "every call answered by l3 or ports");
        assertTrue(swaps.get() > 0);
        assertEquals(0, mechanisms.get("l3").mismatches.get() + mechanisms.get("ports").mismatches.get(),
                "the bound mechanism never changed inside an entry");
        assertEquals(calls, n.ipcCount());
        n.checkInvariants();
    }

    @Test
    void withNoMechanismIpcReturnsNoMechanismAndTheKernelRecordsIt() {
        KernelComponent empty = new KernelComponent();
        empty.addScheduler(new LazyScheduler());
        Nucleus n = empty.boot(new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent())
                .create(StandardModels.i486dx50()), Switches.ALL_ON, "l3", "lazy");
        assertNull(n.boundMechanism());
        Sender s = new Sender(List.of(() -> { }, () -> { }));
        n.createThread(n.createTask(), s);
        assertTrue(n.run(() -> s.results.size() == 2, 10_000_000L));
        assertEquals(List.of("NO_MECHANISM", "NO_MECHANISM"), s.results);
        assertEquals("l3", n.mechanismName(), "the request stays");
        n.checkInvariants();
    }
}

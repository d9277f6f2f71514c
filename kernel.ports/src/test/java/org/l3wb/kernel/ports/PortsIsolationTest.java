package org.l3wb.kernel.ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.l3wb.hw.api.Machine;
import org.l3wb.hw.cache.CacheFactoryComponent;
import org.l3wb.hw.cpu486.MachineFactoryComponent;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.hw.mmu.MmuFactoryComponent;
import org.l3wb.kernel.api.KernelLayout;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.core.KernelComponent;
import org.l3wb.kernel.core.testing.ProtectedMemory;
import org.l3wb.kernel.ipc.L3Ipc;
import org.l3wb.kernel.ports.PortsIpcTest.Caller;
import org.l3wb.kernel.ports.PortsIpcTest.Echo;
import org.l3wb.kernel.sched.LazyScheduler;

/**
 * A port index names a link in its own space's table only, and a link without the right reaches no
 * port (7.1): an index that, unmasked, would reach another space's link table, the port table or
 * kernel memory, an index never granted, the counter's slot, a uid in place of an index, is refused
 * with NO_PARTNER, and refusing it leaves kernel code, descriptor tables, page tables, every space's
 * link table, every thread's port entry, the TCBs of the other threads and every space's frames
 * unchanged, byte for byte. The last index of a table is a right like any other.
 */
class PortsIsolationTest {
    /** The caller in task a holds one port (to b's server); the bystander task c holds two. */
    static final class World {
        final Machine machine = new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent())
                .create(StandardModels.i486dx50());
        final Nucleus n;
        final KernelLayout layout;
        final ProtectedMemory mem;
        final int a;
        final int b;
        final int c;
        final Echo echo = new Echo();
        final Echo bystanderEcho = new Echo();
        final Caller caller = new Caller();
        final ThreadId server;
        final ThreadId bystander;
        final ThreadId bystanderClient;
        final ThreadId client;
        final ThreadId port;
        final ThreadId bystanderPort;

        World() {
            KernelComponent kernel = new KernelComponent();
            L3Ipc l3 = new L3Ipc();
            kernel.addMechanism(l3);
            kernel.addMechanism(new PortsIpc(l3));
            kernel.addScheduler(new LazyScheduler());
            n = kernel.boot(machine, Switches.ALL_ON, "ports", "lazy");
            layout = n.layout();
            mem = new ProtectedMemory(n);
            a = n.createTask();
            b = n.createTask();
            c = n.createTask();
            server = n.createThread(b, echo);
            bystander = n.createThread(c, bystanderEcho);
            bystanderClient = n.createThread(c, new Echo());
            assertTrue(n.run(() -> n.state(server) == Tcb.RECEIVING && n.state(bystander) == Tcb.RECEIVING
                    && n.state(bystanderClient) == Tcb.RECEIVING, 50_000_000L));
            n.endpoint(bystanderClient, server); // c's first link: the same index as a's below
            bystanderPort = n.endpoint(bystanderClient, bystander); // c's second: a has no such link
            client = n.createThread(a, caller);
            port = n.endpoint(client, server);
        }

        int links(int task) {
            return layout.mechanismData(PortsIpc.MECHANISM) + PortsIpc.LINKS_OFFSET
                    + task * PortsIpc.LINKS_PER_TASK * PortsIpc.LINK_SIZE;
        }

        int portEntry(ThreadId thread) {
            return layout.mechanismData(PortsIpc.MECHANISM) + PortsIpc.PORTS_OFFSET
                    + thread.threadNumber() * PortsIpc.PORT_SIZE;
        }

        /** Protects all of the kernel and every space, and every table and port but none in the IPC. */
        void protect() {
            mem.kernel().copyBuffer().space(a).space(b).space(c).tcbOf(server).tcbOf(bystander).tcbOf(bystanderClient);
            for (int task = 1; task <= c; task++) {
                mem.kernelRange("port link table of task " + task, links(task),
                        PortsIpc.LINKS_PER_TASK * PortsIpc.LINK_SIZE);
            }
            for (ThreadId t : List.of(server, bystander, bystanderClient, client)) {
                mem.kernelRange("port of " + t, portEntry(t), PortsIpc.PORT_SIZE);
            }
            mem.snapshot();
        }
    }

    record Hostile(String name, ToIntFunction<World> index) {
    }

    static final List<Hostile> HOSTILE = List.of(
            new Hostile("index 0, the counter's slot", w -> 0),
            new Hostile("the last index, never granted", w -> PortsIpc.LINKS_PER_TASK - 1),
            new Hostile("the first index after the table", w -> PortsIpc.LINKS_PER_TASK),
            new Hostile("the bystander's second link, by its own index", w -> w.bystanderPort.low()),
            new Hostile("the bystander's second link, in the bystander's table if unmasked",
                    w -> w.bystanderPort.low() + (w.c - w.a) * PortsIpc.LINKS_PER_TASK),
            new Hostile("the port table, if unmasked",
                    w -> (w.portEntry(w.bystander) - w.links(w.a)) / PortsIpc.LINK_SIZE + 1),
            new Hostile("the no-right page, if unmasked",
                    w -> (PortsIpc.NO_RIGHT_OFFSET - PortsIpc.LINKS_OFFSET) / PortsIpc.LINK_SIZE),
            new Hostile("negative", w -> -1),
            new Hostile("the sign bit", w -> 0x8000_0000),
            new Hostile("wrapping past 4 GB from the table", w -> (int) ((1L << 32) - w.links(w.a)) / PortsIpc.LINK_SIZE),
            new Hostile("the bystander's uid in place of an index", w -> w.bystander.low()),
            new Hostile("the caller's own uid", w -> w.client.low()));

    @TestFactory
    Stream<DynamicTest> noHostileIndexReachesAPortOrChangesAnything() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Hostile h : HOSTILE) {
            tests.add(DynamicTest.dynamicTest(h.name(), () -> {
                World w = new World();
                int index = h.index().applyAsInt(w);
                // an index that lands, after the mask, on the caller's granted link is a right it holds
                boolean granted = (index & (PortsIpc.LINKS_PER_TASK - 1)) == w.port.low();
                w.caller.ports.add(new ThreadId(index, 0));
                w.protect();
                assertTrue(w.n.run(w.caller::finished, 50_000_000L), "the call ends");
                w.n.checkInvariants();
                assertEquals(List.of(), w.mem.changes(8), "protected memory changed: " + h.name());
                assertEquals(List.of(granted ? ResultCode.OK : ResultCode.NO_PARTNER), w.caller.results, h.name());
                assertEquals(List.of(), w.bystanderEcho.sources, "the bystander got nothing");
                if (!granted) {
                    assertEquals(List.of(), w.echo.sources, "the server got nothing");
                }
            }));
        }
        return tests.stream();
    }

    /** The last link of a table is a right like the first: granted, it reaches its port. */
    @Test
    void theLastLinkOfATableIsARight() {
        World w = new World();
        int last = w.links(w.a) + (PortsIpc.LINKS_PER_TASK - 1) * PortsIpc.LINK_SIZE;
        w.machine.memory().writeWord(w.mem.kernelPhysical(last + PortsIpc.LINK_WRITE),
                w.machine.memory().readWord(w.mem.kernelPhysical(w.links(w.a) + w.port.low() * PortsIpc.LINK_SIZE
                        + PortsIpc.LINK_WRITE)));
        w.caller.ports.add(new ThreadId(PortsIpc.LINKS_PER_TASK - 1, 0));
        w.caller.ports.add(new ThreadId(2 * PortsIpc.LINKS_PER_TASK - 1, 0)); // masked onto the same
        w.mem.space(w.c).tcbOf(w.bystander).kernelRange("port link table of task " + w.c, w.links(w.c), 4096)
                .snapshot();
        assertTrue(w.n.run(w.caller::finished, 50_000_000L));
        assertEquals(List.of(ResultCode.OK, ResultCode.OK), w.caller.results);
        assertEquals(List.of(11, 21), w.caller.replies);
        assertEquals(List.of(), w.mem.changes(8));
    }

    /**
     * A port whose thread was deleted: the call is refused, and it leaves the other tasks' link tables
     * (the deleted thread's reply link among them) and every port as they were.
     */
    @Test
    void aStalePortWritesNoLinkOfAnotherTask() {
        World w = new World();
        ThreadId gone = w.n.createThread(w.b, new Echo());
        ThreadId stale = w.n.endpoint(w.client, gone);
        w.n.deleteThread(gone);
        w.caller.ports.add(stale);
        w.mem.kernelRange("port of the deleted thread", w.portEntry(gone), PortsIpc.PORT_SIZE);
        w.protect();
        assertTrue(w.n.run(w.caller::finished, 50_000_000L));
        assertEquals(List.of(ResultCode.NO_PARTNER), w.caller.results);
        assertEquals(List.of(), w.mem.changes(8));
    }

    /** A table holds links 72..511: the last is granted, one more is refused (the host API throws). */
    @Test
    void aTableGrantsUpToItsLastLinkAndNoFurther() {
        World w = new World();
        int last = 0;
        try {
            for (int i = 0; i < PortsIpc.LINKS_PER_TASK; i++) {
                last = w.n.endpoint(w.client, w.server).low();
            }
        } catch (IllegalStateException full) {
            assertEquals(PortsIpc.LINKS_PER_TASK - 1, last, "the last link granted");
            w.caller.ports.add(new ThreadId(last, 0));
            assertTrue(w.n.run(w.caller::finished, 50_000_000L));
            assertEquals(List.of(ResultCode.OK), w.caller.results);
            return;
        }
        throw new AssertionError("a table took more than " + (PortsIpc.LINKS_PER_TASK - 1) + " links");
    }

    /** A thread's own port and reply link are set up once: a second endpoint takes one link, not two. */
    @Test
    void aSecondEndpointTakesOneLinkOnly() {
        World w = new World();
        ThreadId again = w.n.endpoint(w.client, w.server);
        ThreadId third = w.n.endpoint(w.client, w.bystander);
        assertEquals(w.port.low() + 1, again.low());
        assertEquals(w.port.low() + 2, third.low());
    }
}

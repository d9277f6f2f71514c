package org.l3wb.kernel.ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.Machine;
import org.l3wb.hw.cache.CacheFactoryComponent;
import org.l3wb.hw.cpu486.MachineFactoryComponent;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.hw.mmu.MmuFactoryComponent;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.api.Timeout;
import org.l3wb.kernel.api.UserContext;
import org.l3wb.kernel.api.UserProgram;
import org.l3wb.kernel.core.KernelComponent;
import org.l3wb.kernel.ipc.L3Ipc;
import org.l3wb.kernel.sched.LazyScheduler;

class PortsIpcTest {
    static final int NEVER = Timeout.pair(Timeout.NEVER, Timeout.NEVER);

    final Machine machine = new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent())
            .create(model());

    /** The processor every test here runs on; a subclass runs them all on another. */
    org.l3wb.hw.api.ProcessorModel model() {
        return StandardModels.i486dx50();
    }
    final Nucleus n;

    PortsIpcTest() {
        KernelComponent kernel = new KernelComponent();
        L3Ipc l3 = new L3Ipc();
        kernel.addMechanism(l3);
        kernel.addMechanism(new PortsIpc(l3));
        kernel.addScheduler(new LazyScheduler());
        n = kernel.boot(machine, Switches.ALL_ON, "ports", "lazy");
    }

    /** Calls through {@code ports} in turn, recording each result and reply word. */
    static final class Caller implements UserProgram {
        final List<ThreadId> ports = new ArrayList<>();
        final List<ResultCode> results = new ArrayList<>();
        final List<Integer> replies = new ArrayList<>();
        int next;

        @Override
        public void run(UserContext u) {
            if (next > 0) {
                results.add(u.result());
                replies.add(u.word0());
            }
            if (next < ports.size()) {
                next++;
                u.ipc(IpcOperation.CALL, ports.get(next - 1), 1, 1, 10 * next, 1000 + next, NEVER);
            } else {
                next++;
                u.exit();
            }
        }

        boolean finished() {
            return next > ports.size();
        }
    }

    /** Answers every request through the reply index it came with, adding 1. */
    static final class Echo implements UserProgram {
        final List<ThreadId> sources = new ArrayList<>();
        final List<Integer> seconds = new ArrayList<>();
        boolean started;

        @Override
        public void run(UserContext u) {
            if (!started) {
                started = true;
                u.ipc(IpcOperation.RECEIVE, ThreadId.NIL, 0, 1, 0, 0, NEVER);
                return;
            }
            sources.add(u.source());
            seconds.add(u.word1());
            u.ipc(IpcOperation.REPLY_AND_RECEIVE_NEXT, u.source(), 1, 1, u.word0() + 1, 0, NEVER);
        }
    }

    @Test
    void callsGoThroughThePortAndRepliesThroughTheReplyLink() {
        int a = n.createTask();
        int b = n.createTask();
        Echo echo = new Echo();
        ThreadId server = n.createThread(b, echo);
        Caller caller = new Caller();
        ThreadId client = n.createThread(a, caller);
        ThreadId port = n.endpoint(client, server);
        assertEquals(0, port.high(), "a port index, not a uid");
        assertTrue(port.low() > 0 && port.low() < PortsIpc.LINKS_PER_TASK);
        caller.ports.addAll(List.of(port, port, port));
        assertTrue(n.run(caller::finished, 50_000_000L));
        assertEquals(List.of(ResultCode.OK, ResultCode.OK, ResultCode.OK), caller.results);
        assertEquals(List.of(11, 21, 31), caller.replies);
        assertEquals(List.of(1001, 1002, 1003), echo.seconds, "both message words arrive");
        assertTrue(echo.sources.get(0).high() == 0 && echo.sources.get(0).low() > 0,
                "the server sees a reply index, not the client's uid: " + echo.sources.get(0));
        n.checkInvariants();
    }

    @Test
    void indicesWithoutARightAndStalePortsAreRefused() {
        int a = n.createTask();
        int b = n.createTask();
        ThreadId server = n.createThread(b, new Echo());
        Caller caller = new Caller();
        ThreadId client = n.createThread(a, caller);
        ThreadId port = n.endpoint(client, server);
        ThreadId gone = n.createThread(b, new Echo());
        ThreadId stale = n.endpoint(client, gone);
        n.deleteThread(gone);
        // a page 0 the task mapped itself, holding what would pass for a port entry of the server
        n.mapUser(a, 0, 1, true);
        n.poke(a, PortsIpc.PORT_THREAD, 0x1234);
        caller.ports.addAll(List.of(
                new ThreadId(0, 0),                  // link 0 is the counter: no right, not page 0
                new ThreadId(client.low(), client.high()), // a uid, masked onto link 0
                new ThreadId(port.low() + 7, 0),    // a link never granted: it points at an unmapped page
                new ThreadId(port.low() + PortsIpc.LINKS_PER_TASK, 0), // out of range: masked onto the same link
                stale,                               // the port's thread was deleted
                port));
        assertTrue(n.run(caller::finished, 50_000_000L));
        assertEquals(List.of(ResultCode.NO_PARTNER, ResultCode.NO_PARTNER, ResultCode.NO_PARTNER, ResultCode.OK,
                ResultCode.NO_PARTNER, ResultCode.OK), caller.results);
        n.checkInvariants();
    }
}

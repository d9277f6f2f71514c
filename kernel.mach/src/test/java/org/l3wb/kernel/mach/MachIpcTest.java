package org.l3wb.kernel.mach;

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
import org.l3wb.kernel.api.Dope;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.api.Timeout;
import org.l3wb.kernel.api.UserContext;
import org.l3wb.kernel.api.UserProgram;
import org.l3wb.kernel.core.KernelComponent;
import org.l3wb.kernel.sched.LazyScheduler;
import org.l3wb.kernel.sched.StrictScheduler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MachIpcTest {
    static final int NEVER = Timeout.pair(Timeout.NEVER, Timeout.NEVER);
    static final int MESSAGE = 0x0100_0000;
    static final int BUFFER = 0x0110_0000;

    final Machine machine = new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent())
            .create(model());

    /** The processor every test here runs on; a subclass runs them all on another. */
    org.l3wb.hw.api.ProcessorModel model() {
        return StandardModels.i486dx50();
    }

    Nucleus boot(Switches switches, String scheduler) {
        KernelComponent kernel = new KernelComponent();
        kernel.addMechanism(new MachIpc());
        kernel.addScheduler(new LazyScheduler());
        kernel.addScheduler(new StrictScheduler());
        return kernel.boot(machine, switches, "mach", scheduler);
    }

    /** Calls through {@code names} in turn; {@code send}/{@code receive} 1 = registers, else memory. */
    static final class Caller implements UserProgram {
        final List<ThreadId> names = new ArrayList<>();
        final List<ResultCode> results = new ArrayList<>();
        final List<Integer> replies = new ArrayList<>();
        final List<Integer> replyData = new ArrayList<>();
        int send = 1;
        int receive = 1;
        int next;

        @Override
        public void run(UserContext u) {
            if (next > 0) {
                results.add(u.result());
                replies.add(u.word0());
                replyData.add(receive == 1 ? 0 : u.peek(BUFFER + Dope.DIRECT));
            }
            if (next < names.size()) {
                next++;
                if (send == MESSAGE) {
                    u.poke(MESSAGE + Dope.DIRECT, 7000 + next);
                }
                u.ipc(IpcOperation.CALL, names.get(next - 1), send, receive, 10 * next, 1000 + next, NEVER);
            } else {
                next++;
                u.exit();
            }
        }

        boolean finished() {
            return next > names.size();
        }
    }

    /** Answers every request through the reply name it came with, adding 1; echoes the first data word. */
    static final class Echo implements UserProgram {
        final List<ThreadId> sources = new ArrayList<>();
        final List<Integer> seconds = new ArrayList<>();
        final List<ResultCode> results = new ArrayList<>();
        final List<Integer> data = new ArrayList<>();
        int receive = 1;
        int send = 1;
        boolean started;

        @Override
        public void run(UserContext u) {
            if (!started) {
                started = true;
                u.ipc(IpcOperation.RECEIVE, ThreadId.NIL, 0, receive, 0, 0, NEVER);
                return;
            }
            results.add(u.result());
            sources.add(u.source());
            seconds.add(u.word1());
            int d = receive == 1 ? 0 : u.peek(BUFFER + Dope.DIRECT);
            data.add(d);
            if (send != 1) {
                u.poke(MESSAGE + Dope.DIRECT, d + 1);
            }
            u.ipc(IpcOperation.REPLY_AND_RECEIVE_NEXT, u.source(), send, receive, u.word0() + 1, 0, NEVER);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"strict", "lazy"})
    void callsGoThroughPortNamesAndRepliesThroughTheReplyRight(String scheduler) {
        Nucleus n = boot(Switches.ALL_ON, scheduler);
        int a = n.createTask();
        int b = n.createTask();
        Echo echo = new Echo();
        ThreadId server = n.createThread(b, echo);
        Caller caller = new Caller();
        ThreadId client = n.createThread(a, caller);
        ThreadId port = n.endpoint(client, server);
        assertEquals(0, port.high(), "a port name, not a uid");
        assertTrue(port.low() != 0);
        assertEquals(port, n.endpoint(client, server), "one name per port in a space");
        caller.names.addAll(List.of(port, port, port));
        assertTrue(n.run(caller::finished, 50_000_000L));
        assertEquals(List.of(ResultCode.OK, ResultCode.OK, ResultCode.OK), caller.results);
        assertEquals(List.of(11, 21, 31), caller.replies);
        assertEquals(List.of(1001, 1002, 1003), echo.seconds, "both message words arrive");
        ThreadId source = echo.sources.get(0);
        assertTrue(source.high() == 0 && source.low() != 0,
                "the server sees a reply-port name in its own space: " + source);
        n.checkInvariants();
    }

    /** Maps the message and buffer pages and writes their dopes. */
    static void prepare(Nucleus n, int task, int sendDwords, int maxDwords) {
        n.mapUser(task, MESSAGE, 1, true);
        n.mapUser(task, BUFFER, 1, true);
        n.poke(task, MESSAGE + Dope.CURRENT, new Dope(sendDwords, 0, 0).encode());
        n.poke(task, BUFFER + Dope.MAXIMUM, new Dope(maxDwords, 0, 0).encode());
    }

    @Test
    void messagesInMemoryArriveBothWaysThroughTheKernelBuffer() {
        Nucleus n = boot(Switches.ALL_OFF.with(Switch.REPLY_AND_WAIT, true), "strict");
        int a = n.createTask();
        int b = n.createTask();
        prepare(n, a, 4, 4);
        prepare(n, b, 4, 4);
        Echo echo = new Echo();
        echo.receive = BUFFER;
        echo.send = MESSAGE;
        ThreadId server = n.createThread(b, echo);
        Caller caller = new Caller();
        caller.send = MESSAGE;
        caller.receive = BUFFER;
        ThreadId client = n.createThread(a, caller);
        ThreadId port = n.endpoint(client, server);
        caller.names.addAll(List.of(port, port));
        assertTrue(n.run(caller::finished, 50_000_000L));
        assertEquals(List.of(ResultCode.OK, ResultCode.OK), caller.results);
        assertEquals(List.of(7001, 7002), echo.data, "requests' direct strings");
        assertEquals(List.of(7002, 7003), caller.replyData, "replies' direct strings");
        assertEquals(new Dope(4, 0, 0).encode(), n.peek(a, BUFFER + Dope.CURRENT));
        n.checkInvariants();
    }

    @Test
    void aMessageLargerThanTheBufferIsCutAndNothingIsWrittenPastIt() {
        Nucleus n = boot(Switches.ALL_ON, "strict");
        int a = n.createTask();
        int b = n.createTask();
        prepare(n, a, 8, 8);
        prepare(n, b, 8, 2); // the server takes 2 of the 8 dwords
        for (int i = 0; i < 8; i++) {
            n.poke(a, MESSAGE + Dope.DIRECT + 4 * i, 100 + i);
            n.poke(b, BUFFER + Dope.DIRECT + 4 * i, 0xDEAD);
        }
        Echo echo = new Echo();
        echo.receive = BUFFER;
        ThreadId server = n.createThread(b, echo);
        Caller caller = new Caller();
        caller.send = MESSAGE;
        ThreadId client = n.createThread(a, caller);
        ThreadId port = n.endpoint(client, server);
        caller.names.addAll(List.of(port, port));
        assertTrue(n.run(caller::finished, 50_000_000L));
        assertEquals(List.of(ResultCode.MESSAGE_CUT, ResultCode.MESSAGE_CUT), echo.results);
        assertEquals(101, n.peek(b, BUFFER + Dope.DIRECT + 4));
        for (int i = 2; i < 8; i++) {
            assertEquals(0xDEAD, n.peek(b, BUFFER + Dope.DIRECT + 4 * i), "dword " + i + " past the buffer");
        }
        assertEquals(new Dope(2, 0, 0).encode(), n.peek(b, BUFFER + Dope.CURRENT));
        assertEquals(List.of(ResultCode.OK, ResultCode.OK), caller.results, "the replies (in registers) fit");
        n.checkInvariants();
    }

    @Test
    void unknownAndStaleNamesAndBadAddressesAreRefused() {
        Nucleus n = boot(Switches.ALL_ON, "strict");
        int a = n.createTask();
        int b = n.createTask();
        Echo echo = new Echo();
        ThreadId server = n.createThread(b, echo);
        Caller caller = new Caller();
        ThreadId client = n.createThread(a, caller);
        ThreadId port = n.endpoint(client, server);
        ThreadId gone = n.createThread(b, new Echo());
        ThreadId stale = n.endpoint(client, gone);
        n.deleteThread(gone);
        caller.names.addAll(List.of(
                new ThreadId(port.low() + 0x100, 0),  // an index never handed out
                new ThreadId(port.low() ^ 0x7F, 0),   // right index, wrong generation
                new ThreadId(port.low(), 5),          // not a name (ESI must be 0)
                stale,                                // the port's receiver is gone
                port));
        assertTrue(n.run(caller::finished, 50_000_000L));
        assertEquals(List.of(ResultCode.NO_PARTNER, ResultCode.NO_PARTNER, ResultCode.NO_PARTNER,
                ResultCode.NO_PARTNER, ResultCode.OK), caller.results);
        n.checkInvariants();

        // a message address outside user space, and an unmapped one
        Caller bad = new Caller();
        bad.send = 0xC000_0100;
        ThreadId badClient = n.createThread(a, bad);
        ThreadId badPort = n.endpoint(badClient, server);
        bad.names.add(badPort);
        assertTrue(n.run(bad::finished, 50_000_000L));
        Caller unmapped = new Caller();
        unmapped.send = 0x0900_0000;
        ThreadId unmappedClient = n.createThread(a, unmapped);
        unmapped.names.add(n.endpoint(unmappedClient, server));
        assertTrue(n.run(unmapped::finished, 50_000_000L));
        assertEquals(List.of(ResultCode.INVALID_BUFFER), bad.results);
        assertEquals(List.of(ResultCode.INVALID_BUFFER), unmapped.results);
        // the server still serves
        Caller after = new Caller();
        ThreadId afterClient = n.createThread(a, after);
        after.names.add(n.endpoint(afterClient, server));
        assertTrue(n.run(after::finished, 50_000_000L));
        assertEquals(List.of(ResultCode.OK), after.results);
        n.checkInvariants();
    }

    @Test
    void aReceiveTimeoutEndsTheWaitConsistently() {
        Nucleus n = boot(Switches.ALL_ON, "strict");
        int a = n.createTask();
        List<ResultCode> got = new ArrayList<>();
        boolean[] done = new boolean[1];
        n.createThread(a, new UserProgram() {
            int step;

            @Override
            public void run(UserContext u) {
                if (step++ == 0) {
                    u.ipc(IpcOperation.RECEIVE, ThreadId.NIL, 0, 1, 0, 0, Timeout.pair(Timeout.NEVER, Timeout.ms(2)));
                } else {
                    got.add(u.result());
                    done[0] = true;
                    u.exit();
                }
            }
        });
        assertTrue(n.run(() -> done[0], 50_000_000L));
        assertEquals(List.of(ResultCode.RECEIVE_TIMEOUT), got);
        n.checkInvariants();
    }
}

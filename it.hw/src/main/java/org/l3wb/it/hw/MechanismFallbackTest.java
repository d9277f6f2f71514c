package org.l3wb.it.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.Kernel;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.api.Timeout;
import org.l3wb.kernel.api.UserContext;
import org.l3wb.kernel.api.UserProgram;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * Stopping the bundle of the bound mechanism while a ping-pong runs: the kernel binds the next available
 * one (the lowest {@link Nucleus#FALLBACK_RANK}) at its next entry and no message is lost; with no mechanism
 * left IPC returns NO_MECHANISM; starting a bundle again resumes, and the requested one is bound again
 * once it is back. Every bundle stopped here is started again afterwards.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class MechanismFallbackTest {
    static final List<String> MECHANISM_BUNDLES = List.of("kernel.ipc", "kernel.ports", "kernel.dash", "kernel.mach");
    static final long MAX_CYCLES = 500_000_000L;

    @InjectBundleContext
    BundleContext context;
    @InjectService(timeout = Await.MILLIS)
    Kernel kernel;
    @InjectService(timeout = Await.MILLIS)
    MachineFactory machines;
    @InjectService(timeout = Await.MILLIS, filter = "(name=i486dx50)")
    ProcessorModel dx50;

    private Bundle bundle(String name) {
        return Arrays.stream(context.getBundles())
                .filter(b -> name.equals(b.getSymbolicName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not installed"));
    }

    private void stop(String name) {
        try {
            bundle(name).stop();
        } catch (BundleException e) {
            throw new AssertionError(e);
        }
    }

    private void start(String name) throws BundleException {
        Bundle b = bundle(name);
        if (b.getState() != Bundle.ACTIVE) {
            b.start();
        }
    }

    private void awaitMechanisms(List<String> names) throws InterruptedException {
        Await.within(() -> kernel.mechanisms().equals(names));
        assertEquals(names, kernel.mechanisms(), "registered mechanisms");
    }

    @AfterEach
    void startEveryMechanismAgain() throws Exception {
        for (String name : MECHANISM_BUNDLES) {
            start(name);
        }
        awaitMechanisms(List.of("dash", "l3", "mach", "ports"));
    }

    @Test
    void stoppingTheBoundMechanismFallsBackWithoutLosingAMessage() throws Exception {
        awaitMechanisms(List.of("dash", "l3", "mach", "ports"));
        Nucleus n = kernel.boot(machines.create(dx50), Switches.ALL_ON, "ports", "lazy");
        assertEquals("ports", n.boundMechanism());
        HotSwapPingPong p = new HotSwapPingPong(n, 12_000);
        List<String> seen = new ArrayList<>();
        p.serverHook = served -> {
            if (served == 2_000) {
                // the client waits for this reply in L3's thread IPC; the server holds a ports source
                seen.add("before ports stop: " + n.boundMechanism());
                stop("kernel.ports");
            }
        };
        p.clientHook = done -> {
            if (done == 2_001) {
                seen.add("after ports stop: " + n.boundMechanism());
            }
            if (done == 5_000) {
                // l3 goes, and with it ports and dash (they extend l3's ThreadIpc): mach is what is left
                stop("kernel.ipc");
            }
        };

        // 1. ports stopped with a call in flight: l3 carries on, the reply and the next calls go through
        assertTrue(n.run(() -> p.client.parked > 0 || !p.errors.isEmpty(), MAX_CYCLES), p.summary());
        assertEquals(List.of("before ports stop: ports", "after ports stop: l3"), seen);
        assertEquals(List.of(), p.errors, p.summary());
        assertEquals(1, p.server.refreshes, "the server's ports source was stale once: " + p.summary());
        assertEquals(0, p.client.refreshes, "the client took the l3 name for its next call: " + p.summary());
        assertEquals(2_000, p.server.roundsUnder.get("ports"), "requests delivered by ports: " + p.summary());
        assertEquals(1_999, p.client.roundsUnder.get("ports"), "round 2,000's reply went by l3: " + p.summary());

        // 2. kernel.ipc stopped: mach is bound. The server waits in L3's thread IPC, which is no wait on a
        // mach port, so the ping-pong cannot go on under mach: the client parks, its calls rejected
        // (NO_PARTNER, nothing delivered) and the server goes on waiting
        assertEquals("mach", n.boundMechanism());
        assertEquals(List.of("mach"), kernel.mechanisms());
        assertEquals(5_000, p.client.done);
        assertEquals(5_000, p.server.served);
        assertEquals(Tcb.RECEIVING, n.state(p.serverId), "the server still waits for the next request");

        // 3. the last mechanism stopped: IPC fails with NO_MECHANISM, the server still waits
        stop("kernel.mach");
        awaitMechanisms(List.of());
        long parked = p.client.parked;
        assertTrue(n.run(() -> p.client.noMechanism >= 3, MAX_CYCLES), p.summary());
        assertNull(n.boundMechanism());
        // the last call under mach was answered (NO_PARTNER) before mach stopped; none ran since
        assertEquals(parked + 1, p.client.parked, "no call ran under a mechanism: " + p.summary());
        assertThrows(IllegalStateException.class, () -> n.endpoint(p.clientId, p.serverId));
        assertEquals(5_000, p.server.served);
        assertEquals(Tcb.RECEIVING, n.state(p.serverId));
        n.checkInvariants();

        // 4. kernel.ipc started again: l3 has the lowest fallback rank (ports, requested, is still gone);
        // the parked call is sent again and reaches the waiting server
        start("kernel.ipc");
        awaitMechanisms(List.of("dash", "l3"));
        assertTrue(n.run(() -> p.client.done >= 8_000 || !p.errors.isEmpty(), MAX_CYCLES), p.summary());
        assertEquals("l3", n.boundMechanism());
        assertEquals(List.of(), p.errors, p.summary());

        // 5. kernel.ports and kernel.mach back: the request for ports holds, so ports is bound again
        start("kernel.ports");
        start("kernel.mach");
        awaitMechanisms(List.of("dash", "l3", "mach", "ports"));
        assertTrue(n.run(p::finished, MAX_CYCLES), p.summary());
        assertEquals("ports", n.boundMechanism());
        assertEquals(List.of(), p.errors, p.summary());
        assertEquals(12_000, p.client.done, "every call answered");
        assertEquals(12_000, p.server.served, "every request served once, in order");
        assertTrue(p.client.roundsUnder.getOrDefault("ports", 0) > 2_000 + 3_000, p.summary());
        assertEquals(p.client.syscalls + p.server.syscalls, n.ipcCount());
        n.checkInvariants();
        System.out.println("MechanismFallbackTest: " + p.summary());
    }

    /** Receives one-word messages with a short timeout, recording words and other results. */
    static final class Receiver implements UserProgram {
        final List<Integer> received = new ArrayList<>();
        final List<ResultCode> others = new ArrayList<>();
        boolean started;

        @Override
        public void run(UserContext u) {
            if (started) {
                if (u.result() == ResultCode.OK) {
                    received.add(u.word0());
                } else {
                    others.add(u.result());
                }
            }
            started = true;
            if (received.size() == 4) {
                u.exit();
                return;
            }
            u.ipc(IpcOperation.RECEIVE, ThreadId.NIL, 0, 1, 0, 0, Timeout.pair(Timeout.NEVER, Timeout.ms(2)));
        }
    }

    @Test
    void machKeepsItsQueuedMessagesWhileItsBundleIsStopped() throws Exception {
        awaitMechanisms(List.of("dash", "l3", "mach", "ports"));
        Nucleus n = kernel.boot(machines.create(dx50), Switches.ALL_ON, "mach", "lazy");
        Receiver server = new Receiver();
        ThreadId s = n.createThread(n.createTask(), server);
        Receiver idle = new Receiver(); // waits on its own port, where nothing comes: its timeout is due
        ThreadId r = n.createThread(n.createTask(), idle);
        List<ResultCode> sent = new ArrayList<>();
        ThreadId[] name = new ThreadId[1];
        boolean[] stopped = new boolean[1];
        ThreadId c = n.createThread(n.createTask(), new UserProgram() {
            int ok;
            boolean started;

            @Override
            public void run(UserContext u) {
                if (started) {
                    sent.add(u.result());
                    ok += u.result() == ResultCode.OK ? 1 : 0;
                }
                started = true;
                if (ok == 3 && !stopped[0]) {
                    // message 1 was handed to the waiting server, 2 and 3 are queued kmsgs
                    stopped[0] = true;
                    stop("kernel.mach");
                }
                if (ok == 4) {
                    u.exit();
                    return;
                }
                u.ipc(IpcOperation.SEND, name[0], 1, 0, 101 + ok, 0, Timeout.pair(Timeout.NEVER, Timeout.NEVER));
            }
        });
        name[0] = n.endpoint(c, s); // a send right to the server's port

        // mach stopped with one message handed over (the server is ready to take it in mach's
        // continuation) and two queued as kmsgs: l3 is bound; the client's mach name is foreign to it
        // (NO_PARTNER); the server's continuation is mach's, so it is parked (LOCKED) until mach is back
        assertTrue(n.run(() -> n.state(s) == Tcb.LOCKED, MAX_CYCLES));
        assertEquals("l3", n.boundMechanism());
        assertEquals(List.of(ResultCode.OK, ResultCode.OK, ResultCode.OK, ResultCode.NO_PARTNER),
                sent.subList(0, 4));
        assertEquals(List.of(), server.received, "nothing delivered while mach is gone");
        // the other waiter's 2 ms timeout came due while mach was gone: only mach can end that wait
        assertEquals(Tcb.RECEIVING, n.state(r));
        assertEquals(List.of(), idle.others, "no timeout delivered by another mechanism");
        n.checkInvariants();

        // mach back: the request for it holds; the message it handed over before it stopped comes out
        // of its continuation, the queued ones and the client's next follow, each once, in order
        start("kernel.mach");
        awaitMechanisms(List.of("dash", "l3", "mach", "ports"));
        assertTrue(n.run(() -> server.received.size() == 4 && !idle.others.isEmpty(), MAX_CYCLES),
                "received " + server.received + ", idle " + idle.others);
        assertEquals(ResultCode.RECEIVE_TIMEOUT, idle.others.get(0), "mach ends the overdue wait");
        assertEquals("mach", n.boundMechanism());
        assertEquals(List.of(101, 102, 103, 104), server.received);
        assertEquals(ResultCode.OK, sent.get(sent.size() - 1));
        n.checkInvariants();
        assertEquals(List.of(), server.others);
        System.out.println("MechanismFallbackTest mach: client " + sent.size() + " sends, received "
                + server.received);
    }
}

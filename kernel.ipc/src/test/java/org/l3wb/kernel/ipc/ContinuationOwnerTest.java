package org.l3wb.kernel.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.Processor;
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
import org.l3wb.kernel.api.Tcb;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.api.ThreadIpc;
import org.l3wb.kernel.api.Timeout;
import org.l3wb.kernel.api.UserContext;
import org.l3wb.kernel.core.KernelComponent;
import org.l3wb.kernel.sched.LazyScheduler;

/**
 * Who finishes a thread's wait when the mechanism that ran its latest system call is removed: the
 * mechanism's own declaration ({@link IpcMechanism#keepsItsStateInThreadIpc}) decides, not its name.
 * The mechanism under test is built like {@code examples/mechanism-relay} (resolves the uid itself,
 * continues as L3's {@link ThreadIpc}) under a name no list in the API knows.
 */
class ContinuationOwnerTest {
    private static final int RECEIVE_TIMEOUT_MS = 5;

    /** A third-party mechanism built on L3's thread IPC; whether it declares so is the test's choice. */
    static final class Relay implements IpcMechanism {
        final String name;
        final boolean declares;
        final ThreadIpc threads;
        int calls;
        int aborts;

        Relay(String name, boolean declares, ThreadIpc threads) {
            this.name = name;
            this.declares = declares;
            this.threads = threads;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean keepsItsStateInThreadIpc() {
            return declares;
        }

        @Override
        public void ipc(KernelContext k, IpcOperation op) {
            calls++;
            Processor cpu = k.cpu();
            if (op == IpcOperation.RECEIVE) {
                threads.ipcTo(k, op, 0, 0, 0);
                return;
            }
            int dest = k.lookup(cpu.reg(Reg.EDX), cpu.reg(Reg.ESI));
            if (dest == 0) {
                cpu.movImm(Reg.EAX, ResultCode.NO_PARTNER.code());
                k.returnToUser();
                return;
            }
            int me = k.current();
            threads.ipcTo(k, op, dest, cpu.load(Reg.NONE, Reg.NONE, me + Tcb.UID_LOW), cpu.load(Reg.NONE, Reg.NONE, me + Tcb.UID_HIGH));
        }

        @Override
        public void resumeTransfer(KernelContext k) {
            threads.resumeTransfer(k);
        }

        @Override
        public void abort(KernelContext k, int tcb, ResultCode result) {
            aborts++;
            IpcMechanism.super.abort(k, tcb, result);
        }
    }

    /** L3's mechanism, counting the waits it ends. */
    static final class CountingL3 extends L3Ipc {
        int aborts;

        @Override
        public void abort(KernelContext k, int tcb, ResultCode result) {
            aborts++;
            super.abort(k, tcb, result);
        }
    }

    private final KernelComponent kernel = new KernelComponent();
    private final CountingL3 l3 = new CountingL3();
    private final Machine machine = new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent())
            .create(StandardModels.i486dx50());
    private final long cyclesPerMs = machine.model().clockMHz() * 1000L;

    ContinuationOwnerTest() {
        kernel.addMechanism(l3);
        kernel.addScheduler(new LazyScheduler());
    }

    private Nucleus boot(Relay relay) {
        kernel.addMechanism(relay);
        return kernel.boot(machine, Switches.ALL_ON, relay.name, "lazy");
    }

    /** A receiver that waits once for anyone, with a finite receive timeout, and records how it ended. */
    final class Receiver implements org.l3wb.kernel.api.UserProgram {
        final List<ResultCode> results = new ArrayList<>();
        long calledAt = -1;
        long endedAt = -1;

        @Override
        public void run(UserContext u) {
            if (calledAt < 0) {
                calledAt = machine.cpu().cycles();
                u.ipc(IpcOperation.RECEIVE, ThreadId.NIL, 0, 1, 0, 0,
                        Timeout.pair(Timeout.NEVER, Timeout.ms(RECEIVE_TIMEOUT_MS)));
            } else {
                endedAt = machine.cpu().cycles();
                results.add(u.result());
                u.exit();
            }
        }
    }

    /** Starts {@code receiver} under {@code relay}, then removes {@code relay} while it waits. */
    private ThreadId waitThenRemove(Nucleus n, Receiver receiver, Relay relay, int[] stateAtRemoval) {
        ThreadId r = n.createThread(n.createTask(), receiver);
        n.createThread(n.createTask(), u -> {
            stateAtRemoval[0] = n.state(r);
            kernel.removeMechanism(relay); // as when its bundle stops, here between two kernel entries
            u.exit();
        });
        return r;
    }

    @Test
    void aDeclaringMechanismsWaiterTimesOutUnderTheBoundMechanismOnceItIsGone() {
        Relay relay = new Relay("relay", true, l3);
        Nucleus n = boot(relay);
        Receiver receiver = new Receiver();
        int[] stateAtRemoval = {-1};
        waitThenRemove(n, receiver, relay, stateAtRemoval);

        assertTrue(n.run(() -> !receiver.results.isEmpty(), 50 * cyclesPerMs),
                "the wait ended (not kept for ever for the removed mechanism)");
        assertEquals(Tcb.RECEIVING, stateAtRemoval[0], "the receiver was waiting when its mechanism went");
        assertEquals(1, relay.calls, "the receive ran under relay");
        assertEquals(List.of(ResultCode.RECEIVE_TIMEOUT), receiver.results);
        assertEquals("l3", n.boundMechanism());
        assertEquals(1, l3.aborts, "the bound mechanism ended the wait");
        assertEquals(0, relay.aborts);
        long waitedMs = (receiver.endedAt - receiver.calledAt) / cyclesPerMs;
        assertTrue(waitedMs >= RECEIVE_TIMEOUT_MS - 1 && waitedMs <= RECEIVE_TIMEOUT_MS + 1,
                "ended at its timeout, after " + waitedMs + " ms");
        n.checkInvariants();
    }

    @Test
    void aNonDeclaringMechanismsWaiterWaitsForItsReturn() {
        Relay own = new Relay("own", false, l3);
        Nucleus n = boot(own);
        Receiver receiver = new Receiver();
        int[] stateAtRemoval = {-1};
        ThreadId r = waitThenRemove(n, receiver, own, stateAtRemoval);

        assertFalse(n.run(() -> !receiver.results.isEmpty(), 4 * RECEIVE_TIMEOUT_MS * cyclesPerMs),
                "nobody else may end its wait");
        assertEquals(Tcb.RECEIVING, stateAtRemoval[0]);
        assertEquals(Tcb.RECEIVING, n.state(r));
        assertEquals(0, l3.aborts + own.aborts);
        n.checkInvariants();

        long back = machine.cpu().cycles();
        kernel.addMechanism(own);
        assertTrue(n.run(() -> !receiver.results.isEmpty(), 3 * cyclesPerMs), "its timeout is looked at again each ms");
        assertEquals(List.of(ResultCode.RECEIVE_TIMEOUT), receiver.results);
        assertEquals(1, own.aborts, "ended by its own mechanism, back");
        assertEquals(0, l3.aborts);
        assertTrue(receiver.endedAt >= back);
        n.checkInvariants();
    }

    /**
     * A thread whose reply (the send part of reply-and-receive-next) is taken while it is not running
     * has its receive part pending: the mechanism it called through continues it. Gone and not declaring: the caller is parked (LOCKED)
     * until it is back; gone and declaring: the bound mechanism continues it at once.
     */
    private void callerWhoseMechanismGoes(boolean declares) {
        Relay relay = new Relay("relay", declares, l3);
        Nucleus n = boot(relay);
        List<String> caller = new ArrayList<>();
        ThreadId[] server = new ThreadId[1];
        ThreadId a = n.createThread(n.createTask(), new org.l3wb.kernel.api.UserProgram() {
            boolean called;

            @Override
            public void run(UserContext u) {
                if (!called) {
                    called = true;
                    u.ipc(IpcOperation.REPLY_AND_RECEIVE_NEXT, server[0], 1, 1, 7, 0, KernelFixture.NEVER);
                } else {
                    caller.add(u.result() + " " + u.word0());
                    u.exit();
                }
            }
        });
        List<String> served = new ArrayList<>();
        server[0] = n.createThread(n.createTask(), new org.l3wb.kernel.api.UserProgram() {
            int step;

            @Override
            public void run(UserContext u) {
                switch (step++) {
                    case 0 -> {
                        kernel.removeMechanism(relay); // the caller polls us in its send part now
                        u.ipc(IpcOperation.RECEIVE, ThreadId.NIL, 0, 1, 0, 0, KernelFixture.NEVER);
                    }
                    case 1 -> {
                        served.add(u.result() + " " + u.word0());
                        u.ipc(IpcOperation.SEND, a, 1, 0, u.word0() + 1, 0, KernelFixture.NEVER);
                    }
                    default -> u.exit();
                }
            }
        });

        if (declares) {
            assertTrue(n.run(() -> !caller.isEmpty(), 10 * cyclesPerMs));
            assertEquals(1, relay.calls, "the receive part ran under the bound mechanism");
        } else {
            assertFalse(n.run(() -> !caller.isEmpty(), 10 * cyclesPerMs));
            assertEquals(List.of("OK 7"), served, "the send part was delivered");
            assertEquals(Tcb.LOCKED, n.state(a), "parked until its mechanism is back");
            n.checkInvariants();
            kernel.addMechanism(relay);
            assertTrue(n.run(() -> !caller.isEmpty(), 3 * cyclesPerMs));
            assertEquals(2, relay.calls, "its own mechanism, back, ran the receive part");
        }
        assertEquals(List.of("OK 7"), served);
        assertEquals(List.of("OK 8"), caller);
        n.checkInvariants();
    }

    @Test
    void aNonDeclaringMechanismsCallerIsParkedUntilItIsBack() {
        callerWhoseMechanismGoes(false);
    }

    @Test
    void aDeclaringMechanismsCallerIsContinuedByTheBoundMechanism() {
        callerWhoseMechanismGoes(true);
    }
}

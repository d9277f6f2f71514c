package org.l3wb.kernel.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.l3wb.kernel.ipc.KernelFixture.NEVER;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.l3wb.kernel.api.Dope;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.api.Timeout;
import org.l3wb.kernel.ipc.KernelFixture.Outcome;
import org.l3wb.kernel.ipc.KernelFixture.Script;

class L3IpcTest {
    static final int MESSAGE = 0x1000_0000;
    static final int BUFFER = 0x1100_0000;
    static final int STRING = 0x1200_0000;
    static final int STRING_BUFFER = 0x1300_0000;

    KernelFixture k = new KernelFixture();

    @AfterEach
    void kernelStaysConsistent() {
        k.nucleus.checkInvariants();
    }

    private static Outcome only(Script s) {
        assertEquals(1, s.outcomes.size(), "one system call, one outcome");
        return s.outcomes.get(0);
    }

    @Test
    void shortMessagesTravelInRegistersWithTheSendersId() {
        int a = k.nucleus.createTask();
        int b = k.nucleus.createTask();
        Script receiver = new Script().call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, 1, 0, 0, NEVER);
        ThreadId r = k.nucleus.createThread(b, receiver);
        Script sender = new Script().call(IpcOperation.SEND, () -> r, 1, 0, 0xCAFE, 0xBEEF, NEVER);
        ThreadId s = k.nucleus.createThread(a, sender);
        assertTrue(k.run(() -> receiver.finished() && sender.finished()));
        assertEquals(new Outcome(ResultCode.OK, 0xCAFE, 0xBEEF, s), only(receiver));
        assertEquals(ResultCode.OK, only(sender).result());
    }

    @Test
    void sendingToNobodyOrToAStaleUidIsNoPartner() {
        int a = k.nucleus.createTask();
        int b = k.nucleus.createTask();
        ThreadId gone = k.nucleus.createThread(b, new Script());
        k.nucleus.deleteThread(gone);
        ThreadId never = ThreadId.of(b * 128 + 77, 1, b); // its TCB page was never mapped
        Script s = new Script()
                .call(IpcOperation.SEND, () -> gone, 1, 0, 1, 2, NEVER)
                .call(IpcOperation.SEND, () -> never, 1, 0, 1, 2, NEVER)
                .call(IpcOperation.SEND, () -> ThreadId.NIL, 1, 0, 1, 2, NEVER);
        k.nucleus.createThread(a, s);
        assertTrue(k.run(s::finished));
        for (Outcome o : s.outcomes) {
            assertEquals(ResultCode.NO_PARTNER, o.result());
        }
    }

    @Test
    void zeroTimeoutsFailAtOnceAndSendingToOneselfIsAnError() {
        int a = k.nucleus.createTask();
        int b = k.nucleus.createTask();
        int wait = Timeout.pair(Timeout.NEVER, Timeout.ms(50));
        Script silent = new Script().call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, 1, 0, 0, wait);
        ThreadId p = k.nucleus.createThread(b, silent);
        Script picky = new Script().call(IpcOperation.RECEIVE, () -> p, 0, 1, 0, 0, wait); // only from p
        ThreadId x = k.nucleus.createThread(b, picky);
        List<ThreadId> self = new ArrayList<>();
        Script s = new Script()
                .call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, 1, 0, 0, Timeout.pair(Timeout.NEVER, Timeout.ZERO))
                .call(IpcOperation.SEND, () -> self.get(0), 1, 0, 0, 0, NEVER)
                .call(IpcOperation.SEND, () -> x, 1, 0, 0, 0, Timeout.pair(Timeout.ZERO, Timeout.NEVER));
        self.add(k.nucleus.createThread(a, s));
        assertTrue(k.run(() -> s.finished() && silent.finished() && picky.finished()));
        assertEquals(ResultCode.RECEIVE_TIMEOUT, s.outcomes.get(0).result());
        assertEquals(ResultCode.SEND_TO_SELF, s.outcomes.get(1).result());
        assertEquals(ResultCode.SEND_TIMEOUT, s.outcomes.get(2).result(), "x receives only from p");
        assertEquals(ResultCode.RECEIVE_TIMEOUT, only(silent).result());
        assertEquals(ResultCode.RECEIVE_TIMEOUT, only(picky).result());
    }

    @Test
    void aFiniteReceiveTimeoutExpiresByTheClockNotBefore() {
        int a = k.nucleus.createTask();
        Script s = new Script().call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, 1, 0, 0,
                Timeout.pair(Timeout.NEVER, Timeout.ms(30)));
        k.nucleus.createThread(a, s);
        long start = k.machine.cpu().cycles();
        assertTrue(k.run(s::finished));
        double ms = (k.machine.cpu().cycles() - start) / 50_000.0;
        assertEquals(ResultCode.RECEIVE_TIMEOUT, only(s).result());
        assertTrue(ms >= 30 && ms <= 30 + 8 + 1, "woken after " + ms + " ms: 30 ms, 4 ms granularity");
    }

    @Test
    void waitingSendersAreServedInTheOrderTheyInvoked() {
        int a = k.nucleus.createTask();
        int b = k.nucleus.createTask();
        List<ThreadId> receiverId = new ArrayList<>();
        Script receiver = new Script();
        for (int i = 0; i < 3; i++) {
            receiver.call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, 1, 0, 0, NEVER);
        }
        List<Script> senders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int word = 100 + i;
            Script s = new Script().call(IpcOperation.SEND, () -> receiverId.get(0), 1, 0, word, 0, NEVER);
            senders.add(s);
            k.nucleus.createThread(a, s); // created, so invoked, before the receiver runs
        }
        receiverId.add(k.nucleus.createThread(b, receiver));
        assertTrue(k.run(receiver::finished));
        assertEquals(List.of(100, 101, 102), receiver.outcomes.stream().map(Outcome::word0).toList());
    }

    /** Writes a message with {@code dwords} direct-string dwords 1..n into {@code task}'s memory. */
    private void directMessage(int task, int dwords) {
        k.nucleus.mapUser(task, MESSAGE, 1, true);
        k.nucleus.poke(task, MESSAGE + Dope.CURRENT, new Dope(dwords, 0, 0).encode());
        for (int i = 0; i < dwords; i++) {
            k.nucleus.poke(task, MESSAGE + Dope.DIRECT + 4 * i, i + 1);
        }
    }

    @Test
    void aMessageTooLongForTheBufferIsCutAndNothingIsWrittenPastIt() {
        int a = k.nucleus.createTask();
        int b = k.nucleus.createTask();
        directMessage(a, 10);
        k.nucleus.mapUser(b, BUFFER, 1, true);
        k.nucleus.poke(b, BUFFER + Dope.MAXIMUM, new Dope(4, 0, 0).encode());
        int guard = BUFFER + Dope.DIRECT + 4 * 4;
        k.nucleus.poke(b, guard, 0xDEAD);
        Script receiver = new Script().call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, BUFFER, 0, 0, NEVER);
        ThreadId r = k.nucleus.createThread(b, receiver);
        Script sender = new Script().call(IpcOperation.SEND, () -> r, MESSAGE, 0, 7, 8, NEVER);
        k.nucleus.createThread(a, sender);
        assertTrue(k.run(() -> receiver.finished() && sender.finished()));
        assertEquals(ResultCode.MESSAGE_CUT, only(receiver).result());
        for (int i = 0; i < 4; i++) {
            assertEquals(i + 1, k.nucleus.peek(b, BUFFER + Dope.DIRECT + 4 * i));
        }
        assertEquals(0xDEAD, k.nucleus.peek(b, guard), "nothing written past the buffer");
        assertEquals(new Dope(4, 0, 0).encode(), k.nucleus.peek(b, BUFFER + Dope.CURRENT));
    }

    @Test
    void indirectStringsAreCopiedIntoTheReceiversBuffersAndCut() {
        int a = k.nucleus.createTask();
        int b = k.nucleus.createTask();
        Dope dope = new Dope(1, 2, 0);
        k.nucleus.mapUser(a, MESSAGE, 1, true);
        k.nucleus.mapUser(a, STRING, 4, true);
        k.nucleus.mapUser(b, BUFFER, 1, true);
        k.nucleus.mapUser(b, STRING_BUFFER, 4, true);
        k.nucleus.poke(a, MESSAGE + Dope.CURRENT, dope.encode());
        k.nucleus.poke(a, MESSAGE + Dope.DIRECT, 42);
        int[] lengths = {6000, 1000};
        int[] sizes = {8192, 400};
        for (int i = 0; i < 2; i++) {
            int sd = MESSAGE + dope.stringDescriptor(i);
            k.nucleus.poke(a, sd + Dope.STRING_ADDRESS, STRING + i * 8192);
            k.nucleus.poke(a, sd + Dope.STRING_LENGTH, lengths[i]);
            int rd = BUFFER + dope.stringDescriptor(i);
            k.nucleus.poke(b, rd + Dope.STRING_BUFFER, STRING_BUFFER + i * 8192);
            k.nucleus.poke(b, rd + Dope.STRING_BUFFER_SIZE, sizes[i]);
        }
        for (int off = 0; off < 16384; off += 4) {
            k.nucleus.poke(a, STRING + off, 0x5000_0000 + off);
        }
        k.nucleus.poke(b, STRING_BUFFER + 8192 + 400, 0xDEAD);
        k.nucleus.poke(b, BUFFER + Dope.MAXIMUM, dope.encode());
        Script receiver = new Script().call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, BUFFER, 0, 0, NEVER);
        ThreadId r = k.nucleus.createThread(b, receiver);
        Script sender = new Script().call(IpcOperation.SEND, () -> r, MESSAGE, 0, 0, 0, NEVER);
        k.nucleus.createThread(a, sender);
        assertTrue(k.run(() -> receiver.finished() && sender.finished()));
        assertEquals(ResultCode.MESSAGE_CUT, only(receiver).result(), "the second string did not fit");
        assertEquals(42, k.nucleus.peek(b, BUFFER + Dope.DIRECT));
        for (int off = 0; off < 6000; off += 4) {
            assertEquals(0x5000_0000 + off, k.nucleus.peek(b, STRING_BUFFER + off));
        }
        for (int off = 0; off < 400; off += 4) {
            assertEquals(0x5000_0000 + 8192 + off, k.nucleus.peek(b, STRING_BUFFER + 8192 + off));
        }
        assertEquals(0xDEAD, k.nucleus.peek(b, STRING_BUFFER + 8192 + 400), "cut at the buffer's size");
        assertEquals(6000, k.nucleus.peek(b, BUFFER + dope.stringDescriptor(0) + Dope.STRING_LENGTH));
        assertEquals(400, k.nucleus.peek(b, BUFFER + dope.stringDescriptor(1) + Dope.STRING_LENGTH));
    }

    @Test
    void buffersOutsideUserSpaceOrUnmappedAreInvalid() {
        int a = k.nucleus.createTask();
        int b = k.nucleus.createTask();
        Script receiver = new Script()
                .call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, 1, 0, 0, NEVER)
                .call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, 1, 0, 0, NEVER);
        ThreadId r = k.nucleus.createThread(b, receiver);
        Script sender = new Script()
                .call(IpcOperation.SEND, () -> r, 0xE000_0000, 0, 0, 0, Timeout.pair(Timeout.NEVER, Timeout.NEVER))
                .call(IpcOperation.SEND, () -> r, 0x2000_0000, 0, 0, 0, Timeout.pair(Timeout.NEVER, Timeout.NEVER))
                .call(IpcOperation.SEND, () -> r, 1, 0, 5, 6, NEVER)
                .call(IpcOperation.SEND, () -> r, 1, 0, 7, 8, NEVER);
        k.nucleus.createThread(a, sender);
        assertTrue(k.run(() -> receiver.finished() && sender.finished()));
        assertEquals(ResultCode.INVALID_BUFFER, sender.outcomes.get(0).result(), "kernel address");
        assertEquals(ResultCode.INVALID_BUFFER, sender.outcomes.get(1).result(), "unmapped message");
        assertEquals(List.of(5, 7), receiver.outcomes.stream().map(Outcome::word0).toList(),
                "the receiver got the two good messages, nothing of the bad ones");
    }

    @Test
    void aClientWaitingForADeletedServerIsCancelled() {
        int a = k.nucleus.createTask();
        int b = k.nucleus.createTask();
        Script server = new Script()
                .call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, 1, 0, 0, NEVER)
                .call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, 1, 0, 0, NEVER); // never replies
        ThreadId s = k.nucleus.createThread(b, server);
        Script client = new Script().call(IpcOperation.CALL, () -> s, 1, 1, 1, 2, NEVER);
        ThreadId c = k.nucleus.createThread(a, client);
        assertTrue(k.run(() -> server.outcomes.size() == 1));
        assertEquals(Tcb.RECEIVING, k.nucleus.state(c), "waiting for the reply");
        k.nucleus.deleteThread(s);
        assertTrue(k.run(client::finished));
        assertEquals(ResultCode.CANCELLED, only(client).result());
    }

    @Test
    void rpcWithLongMessagesBothWaysDeliversEachWay() {
        int a = k.nucleus.createTask();
        int b = k.nucleus.createTask();
        directMessage(a, 32);
        directMessage(b, 32);
        for (int t : new int[] {a, b}) {
            k.nucleus.mapUser(t, BUFFER, 1, true);
            k.nucleus.poke(t, BUFFER + Dope.MAXIMUM, new Dope(255, 0, 0).encode());
        }
        k.nucleus.poke(b, MESSAGE + Dope.DIRECT, 0x77);
        Script server = new Script()
                .call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, BUFFER, 0, 0, NEVER);
        List<ThreadId> ids = new ArrayList<>();
        server.step(u -> u.ipc(IpcOperation.REPLY_AND_RECEIVE_NEXT, ids.get(1), MESSAGE, BUFFER, 3, 4, NEVER));
        ids.add(k.nucleus.createThread(b, server));
        Script client = new Script().call(IpcOperation.CALL, () -> ids.get(0), MESSAGE, BUFFER, 1, 2, NEVER);
        ids.add(k.nucleus.createThread(a, client));
        assertTrue(k.run(client::finished));
        assertEquals(new Outcome(ResultCode.OK, 3, 4, ids.get(0)), only(client));
        assertEquals(0x77, k.nucleus.peek(a, BUFFER + Dope.DIRECT), "the reply's direct string");
        assertEquals(32, k.nucleus.peek(a, BUFFER + Dope.DIRECT + 31 * 4));
        assertEquals(1, k.nucleus.peek(b, BUFFER + Dope.DIRECT), "the request's direct string");
    }

    @Test
    void intraSpaceIpcCopiesWithoutTheWindowAndTwofoldCopyDeliversTheSame() {
        for (Switches sw : new Switches[] {Switches.ALL_ON, Switches.allBut(Switch.DIRECT_TRANSFER)}) {
            k = new KernelFixture(sw, "lazy");
            int a = k.nucleus.createTask();
            int b = k.nucleus.createTask();
            directMessage(a, 100);
            for (int t : new int[] {a, b}) {
                k.nucleus.mapUser(t, BUFFER, 1, true);
                k.nucleus.poke(t, BUFFER + Dope.MAXIMUM, new Dope(255, 0, 0).encode());
            }
            Script local = new Script().call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, BUFFER, 0, 0, NEVER);
            ThreadId l = k.nucleus.createThread(a, local);
            Script remote = new Script().call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, BUFFER, 0, 0, NEVER);
            ThreadId r = k.nucleus.createThread(b, remote);
            Script sender = new Script()
                    .call(IpcOperation.SEND, () -> l, MESSAGE, 0, 0, 0, NEVER)
                    .call(IpcOperation.SEND, () -> r, MESSAGE, 0, 0, 0, NEVER);
            k.nucleus.createThread(a, sender);
            assertTrue(k.run(() -> sender.finished() && local.finished() && remote.finished()), sw.toString());
            for (int t : new int[] {a, b}) {
                for (int i = 0; i < 100; i++) {
                    assertEquals(i + 1, k.nucleus.peek(t, BUFFER + Dope.DIRECT + 4 * i), sw + " task " + t);
                }
            }
            k.nucleus.checkInvariants();
        }
    }

    @Test
    void memoryObjectsAreMappedNotCopiedIntoTheReceiversRegion() {
        int a = k.nucleus.createTask();
        int b = k.nucleus.createTask();
        Dope dope = new Dope(0, 0, 1);
        k.nucleus.mapUser(a, MESSAGE, 1, true);
        k.nucleus.mapUser(a, STRING, 2, true);
        k.nucleus.poke(a, STRING, 0x0B1E_C700);
        k.nucleus.poke(a, STRING + 4096 + 8, 0x0B1E_C708);
        k.nucleus.poke(a, MESSAGE + Dope.CURRENT, dope.encode());
        k.nucleus.poke(a, MESSAGE + dope.objectDescriptor(0) + Dope.OBJECT_ADDRESS, STRING);
        k.nucleus.poke(a, MESSAGE + dope.objectDescriptor(0) + Dope.OBJECT_PAGES, 2);
        k.nucleus.mapUser(b, BUFFER, 1, true);
        k.nucleus.poke(b, BUFFER + Dope.MAXIMUM, dope.encode());
        k.nucleus.poke(b, BUFFER + dope.objectDescriptor(0) + Dope.OBJECT_ADDRESS, STRING_BUFFER);
        k.nucleus.poke(b, BUFFER + dope.objectDescriptor(0) + Dope.OBJECT_PAGES, 4);
        Script receiver = new Script().call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, BUFFER, 0, 0, NEVER);
        ThreadId r = k.nucleus.createThread(b, receiver);
        Script sender = new Script().call(IpcOperation.SEND, () -> r, MESSAGE, 0, 0, 0, NEVER);
        k.nucleus.createThread(a, sender);
        assertTrue(k.run(() -> receiver.finished() && sender.finished()));
        assertEquals(ResultCode.OK, only(receiver).result());
        assertEquals(0x0B1E_C700, k.nucleus.peek(b, STRING_BUFFER));
        assertEquals(0x0B1E_C708, k.nucleus.peek(b, STRING_BUFFER + 4096 + 8));
        k.nucleus.poke(a, STRING, 42);
        assertEquals(42, k.nucleus.peek(b, STRING_BUFFER), "the same frame, mapped, not a copy");
        assertEquals(new Dope(0, 0, 1).encode(), k.nucleus.peek(b, BUFFER + Dope.CURRENT));
    }

    @Test
    void aFiniteSendTimeoutGivesUpWhenTheReceiverNeverComes() {
        int a = k.nucleus.createTask();
        int b = k.nucleus.createTask();
        Script mute = new Script().call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, 1, 0, 0,
                Timeout.pair(Timeout.NEVER, Timeout.ms(40)));
        ThreadId m = k.nucleus.createThread(b, mute);
        Script deaf = new Script().call(IpcOperation.RECEIVE, () -> m, 0, 1, 0, 0, // only from m, which never sends
                Timeout.pair(Timeout.NEVER, Timeout.ms(40)));
        ThreadId d = k.nucleus.createThread(b, deaf);
        Script s = new Script().call(IpcOperation.SEND, () -> d, 1, 0, 1, 2, Timeout.pair(Timeout.ms(12), Timeout.NEVER));
        k.nucleus.createThread(a, s);
        long start = k.machine.cpu().cycles();
        assertTrue(k.run(s::finished));
        double ms = (k.machine.cpu().cycles() - start) / 50_000.0;
        assertEquals(ResultCode.SEND_TIMEOUT, only(s).result());
        assertTrue(ms >= 12 && ms < 12 + 9, "gave up after " + ms + " ms");
        assertTrue(k.run(() -> deaf.finished() && mute.finished()));
        assertEquals(ResultCode.RECEIVE_TIMEOUT, only(deaf).result());
    }

    @Test
    void aStringLongerThanFourMegabytesIsAnInvalidDope() {
        int a = k.nucleus.createTask();
        int b = k.nucleus.createTask();
        Dope dope = new Dope(0, 1, 0);
        k.nucleus.mapUser(a, MESSAGE, 1, true);
        k.nucleus.poke(a, MESSAGE + Dope.CURRENT, dope.encode());
        k.nucleus.poke(a, MESSAGE + dope.stringDescriptor(0) + Dope.STRING_ADDRESS, STRING);
        k.nucleus.poke(a, MESSAGE + dope.stringDescriptor(0) + Dope.STRING_LENGTH, (4 << 20) + 4);
        k.nucleus.mapUser(b, BUFFER, 1, true);
        k.nucleus.poke(b, BUFFER + Dope.MAXIMUM, dope.encode());
        k.nucleus.poke(b, BUFFER + dope.stringDescriptor(0) + Dope.STRING_BUFFER, STRING_BUFFER);
        k.nucleus.poke(b, BUFFER + dope.stringDescriptor(0) + Dope.STRING_BUFFER_SIZE, 4096);
        Script receiver = new Script().call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, BUFFER, 0, 0,
                Timeout.pair(Timeout.NEVER, Timeout.ms(20)));
        ThreadId r = k.nucleus.createThread(b, receiver);
        Script sender = new Script().call(IpcOperation.SEND, () -> r, MESSAGE, 0, 0, 0, NEVER);
        k.nucleus.createThread(a, sender);
        assertTrue(k.run(() -> receiver.finished() && sender.finished()));
        assertEquals(ResultCode.INVALID_DOPE, only(sender).result());
        assertEquals(ResultCode.RECEIVE_TIMEOUT, only(receiver).result(), "the receiver got nothing");
    }

    @Test
    void aThreadThatKeepsTimingOutKeepsTheIdleLoopRunning() {
        int a = k.nucleus.createTask();
        Script s = new Script();
        for (int i = 0; i < 500; i++) {
            s.call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, 1, 0, 0, Timeout.pair(Timeout.NEVER, Timeout.ms(1)));
        }
        k.nucleus.createThread(a, s);
        assertTrue(k.run(s::finished));
        assertEquals(500, s.outcomes.size());
        assertTrue(s.outcomes.stream().allMatch(o -> o.result() == ResultCode.RECEIVE_TIMEOUT));
    }
}

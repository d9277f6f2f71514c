package org.l3wb.kernel.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.l3wb.kernel.ipc.KernelFixture.NEVER;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.l3wb.kernel.api.Dope;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.ipc.KernelFixture.Script;

/**
 * Issue 9's silent corruption: a client alternately calls two servers with 64-byte messages, each
 * server's receive buffer at the same virtual address. The communication window (5.2.3) maps the
 * receiver's region into the client's space; on a TLB that a CR3 load does not flush (tagged by
 * address space) the window's entries of the first server outlive the address-space switch, and
 * without a flush by tag (or INVLPG) the second server's message lands in the first server's buffer
 * with result OK. Every message must arrive at the server it was sent to, on every TLB.
 */
public class TaggedTlbWindowTest {
    static final int MESSAGE = 0x1000_0000;
    static final int STRING = 0x1001_0000;
    static final int BUFFER = 0x1000_5000; // the servers' receive buffer: the same address in both
    static final int TARGET = 0x1000_6000; // and the same string buffer
    static final int BYTES = 64;
    static final int ROUNDS = 6;

    static Stream<Capabilities> processors() {
        return Stream.of(Capabilities.I486, Capabilities.I486.withTagged(true, false),
                Capabilities.I486.withTagged(true, true), Capabilities.TAGGED_FLAT_NO_INVLPG,
                Capabilities.I386_LIKE, Capabilities.I486.withTagged(false, true).withSegments(false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("processors")
    public void eachMessageArrivesAtTheServerItWasSentTo(Capabilities caps) {
        KernelFixture k = new KernelFixture(caps.model());
        int client = k.nucleus.createTask();
        int[] servers = {k.nucleus.createTask(), k.nucleus.createTask()};
        Dope dope = new Dope(0, 1, 0);
        k.nucleus.mapUser(client, MESSAGE, 1, true);
        k.nucleus.mapUser(client, STRING, 1, true);
        k.nucleus.poke(client, MESSAGE + Dope.CURRENT, dope.encode());
        k.nucleus.poke(client, MESSAGE + dope.stringDescriptor(0) + Dope.STRING_ADDRESS, STRING);
        k.nucleus.poke(client, MESSAGE + dope.stringDescriptor(0) + Dope.STRING_LENGTH, BYTES);
        List<ThreadId> ids = new ArrayList<>();
        List<List<Integer>> received = List.of(new ArrayList<>(), new ArrayList<>());
        List<Script> serverScripts = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            int task = servers[s];
            k.nucleus.mapUser(task, BUFFER, 1, true);
            k.nucleus.mapUser(task, TARGET, 1, true);
            k.nucleus.poke(task, BUFFER + Dope.MAXIMUM, dope.encode());
            k.nucleus.poke(task, BUFFER + dope.stringDescriptor(0) + Dope.STRING_BUFFER, TARGET);
            k.nucleus.poke(task, BUFFER + dope.stringDescriptor(0) + Dope.STRING_BUFFER_SIZE, BYTES);
            Script server = new Script();
            List<Integer> mine = received.get(s);
            server.call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, BUFFER, 0, 0, NEVER);
            for (int r = 0; r < ROUNDS; r++) {
                server.step(u -> {
                    int first = k.nucleus.peek(task, TARGET); // the message's first word: whose round
                    boolean whole = true;
                    for (int off = 0; off < BYTES; off += 4) {
                        whole &= k.nucleus.peek(task, TARGET + off) == first + off;
                        k.nucleus.poke(task, TARGET + off, 0);
                    }
                    mine.add(whole ? first : 0); // 0: not this round's message, or not all of it
                    u.ipc(IpcOperation.REPLY_AND_RECEIVE_NEXT, u.source(), 1, BUFFER, 0, 0, NEVER);
                });
            }
            serverScripts.add(server);
            ids.add(k.nucleus.createThread(task, server));
        }
        Script c = new Script();
        List<ResultCode> results = new ArrayList<>();
        for (int r = 0; r < 2 * ROUNDS; r++) {
            int round = r;
            c.step(u -> {
                if (round > 0) {
                    results.add(u.result());
                }
                for (int off = 0; off < BYTES; off += 4) {
                    k.nucleus.poke(client, STRING + off, 0x5000_0000 + (round << 12) + off);
                }
                u.ipc(IpcOperation.CALL, ids.get(round % 2), MESSAGE, 1, 0, 0, NEVER);
            });
        }
        k.nucleus.createThread(client, c);
        assertTrue(k.nucleus.run(() -> received.get(0).size() + received.get(1).size() == 2 * ROUNDS,
                50_000_000L), caps + ": the calls did not complete");
        for (ResultCode r : results) {
            assertEquals(ResultCode.OK, r, caps.name());
        }
        for (int s = 0; s < 2; s++) {
            List<Integer> expected = new ArrayList<>();
            for (int r = s; r < 2 * ROUNDS; r += 2) {
                expected.add(0x5000_0000 + (r << 12));
            }
            assertEquals(expected, received.get(s), caps + ": server " + s + " received other messages");
        }
        k.nucleus.checkInvariants();
    }
}

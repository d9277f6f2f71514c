package org.l3wb.kernel.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.l3wb.kernel.ipc.KernelFixture.NEVER;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.kernel.api.Dope;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.ipc.KernelFixture.Script;

/**
 * Random long-message traffic where the communication window (5.2.3) is reused as much as it can be:
 * two or three servers in spaces of their own, every one with its receive buffer and string buffer at
 * the same virtual addresses, called in random order by clients (several threads in one space, so
 * that the window is also shared within a space) with 4-byte to 3-page strings. Every message must
 * arrive whole at the server it was sent to and nowhere else, every byte around the string buffers
 * must keep its guard value, and every call must return OK — on every shipped processor and on every
 * synthetic capability combination. (Generalises {@link TaggedTlbWindowTest}; fixed seeds.)
 */
class SharedAddressPropertiesTest {
    static final int MESSAGE = 0x1000_0000;
    static final int STRING = 0x1010_0000;
    static final int BUFFER = 0x1000_5000;
    static final int REGION = 0x1000_6000; // servers' string buffers lie in 5 pages from here
    static final int REGION_PAGES = 5;
    static final int SEEDS = 4;

    static Stream<Arguments> processors() {
        List<Arguments> all = new ArrayList<>();
        Random r = new Random(5_2_3);
        List<ProcessorModel> models = new ArrayList<>(List.of(StandardModels.i486dx50(), StandardModels.i486dx33()));
        for (Capabilities c : Capabilities.combinations()) {
            models.add(c.model());
        }
        for (ProcessorModel m : models) {
            for (int i = 0; i < SEEDS; i++) {
                all.add(Arguments.of(m.name(), m, r.nextLong()));
            }
        }
        return all.stream();
    }

    static int guard(int task, int address) {
        return 0x6C00_0000 ^ task << 20 ^ (address >>> 2 & 0xF_FFFF);
    }

    static int word(int client, int round, int off) {
        return client << 24 ^ round << 16 ^ off * 0x9E37 ^ 0x0101_0101;
    }

    @ParameterizedTest(name = "{0} seed {2}")
    @MethodSource("processors")
    void everyMessageArrivesWholeAtItsServerOnly(String name, ProcessorModel model, long seed) {
        Random r = new Random(seed);
        KernelFixture k = new KernelFixture(model);
        int servers = 2 + r.nextInt(2);
        int[] serverTask = new int[servers];
        List<ThreadId> serverIds = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        // per server: the (client, round) of each message it got whole, in order
        List<List<Integer>> got = new ArrayList<>();
        int target = REGION + 4 * r.nextInt(1024); // the same in every server
        int maxBytes = 3 * 4096;
        for (int s = 0; s < servers; s++) {
            int task = k.nucleus.createTask();
            serverTask[s] = task;
            Dope dope = new Dope(0, 1, 0);
            k.nucleus.mapUser(task, BUFFER, 1, true);
            k.nucleus.mapUser(task, REGION, REGION_PAGES, true);
            for (int a = REGION; a < REGION + REGION_PAGES * 4096; a += 4) {
                k.nucleus.poke(task, a, guard(task, a));
            }
            k.nucleus.poke(task, BUFFER + Dope.MAXIMUM, dope.encode());
            k.nucleus.poke(task, BUFFER + dope.stringDescriptor(0) + Dope.STRING_BUFFER, target);
            k.nucleus.poke(task, BUFFER + dope.stringDescriptor(0) + Dope.STRING_BUFFER_SIZE, maxBytes);
            List<Integer> mine = new ArrayList<>();
            got.add(mine);
            int sIndex = s;
            Script server = new Script().call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, BUFFER, 0, 0, NEVER);
            for (int i = 0; i < 200; i++) {
                server.step(u -> {
                    int length = k.nucleus.peek(task, BUFFER + dope.stringDescriptor(0) + Dope.STRING_LENGTH);
                    int client = u.word0();
                    int round = u.word1();
                    boolean whole = u.result() == ResultCode.OK && length >= 4 && length <= maxBytes;
                    for (int off = 0; whole && off < length; off += 4) {
                        whole = k.nucleus.peek(task, target + off) == word(client, round, off);
                    }
                    if (!whole) {
                        problems.add("server " + sIndex + " got " + u.result() + " " + length + " bytes, not client "
                                + client + " round " + round + "'s message");
                    }
                    mine.add(client << 16 | round);
                    for (int a = REGION; a < REGION + REGION_PAGES * 4096; a += 4) {
                        boolean inside = a >= target && a < target + length;
                        if (!inside && k.nucleus.peek(task, a) != guard(task, a)) {
                            problems.add(String.format("server %d: byte at 0x%08x outside the message changed", sIndex, a));
                            break;
                        }
                        if (inside) {
                            k.nucleus.poke(task, a, guard(task, a));
                        }
                    }
                    u.ipc(IpcOperation.REPLY_AND_RECEIVE_NEXT, u.source(), 1, BUFFER, 0, 0, NEVER);
                });
            }
            serverIds.add(k.nucleus.createThread(task, server));
        }
        int clientTasks = 1 + r.nextInt(2);
        int[] clientTask = new int[clientTasks];
        for (int t = 0; t < clientTasks; t++) {
            clientTask[t] = k.nucleus.createTask();
        }
        int clients = 2 + r.nextInt(2);
        List<TreeMap<Integer, Integer>> expected = new ArrayList<>(); // per server: (client, round) -> 1
        for (int s = 0; s < servers; s++) {
            expected.add(new TreeMap<>());
        }
        List<Script> clientScripts = new ArrayList<>();
        for (int c = 1; c <= clients; c++) {
            int task = clientTask[c % clientTasks];
            int message = MESSAGE + c * 0x1000;
            int string = STRING + c * 0x1_0000;
            k.nucleus.mapUser(task, message, 1, true);
            k.nucleus.mapUser(task, string, maxBytes / 4096 + 1, true);
            Dope dope = new Dope(0, 1, 0);
            k.nucleus.poke(task, message + Dope.CURRENT, dope.encode());
            k.nucleus.poke(task, message + dope.stringDescriptor(0) + Dope.STRING_ADDRESS, string);
            Script client = new Script();
            int rounds = 4 + r.nextInt(5);
            for (int round = 0; round < rounds; round++) {
                int to = r.nextInt(servers);
                int bytes = r.nextInt(4) == 0 ? 4 * (1 + r.nextInt(maxBytes / 4)) : 4 * (1 + r.nextInt(64));
                int cl = c;
                int rd = round;
                expected.get(to).put(cl << 16 | rd, 1);
                client.step(u -> {
                    k.nucleus.poke(task, message + dope.stringDescriptor(0) + Dope.STRING_LENGTH, bytes);
                    for (int off = 0; off < bytes; off += 4) {
                        k.nucleus.poke(task, string + off, word(cl, rd, off));
                    }
                    u.ipc(IpcOperation.CALL, serverIds.get(to), message, 1, cl, rd, NEVER);
                });
            }
            clientScripts.add(client);
            k.nucleus.createThread(task, client);
        }
        assertTrue(k.nucleus.run(() -> clientScripts.stream().allMatch(Script::finished), 400_000_000L),
                name + " seed " + seed + ": the clients did not finish");
        assertEquals(List.of(), problems, name + " seed " + seed);
        for (Script client : clientScripts) {
            for (KernelFixture.Outcome o : client.outcomes) {
                assertEquals(ResultCode.OK, o.result(), name + " seed " + seed);
            }
        }
        for (int s = 0; s < servers; s++) {
            List<Integer> sorted = new ArrayList<>(got.get(s));
            sorted.sort(null);
            assertEquals(new ArrayList<>(expected.get(s).keySet()), sorted,
                    name + " seed " + seed + ": server " + s + " got other messages than were sent to it");
        }
        k.nucleus.checkInvariants();
    }
}

package org.l3wb.kernel.ports;

import org.l3wb.kernel.core.testing.DifferentProcessor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.l3wb.hw.cache.CacheFactoryComponent;
import org.l3wb.hw.cpu486.MachineFactoryComponent;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.hw.mmu.MmuFactoryComponent;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.api.Timeout;
import org.l3wb.kernel.api.UserContext;
import org.l3wb.kernel.api.UserProgram;
import org.l3wb.kernel.core.KernelComponent;
import org.l3wb.kernel.core.testing.ProtectedMemory;
import org.l3wb.kernel.ipc.L3Ipc;
import org.l3wb.kernel.sched.LazyScheduler;
import org.l3wb.kernel.sched.StrictScheduler;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random port traffic: a few servers that echo through reply links, clients calling random servers
 * through the ports they were granted, also through indices without a right. Every call must come back
 * with exactly its own request transformed, or be refused with NO_PARTNER when the index grants
 * nothing; the kernel's invariants must hold throughout. Indices without a right include hostile ones:
 * any 32-bit value whose low bits name no granted link (unmasked, they would reach other tasks' link
 * tables, the port table or beyond). A bystander task with a secret page, a receiving thread and a
 * port of its own takes no part: after every run slice, kernel code, descriptor tables, page tables,
 * its TCB, its frames and its link table are unchanged, byte for byte.
 */
class PortTrafficPropertiesTest {
    static final int NEVER = Timeout.pair(Timeout.NEVER, Timeout.NEVER);

    /** Echoes word0 + 1 and word1 xor its tag, through the reply index each request came with. */
    static final class Server implements UserProgram {
        final int tag;
        boolean started;

        Server(int tag) {
            this.tag = tag;
        }

        @Override
        public void run(UserContext u) {
            if (!started) {
                started = true;
                u.ipc(IpcOperation.RECEIVE, ThreadId.NIL, 0, 1, 0, 0, NEVER);
                return;
            }
            u.ipc(IpcOperation.REPLY_AND_RECEIVE_NEXT, u.source(), 1, 1, u.word0() + 1, u.word1() ^ tag, NEVER);
        }
    }

    /** Calls through a scripted list of (port index, server tag or -1 for no right). */
    static final class Client implements UserProgram {
        final List<ThreadId> ports = new ArrayList<>();
        final List<Integer> tags = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        final int id;
        int next;

        Client(int id) {
            this.id = id;
        }

        boolean finished() {
            return next > ports.size();
        }

        @Override
        public void run(UserContext u) {
            if (next > 0) {
                int i = next - 1;
                int tag = tags.get(i);
                int w0 = id * 1000 + i;
                if (tag < 0) {
                    if (u.result() != ResultCode.NO_PARTNER) {
                        failures.add("call " + i + " without a right gave " + u.result());
                    }
                } else if (u.result() != ResultCode.OK || u.word0() != w0 + 1 || u.word1() != ((w0 * 7) ^ tag)) {
                    failures.add("call " + i + " to server " + tag + " gave " + u.result() + " " + u.word0() + " "
                            + u.word1());
                }
            }
            if (next < ports.size()) {
                int w0 = id * 1000 + next;
                u.ipc(IpcOperation.CALL, ports.get(next++), 1, 1, w0, w0 * 7, NEVER);
            } else {
                next++;
                u.exit();
            }
        }
    }

    @Property(tries = 60, seed = "20261127")
    void everyCallThroughAPortComesBackWithItsOwnReply(@ForAll long seed) {
        traffic(seed, StandardModels.i486dx50());
    }

    /** The same on paper 7.4's different processor: tagged TLB, no segments, no INVLPG (fewer tries). */
    @Property(tries = 15, seed = "20261202")
    void onATaggedFlatProcessorWithoutInvlpgToo(@ForAll long seed) {
        traffic(seed, DifferentProcessor.taggedFlatNoInvlpg());
    }

    private void traffic(long seed, org.l3wb.hw.api.ProcessorModel model) {
        Random random = new Random(seed);
        KernelComponent kernel = new KernelComponent();
        L3Ipc l3 = new L3Ipc();
        kernel.addMechanism(l3);
        kernel.addMechanism(new PortsIpc(l3));
        kernel.addScheduler(new LazyScheduler());
        kernel.addScheduler(new StrictScheduler());
        Nucleus n = kernel.boot(new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent())
                .create(model), Switches.ALL_ON, "ports", random.nextBoolean() ? "lazy" : "strict");
        int tasks = 2 + random.nextInt(3);
        int[] task = new int[tasks];
        for (int t = 0; t < tasks; t++) {
            task[t] = n.createTask();
        }
        int servers = 1 + random.nextInt(3);
        List<ThreadId> serverIds = new ArrayList<>();
        for (int s = 0; s < servers; s++) {
            serverIds.add(n.createThread(task[random.nextInt(tasks)], new Server(0x100 << s)));
        }
        int clients = 1 + random.nextInt(4);
        List<Client> all = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Client client = new Client(c + 1);
            ThreadId cid = n.createThread(task[random.nextInt(tasks)], client);
            Map<Integer, ThreadId> granted = new HashMap<>();
            for (int s = 0; s < servers; s++) {
                granted.put(s, n.endpoint(cid, serverIds.get(s)));
            }
            int calls = 1 + random.nextInt(12);
            for (int i = 0; i < calls; i++) {
                if (random.nextInt(6) == 0) {
                    client.ports.add(new ThreadId(PortsIpc.FIRST_LINK + 100 + random.nextInt(300), 0)); // no right
                    client.tags.add(-1);
                } else if (random.nextInt(8) == 0) {
                    // hostile: any high bits, low bits at no granted link (links 72.. are handed out in order)
                    int low = random.nextBoolean() ? 0 : PortsIpc.FIRST_LINK + 100 + random.nextInt(
                            PortsIpc.LINKS_PER_TASK - PortsIpc.FIRST_LINK - 100);
                    client.ports.add(new ThreadId(random.nextInt() & -PortsIpc.LINKS_PER_TASK | low, 0));
                    client.tags.add(-1);
                } else {
                    int s = random.nextInt(servers);
                    client.ports.add(granted.get(s));
                    client.tags.add(0x100 << s);
                }
            }
            all.add(client);
        }
        // the bystander: its own task, page, server thread and one link to it; nobody else may reach them
        int bystanderTask = n.createTask();
        n.mapUser(bystanderTask, 0x1400_0000, 1, true);
        for (int i = 0; i < 1024; i++) {
            n.poke(bystanderTask, 0x1400_0000 + 4 * i, 0x5EC0_0000 + i);
        }
        ThreadId bystander = n.createThread(bystanderTask, new Server(0xB00));
        ThreadId bystanderClient = n.createThread(bystanderTask, new Server(0xB01));
        n.endpoint(bystanderClient, bystander);
        int data = n.layout().mechanismData(PortsIpc.MECHANISM);
        ProtectedMemory mem = new ProtectedMemory(n).kernel().space(bystanderTask)
                .kernelRange("the bystander's link table", data + PortsIpc.LINKS_OFFSET
                        + bystanderTask * PortsIpc.LINKS_PER_TASK * PortsIpc.LINK_SIZE, 4096);
        assertTrue(n.run(() -> n.state(bystander) == Tcb.RECEIVING && n.state(bystanderClient) == Tcb.RECEIVING,
                50_000_000L));
        // the bystander's threads wait to receive: from now on their TCBs hold still
        mem.tcbOf(bystander).tcbOf(bystanderClient).exceptQueueLinks(bystander).exceptQueueLinks(bystanderClient)
                .snapshot();
        boolean done = false;
        for (int slice = 0; slice < 200 && !done; slice++) {
            done = n.run(() -> all.stream().allMatch(Client::finished), 200_000L);
            n.checkInvariants();
            assertEquals(List.of(), mem.changes(8), "seed " + seed + ": protected memory changed");
        }
        assertTrue(done, "seed " + seed + ": the clients did not finish");
        for (Client c : all) {
            assertEquals(List.of(), c.failures, "seed " + seed);
        }
    }
}

package org.l3wb.kernel.dash;

import org.l3wb.hw.api.Reg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.l3wb.kernel.dash.DashFixture.NEVER;
import static org.l3wb.kernel.dash.DashFixture.PAGE;
import static org.l3wb.kernel.dash.DashFixture.page;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.CacheGeometry;
import org.l3wb.hw.api.InstructionCosts;
import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.MemoryTiming;
import org.l3wb.hw.api.PageFault;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.TlbGeometry;
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
import org.l3wb.kernel.ipc.L3Ipc;
import org.l3wb.kernel.sched.LazyScheduler;

class DashIpcTest {
    final DashFixture f = new DashFixture();
    final Nucleus n = f.n;

    record Send(IpcOperation op, ThreadId to, int descriptor, int word0, int timeouts) {
    }

    /** Sends in turn, recording each result; touches nothing. */
    static final class Sender implements UserProgram {
        final List<Send> sends = new ArrayList<>();
        final List<ResultCode> results = new ArrayList<>();
        final List<Integer> states = new ArrayList<>();
        Nucleus watch;
        int next;

        Sender add(ThreadId to, int descriptor, int word0) {
            sends.add(new Send(IpcOperation.SEND, to, descriptor, word0, NEVER));
            return this;
        }

        @Override
        public void run(UserContext u) {
            if (next > 0) {
                results.add(u.result());
            }
            if (next < sends.size()) {
                Send s = sends.get(next++);
                if (watch != null) {
                    states.add(watch.state(s.to())); // debugger view: is the receiver waiting yet?
                }
                u.ipc(s.op(), s.to(), s.descriptor(), 1, s.word0(), 0xBAD, s.timeouts());
            } else {
                next++;
                u.exit();
            }
        }

        boolean finished() {
            return next > sends.size();
        }
    }

    /** One message as the receiver saw it, with the first word of each page read at user level. */
    record Got(ResultCode result, int word0, int word1, ThreadId source, List<Integer> words) {
    }

    /** Receives from anyone, again and again; reads (MOV) the first word of every page it is given. */
    static final class Receiver implements UserProgram {
        final List<Got> got = new ArrayList<>();
        /** Whether ECX of a message is a page descriptor: the protocol says so, registers cannot. */
        boolean pages = true;
        boolean started;

        @Override
        public void run(UserContext u) {
            if (started) {
                int descriptor = u.word1();
                List<Integer> words = new ArrayList<>();
                if (u.result() == ResultCode.OK && pages) {
                    int first = descriptor & ~0xFFF;
                    for (int i = 0; i < (descriptor & 0xFFF); i++) {
                        words.add(u.cpu().load(Reg.NONE, Reg.NONE, first + i * PAGE)); // at user level, through its page tables
                    }
                }
                got.add(new Got(u.result(), u.word0(), descriptor, u.source(), words));
            }
            started = true;
            u.ipc(IpcOperation.RECEIVE, ThreadId.NIL, 0, 1, 0, 0, NEVER);
        }
    }

    @Test
    void pagesArriveAtTheSameAddressWithTheirContentAndLeaveTheSender() {
        int a = n.createTask();
        int b = n.createTask();
        f.give(a, 5, 3, 0x1000);
        f.give(a, 9, 1, 0x2000); // not sent: stays
        TreeMap<Integer, Integer> before = f.regionFrames(a);
        Receiver receiver = new Receiver();
        ThreadId server = n.createThread(b, receiver);
        Sender sender = new Sender();
        ThreadId client = n.createThread(a, sender);
        int descriptor = IpcRegion.descriptor(page(5), 3);
        sender.add(server, descriptor, 42);
        assertTrue(n.run(sender::finished, 50_000_000L));

        assertEquals(List.of(ResultCode.OK), sender.results);
        assertEquals(List.of(new Got(ResultCode.OK, 42, descriptor, client, List.of(0x1000, 0x1001, 0x1002))),
                receiver.got);
        assertEquals(Map.of(9, before.get(9)), f.regionFrames(a), "only the unsent page stays with the sender");
        assertEquals(Map.of(5, before.get(5), 6, before.get(6), 7, before.get(7)), f.regionFrames(b),
                "the same frames, at the same addresses");
        assertEquals(~0x1002, n.peek(b, page(7) + PAGE - 4));
        assertThrows(IllegalArgumentException.class, () -> n.peek(a, page(5)));
        n.checkInvariants();
    }

    @Test
    void aCallAndItsReplyMoveThePagesThereAndBack() {
        int a = n.createTask();
        int b = n.createTask();
        f.give(a, 0, 4, 0x100);
        TreeMap<Integer, Integer> before = f.regionFrames(a);
        int descriptor = IpcRegion.descriptor(page(0), 4);
        List<List<Integer>> seenByServer = new ArrayList<>();
        ThreadId server = n.createThread(b, new UserProgram() {
            boolean started;

            @Override
            public void run(UserContext u) {
                if (!started) {
                    started = true;
                    u.ipc(IpcOperation.RECEIVE, ThreadId.NIL, 0, 1, 0, 0, NEVER);
                    return;
                }
                List<Integer> words = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    words.add(u.cpu().load(Reg.NONE, Reg.NONE, page(i)));
                    u.cpu().store(Reg.NONE, page(i), Reg.NONE, words.get(i) + 1); // the server edits the message
                }
                seenByServer.add(words);
                u.ipc(IpcOperation.REPLY_AND_RECEIVE_NEXT, u.source(), u.word1(), 1, 7, 0, NEVER);
            }
        });
        List<Integer> reply = new ArrayList<>();
        boolean[] done = new boolean[1];
        n.createThread(a, new UserProgram() {
            boolean called;

            @Override
            public void run(UserContext u) {
                if (!called) {
                    called = true;
                    u.ipc(IpcOperation.CALL, server, descriptor, 1, 1, 0, NEVER);
                    return;
                }
                reply.add(u.result().code());
                reply.add(u.word1());
                for (int i = 0; i < 4; i++) {
                    reply.add(u.cpu().load(Reg.NONE, Reg.NONE, page(i)));
                }
                done[0] = true;
                u.exit();
            }
        });
        assertTrue(n.run(() -> done[0], 50_000_000L));
        assertEquals(List.of(List.of(0x100, 0x101, 0x102, 0x103)), seenByServer);
        assertEquals(List.of(ResultCode.OK.code(), descriptor, 0x101, 0x102, 0x103, 0x104), reply);
        assertEquals(before, f.regionFrames(a), "the round trip brings back the very frames");
        assertTrue(f.regionFrames(b).isEmpty());
        n.checkInvariants();
    }

    @Test
    void pagesOutsideTheRegionOrNotOwnedOrOccupiedAreRefusedAndNothingMoves() {
        int a = n.createTask();
        int b = n.createTask();
        f.give(a, 0, 1, 0x10);
        f.give(a, 2, 1, 0x12); // page 1 is not the sender's
        f.give(a, 10, 2, 0x20);
        f.give(b, 11, 1, 0x31); // the receiver already has page 11
        f.give(a, 254, 2, 0x40);
        n.mapUser(a, IpcRegion.BASE - PAGE, 1, true); // just below the region: the sender owns it
        n.mapUser(a, IpcRegion.END, 1, true); // just above
        TreeMap<Integer, Integer> senderBefore = f.regionFrames(a);
        TreeMap<Integer, Integer> receiverBefore = f.regionFrames(b);
        Receiver receiver = new Receiver();
        ThreadId server = n.createThread(b, receiver);
        Sender sender = new Sender();
        n.createThread(a, sender);
        sender.add(server, IpcRegion.descriptor(IpcRegion.BASE - PAGE, 1), 1)   // below the region
                .add(server, IpcRegion.descriptor(IpcRegion.BASE - PAGE, 2), 2)  // starts below, ends inside
                .add(server, IpcRegion.descriptor(IpcRegion.END, 1), 3)          // above
                .add(server, IpcRegion.descriptor(page(254), 3), 4)             // runs past the end
                .add(server, IpcRegion.descriptor(page(0), 0), 5)               // no page
                .add(server, IpcRegion.descriptor(page(0), 3), 6)               // page 1 not owned
                .add(server, IpcRegion.descriptor(page(1), 1), 7)               // not owned at all
                .add(server, IpcRegion.descriptor(page(10), 2), 8)              // page 11 occupied in the receiver
                .add(server, 0x0040_0000 | 1, 9)                                // user space, not the region
                .add(server, 0xE000_0000 | 1, 10)                               // kernel space
                .add(new ThreadId(server.low(), server.high() + (1 << 16)),
                        IpcRegion.descriptor(page(0), 1), 11);                  // stale uid: no partner
        assertTrue(n.run(sender::finished, 50_000_000L));
        List<ResultCode> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add(ResultCode.INVALID_BUFFER);
        }
        expected.add(ResultCode.NO_PARTNER);
        assertEquals(expected, sender.results);
        assertTrue(receiver.got.isEmpty(), "the receiver got nothing and still waits");
        assertEquals(Tcb.RECEIVING, n.state(server));
        assertEquals(senderBefore, f.regionFrames(a), "nothing left the sender");
        assertEquals(receiverBefore, f.regionFrames(b), "nothing reached the receiver");
        n.checkInvariants();

        // the kernel is consistent: a good message still goes through afterwards
        Sender again = new Sender();
        n.createThread(a, again);
        again.add(server, IpcRegion.descriptor(page(0), 1), 12);
        assertTrue(n.run(again::finished, 50_000_000L));
        assertEquals(List.of(ResultCode.OK), again.results);
        assertEquals(List.of(0x10), receiver.got.get(0).words());
        n.checkInvariants();
    }

    @Test
    void aZeroSendTimeoutToAThreadNotWaitingFailsBeforeAnythingMoves() {
        int a = n.createTask();
        int b = n.createTask();
        f.give(a, 3, 2, 0x50);
        TreeMap<Integer, Integer> before = f.regionFrames(a);
        ThreadId silent = n.createThread(b, new Receiver()); // waits for anyone, never sends
        // waits, but for the silent thread only
        ThreadId notWaiting = n.createThread(b, u -> u.ipc(IpcOperation.RECEIVE, silent, 0, 1, 0, 0, NEVER));
        Sender sender = new Sender();
        ThreadId client = n.createThread(a, sender);
        ThreadId ready = n.createThread(b, u -> u.ipc(IpcOperation.RECEIVE, client, 0, 1, 0, 0, NEVER));
        sender.watch = n;
        for (ThreadId to : List.of(notWaiting, ready)) {
            sender.sends.add(new Send(IpcOperation.SEND, to, IpcRegion.descriptor(page(3), 2), 0,
                    Timeout.pair(Timeout.ZERO, Timeout.NEVER)));
        }
        assertTrue(n.run(sender::finished, 50_000_000L));
        assertEquals(List.of(Tcb.RECEIVING, Tcb.READY), sender.states, "both exist; neither waits for the sender");
        assertEquals(List.of(ResultCode.SEND_TIMEOUT, ResultCode.SEND_TIMEOUT), sender.results);
        assertEquals(before, f.regionFrames(a));
        assertTrue(f.regionFrames(b).isEmpty());
        n.checkInvariants();
    }

    @Test
    void aReceiverNotYetWaitingFindsThePagesWhenItTakesThePollingSendersMessage() {
        int a = n.createTask();
        int b = n.createTask();
        f.give(a, 20, 2, 0x60);
        TreeMap<Integer, Integer> before = f.regionFrames(a);
        Sender sender = new Sender();
        sender.watch = n;
        Receiver receiver = new Receiver();
        // the sender is created, and so runs, first: it has to poll the receiver (5.3.4)
        ThreadId client = n.createThread(a, sender);
        ThreadId server = n.createThread(b, receiver);
        sender.add(server, IpcRegion.descriptor(page(20), 2), 99);
        assertTrue(n.run(() -> sender.finished() && receiver.got.size() == 1, 50_000_000L));
        assertTrue(sender.states.get(0) != Tcb.RECEIVING, "the receiver was not waiting when the send came");
        assertEquals(List.of(ResultCode.OK), sender.results);
        assertEquals(new Got(ResultCode.OK, 99, IpcRegion.descriptor(page(20), 2), client, List.of(0x60, 0x61)),
                receiver.got.get(0));
        assertEquals(before, f.regionFrames(b));
        assertTrue(f.regionFrames(a).isEmpty());
        n.checkInvariants();
    }

    @Test
    void withinOneSpaceThePagesStayWhereBothThreadsSeeThem() {
        int a = n.createTask();
        f.give(a, 30, 3, 0x70);
        TreeMap<Integer, Integer> before = f.regionFrames(a);
        Receiver receiver = new Receiver();
        ThreadId sibling = n.createThread(a, receiver);
        Sender sender = new Sender();
        n.createThread(a, sender);
        sender.add(sibling, IpcRegion.descriptor(page(30), 3), 5)
                .add(sibling, IpcRegion.descriptor(page(29), 2), 6); // page 29 is nobody's
        assertTrue(n.run(sender::finished, 50_000_000L));
        assertEquals(List.of(ResultCode.OK, ResultCode.INVALID_BUFFER), sender.results);
        assertEquals(List.of(0x70, 0x71, 0x72), receiver.got.get(0).words());
        assertEquals(before, f.regionFrames(a));
        n.checkInvariants();
    }

    @Test
    void withoutPagesADashSendIsAnL3ShortMessage() {
        int a = n.createTask();
        int b = n.createTask();
        Receiver receiver = new Receiver();
        receiver.pages = false;
        ThreadId server = n.createThread(b, receiver);
        Sender sender = new Sender();
        ThreadId client = n.createThread(a, sender);
        sender.add(server, 1, 0x1234);
        assertTrue(n.run(sender::finished, 50_000_000L));
        assertEquals(List.of(ResultCode.OK), sender.results);
        assertEquals(List.of(new Got(ResultCode.OK, 0x1234, 0xBAD, client, List.of())), receiver.got);
    }

    @Test
    void withoutVirtualTcbsTheDescriptorStillReachesTheReceiver() {
        // the nucleus's TCB-table look-up uses EBP as scratch; the descriptor must survive it
        DashFixture g = new DashFixture(Switches.allBut(org.l3wb.kernel.api.Switch.VIRTUAL_TCB), "lazy");
        int a = g.n.createTask();
        int b = g.n.createTask();
        g.give(a, 1, 1, 0x77);
        Receiver receiver = new Receiver();
        ThreadId server = g.n.createThread(b, receiver);
        Sender sender = new Sender();
        g.n.createThread(a, sender);
        sender.add(server, IpcRegion.descriptor(page(1), 1), 3);
        assertTrue(g.n.run(sender::finished, 50_000_000L));
        receiver.pages = false;
        Sender shortOne = new Sender();
        g.n.createThread(a, shortOne);
        shortOne.add(server, 1, 4);
        assertTrue(g.n.run(shortOne::finished, 50_000_000L));
        assertEquals(List.of(ResultCode.OK), sender.results);
        assertEquals(List.of(ResultCode.OK), shortOne.results);
        assertEquals(IpcRegion.descriptor(page(1), 1), receiver.got.get(0).word1());
        assertEquals(List.of(0x77), receiver.got.get(0).words());
        assertEquals(0xBAD, receiver.got.get(1).word1(), "a short message's word 1 survives the look-up too");
        g.n.checkInvariants();
    }

    /** The i486 DX-50 with a TLB tagged by address space: a CR3 load no longer hides a missing INVLPG. */
    static ProcessorModel taggedI486() {
        ProcessorModel m = StandardModels.i486dx50();
        return new ProcessorModel() {
            public String name() {
                return "i486dx50-tagged";
            }

            public String description() {
                return m.description() + ", TLB tagged by address space";
            }

            public int clockMHz() {
                return m.clockMHz();
            }

            public InstructionCosts costs() {
                return m.costs();
            }

            public TlbGeometry tlb() {
                return m.tlb();
            }

            public CacheGeometry onChipCache() {
                return m.onChipCache();
            }

            public MemoryTiming memoryTiming() {
                return m.memoryTiming();
            }

            public boolean hasSegments() {
                return m.hasSegments();
            }

            public boolean taggedTlb() {
                return true;
            }
        };
    }

    @Test
    void theSendersTlbForgetsTheMovedPages() {
        KernelComponent kernel = new KernelComponent();
        L3Ipc l3 = new L3Ipc();
        kernel.addMechanism(l3);
        kernel.addMechanism(new DashIpc(l3));
        kernel.addScheduler(new LazyScheduler());
        Machine m = new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent())
                .create(taggedI486());
        Nucleus t = kernel.boot(m, Switches.ALL_ON, "dash", "lazy");
        int a = t.createTask();
        int b = t.createTask();
        int p = page(5); // TLB set 5: nothing of the kernel's competes for it
        t.mapUser(a, p, 1, true);
        t.poke(a, p, 0xAB);
        Receiver receiver = new Receiver();
        ThreadId server = t.createThread(b, receiver);
        List<String> log = new ArrayList<>();
        boolean[] done = new boolean[1];
        t.createThread(a, new UserProgram() {
            int step;

            @Override
            public void run(UserContext u) {
                if (step++ == 0) {
                    log.add("before " + Integer.toHexString(u.cpu().load(Reg.NONE, Reg.NONE, p)) + " " + m.mmu().tlbHolds(p));
                    u.ipc(IpcOperation.SEND, server, IpcRegion.descriptor(p, 1), 1, 0, 0, NEVER);
                    return;
                }
                log.add("sent " + u.result() + " " + m.mmu().tlbHolds(p));
                try {
                    log.add("after " + Integer.toHexString(u.cpu().load(Reg.NONE, Reg.NONE, p)));
                } catch (PageFault expected) {
                    log.add("fault");
                }
                done[0] = true;
                u.exit();
            }
        });
        assertTrue(t.run(() -> done[0], 50_000_000L));
        assertEquals(List.of("before ab true", "sent OK false", "fault"), log);
        assertEquals(List.of(0xAB), receiver.got.get(0).words());
        t.checkInvariants();
    }
}

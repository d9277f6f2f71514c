package org.l3wb.kernel.dash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.l3wb.kernel.dash.DashFixture.PAGE;
import static org.l3wb.kernel.dash.DashFixture.page;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.KernelLayout;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.core.testing.ProtectedMemory;
import org.l3wb.kernel.dash.DashIpcTest.Receiver;
import org.l3wb.kernel.dash.DashIpcTest.Sender;

/**
 * Nothing moves that the sender does not own in its ipc region (7.2): a page descriptor naming a
 * page outside the region, a kernel page, another space's frame through the kernel's physical map,
 * a range straddling the region's end or wrapping past 4 GB, no page at all, a page the sender does
 * not have, or a target the receiver has occupied, is refused with INVALID_BUFFER, and refusing it
 * leaves kernel code, descriptor tables, every page directory and page table, the copy buffer, the
 * bystander's TCB and every space's frames unchanged, byte for byte. The exact edges of the region
 * (its first and last page, all 256 pages) are accepted.
 */
class DashIsolationTest {
    /** The sender owns region pages 0..255 but 100 (a hole), the receiver region page 200. */
    static final int HOLE = 100;
    static final int OCCUPIED = 200;

    /** A hostile descriptor, computed from the world (kernel addresses are the layout's). */
    record Hostile(String name, ToIntFunction<World> descriptor) {
    }

    static final List<Hostile> HOSTILE = List.of(
            new Hostile("the page below the region", w -> IpcRegion.descriptor(IpcRegion.BASE - PAGE, 1)),
            new Hostile("the page above the region", w -> IpcRegion.descriptor(IpcRegion.END, 1)),
            new Hostile("page 0, two pages", w -> IpcRegion.descriptor(0, 2)),
            new Hostile("the last page of user space", w -> IpcRegion.descriptor(w.layout.userTop() - PAGE, 1)),
            new Hostile("kernel code", w -> IpcRegion.descriptor(w.layout.kernelCode(), 1)),
            new Hostile("the GDT's page", w -> IpcRegion.descriptor(w.layout.gdt(), 1)),
            new Hostile("the copy buffer", w -> IpcRegion.descriptor(w.layout.kernelBuffer(), 2)),
            new Hostile("the bystander's TCB", w -> IpcRegion.descriptor(w.mem.tcb(w.bystander), 1)),
            new Hostile("the page directories", w -> IpcRegion.descriptor(w.layout.pageDirectories(), 4)),
            new Hostile("the own page directory", w -> IpcRegion.descriptor(w.layout.ownPageDirectory(), 1)),
            new Hostile("the communication window", w -> IpcRegion.descriptor(w.layout.communicationWindow(), 1)),
            new Hostile("the bystander's region page through the physical map",
                    w -> IpcRegion.descriptor(w.layout.physicalMap() + w.mem.userPhysical(w.c, page(3)), 1)),
            new Hostile("the bystander's region page table through the physical map",
                    w -> IpcRegion.descriptor(w.layout.physicalMap() + w.mem.pageTable(w.c, page(3)), 1)),
            new Hostile("straddling the region's end by one page", w -> IpcRegion.descriptor(page(255), 2)),
            new Hostile("the whole region and one page more", w -> IpcRegion.descriptor(page(0), IpcRegion.PAGES + 1)),
            new Hostile("the largest count", w -> IpcRegion.descriptor(page(1), IpcRegion.COUNT_MASK)),
            new Hostile("wrapping past 4 GB", w -> IpcRegion.descriptor(0xFFFF_F000, 2)),
            new Hostile("wrapping past 4 GB, largest count", w -> IpcRegion.descriptor(0xFFFF_F000, IpcRegion.COUNT_MASK)),
            new Hostile("no page (count 0)", w -> IpcRegion.descriptor(page(4), 0)),
            new Hostile("a page the sender does not have", w -> IpcRegion.descriptor(page(HOLE), 1)),
            new Hostile("a range with a hole in its middle", w -> IpcRegion.descriptor(page(HOLE - 2), 5)),
            new Hostile("a target the receiver has occupied, as the last page",
                    w -> IpcRegion.descriptor(page(OCCUPIED - 3), 4)),
            new Hostile("a target the receiver has occupied, as the first page",
                    w -> IpcRegion.descriptor(page(OCCUPIED), 2)));

    /** Sender task a with region pages, receiver task b, bystander task c with a region page and a thread. */
    static final class World {
        final DashFixture f = new DashFixture();
        final Nucleus n = f.n;
        final KernelLayout layout = n.layout();
        final ProtectedMemory mem = new ProtectedMemory(n);
        final int a = n.createTask();
        final int b = n.createTask();
        final int c = n.createTask();
        final Receiver receiver = new Receiver();
        final Sender sender = new Sender();
        final ThreadId bystander;
        final ThreadId receiverId;

        World(boolean receiverHasTable) {
            f.give(a, 0, HOLE, 0x1000);
            f.give(a, HOLE + 1, IpcRegion.PAGES - HOLE - 1, 0x1000 + HOLE + 1);
            if (receiverHasTable) {
                f.give(b, OCCUPIED, 1, 0x2000);
            }
            f.give(c, 3, 1, 0x3000);
            bystander = n.createThread(c, new Receiver());
            receiverId = n.createThread(b, receiver);
            assertTrue(n.run(() -> n.state(bystander) == Tcb.RECEIVING && n.state(receiverId) == Tcb.RECEIVING,
                    50_000_000L));
        }

        /**
         * Creates the sender's thread, to send one descriptor (created before a snapshot: a new thread
         * maps its TCB and stack; nothing runs before {@link #send})
         */
        World arm(int descriptor) {
            sender.add(receiverId, descriptor, 0x5E);
            n.createThread(a, sender);
            return this;
        }

        /** Runs the armed send; returns the sender's result. */
        ResultCode send() {
            assertTrue(n.run(sender::finished, 50_000_000L), "the send ends");
            n.checkInvariants();
            return sender.results.get(0);
        }
    }

    @TestFactory
    Stream<DynamicTest> noHostileDescriptorMovesOrCorruptsAnything() {
        List<DynamicTest> tests = new ArrayList<>();
        for (boolean receiverHasTable : new boolean[] {true, false}) {
            for (Hostile h : HOSTILE) {
                if (!receiverHasTable && h.name().contains("occupied")) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(h.name() + (receiverHasTable ? "" : ", receiver without page table"),
                        () -> refused(h, receiverHasTable)));
            }
        }
        return tests.stream();
    }

    private static void refused(Hostile h, boolean receiverHasTable) {
        World w = new World(receiverHasTable);
        int descriptor = h.descriptor().applyAsInt(w);
        w.arm(descriptor);
        w.mem.kernel().copyBuffer().tcbOf(w.bystander).space(w.a).space(w.b).space(w.c).snapshot();
        TreeMap<Integer, Integer> sender = w.f.regionFrames(w.a);
        TreeMap<Integer, Integer> receiver = w.f.regionFrames(w.b);

        assertEquals(ResultCode.INVALID_BUFFER, w.send(), h.name());
        assertEquals(List.of(), w.mem.changes(8), "protected memory changed: " + h.name());
        assertEquals(sender, w.f.regionFrames(w.a), "the sender keeps its pages");
        assertEquals(receiver, w.f.regionFrames(w.b), "the receiver got no page");
        assertEquals(List.of(), w.receiver.got, "the receiver got no message");
    }

    /** The edges of the region are the sender's to send: its first page, its last page, all of it. */
    @TestFactory
    Stream<DynamicTest> theRegionsEdgesAreAccepted() {
        record Edge(String name, int first, int count) {
        }
        return Stream.of(new Edge("first page", 0, 1), new Edge("last page", IpcRegion.PAGES - 1, 1),
                new Edge("last two pages", IpcRegion.PAGES - 2, 2), new Edge("first 100 pages", 0, HOLE))
                .map(e -> DynamicTest.dynamicTest(e.name(), () -> {
                    World w = new World(false);
                    int descriptor = IpcRegion.descriptor(page(e.first()), e.count());
                    w.arm(descriptor).mem.tcbOf(w.bystander).space(w.c).copyBuffer().snapshot();
                    TreeMap<Integer, Integer> before = w.f.regionFrames(w.a);
                    assertEquals(ResultCode.OK, w.send(), e.name());
                    assertTrue(w.n.run(() -> w.receiver.got.size() == 1, 50_000_000L));
                    assertEquals(ResultCode.OK, w.receiver.got.get(0).result());
                    assertEquals(descriptor, w.receiver.got.get(0).word1());
                    Map<Integer, Integer> moved = new TreeMap<>(before.subMap(e.first(), e.first() + e.count()));
                    assertEquals(moved, w.f.regionFrames(w.b), "exactly the named pages moved");
                    assertEquals(0x1000 + e.first(), w.n.peek(w.b, page(e.first())));
                    assertEquals(List.of(), w.mem.changes(8), "the bystander's memory changed");
                }));
    }

    /** The whole region, all 256 pages, when the sender owns all of them. */
    @Test
    void allOfTheRegionMoves() {
        World w = new World(false);
        w.f.give(w.a, HOLE, 1, 0x1000 + HOLE);
        w.arm(IpcRegion.descriptor(page(0), IpcRegion.PAGES)).mem.tcbOf(w.bystander).space(w.c).snapshot();
        TreeMap<Integer, Integer> before = w.f.regionFrames(w.a);
        assertEquals(IpcRegion.PAGES, before.size());
        assertEquals(ResultCode.OK, w.send());
        assertEquals(before, w.f.regionFrames(w.b));
        assertEquals(Map.of(), w.f.regionFrames(w.a));
        assertEquals(List.of(), w.mem.changes(8));
    }

    /** A short message (ECX 1) is L3's, never a page descriptor: page 0 of the region stays. */
    @Test
    void ecxOneMovesNoPages() {
        World w = new World(true);
        w.arm(1).mem.kernel().space(w.a).space(w.b).space(w.c).tcbOf(w.bystander).snapshot();
        TreeMap<Integer, Integer> sender = w.f.regionFrames(w.a);
        w.receiver.pages = false;
        assertEquals(ResultCode.OK, w.send());
        assertEquals(sender, w.f.regionFrames(w.a));
        assertEquals(List.of(), w.mem.changes(8));
    }

    /**
     * The walk reads page-table entries through the physical map at the offset the descriptor gives:
     * without the region check, a descriptor just below the region would read the word 4 MB past the
     * sender's page table (offset -4096, shifted unsigned), and a sender without a page table for the
     * region would read physical page 0. Both words are made to look like present entries here: the
     * send is refused all the same, and neither word is read as a page (nor cleared).
     */
    @Test
    void wordsTheWalkMustNotReadAreNotTakenForPages() {
        World w = new World(true);
        int decoy = 0x00AB_C000 | org.l3wb.hw.api.PageFlags.PRESENT | org.l3wb.hw.api.PageFlags.USER;
        int below = w.mem.pageTable(w.a, page(0)) + IpcRegion.FIRST_PTE_OFFSET + 0x3F_FFFC;
        assertTrue(below + 4 <= w.f.machine.memory().size(), "the word lies in memory");
        w.f.machine.memory().writeWord(below, decoy);
        w.arm(IpcRegion.descriptor(IpcRegion.BASE - PAGE, 1));
        w.mem.kernel().space(w.b).space(w.c).snapshot();
        TreeMap<Integer, Integer> receiver = w.f.regionFrames(w.b);
        assertEquals(ResultCode.INVALID_BUFFER, w.send());
        assertEquals(decoy, w.f.machine.memory().readWord(below));
        assertEquals(receiver, w.f.regionFrames(w.b));
        assertEquals(List.of(), w.mem.changes(8));

        World empty = new World(false);
        int pageZero = IpcRegion.FIRST_PTE_OFFSET + 5 * 4; // region page 5's entry, in a table at frame 0
        empty.f.machine.memory().writeWord(pageZero, decoy);
        // the bystander task has no page table for the region: it sends
        Sender sender = new Sender();
        sender.add(empty.receiverId, IpcRegion.descriptor(page(5), 1), 0x5E);
        ThreadId noTable = empty.n.createThread(empty.n.createTask(), sender);
        empty.mem.kernel().space(empty.b).snapshot();
        assertTrue(empty.n.run(sender::finished, 50_000_000L));
        assertEquals(List.of(ResultCode.INVALID_BUFFER), sender.results, "no page table, no page: " + noTable);
        assertEquals(decoy, empty.f.machine.memory().readWord(pageZero));
        assertEquals(Map.of(), empty.f.regionFrames(empty.b));
        assertEquals(List.of(), empty.mem.changes(8));
    }

    /** A receiver without a page table for the region: nothing of physical page 0 counts as occupied. */
    @Test
    void aReceiverWithoutATableHasNoOccupiedPages() {
        World w = new World(false);
        int decoy = 0x00AB_C000 | org.l3wb.hw.api.PageFlags.PRESENT;
        w.f.machine.memory().writeWord(IpcRegion.FIRST_PTE_OFFSET + 7 * 4, decoy); // region page 7, table at 0
        w.arm(IpcRegion.descriptor(page(7), 1));
        assertEquals(ResultCode.OK, w.send());
        assertEquals(1, w.f.regionFrames(w.b).size());
    }

    /** A receive is no send: a page descriptor in ECX of a RECEIVE moves nothing. */
    @Test
    void aReceiveWithADescriptorInEcxMovesNothing() {
        World w = new World(true);
        w.arm(IpcRegion.descriptor(page(0), 1)); // an ordinary send to R, for R's receive below
        TreeMap<Integer, Integer> before = w.f.regionFrames(w.a);
        List<ResultCode> results = new java.util.ArrayList<>();
        ThreadId receiver2 = w.n.createThread(w.a, new org.l3wb.kernel.api.UserProgram() {
            int calls;

            @Override
            public void run(org.l3wb.kernel.api.UserContext u) {
                if (calls++ > 0) {
                    results.add(u.result());
                    u.exit();
                    return;
                }
                // receive from anyone, with the descriptor of the task's own page 1 in ECX
                u.ipc(IpcOperation.RECEIVE, ThreadId.NIL, IpcRegion.descriptor(page(1), 1), 1, 0, 0,
                        org.l3wb.kernel.api.Timeout.pair(org.l3wb.kernel.api.Timeout.NEVER,
                                org.l3wb.kernel.api.Timeout.ms(1)));
            }
        });
        assertTrue(w.n.run(() -> results.size() == 1, 50_000_000L), "the receive times out: " + receiver2);
        assertEquals(List.of(ResultCode.RECEIVE_TIMEOUT), results);
        assertEquals(before.get(1), w.f.regionFrames(w.a).get(1), "page 1 stays");
    }
}

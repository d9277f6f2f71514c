package org.l3wb.kernel.mach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.l3wb.hw.api.Machine;
import org.l3wb.hw.cache.CacheFactoryComponent;
import org.l3wb.hw.cpu486.MachineFactoryComponent;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.hw.mmu.MmuFactoryComponent;
import org.l3wb.kernel.api.Dope;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.KernelLayout;
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
import org.l3wb.kernel.sched.LazyScheduler;

/**
 * Mach's copy-in and copy-out (copyinmsg, copyoutmsg) and its port-name translation check every user
 * address and name they are handed: a message, string, receive buffer or string buffer at a mapped
 * kernel page (code, descriptor tables, a TCB, page directories, the window, Mach's own kmsg zone),
 * at another space's frame or page table through the kernel's physical map, at address 0, misaligned,
 * straddling the top of user space or wrapping past 4 GB is refused (the sender's or the receiver's
 * INVALID_BUFFER, by role), and a port name that is not the caller's send right (0, another space's
 * name, out of range) finds no port. After each, kernel code, descriptor tables, page tables, the
 * bystander's TCB and every space's frames (but the receiver's buffer) are unchanged, byte for byte.
 */
class MachIsolationTest {
    static final int NEVER = Timeout.pair(Timeout.NEVER, Timeout.NEVER);
    static final int MESSAGE = 0x0100_0000;
    static final int BUFFER = 0x0110_0000;
    static final int STRING = 0x0120_0000;
    static final int STRING_BUFFER = 0x0130_0000;
    static final int SECRET = 0x0140_0000;
    static final int STRING_BYTES = 64;

    enum Role {
        MESSAGE, STRING, BUFFER, STRING_BUFFER;

        boolean senderSide() {
            return this == MESSAGE || this == STRING;
        }
    }

    /** Sends in turn; records each result. */
    static final class Sender implements UserProgram {
        final List<Integer> sends = new ArrayList<>();
        final List<ThreadId> names = new ArrayList<>();
        final List<ResultCode> results = new ArrayList<>();
        int next;

        @Override
        public void run(UserContext u) {
            if (next > 0) {
                results.add(u.result());
            }
            if (next < sends.size()) {
                next++;
                u.ipc(IpcOperation.SEND, names.get(next - 1), sends.get(next - 1), 0, 0x5E, 0x5F, NEVER);
            } else {
                next++;
                u.exit();
            }
        }

        boolean finished() {
            return next > sends.size();
        }
    }

    /** Receives once into {@code receive}, records the result, then waits for ever. */
    static final class Receiver implements UserProgram {
        final List<ResultCode> results = new ArrayList<>();
        final List<ThreadId> sources = new ArrayList<>();
        int receive = 1;
        int calls;

        @Override
        public void run(UserContext u) {
            if (calls++ > 0) {
                results.add(u.result());
                sources.add(u.source());
            }
            u.ipc(IpcOperation.RECEIVE, ThreadId.NIL, 0, calls == 1 ? receive : 1, 0, 0, NEVER);
        }
    }

    static final class World {
        final Machine machine = new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent())
                .create(StandardModels.i486dx50());
        final Nucleus n;
        final KernelLayout layout;
        final ProtectedMemory mem;
        final int a;
        final int b;
        final int c;
        final Receiver receiver = new Receiver();
        final Receiver bystanderProgram = new Receiver();
        final Sender sender = new Sender();
        final ThreadId server;
        final ThreadId bystander;
        final ThreadId bystanderClient;
        final ThreadId client;

        World(int receive) {
            KernelComponent kernel = new KernelComponent();
            kernel.addMechanism(new MachIpc());
            kernel.addScheduler(new LazyScheduler());
            n = kernel.boot(machine, Switches.ALL_ON, "mach", "lazy");
            layout = n.layout();
            mem = new ProtectedMemory(n);
            a = n.createTask();
            b = n.createTask();
            c = n.createTask();
            map(c, SECRET, 0x5EC0);
            n.poke(c, SECRET + Dope.CURRENT, new Dope(4, 0, 0).encode());
            n.poke(c, SECRET + Dope.MAXIMUM, new Dope(16, 0, 0).encode());
            map(a, MESSAGE, 0xAA00);
            map(a, STRING, 0x57A1);
            map(a, layout.userTop() - 4096, 0xA70F);
            map(b, BUFFER, 0xBB00);
            map(b, STRING_BUFFER, 0xB5B0);
            map(b, layout.userTop() - 4096, 0xB70F);
            for (int t : new int[] {a, b}) {
                n.poke(t, layout.userTop() - 16 + Dope.CURRENT, new Dope(4, 0, 0).encode());
                n.poke(t, layout.userTop() - 16 + Dope.MAXIMUM, new Dope(4, 0, 0).encode());
            }
            receiver.receive = receive;
            server = n.createThread(b, receiver);
            bystander = n.createThread(c, bystanderProgram);
            bystanderClient = n.createThread(c, new Receiver());
            client = n.createThread(a, sender);
            n.endpoint(bystanderClient, bystander);
        }

        void map(int task, int linear, int tag) {
            n.mapUser(task, linear, 1, true);
            for (int i = 0; i < 1024; i++) {
                n.poke(task, linear + 4 * i, tag << 16 ^ i);
            }
        }

        /** The message: two direct dwords and one string of STRING_BYTES at {@code string}. */
        void message(int string) {
            Dope d = new Dope(2, 1, 0);
            n.poke(a, MESSAGE + Dope.CURRENT, d.encode());
            n.poke(a, MESSAGE + Dope.MAXIMUM, 0);
            n.poke(a, MESSAGE + d.stringDescriptor(0) + Dope.STRING_ADDRESS, string);
            n.poke(a, MESSAGE + d.stringDescriptor(0) + Dope.STRING_LENGTH, STRING_BYTES);
        }

        void buffer(int stringBuffer) {
            Dope m = new Dope(8, 1, 0);
            n.poke(b, BUFFER + Dope.MAXIMUM, m.encode());
            n.poke(b, BUFFER + m.stringDescriptor(0) + Dope.STRING_BUFFER, stringBuffer);
            n.poke(b, BUFFER + m.stringDescriptor(0) + Dope.STRING_BUFFER_SIZE, STRING_BYTES);
        }

        /** Runs until the server and the bystander wait (their ports exist), then protects and snapshots. */
        void settle() {
            assertTrue(n.run(() -> n.state(server) == Tcb.RECEIVING && n.state(bystander) == Tcb.RECEIVING
                    && n.state(bystanderClient) == Tcb.RECEIVING, 50_000_000L));
        }

        void protect() {
            mem.kernel().tcbOf(bystander).tcbOf(bystanderClient).space(a).space(c).space(b)
                    .except(b, BUFFER, 4096).snapshot();
        }
    }

    record Hostile(String name, ToIntFunction<World> address) {
    }

    static List<Hostile> hostile(Role role) {
        int good = switch (role) {
            case MESSAGE -> MESSAGE;
            case STRING -> STRING;
            case BUFFER -> BUFFER;
            case STRING_BUFFER -> STRING_BUFFER;
        };
        List<Hostile> list = new ArrayList<>(List.of(
                new Hostile("kernel code", w -> w.layout.kernelCode()),
                new Hostile("GDT", w -> w.layout.gdt()),
                new Hostile("IDT", w -> w.layout.idt()),
                new Hostile("TSS", w -> w.layout.tss()),
                new Hostile("kernel data", w -> w.layout.kernelData()),
                new Hostile("the bystander's TCB", w -> w.mem.tcb(w.bystander)),
                new Hostile("a page directory", w -> w.layout.pageDirectories() + w.c * 4096),
                new Hostile("the own page directory", w -> w.layout.ownPageDirectory()),
                new Hostile("the communication window", w -> w.layout.communicationWindow()),
                new Hostile("Mach's kmsg zone", w -> w.layout.mechanismData("mach") + MachData.KMSGS),
                new Hostile("Mach's port table", w -> w.layout.mechanismData("mach") + MachData.PORTS),
                new Hostile("the bystander's secret through the physical map",
                        w -> w.layout.physicalMap() + w.mem.userPhysical(w.c, SECRET)),
                new Hostile("the bystander's page table through the physical map",
                        w -> w.layout.physicalMap() + w.mem.pageTable(w.c, SECRET)),
                new Hostile("straddling the top of user space", w -> w.layout.userTop() - 16),
                new Hostile("wrapping past 4 GB", w -> 0xFFFF_FFF0),
                new Hostile("misaligned", w -> good + 2)));
        if (role == Role.STRING || role == Role.STRING_BUFFER) {
            list.add(new Hostile("address 0", w -> 0));
        }
        return list;
    }

    @TestFactory
    Stream<DynamicTest> noHostileAddressLeaksOrCorrupts() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Role role : Role.values()) {
            for (Hostile h : hostile(role)) {
                tests.add(DynamicTest.dynamicTest(role + " at " + h.name(), () -> check(role, h)));
            }
        }
        tests.add(DynamicTest.dynamicTest("no hostile address: delivered", () -> check(Role.STRING, null)));
        return tests.stream();
    }

    private static void check(Role role, Hostile h) {
        World w = new World(BUFFER);
        int bad = h == null ? 0 : h.address().applyAsInt(w);
        if (role == Role.BUFFER) {
            w.receiver.receive = bad;
        }
        w.message(role == Role.STRING ? bad : STRING);
        if (h == null) {
            w.message(STRING);
        }
        w.buffer(role == Role.STRING_BUFFER ? bad : STRING_BUFFER);
        w.settle();
        ThreadId name = w.n.endpoint(w.client, w.server);
        w.sender.names.add(name);
        w.sender.sends.add(role == Role.MESSAGE ? bad : MESSAGE);
        if (h == null) {
            w.mem.except(w.b, STRING_BUFFER, STRING_BYTES);
        }
        w.protect();
        String what = role + " at " + (h == null ? "nothing" : h.name());
        if (role.senderSide() && h != null) {
            assertTrue(w.n.run(w.sender::finished, 50_000_000L), "the send ends: " + what);
            assertEquals(List.of(ResultCode.INVALID_BUFFER), w.sender.results, what);
            assertEquals(List.of(), w.receiver.results, "the receiver got nothing: " + what);
        } else {
            assertTrue(w.n.run(() -> w.sender.finished() && w.receiver.results.size() == 1, 50_000_000L),
                    "the IPC ends: " + what);
            if (h == null) {
                assertEquals(List.of(ResultCode.OK), w.receiver.results, what);
                assertEquals(0x57A1 << 16, w.n.peek(w.b, STRING_BUFFER));
            } else {
                assertEquals(List.of(ResultCode.INVALID_BUFFER), w.receiver.results, "the receiver is told: " + what);
                assertNotEquals(0x57A1 << 16, w.n.peek(w.b, STRING_BUFFER), "no string arrived: " + what);
            }
        }
        w.n.checkInvariants();
        assertEquals(List.of(), w.mem.changes(8), "protected memory changed: " + what);
        assertEquals(List.of(), w.bystanderProgram.results, "the bystander got nothing: " + what);
    }

    /** Names that are not the caller's send right find no port, and change nothing. */
    @TestFactory
    Stream<DynamicTest> aNameNotOurRightFindsNoPort() {
        record Name(String what, ToIntFunction<World> low) {
        }
        return Stream.of(new Name("0", w -> 0), new Name("-1", w -> -1), new Name("the sign bit", w -> 0x8000_0000),
                new Name("our name + 1", w -> w.n.endpoint(w.client, w.server).low() + 1),
                new Name("the bystander's name for its partner, in its own space",
                        w -> w.n.endpoint(w.bystanderClient, w.bystander).low()),
                new Name("a large index", w -> 0x00FF_FFF0))
                .map(nm -> DynamicTest.dynamicTest(nm.what(), () -> {
                    World w = new World(1);
                    w.settle();
                    int ours = w.n.endpoint(w.client, w.server).low();
                    int low = nm.low().applyAsInt(w);
                    w.sender.names.add(new ThreadId(low, 0));
                    w.sender.sends.add(1);
                    w.protect();
                    assertTrue(w.n.run(w.sender::finished, 50_000_000L));
                    w.n.checkInvariants();
                    assertEquals(List.of(), w.mem.changes(8), "protected memory changed: " + nm.what());
                    assertEquals(List.of(low == ours ? ResultCode.OK : ResultCode.NO_PARTNER), w.sender.results,
                            nm.what() + String.format(" (0x%08x, ours 0x%08x)", low, ours));
                    assertEquals(List.of(), w.bystanderProgram.results);
                }));
    }

    // ------------------------------------------------------------------ the exact edges of the checks

    record Outcome(ResultCode sent, ResultCode got) {
    }

    /** One SEND of a one-string message into a one-string buffer; protected memory compared. */
    private static Outcome send(World w, int string, int length, int stringBuffer, int size) {
        Dope d = new Dope(2, 1, 0);
        w.n.poke(w.a, MESSAGE + Dope.CURRENT, d.encode());
        w.n.poke(w.a, MESSAGE + Dope.MAXIMUM, 0);
        w.n.poke(w.a, MESSAGE + d.stringDescriptor(0) + Dope.STRING_ADDRESS, string);
        w.n.poke(w.a, MESSAGE + d.stringDescriptor(0) + Dope.STRING_LENGTH, length);
        Dope m = new Dope(8, 1, 0);
        w.n.poke(w.b, BUFFER + Dope.MAXIMUM, m.encode());
        w.n.poke(w.b, BUFFER + m.stringDescriptor(0) + Dope.STRING_BUFFER, stringBuffer);
        w.n.poke(w.b, BUFFER + m.stringDescriptor(0) + Dope.STRING_BUFFER_SIZE, size);
        w.settle();
        w.sender.names.add(w.n.endpoint(w.client, w.server));
        w.sender.sends.add(MESSAGE);
        w.mem.except(w.b, stringBuffer, Math.max(0, Math.min(size, length)));
        w.protect();
        assertTrue(w.n.run(() -> w.sender.finished() && (w.receiver.results.size() == 1
                || w.sender.results.get(0) != ResultCode.OK), 50_000_000L));
        w.n.checkInvariants();
        assertEquals(List.of(), w.mem.changes(8), "protected memory changed");
        return new Outcome(w.sender.results.get(0), w.receiver.results.isEmpty() ? null : w.receiver.results.get(0));
    }

    @org.junit.jupiter.api.Test
    void addressZeroIsRefusedThoughPageZeroIsMapped() {
        World w = new World(BUFFER);
        w.map(w.a, 0, 0xA000);
        assertEquals(new Outcome(ResultCode.INVALID_BUFFER, null), send(w, 0, STRING_BYTES, STRING_BUFFER, STRING_BYTES));

        World r = new World(BUFFER);
        r.map(r.b, 0, 0xB000);
        assertEquals(ResultCode.INVALID_BUFFER, send(r, STRING, STRING_BYTES, 0, STRING_BYTES).got());
        assertEquals(0xB000 << 16, r.n.peek(r.b, 0), "page 0 kept");
    }

    @org.junit.jupiter.api.Test
    void misalignedStringsAndBuffersAreRefused() {
        World w = new World(BUFFER);
        assertEquals(ResultCode.INVALID_BUFFER, send(w, STRING + 2, STRING_BYTES, STRING_BUFFER, STRING_BYTES).sent());
        World r = new World(BUFFER);
        assertEquals(ResultCode.INVALID_BUFFER, send(r, STRING, STRING_BYTES, STRING_BUFFER + 2, STRING_BYTES).got());
        assertEquals(0xB5B0 << 16, r.n.peek(r.b, STRING_BUFFER));
    }

    @org.junit.jupiter.api.Test
    void stringsAndBuffersEndingExactlyAtTheTopArriveAndOneDwordMoreIsRefused() {
        World w = new World(BUFFER);
        int top = w.layout.userTop();
        assertEquals(new Outcome(ResultCode.OK, ResultCode.OK), send(w, top - 64, 64, STRING_BUFFER, 64));
        assertEquals(0xA70F << 16 ^ 1008, w.n.peek(w.b, STRING_BUFFER));
        World over = new World(BUFFER);
        assertEquals(ResultCode.INVALID_BUFFER, send(over, top - 64, 68, STRING_BUFFER, 68).sent());

        World r = new World(BUFFER);
        assertEquals(new Outcome(ResultCode.OK, ResultCode.OK), send(r, STRING, 64, top - 64, 64));
        assertEquals(0x57A1 << 16 ^ 15, r.n.peek(r.b, top - 4));
        World rover = new World(BUFFER);
        assertEquals(ResultCode.INVALID_BUFFER, send(rover, STRING, 68, top - 64, 68).got());
        assertEquals(0xB70F << 16 ^ 1008, rover.n.peek(rover.b, top - 64));
    }

    @org.junit.jupiter.api.Test
    void lengthsAndSizesOfExactly4MbPassAndOneByteMoreIsAnInvalidDope() {
        int max = Dope.MAX_STRING_BYTES;
        World w = new World(BUFFER);
        w.n.mapUser(w.a, STRING + 4096, 2, true); // what the copy-in reads before the kmsg is full
        Outcome cut = send(w, STRING, max, STRING_BUFFER, STRING_BYTES);
        assertEquals(ResultCode.OK, cut.sent());
        assertEquals(ResultCode.MESSAGE_CUT, cut.got());
        World over = new World(BUFFER);
        assertEquals(ResultCode.INVALID_DOPE, send(over, STRING, max + 1, STRING_BUFFER, STRING_BYTES).sent());
        World negative = new World(BUFFER);
        assertEquals(ResultCode.INVALID_DOPE, send(negative, STRING, -1, STRING_BUFFER, STRING_BYTES).sent());

        World size = new World(BUFFER);
        assertEquals(new Outcome(ResultCode.OK, ResultCode.OK), send(size, STRING, STRING_BYTES, STRING_BUFFER, max));
        World sizeOver = new World(BUFFER);
        assertEquals(ResultCode.INVALID_DOPE, send(sizeOver, STRING, STRING_BYTES, STRING_BUFFER, max + 1).got());
        assertEquals(0xB5B0 << 16, sizeOver.n.peek(sizeOver.b, STRING_BUFFER));
        World sizeNegative = new World(BUFFER);
        assertEquals(ResultCode.INVALID_DOPE, send(sizeNegative, STRING, STRING_BYTES, STRING_BUFFER, -1).got());
    }

    /** A name whose receiver was deleted finds no port, and the send changes nothing. */
    @org.junit.jupiter.api.Test
    void aNameOfADeletedReceiverFindsNoPort() {
        World w = new World(1);
        ThreadId gone = w.n.createThread(w.b, new Receiver());
        w.settle(); // the client has not run yet: it is created last
        ThreadId name = w.n.endpoint(w.client, gone);
        w.sender.names.add(name);
        w.sender.sends.add(1);
        w.n.deleteThread(gone);
        w.n.createThread(w.b, new Receiver()); // a successor, which may take the freed TCB
        w.protect();
        assertTrue(w.n.run(w.sender::finished, 50_000_000L));
        assertEquals(List.of(ResultCode.NO_PARTNER), w.sender.results);
        assertEquals(List.of(), w.mem.changes(8));
    }

    /** Empty strings and empty buffers are no invalid dope: the limits are below 0, not at it. */
    @org.junit.jupiter.api.Test
    void anEmptyStringAndAnEmptyBufferAreValid() {
        World w = new World(BUFFER);
        assertEquals(new Outcome(ResultCode.OK, ResultCode.OK), send(w, STRING, 0, STRING_BUFFER, STRING_BYTES));
        World r = new World(BUFFER);
        assertEquals(new Outcome(ResultCode.OK, ResultCode.MESSAGE_CUT), send(r, STRING, STRING_BYTES, STRING_BUFFER, 0));
        assertEquals(0xB5B0 << 16, r.n.peek(r.b, STRING_BUFFER));
    }

    /** A copy that faults on an unmapped user page fails: nothing is taken as copied. */
    @org.junit.jupiter.api.Test
    void copiesFromOrToUnmappedUserPagesFail() {
        int unmapped = 0x0150_0000;
        World w = new World(BUFFER);
        assertEquals(new Outcome(ResultCode.INVALID_BUFFER, null), send(w, unmapped, STRING_BYTES, STRING_BUFFER, STRING_BYTES));
        World r = new World(BUFFER);
        assertEquals(ResultCode.INVALID_BUFFER, send(r, STRING, STRING_BYTES, unmapped, STRING_BYTES).got());
        World m = new World(1);
        m.settle();
        m.sender.names.add(m.n.endpoint(m.client, m.server));
        m.sender.sends.add(unmapped); // the message itself
        m.protect();
        assertTrue(m.n.run(m.sender::finished, 50_000_000L));
        assertEquals(List.of(ResultCode.INVALID_BUFFER), m.sender.results);
        assertEquals(List.of(), m.mem.changes(8));
    }

    /** Only a CALL carries a reply right: the receiver of a SEND gets no name to answer through. */
    @org.junit.jupiter.api.Test
    void aSendCarriesNoReplyRight() {
        World w = new World(1);
        send(w, STRING, STRING_BYTES, STRING_BUFFER, STRING_BYTES);
        assertEquals(List.of(ThreadId.NIL), w.receiver.sources);
    }

    /** A send-once reply name is consumed by its reply: a second send through it finds no port. */
    @org.junit.jupiter.api.Test
    void aReplyNameServesOnce() {
        World w = new World(1);
        List<ResultCode> replies = new ArrayList<>();
        ThreadId server = w.n.createThread(w.b, new UserProgram() {
            int calls;
            ThreadId reply;

            @Override
            public void run(UserContext u) {
                switch (calls++) {
                    case 0 -> u.ipc(IpcOperation.RECEIVE, ThreadId.NIL, 0, 1, 0, 0, NEVER);
                    case 1 -> {
                        reply = u.source();
                        u.ipc(IpcOperation.SEND, reply, 1, 0, 1, 0, NEVER);
                    }
                    case 2 -> {
                        replies.add(u.result());
                        u.ipc(IpcOperation.SEND, reply, 1, 0, 2, 0, NEVER);
                    }
                    default -> {
                        replies.add(u.result());
                        u.exit();
                    }
                }
            }
        });
        List<ResultCode> calls = new ArrayList<>();
        ThreadId name = w.n.endpoint(w.client, server); // a send right in task a's space
        ThreadId client = w.n.createThread(w.a, new UserProgram() {
            int step;

            @Override
            public void run(UserContext u) {
                if (step++ == 0) {
                    u.ipc(IpcOperation.CALL, name, 1, 1, 7, 0, NEVER);
                } else {
                    calls.add(u.result());
                    u.exit();
                }
            }
        });
        assertTrue(w.n.run(() -> replies.size() == 2 && calls.size() == 1, 50_000_000L),
                "replies " + replies + ", calls " + calls + ", client " + client);
        assertEquals(List.of(ResultCode.OK), calls);
        assertEquals(List.of(ResultCode.OK, ResultCode.NO_PARTNER), replies);
    }
}

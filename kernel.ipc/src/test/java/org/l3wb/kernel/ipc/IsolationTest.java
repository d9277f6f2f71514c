package org.l3wb.kernel.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.l3wb.kernel.ipc.KernelFixture.NEVER;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.l3wb.kernel.api.Dope;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.KernelLayout;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.api.Timeout;
import org.l3wb.kernel.core.testing.ProtectedMemory;
import org.l3wb.kernel.ipc.KernelFixture.Script;

/**
 * Nothing lost, nobody in: a message or buffer naming memory its owner may not touch is refused,
 * and refusing it leaves every protected byte as it was.
 *
 * <p>Each case is one send from thread S to thread R, in which one address, in one role, is hostile:
 * a mapped kernel page (kernel code, descriptor tables, hot kernel data, the copy buffer, a TCB, a
 * page directory, the communication window), another space's frame or page table through the
 * kernel's alias of physical memory, a range straddling the top of user space or wrapping past
 * 4 GB. The roles are the message, the receive buffer, a string's address, a string buffer, a
 * memory object and its target. A bystander V in a third space holds a secret page, and a sibling W
 * of S waits in S's space; neither takes part. The cases run with direct transfer (the sender
 * copying through the window, or the receiver taking from a polling sender), with twofold copy
 * through the kernel buffer, and within one space.
 *
 * <p>After the IPC: the sender is told INVALID_BUFFER, the receiver got nothing usable, no byte of
 * the secret or of kernel memory reached the receiver, and kernel code, GDT, IDT, TSS, every page
 * directory and page table, the copy buffer (while unused), the TCBs of V and W, V's frames and the
 * sender's frames are unchanged, byte for byte ({@link ProtectedMemory}).
 *
 * <p>Each single user-range or rights check of {@code Transfer} answering "ok" makes some of these
 * cases fail (the module's readme and the README's mutation-testing section say how that was
 * checked).
 */
class IsolationTest {
    static final int MESSAGE = 0x1000_0000;
    static final int BUFFER = 0x1100_0000;
    static final int STRING = 0x1200_0000;
    static final int STRING_BUFFER = 0x1300_0000;
    static final int SECRET = 0x1400_0000;
    static final int OBJECT = 0x1500_0000;
    static final int OBJECT_TARGET = 0x1600_0000;
    static final int STRING_BYTES = 64;
    static final int OBJECT_PAGES = 2;
    static final int DIRECTS = 2;

    /** Where the hostile address goes. */
    enum Role {
        MESSAGE, MESSAGE_TO_REGISTERS, BUFFER, STRING, STRING_BUFFER, OBJECT, OBJECT_TARGET;

        boolean object() {
            return this == OBJECT || this == OBJECT_TARGET;
        }
    }

    /** Which hostile address. */
    enum Hostile {
        UNMAPPED_KERNEL, KERNEL_CODE, GDT, IDT, TSS, KERNEL_DATA, COPY_BUFFER, BYSTANDER_TCB, SIBLING_TCB,
        SENDER_TCB, PAGE_DIRECTORY, OWN_PAGE_DIRECTORY, WINDOW, BYSTANDER_FRAME_ALIAS, BYSTANDER_PAGE_TABLE_ALIAS,
        PARTNER_FRAME_ALIAS, STRADDLING_USER_TOP, WRAPPING_PAST_4GB
    }

    /** Which side runs the transfer. */
    enum Order { RECEIVER_WAITS, SENDER_WAITS }

    record Config(String name, Switches switches, boolean sameSpace) {
        boolean twofold() {
            return !switches.isOn(Switch.DIRECT_TRANSFER);
        }
    }

    static final List<Config> CONFIGS = List.of(
            new Config("direct", Switches.ALL_ON, false),
            new Config("twofold", Switches.allBut(Switch.DIRECT_TRANSFER), false),
            new Config("one space", Switches.ALL_ON, true));

    @TestFactory
    Stream<DynamicTest> noHostileAddressLeaksOrCorrupts() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Config c : CONFIGS) {
            for (Order o : Order.values()) {
                for (Role r : Role.values()) {
                    if (r.object() && c.twofold()) {
                        continue; // a twofold-copy kernel moves no memory objects
                    }
                    for (Hostile h : Hostile.values()) {
                        tests.add(DynamicTest.dynamicTest(c.name() + ", " + o + ", " + r + " at " + h,
                                () -> new Case(c, o, r, h).check()));
                    }
                }
            }
        }
        return tests.stream();
    }

    /** The same world with no hostile address delivers, so the refusals above are not for another reason. */
    @TestFactory
    Stream<DynamicTest> theSameMessagesWithoutAHostileAddressArrive() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Config c : CONFIGS) {
            for (Order o : Order.values()) {
                for (boolean objects : new boolean[] {false, true}) {
                    if (objects && c.twofold()) {
                        continue;
                    }
                    tests.add(DynamicTest.dynamicTest(c.name() + ", " + o + (objects ? ", object" : ", string"),
                            () -> new Case(c, o, objects ? Role.OBJECT : Role.STRING, null).checkDelivered()));
                }
            }
        }
        return tests.stream();
    }

    static int guard(int task, int address) {
        return 0x6A00_0000 ^ task << 20 ^ (address >>> 2 & 0xF_FFFF);
    }

    static int secret(int i) {
        return 0x5EC0_0000 + i;
    }

    /** One IPC with one hostile address (or none). */
    static final class Case {
        final Config config;
        final Order order;
        final Role role;
        final Hostile hostile;
        final KernelFixture k;
        final KernelLayout layout;
        final ProtectedMemory mem;
        final int a;
        final int b;
        final int c;
        final ThreadId bystander;
        final ThreadId sibling;
        final Script sender = new Script();
        final Script receiver = new Script();
        ThreadId receiverId;
        ThreadId senderId;
        final Dope dope;
        final Dope max;
        int send = MESSAGE;
        int receive = BUFFER;

        Case(Config config, Order order, Role role, Hostile hostile) {
            this.config = config;
            this.order = order;
            this.role = role;
            this.hostile = hostile;
            k = new KernelFixture(config.switches(), "lazy");
            layout = k.nucleus.layout();
            mem = new ProtectedMemory(k.nucleus);
            a = k.nucleus.createTask();
            b = config.sameSpace() ? a : k.nucleus.createTask();
            c = k.nucleus.createTask();
            dope = role.object() ? new Dope(DIRECTS, 0, 1) : new Dope(DIRECTS, 1, 0);
            max = new Dope(8, 1, config.twofold() ? 0 : 1);

            // the bystander's space: a secret page that reads like a message and like a buffer
            map(c, SECRET, 1);
            k.nucleus.poke(c, SECRET + Dope.CURRENT, new Dope(4, 0, 0).encode());
            k.nucleus.poke(c, SECRET + Dope.MAXIMUM, new Dope(16, 0, 0).encode());
            for (int i = 2; i < 1024; i++) {
                k.nucleus.poke(c, SECRET + 4 * i, secret(i));
            }
            bystander = k.nucleus.createThread(c, new Script().call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, 1,
                    0, 0, NEVER));
            sibling = k.nucleus.createThread(a, new Script().call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, 1,
                    0, 0, NEVER));

            // V and W wait before the snapshot, so that their TCBs hold still from then on
            assertTrue(k.run(() -> k.nucleus.state(bystander) == Tcb.RECEIVING
                    && k.nucleus.state(sibling) == Tcb.RECEIVING));

            // S and R, created in the order that decides who runs the transfer; nothing runs before k.run
            int timeouts = Timeout.pair(Timeout.NEVER, Timeout.ms(20));
            receiver.step(u -> u.ipc(IpcOperation.RECEIVE, ThreadId.NIL, 0, receive, 0, 0, timeouts));
            sender.step(u -> u.ipc(IpcOperation.SEND, receiverId, send, 0, 0x5E, 0x5F, NEVER));
            if (order == Order.RECEIVER_WAITS) {
                receiverId = k.nucleus.createThread(b, receiver);
                senderId = k.nucleus.createThread(a, sender);
            } else {
                // created first, so S sends first, finds R not receiving and polls; R takes the message
                senderId = k.nucleus.createThread(a, sender);
                receiverId = k.nucleus.createThread(b, receiver);
            }

            // the sender's message and strings
            map(a, MESSAGE, 1);
            map(a, STRING, 1);
            map(a, OBJECT, OBJECT_PAGES);
            map(a, layout.userTop() - 4096, 1);
            k.nucleus.poke(a, MESSAGE + Dope.CURRENT, dope.encode());
            k.nucleus.poke(a, MESSAGE + Dope.MAXIMUM, 0);
            for (int i = 0; i < DIRECTS; i++) {
                k.nucleus.poke(a, MESSAGE + Dope.DIRECT + 4 * i, 0xD1_0000 + i);
            }
            for (int i = 0; i < 1024; i++) {
                k.nucleus.poke(a, STRING + 4 * i, 0x57A1_0000 + i);
                k.nucleus.poke(a, OBJECT + 4 * i, 0x0B1E_0000 + i);
            }
            if (role.object()) {
                int od = MESSAGE + dope.objectDescriptor(0);
                k.nucleus.poke(a, od + Dope.OBJECT_ADDRESS, role == Role.OBJECT ? hostile(OBJECT) : OBJECT);
                k.nucleus.poke(a, od + Dope.OBJECT_PAGES, OBJECT_PAGES);
            } else {
                int sd = MESSAGE + dope.stringDescriptor(0);
                k.nucleus.poke(a, sd + Dope.STRING_ADDRESS, role == Role.STRING ? hostile(STRING) : STRING);
                k.nucleus.poke(a, sd + Dope.STRING_LENGTH, STRING_BYTES);
            }

            // the receiver's buffer
            map(b, BUFFER, 1);
            map(b, STRING_BUFFER, 1);
            map(b, layout.userTop() - 4096, 1);
            k.nucleus.poke(b, BUFFER + Dope.MAXIMUM, max.encode());
            int rd = BUFFER + max.stringDescriptor(0);
            k.nucleus.poke(b, rd + Dope.STRING_BUFFER, role == Role.STRING_BUFFER ? hostile(STRING_BUFFER) : STRING_BUFFER);
            k.nucleus.poke(b, rd + Dope.STRING_BUFFER_SIZE, STRING_BYTES);
            if (max.memoryObjects() > 0) {
                int od = BUFFER + max.objectDescriptor(0);
                k.nucleus.poke(b, od + Dope.OBJECT_ADDRESS, role == Role.OBJECT_TARGET ? hostile(OBJECT_TARGET)
                        : OBJECT_TARGET);
                k.nucleus.poke(b, od + Dope.OBJECT_PAGES, OBJECT_PAGES);
            }
            // just below the top of user space, a header whose message or buffer crosses it
            int top = layout.userTop() - 16;
            for (int t : new int[] {a, b}) {
                k.nucleus.poke(t, top + Dope.CURRENT, new Dope(4, 0, 0).encode());
                k.nucleus.poke(t, top + Dope.MAXIMUM, new Dope(4, 0, 0).encode());
            }
            if (role == Role.MESSAGE) {
                send = hostile(MESSAGE);
            } else if (role == Role.MESSAGE_TO_REGISTERS) {
                send = hostile(MESSAGE);
                receive = L3Ipc.REGISTERS_ONLY; // a bad header must be refused even when nothing is copied
            } else if (role == Role.BUFFER) {
                receive = hostile(BUFFER);
            }

            mem.kernel().tcbOf(bystander).tcbOf(sibling).space(c).space(a);
            if (!config.twofold()) {
                mem.copyBuffer();
            }
            if (b != a) {
                mem.space(b);
            }
            if (role != Role.MESSAGE && role != Role.MESSAGE_TO_REGISTERS) {
                // what a refused transfer may have moved already: the sender's own direct string
                mem.except(b, BUFFER + Dope.CURRENT, 4).except(b, BUFFER + Dope.DIRECT, 4 * max.directDwords())
                        .except(b, BUFFER + max.stringDescriptor(0) + Dope.STRING_LENGTH, 4);
            }
            if (hostile == null) {
                mem.except(b, STRING_BUFFER, STRING_BYTES).exceptDirectoryEntry(b, OBJECT_TARGET);
            }
            mem.snapshot();
        }

        private void map(int task, int linear, int pages) {
            k.nucleus.mapUser(task, linear, pages, true);
            for (int i = 0; i < pages * 1024; i++) {
                k.nucleus.poke(task, linear + 4 * i, guard(task, linear + 4 * i));
            }
        }

        /** @return the hostile address for a role whose good address is {@code good} */
        int hostile(int good) {
            IntUnaryOperator align = role.object() ? x -> x & ~0xFFF : x -> x;
            if (hostile == null) {
                return good;
            }
            int top = layout.userTop();
            return switch (hostile) {
                case UNMAPPED_KERNEL -> 0xE000_0000;
                case KERNEL_CODE -> layout.kernelCode();
                case GDT -> align.applyAsInt(layout.gdt());
                case IDT -> align.applyAsInt(layout.idt());
                case TSS -> align.applyAsInt(layout.tss());
                case KERNEL_DATA -> align.applyAsInt(layout.kernelData());
                case COPY_BUFFER -> layout.kernelBuffer();
                case BYSTANDER_TCB -> align.applyAsInt(mem.tcb(bystander));
                case SIBLING_TCB -> align.applyAsInt(mem.tcb(sibling));
                case SENDER_TCB -> align.applyAsInt(mem.tcb(senderId));
                case PAGE_DIRECTORY -> layout.pageDirectories() + c * 4096;
                case OWN_PAGE_DIRECTORY -> layout.ownPageDirectory();
                case WINDOW -> layout.communicationWindow() + (good & 0x3F_FFFF);
                case BYSTANDER_FRAME_ALIAS -> layout.physicalMap() + mem.userPhysical(c, SECRET);
                case BYSTANDER_PAGE_TABLE_ALIAS -> layout.physicalMap() + mem.pageTable(c, SECRET);
                case PARTNER_FRAME_ALIAS -> layout.physicalMap() + partnerPhysical(good);
                case STRADDLING_USER_TOP -> role.object() ? top - 4096 : top - 16;
                case WRAPPING_PAST_4GB -> role.object() ? 0xFFFF_F000 : 0xFFFF_FFF0;
            };
        }

        /** A page of the other party, seen through the physical map: a user-space frame, a kernel address. */
        private int partnerPhysical(int good) {
            boolean senderRole = role == Role.MESSAGE || role == Role.MESSAGE_TO_REGISTERS || role == Role.STRING
                    || role == Role.OBJECT;
            int frame = senderRole ? mem.userPhysical(b, STRING_BUFFER) : mem.userPhysical(a, STRING);
            return frame & ~0xFFF | (good & 0xFFF);
        }

        @Override
        public String toString() {
            return config.name() + ", " + order + ", " + role + " at " + hostile;
        }

        private void run() {
            assertTrue(k.run(() -> sender.finished() && receiver.finished()), "the IPC ends");
            k.nucleus.checkInvariants();
        }

        void check() {
            assertTrue(mem.bytes() > 64 * 1024, "the snapshot covers kernel and user memory");
            run();
            ResultCode sent = sender.outcomes.get(0).result();
            ResultCode got = receiver.outcomes.get(0).result();
            List<String> changed = mem.changes(8);
            assertEquals(List.of(), changed, "protected memory changed: " + this);
            assertEquals(ResultCode.INVALID_BUFFER, sent, "the sender is told its transfer was refused: " + this);
            assertFalse(EnumSet.of(ResultCode.OK, ResultCode.MESSAGE_CUT).contains(got),
                    "the receiver got nothing usable: " + got + ", " + this);
            for (int i = 0; i < STRING_BYTES / 4; i++) {
                assertEquals(guard(b, STRING_BUFFER + 4 * i), k.nucleus.peek(b, STRING_BUFFER + 4 * i),
                        "nothing reached the receiver's string buffer: " + this);
            }
        }

        void checkDelivered() {
            run();
            assertEquals(List.of(), mem.changes(8), "protected memory changed");
            assertEquals(ResultCode.OK, sender.outcomes.get(0).result());
            assertEquals(ResultCode.OK, receiver.outcomes.get(0).result());
            assertEquals(0xD1_0000, k.nucleus.peek(b, BUFFER + Dope.DIRECT));
            if (role.object()) {
                assertEquals(0x0B1E_0000, k.nucleus.peek(b, OBJECT_TARGET));
            } else {
                assertEquals(0x57A1_0000, k.nucleus.peek(b, STRING_BUFFER));
            }
        }
    }
}

package org.l3wb.kernel.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.l3wb.kernel.ipc.KernelFixture.NEVER;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.l3wb.kernel.api.Dope;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.api.Timeout;
import org.l3wb.kernel.core.testing.ProtectedMemory;
import org.l3wb.kernel.ipc.KernelFixture.Script;

/**
 * The exact edges of {@code Transfer}'s range checks (5.2.2, 5.2.3), one case each, so that a check
 * moved by one (a mutant's {@code <=} made {@code <}, a limit off by one, an address test dropped) is
 * seen: address 0 and misaligned addresses refused even where the space has mapped them, a string or
 * buffer ending exactly at the top of user space accepted and one dword more refused, string lengths
 * and buffer sizes of exactly 4 MB accepted and 4 MB + 1 refused, memory objects of exactly 4 MB
 * accepted and one page more refused, a receiver's page table in the object's slot kept and its
 * occupied page not mapped over. With direct transfer and with twofold copy; after each, protected
 * memory (kernel, page tables, the bystander's frames; the copy buffer while unused) is unchanged.
 */
class TransferBoundsTest {
    static final int MESSAGE = 0x1000_0000;
    static final int BUFFER = 0x1100_0000;
    static final int STRING = 0x1200_0000;
    static final int STRING_BUFFER = 0x1300_0000;
    static final int OBJECT = 0x1500_0000;
    static final int OBJECT_TARGET = 0x1600_0000;
    /** Mapped string pages: what a twofold copy of a 4 MB string reads before the kernel buffer is full. */
    static final int STRING_PAGES = 65;
    static final int MAX = Dope.MAX_STRING_BYTES;

    /** One send of one string (or one memory object) from S in task a to R in task b. */
    static final class Ipc {
        final boolean twofold;
        final KernelFixture k;
        final int a;
        final int b;
        final int c;
        final int top;
        final Script sender = new Script();
        final Script receiver = new Script();
        ThreadId receiverId;
        int stringAddress = STRING;
        int stringLength = 64;
        int bufferAddress = STRING_BUFFER;
        int bufferSize = 64;
        boolean object;
        int objectAddress = OBJECT;
        int objectPages = 1;
        int objectTarget = OBJECT_TARGET;
        int objectMaxPages = 2;
        ProtectedMemory mem;

        Ipc(boolean twofold) {
            this.twofold = twofold;
            k = new KernelFixture(twofold ? Switches.allBut(Switch.DIRECT_TRANSFER) : Switches.ALL_ON, "lazy");
            top = k.nucleus.layout().userTop();
            a = k.nucleus.createTask();
            b = k.nucleus.createTask();
            c = k.nucleus.createTask();
            map(c, 0x1400_0000, 1, 0x5EC0);
            map(a, MESSAGE, 1, 0xAA00);
            map(a, 0, 1, 0xA000); // page 0, mapped: address 0 must be refused all the same
            map(a, STRING, STRING_PAGES, 0x57A1);
            map(a, OBJECT, 2, 0x0B1E);
            map(b, BUFFER, 1, 0xBB00);
            map(b, 0, 1, 0xB000);
            map(b, STRING_BUFFER, 1, 0xB5B0);
        }

        void map(int task, int linear, int pages, int tag) {
            k.nucleus.mapUser(task, linear, pages, true);
            for (int i = 0; i < pages * 1024; i += i < 2048 ? 1 : 255) {
                k.nucleus.poke(task, linear + 4 * i, tag << 16 ^ i);
            }
        }

        /** Sends; returns the sender's result, and checks that the receiver was not told OK unless it was. */
        ResultCode send() {
            Dope dope = object ? new Dope(2, 0, 1) : new Dope(2, 1, 0);
            Dope max = new Dope(8, 1, twofold ? 0 : 1);
            k.nucleus.poke(a, MESSAGE + Dope.CURRENT, dope.encode());
            k.nucleus.poke(a, MESSAGE + Dope.MAXIMUM, 0);
            if (object) {
                k.nucleus.poke(a, MESSAGE + dope.objectDescriptor(0) + Dope.OBJECT_ADDRESS, objectAddress);
                k.nucleus.poke(a, MESSAGE + dope.objectDescriptor(0) + Dope.OBJECT_PAGES, objectPages);
            } else {
                k.nucleus.poke(a, MESSAGE + dope.stringDescriptor(0) + Dope.STRING_ADDRESS, stringAddress);
                k.nucleus.poke(a, MESSAGE + dope.stringDescriptor(0) + Dope.STRING_LENGTH, stringLength);
            }
            k.nucleus.poke(b, BUFFER + Dope.MAXIMUM, max.encode());
            k.nucleus.poke(b, BUFFER + max.stringDescriptor(0) + Dope.STRING_BUFFER, bufferAddress);
            k.nucleus.poke(b, BUFFER + max.stringDescriptor(0) + Dope.STRING_BUFFER_SIZE, bufferSize);
            if (!twofold) {
                k.nucleus.poke(b, BUFFER + max.objectDescriptor(0) + Dope.OBJECT_ADDRESS, objectTarget);
                k.nucleus.poke(b, BUFFER + max.objectDescriptor(0) + Dope.OBJECT_PAGES, objectMaxPages);
            }
            receiver.call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, BUFFER, 0, 0,
                    Timeout.pair(Timeout.NEVER, Timeout.ms(20)));
            receiverId = k.nucleus.createThread(b, receiver);
            sender.call(IpcOperation.SEND, () -> receiverId, MESSAGE, 0, 0x5E, 0x5F, NEVER);
            k.nucleus.createThread(a, sender);
            mem = new ProtectedMemory(k.nucleus).kernel().space(a).space(b).space(c);
            if (!twofold) {
                mem.copyBuffer();
            }
            mem.except(b, BUFFER, 4096).except(b, bufferAddress, Math.max(0, Math.min(bufferSize, 4096)))
                    .exceptDirectoryEntry(b, objectTarget).exceptPageTableEntries(b, objectTarget, 2).snapshot();
            assertTrue(k.run(() -> sender.finished() && receiver.finished()), "the IPC ends");
            k.nucleus.checkInvariants();
            assertEquals(List.of(), mem.changes(8), "protected memory changed");
            ResultCode sent = sender.outcomes.get(0).result();
            ResultCode got = receiver.outcomes.get(0).result();
            if (sent != ResultCode.OK && sent != ResultCode.MESSAGE_CUT) {
                assertNotEquals(ResultCode.OK, got, "the receiver got a refused message");
            }
            return sent;
        }
    }

    // ------------------------------------------------------------------ userRange: address 0, alignment

    @ParameterizedTest(name = "twofold {0}")
    @ValueSource(booleans = {false, true})
    void aStringAtAddressZeroIsRefusedThoughPageZeroIsMapped(boolean twofold) {
        Ipc ipc = new Ipc(twofold);
        ipc.stringAddress = 0;
        assertEquals(ResultCode.INVALID_BUFFER, ipc.send());
        assertEquals(0xB5B0 << 16, ipc.k.nucleus.peek(ipc.b, STRING_BUFFER), "nothing of page 0 arrived");
    }

    @ParameterizedTest(name = "twofold {0}")
    @ValueSource(booleans = {false, true})
    void aStringBufferAtAddressZeroIsRefusedThoughPageZeroIsMapped(boolean twofold) {
        Ipc ipc = new Ipc(twofold);
        ipc.bufferAddress = 0;
        assertEquals(ResultCode.INVALID_BUFFER, ipc.send());
        assertEquals(0xB000 << 16, ipc.k.nucleus.peek(ipc.b, 0), "nothing was written to page 0");
    }

    @ParameterizedTest(name = "twofold {0}")
    @ValueSource(booleans = {false, true})
    void misalignedStringsAndBuffersAreRefused(boolean twofold) {
        for (int offset : new int[] {1, 2, 3}) {
            Ipc ipc = new Ipc(twofold);
            ipc.stringAddress = STRING + offset;
            assertEquals(ResultCode.INVALID_BUFFER, ipc.send(), "string + " + offset);
            Ipc buffer = new Ipc(twofold);
            buffer.bufferAddress = STRING_BUFFER + offset;
            assertEquals(ResultCode.INVALID_BUFFER, buffer.send(), "buffer + " + offset);
            assertEquals(0xB5B0 << 16, buffer.k.nucleus.peek(buffer.b, STRING_BUFFER));
        }
    }

    // ------------------------------------------------------------------ userRange: the top of user space

    @ParameterizedTest(name = "twofold {0}")
    @ValueSource(booleans = {false, true})
    void aStringEndingExactlyAtTheTopArrivesAndOneDwordMoreIsRefused(boolean twofold) {
        Ipc ipc = new Ipc(twofold);
        ipc.map(ipc.a, ipc.top - 4096, 1, 0x7090);
        ipc.stringAddress = ipc.top - 64;
        assertEquals(ResultCode.OK, ipc.send());
        assertEquals(0x7090 << 16 ^ 1008, ipc.k.nucleus.peek(ipc.b, STRING_BUFFER), "the string's first dword");
        assertEquals(0x7090 << 16 ^ 1023, ipc.k.nucleus.peek(ipc.b, STRING_BUFFER + 60), "the last dword below the top");

        Ipc over = new Ipc(twofold);
        over.map(over.a, over.top - 4096, 1, 0x7090);
        over.stringAddress = over.top - 64;
        over.stringLength = 68;
        over.bufferSize = 68;
        assertEquals(ResultCode.INVALID_BUFFER, over.send());
    }

    @ParameterizedTest(name = "twofold {0}")
    @ValueSource(booleans = {false, true})
    void aBufferEndingExactlyAtTheTopIsFilledAndOneDwordMoreIsRefused(boolean twofold) {
        Ipc ipc = new Ipc(twofold);
        ipc.map(ipc.b, ipc.top - 4096, 1, 0x70B0);
        ipc.bufferAddress = ipc.top - 64;
        assertEquals(ResultCode.OK, ipc.send());
        assertEquals(0x57A1 << 16, ipc.k.nucleus.peek(ipc.b, ipc.top - 64));
        assertEquals(0x57A1 << 16 ^ 15, ipc.k.nucleus.peek(ipc.b, ipc.top - 4));

        Ipc over = new Ipc(twofold);
        over.map(over.b, over.top - 4096, 1, 0x70B0);
        over.bufferAddress = over.top - 64;
        over.stringLength = 68;
        over.bufferSize = 68;
        assertEquals(ResultCode.INVALID_BUFFER, over.send());
        assertEquals(0x70B0 << 16 ^ 1008, over.k.nucleus.peek(over.b, over.top - 64), "nothing written below the top");
    }

    // ------------------------------------------------------------------ string lengths and buffer sizes: 4 MB

    @ParameterizedTest(name = "twofold {0}")
    @ValueSource(booleans = {false, true})
    void aStringOfExactly4MbIsCutToTheBufferAndOneByteMoreIsAnInvalidDope(boolean twofold) {
        Ipc ipc = new Ipc(twofold);
        ipc.stringLength = MAX;
        assertEquals(ResultCode.MESSAGE_CUT, ipc.send());
        assertEquals(0x57A1 << 16, ipc.k.nucleus.peek(ipc.b, STRING_BUFFER));

        Ipc over = new Ipc(twofold);
        over.stringLength = MAX + 1;
        assertEquals(ResultCode.INVALID_DOPE, over.send());
        assertEquals(0xB5B0 << 16, over.k.nucleus.peek(over.b, STRING_BUFFER));

        Ipc negative = new Ipc(twofold);
        negative.stringLength = -1;
        assertEquals(ResultCode.INVALID_DOPE, negative.send());
    }

    @ParameterizedTest(name = "twofold {0}")
    @ValueSource(booleans = {false, true})
    void aBufferOfExactly4MbTakesTheStringAndOneByteMoreIsAnInvalidDope(boolean twofold) {
        Ipc ipc = new Ipc(twofold);
        ipc.bufferSize = MAX;
        assertEquals(ResultCode.OK, ipc.send());
        assertEquals(0x57A1 << 16, ipc.k.nucleus.peek(ipc.b, STRING_BUFFER));

        Ipc over = new Ipc(twofold);
        over.bufferSize = MAX + 1;
        assertEquals(ResultCode.INVALID_DOPE, over.send());
        assertEquals(0xB5B0 << 16, over.k.nucleus.peek(over.b, STRING_BUFFER));

        Ipc negative = new Ipc(twofold);
        negative.bufferSize = -1;
        assertEquals(ResultCode.INVALID_DOPE, negative.send());
    }

    // ------------------------------------------------------------------ memory objects (direct transfer only)

    static Ipc object() {
        Ipc ipc = new Ipc(false);
        ipc.object = true;
        return ipc;
    }

    @Test
    void anObjectOfExactly4MbIsAcceptedAndOnePageMoreIsAnInvalidDope() {
        Ipc ipc = object();
        ipc.objectPages = MAX / 4096; // the receiver takes 2 of them
        assertEquals(ResultCode.OK, ipc.send());
        assertEquals(0x0B1E << 16, ipc.k.nucleus.peek(ipc.b, OBJECT_TARGET));
        assertEquals(0x0B1E << 16 ^ 1024, ipc.k.nucleus.peek(ipc.b, OBJECT_TARGET + 4096));

        Ipc over = object();
        over.objectPages = MAX / 4096 + 1;
        assertEquals(ResultCode.INVALID_DOPE, over.send());

        for (int bad : new int[] {-1, Integer.MIN_VALUE}) {
            Ipc negative = object();
            negative.objectPages = bad;
            assertEquals(ResultCode.INVALID_DOPE, negative.send(), "pages " + bad);
            Ipc negativeMax = object();
            negativeMax.objectMaxPages = bad;
            assertEquals(ResultCode.INVALID_DOPE, negativeMax.send(), "receiver's pages " + bad);
        }
    }

    @Test
    void objectsAtAddressZeroOrUnalignedAreRefused() {
        int[][] cases = {{0, OBJECT_TARGET}, {OBJECT, 0}, {OBJECT + 0x800, OBJECT_TARGET}, {OBJECT, OBJECT_TARGET + 4}};
        for (int[] c : cases) {
            Ipc ipc = object();
            ipc.objectAddress = c[0];
            ipc.objectTarget = c[1];
            ResultCode r = ipc.send();
            assertTrue(r == ResultCode.INVALID_BUFFER || r == ResultCode.INVALID_DOPE,
                    String.format("object 0x%08x to 0x%08x: %s", c[0], c[1], r));
            assertEquals(0xB000 << 16, ipc.k.nucleus.peek(ipc.b, 0), "page 0 of the receiver kept");
        }
    }

    @Test
    void anObjectEndingExactlyAtTheTopIsMappedThere() {
        Ipc ipc = object();
        ipc.map(ipc.a, ipc.top - 8192, 2, 0x70A0);
        ipc.objectAddress = ipc.top - 8192;
        ipc.objectPages = 2;
        ipc.objectTarget = ipc.top - 8192;
        assertEquals(ResultCode.OK, ipc.send());
        assertEquals(0x70A0 << 16 ^ 1024, ipc.k.nucleus.peek(ipc.b, ipc.top - 4096));

        Ipc over = object();
        over.map(over.a, over.top - 8192, 2, 0x70A0);
        over.objectAddress = over.top - 4096;
        over.objectPages = 2;
        assertEquals(ResultCode.INVALID_BUFFER, over.send());
    }

    @Test
    void theReceiversPageTableInTheObjectsSlotIsKeptAndAnOccupiedPageNotMappedOver() {
        Ipc ipc = object();
        ipc.map(ipc.b, OBJECT_TARGET + 0x10000, 1, 0xBE16);
        assertEquals(ResultCode.OK, ipc.send());
        assertEquals(0x0B1E << 16, ipc.k.nucleus.peek(ipc.b, OBJECT_TARGET));
        assertEquals(0xBE16 << 16, ipc.k.nucleus.peek(ipc.b, OBJECT_TARGET + 0x10000), "the neighbour page kept");

        Ipc occupied = object();
        occupied.map(occupied.b, OBJECT_TARGET + 4096, 1, 0x0CC0);
        occupied.objectPages = 2;
        int frame = new ProtectedMemory(occupied.k.nucleus).userPhysical(occupied.b, OBJECT_TARGET + 4096);
        assertEquals(ResultCode.INVALID_BUFFER, occupied.send());
        assertEquals(frame, occupied.mem.userPhysical(occupied.b, OBJECT_TARGET + 4096), "not mapped over");
        assertEquals(0x0CC0 << 16, occupied.k.nucleus.peek(occupied.b, OBJECT_TARGET + 4096));
    }
}

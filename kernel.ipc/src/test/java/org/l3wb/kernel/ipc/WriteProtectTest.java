package org.l3wb.kernel.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.l3wb.kernel.ipc.KernelFixture.NEVER;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.l3wb.kernel.api.Dope;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.ipc.KernelFixture.Script;

/**
 * A receiver's string buffer lies in a page it may only read. The i486 (CR0.WP) faults the kernel's
 * write; a 386 would let it through, so there the kernel checks the page's write bit itself: either
 * way the message is refused and the read-only page keeps its bytes.
 */
public class WriteProtectTest {
    static final int MESSAGE = 0x1000_0000;
    static final int STRING = 0x1000_1000;
    static final int BUFFER = 0x2000_0000;
    static final int TARGET = 0x2000_1000;

    static Stream<Capabilities> processors() {
        return Stream.of(Capabilities.I486, Capabilities.I386_LIKE, Capabilities.I486.withWriteProtect(false),
                Capabilities.I386_LIKE.withTagged(true, false).withSegments(false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("processors")
    public void aReadOnlyReceiveBufferIsRefusedOnEveryProcessor(Capabilities caps) {
        for (boolean direct : new boolean[] {true, false}) {
            KernelFixture k = new KernelFixture(direct ? org.l3wb.kernel.api.Switches.ALL_ON
                    : org.l3wb.kernel.api.Switches.allBut(org.l3wb.kernel.api.Switch.DIRECT_TRANSFER), "lazy",
                    caps.model());
            int a = k.nucleus.createTask();
            int b = k.nucleus.createTask();
            Dope dope = new Dope(0, 1, 0);
            k.nucleus.mapUser(a, MESSAGE, 2, true);
            k.nucleus.poke(a, MESSAGE + Dope.CURRENT, dope.encode());
            k.nucleus.poke(a, MESSAGE + dope.stringDescriptor(0) + Dope.STRING_ADDRESS, STRING);
            k.nucleus.poke(a, MESSAGE + dope.stringDescriptor(0) + Dope.STRING_LENGTH, 64);
            for (int off = 0; off < 64; off += 4) {
                k.nucleus.poke(a, STRING + off, 0x7700_0000 + off);
            }
            k.nucleus.mapUser(b, BUFFER, 1, true);
            k.nucleus.mapUser(b, TARGET, 1, false); // read-only for the receiver
            k.nucleus.poke(b, BUFFER + Dope.MAXIMUM, dope.encode());
            k.nucleus.poke(b, BUFFER + dope.stringDescriptor(0) + Dope.STRING_BUFFER, TARGET);
            k.nucleus.poke(b, BUFFER + dope.stringDescriptor(0) + Dope.STRING_BUFFER_SIZE, 64);
            Script r = new Script().call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, BUFFER, 0, 0, NEVER);
            ThreadId rid = k.nucleus.createThread(b, r);
            Script s = new Script().call(IpcOperation.SEND, () -> rid, MESSAGE, 0, 1, 2, NEVER);
            k.nucleus.createThread(a, s);
            assertTrue(k.nucleus.run(s::finished, 20_000_000L), caps + ": the send did not end");
            assertEquals(ResultCode.INVALID_BUFFER, s.outcomes.get(0).result(), caps + (direct ? "" : " twofold"));
            for (int off = 0; off < 64; off += 4) {
                assertEquals(0, k.nucleus.peek(b, TARGET + off), caps + ": the kernel wrote into a read-only page");
            }
            k.nucleus.checkInvariants();
        }
    }
}

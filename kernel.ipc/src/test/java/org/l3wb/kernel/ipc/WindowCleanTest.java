package org.l3wb.kernel.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.l3wb.kernel.ipc.KernelFixture.NEVER;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.l3wb.kernel.api.Dope;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.ipc.KernelFixture.Script;

/**
 * Several threads per address space share one communication window (5.2.3). Thread S of space A
 * sends 1 MB to space B; its time slice ends in the middle of the copy, and thread T of the same
 * space A runs and sends 64 KB to space C, mapping C's region into A's window. When S continues,
 * the window must map B's region again: without the window-clean rules S would copy the rest of
 * its message into C's memory.
 */
public class WindowCleanTest {
    static final int MESSAGE = 0x1000_0000;
    static final int BUFFER = 0x1100_0000;
    static final int STRING = 0x1120_0000; // the same 8 MB window region as BUFFER
    static final int BIG = 1 << 20;
    static final int SMALL = 64 << 10;

    final KernelFixture k = new KernelFixture();

    private void sender(int task, int message, int string, int bytes, int tag) {
        Dope dope = new Dope(0, 1, 0);
        k.nucleus.mapUser(task, message & ~0xFFF, 1, true);
        k.nucleus.mapUser(task, string, bytes / 4096, true);
        k.nucleus.poke(task, message + Dope.CURRENT, dope.encode());
        k.nucleus.poke(task, message + dope.stringDescriptor(0) + Dope.STRING_ADDRESS, string);
        k.nucleus.poke(task, message + dope.stringDescriptor(0) + Dope.STRING_LENGTH, bytes);
        for (int off = 0; off < bytes; off += 4) {
            k.nucleus.poke(task, string + off, tag + off);
        }
    }

    private void receiver(int task, int bytes) {
        Dope dope = new Dope(0, 1, 0);
        k.nucleus.mapUser(task, BUFFER, 1, true);
        k.nucleus.mapUser(task, STRING, BIG / 4096, true); // mapped beyond the buffer: a stray copy would land
        k.nucleus.poke(task, BUFFER + Dope.MAXIMUM, dope.encode());
        k.nucleus.poke(task, BUFFER + dope.stringDescriptor(0) + Dope.STRING_BUFFER, STRING);
        k.nucleus.poke(task, BUFFER + dope.stringDescriptor(0) + Dope.STRING_BUFFER_SIZE, bytes);
    }

    @Test
    public void aPreemptedTransferFindsItsOwnRegionInTheWindowAgain() {
        int a = k.nucleus.createTask();
        int b = k.nucleus.createTask();
        int c = k.nucleus.createTask();
        receiver(b, BIG);
        receiver(c, SMALL);
        sender(a, MESSAGE, 0x2000_0000, BIG, 0x1000_0000);
        sender(a, MESSAGE + 0x800, 0x3000_0000, SMALL, 0x4000_0000);
        Script r = new Script().call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, BUFFER, 0, 0, NEVER);
        ThreadId rid = k.nucleus.createThread(b, r);
        Script u = new Script().call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, BUFFER, 0, 0, NEVER);
        ThreadId uid = k.nucleus.createThread(c, u);
        List<Integer> senderStateWhenTRan = new ArrayList<>();
        List<ThreadId> sid = new ArrayList<>();
        Script s = new Script().call(IpcOperation.SEND, () -> rid, MESSAGE, 0, 1, 2, NEVER);
        sid.add(k.nucleus.createThread(a, s));
        Script t = new Script().step(user -> {
            senderStateWhenTRan.add(k.nucleus.state(sid.get(0)));
            user.ipc(IpcOperation.SEND, uid, MESSAGE + 0x800, 0, 3, 4, NEVER);
        });
        k.nucleus.createThread(a, t);

        assertTrue(k.run(() -> s.finished() && t.finished() && r.finished() && u.finished()));
        assertEquals(List.of(Tcb.TRANSFERRING), senderStateWhenTRan,
                "T ran while S's transfer was preempted half-way");
        assertEquals(ResultCode.OK, r.outcomes.get(0).result());
        assertEquals(ResultCode.OK, u.outcomes.get(0).result());
        for (int off = 0; off < BIG; off += 4) {
            if (k.nucleus.peek(b, STRING + off) != 0x1000_0000 + off) {
                throw new AssertionError("B's buffer wrong at offset " + off);
            }
        }
        for (int off = 0; off < SMALL; off += 4) {
            if (k.nucleus.peek(c, STRING + off) != 0x4000_0000 + off) {
                throw new AssertionError("C's buffer wrong at offset " + off);
            }
        }
        for (int off = SMALL; off < BIG; off += 4) {
            if (k.nucleus.peek(c, STRING + off) != 0) {
                throw new AssertionError("S wrote into C's memory at offset " + off);
            }
        }
        k.nucleus.checkInvariants();
    }
}

package org.l3wb.it.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.api.Timeout;
import org.l3wb.kernel.api.UserContext;
import org.l3wb.kernel.api.UserProgram;

/**
 * The smallest RPC workload, for checking that a mechanism works at all: a client calls a server
 * three times with 100, 200, 300 (short messages in registers); the server answers word + 1.
 */
final class EchoCalls {
    private EchoCalls() {
    }

    /**
     * Runs the three calls on {@code n}, checking every reply, the invariants and the IPC count.
     *
     * @return the cycles the calls took
     */
    static long run(Nucleus n) {
        int never = Timeout.pair(Timeout.NEVER, Timeout.NEVER);
        int[] replies = new int[3];
        ThreadId server = n.createThread(n.createTask(), new UserProgram() {
            boolean started;

            @Override
            public void run(UserContext u) {
                if (!started) {
                    started = true;
                    u.ipc(IpcOperation.RECEIVE, ThreadId.NIL, 0, 1, 0, 0, never);
                } else {
                    u.ipc(IpcOperation.REPLY_AND_RECEIVE_NEXT, u.sourceUid(), 1, 1, u.word0() + 1, 0, never);
                }
            }
        });
        n.createThread(n.createTask(), new UserProgram() {
            int calls;

            @Override
            public void run(UserContext u) {
                if (calls > 0) {
                    assertEquals(ResultCode.OK, u.result());
                    replies[calls - 1] = u.word0();
                }
                if (calls++ == 3) {
                    u.exit();
                } else {
                    u.ipc(IpcOperation.CALL, server, 1, 1, 100 * calls, 0, never);
                }
            }
        });
        long start = n.machine().statistics().now();
        assertTrue(n.run(() -> replies[2] != 0, 10_000_000L), "three calls answered");
        long cycles = n.machine().statistics().now() - start;
        assertEquals(101, replies[0]);
        assertEquals(201, replies[1]);
        assertEquals(301, replies[2]);
        n.checkInvariants();
        assertEquals(7, n.ipcCount(), "the server's first receive, three calls, three replies");
        assertFalse(n.mechanismName().isEmpty());
        return cycles;
    }
}

package org.l3wb.kernel.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.l3wb.kernel.ipc.KernelFixture.NEVER;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.Mode;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.Statistics;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.ipc.KernelFixture.Script;

/**
 * The 8-byte ping-pong (two spaces, call / reply and receive next, short messages in registers) on
 * the i486 and on processors that differ (paper 7.4): what the kernel leaves out or keeps shows in
 * the instructions and TLB misses it takes, measured, never assumed.
 */
public class ProcessorAdaptationTest {
    static final int WARM_UP = 20;
    static final int ROUNDS = 200;

    /** Per one-way IPC, warm: cycles, kernel instructions, TLB misses (user and kernel). */
    record PerIpc(double cycles, double kernelInstructions, double tlbMisses) {
        @Override
        public String toString() {
            return String.format("%.1f cycles, %.1f kernel instructions, %.2f TLB misses", cycles,
                    kernelInstructions, tlbMisses);
        }
    }

    static PerIpc pingPong(ProcessorModel model) {
        KernelFixture k = new KernelFixture(model);
        int a = k.nucleus.createTask();
        int b = k.nucleus.createTask();
        Script server = new Script().call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, 1, 0, 0, NEVER);
        for (int r = 0; r < WARM_UP + ROUNDS; r++) {
            server.step(u -> u.ipc(IpcOperation.REPLY_AND_RECEIVE_NEXT, u.source(), 1, 1, u.word0() + 1, 0, NEVER));
        }
        ThreadId sid = k.nucleus.createThread(b, server);
        Statistics st = k.machine.statistics();
        long[] at = new long[3];
        Script client = new Script();
        for (int r = 0; r <= WARM_UP + ROUNDS; r++) {
            int round = r;
            client.step(u -> {
                if (round == WARM_UP || round == WARM_UP + ROUNDS) {
                    int i = round == WARM_UP ? 0 : 1;
                    long[] snapshot = {st.now(), st.instructions(Mode.KERNEL),
                        st.tlbMisses(Mode.KERNEL) + st.tlbMisses(Mode.USER)};
                    if (i == 0) {
                        System.arraycopy(snapshot, 0, at, 0, 3);
                    } else {
                        for (int j = 0; j < 3; j++) {
                            at[j] = snapshot[j] - at[j];
                        }
                    }
                }
                u.ipc(IpcOperation.CALL, sid, 1, 1, round, 0, NEVER);
            });
        }
        k.nucleus.createThread(a, client);
        assertTrue(k.run(client::finished));
        double ipcs = 2.0 * ROUNDS;
        return new PerIpc(at[0] / ipcs, at[1] / ipcs, at[2] / ipcs);
    }

    @Test
    public void theIpcPathFollowsTheProcessorsCapabilities() {
        PerIpc dx50 = pingPong(StandardModels.i486dx50());
        PerIpc i486 = pingPong(Capabilities.I486.model());
        PerIpc flat = pingPong(Capabilities.I486.withSegments(false).model());
        PerIpc tagged = pingPong(Capabilities.I486.withTagged(true, false).model());
        PerIpc global = pingPong(Capabilities.I486.withTagged(true, true).model());
        PerIpc both = pingPong(Capabilities.I486.withTagged(true, true).withSegments(false).model());
        PerIpc untaggedGlobal = pingPong(Capabilities.I486.withTagged(false, true).model());
        System.out.println("8-byte IPC, i486dx50:                 " + dx50);
        System.out.println("8-byte IPC, no segments:              " + flat);
        System.out.println("8-byte IPC, tagged TLB:               " + tagged);
        System.out.println("8-byte IPC, tagged TLB, global pages: " + global);
        System.out.println("8-byte IPC, tagged + global, no segs: " + both);
        System.out.println("8-byte IPC, untagged, global pages:   " + untaggedGlobal);
        assertEquals(dx50, i486, "a model declaring the i486's capabilities is the i486");
        // without segments: no DS/ES check on entry (2 x MOV r,Sreg; CMP; Jcc) and no ESP0 store and
        // stack-top ADD on the switch: 8 kernel instructions fewer per IPC (one entry, one switch); the
        // faster run also takes fewer clock ticks in the measured rounds (a tick's instructions / 400 IPCs)
        double fewer = dx50.kernelInstructions() - flat.kernelInstructions();
        assertTrue(fewer >= 8 && fewer < 8.25, "8 instructions fewer per IPC, got " + fewer);
        // a tagged TLB changes nothing on the short path: the window is flushed by tag only where a
        // transfer used it, off this path
        assertEquals(dx50.kernelInstructions(), tagged.kernelInstructions(), 0.25);
        assertTrue(flat.cycles() < dx50.cycles(), flat + " vs " + dx50);
        // a tagged TLB with global kernel pages keeps both spaces' and the kernel's entries across the
        // CR3 load: fewer TLB misses than the i486's flushing one
        assertTrue(global.tlbMisses() < dx50.tlbMisses(), global + " vs " + dx50);
        assertTrue(global.cycles() < dx50.cycles(), global + " vs " + dx50);
        // untagged with global pages: the kernel's entries survive the CR3 load, the user's do not
        assertTrue(untaggedGlobal.tlbMisses() < dx50.tlbMisses(), untaggedGlobal + " vs " + dx50);
    }
}

package org.l3wb.lab.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.kernel.api.Switches;

/**
 * Issue 10, item 5: {@code --rounds} is checked against what the run and the kernel's clock support
 * before anything runs, in one line, and "stalled" means that no round trip completed.
 */
class RoundsLimitTest {
    private static PingPong.Config config(int size, int rounds) {
        return new PingPong.Config(StandardModels.i486dx50(), "l3", "lazy", Switches.ALL_ON, size, rounds, false);
    }

    @Test
    void roundsBeyondTheKernelsClockAreRefusedBeforeAnythingRuns() {
        PingPong.Limit limit = PingPong.maxRounds(StandardModels.i486dx50(), 4 << 20);
        // 2^32 ms at 50 MHz over a generous bound on a 4 MB round trip (about 0.34 s measured)
        assertEquals(1_597_598, limit.rounds());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config(4 << 20, 2_000_000));
        assertEquals("--rounds must be 1..1597598 for 4194304-byte messages (limit: the kernel's clock counts 2^32 "
                + "ms, and a round trip of 4194304 bytes may take up to 2688 ms on i486dx50), got 2000000",
                e.getMessage());
        config(4 << 20, limit.rounds()); // the most is accepted
    }

    @Test
    void theIssuesHundredMillionRoundsAreWithinTheLimitsOfAnEightByteRun() {
        config(8, 100_000_000);
        PingPong.Limit limit = PingPong.maxRounds(StandardModels.i486dx50(), 8);
        assertTrue(limit.rounds() > 1_000_000_000 && limit.why().startsWith("the kernel's clock"), limit.toString());
        assertEquals(Integer.MAX_VALUE - 21, PingPong.MAX_COUNTED_ROUNDS);
    }

    /**
     * Today's cap was on a whole twentieth of the run: 100,000,000 rounds failed after 4.3 M as "stalled".
     * With a cap far below one slice (but above one round trip), a run must still finish, with the same
     * figures as under the normal cap.
     */
    @Test
    void aLongSliceIsNoStallOnlyAStepWithoutARoundTripIs() {
        PingPong.Config c = config(8, 100_000);
        PingPong.Result normal = new PingPong(Lab.MACHINES, Lab.KERNEL).run(c);
        PingPong.Result small = new PingPong(Lab.MACHINES, Lab.KERNEL, 200_000).run(c); // a slice: ~2.3 M cycles
        assertEquals(normal.cycles(), small.cycles());
        assertEquals(normal.cyclesPerIpc(), small.cyclesPerIpc());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new PingPong(Lab.MACHINES, Lab.KERNEL, 100).run(c)); // less than one round trip
        assertTrue(e.getMessage().startsWith("ping-pong stalled: no round trip completed in 100 cycles"),
                e.getMessage());
    }
}

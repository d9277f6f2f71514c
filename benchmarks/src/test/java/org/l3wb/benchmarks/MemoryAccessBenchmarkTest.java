package org.l3wb.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.l3wb.hw.api.Mode;
import org.l3wb.hw.api.Statistics;

/**
 * Runs the benchmark's setup and single invocations outside JMH, once, untimed: keeps the benchmark
 * compiling under {@code mvn verify} and checks that it simulates what its score claims to count.
 * Nothing here looks at host time.
 */
class MemoryAccessBenchmarkTest {
    private static final int N = MemoryAccessBenchmark.ACCESSES;

    private static MemoryAccessBenchmark setUp(int kb) {
        MemoryAccessBenchmark b = new MemoryAccessBenchmark();
        b.workingSetKB = kb;
        b.setup();
        return b;
    }

    /** @return what one invocation added to the machine's counters */
    private static Statistics invoke(MemoryAccessBenchmark b) {
        Statistics before = b.statistics().copy();
        b.access();
        return b.statistics().since(before);
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 256})
    void oneInvocationRetiresExactlyTheInstructionsItCounts(int kb) {
        MemoryAccessBenchmark b = setUp(kb);
        assertEquals(0, b.statistics().instructions(), "setting up retires no instruction");
        Statistics first = invoke(b);
        assertEquals(N, first.instructions(), "first invocation");
        assertEquals(N / 4, first.writes(Mode.KERNEL), "one store in four, in kernel mode");
        assertEquals(N, invoke(b).instructions(), "later invocations");
    }

    @Test
    void largeWorkingSetMissesInTheTlbAndTheCache() {
        MemoryAccessBenchmark b = setUp(256);
        Statistics first = invoke(b);
        assertTrue(first.tlbMisses() > 0, "TLB misses: " + first);
        assertTrue(first.cacheMisses() > 0, "cache misses: " + first);
        // and it keeps missing once warm: 64 pages against 32 TLB entries, ~1000 lines against 512
        Statistics warm = invoke(b);
        assertTrue(warm.tlbMisses() > N / 8, "warm TLB misses: " + warm);
        assertTrue(warm.cacheMisses() > N / 8, "warm cache misses: " + warm);
    }

    @Test
    void smallWorkingSetHitsOnceWarm() {
        MemoryAccessBenchmark b = setUp(8);
        invoke(b);
        Statistics warm = invoke(b);
        assertEquals(0, warm.tlbMisses(), "warm TLB misses: " + warm);
        assertTrue(warm.cacheMisses() < N / 16, "warm cache misses: " + warm);
    }

    @Test
    void addressesAreFixedAlignedAndInsideTheWorkingSet() {
        int base = KernelMachine.KERNEL_DATA;
        for (int kb : new int[] {8, 256}) {
            int[] a = MemoryAccessBenchmark.addresses(base, kb << 10, N, MemoryAccessBenchmark.SEED);
            assertArrayEquals(a, MemoryAccessBenchmark.addresses(base, kb << 10, N, MemoryAccessBenchmark.SEED));
            for (int address : a) {
                assertEquals(0, address & 3, "dword aligned");
                assertTrue(Integer.compareUnsigned(address, base) >= 0
                        && Integer.compareUnsigned(address, base + (kb << 10)) < 0, "inside the working set");
            }
        }
    }
}

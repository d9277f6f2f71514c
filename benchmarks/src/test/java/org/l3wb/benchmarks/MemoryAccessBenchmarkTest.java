package org.l3wb.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.l3wb.hw.api.Statistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the benchmark's setup and single invocations outside JMH, untimed: keeps the benchmark
 * compiling and checks that it simulates what its score claims to count.
 */
class MemoryAccessBenchmarkTest {

    private static MemoryAccessBenchmark setUp(int kb) {
        MemoryAccessBenchmark b = new MemoryAccessBenchmark();
        b.workingSetKB = kb;
        b.setup();
        return b;
    }

    private static Statistics invoke(MemoryAccessBenchmark b) {
        Statistics before = b.statistics().copy();
        b.access();
        Statistics d = b.statistics().since(before);
        System.out.printf("%d KB: %s tlbHits=%d cacheHits=%d writes=%d%n", b.workingSetKB, d, d.tlbHits(),
                d.cacheHits(), d.writes(org.l3wb.hw.api.Mode.KERNEL));
        return d;
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 256})
    void oneInvocationRetiresExactlyTheCountedInstructions(int kb) {
        MemoryAccessBenchmark b = setUp(kb);
        assertEquals(0, b.statistics().instructions(), "setting up retires no instruction");
        for (int n = 0; n < 3; n++) {
        Statistics d = invoke(b);
        assertEquals(MemoryAccessBenchmark.ACCESSES, d.instructions());
        }
    }
}

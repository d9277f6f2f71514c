package org.l3wb.benchmarks;

import org.l3wb.hw.api.Reg;

import java.util.concurrent.TimeUnit;

import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Statistics;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Host speed of the simulator's memory path: simulated {@code MOV r32,m32} / {@code MOV m32,r32}
 * instructions per host second, each one fetched, translated by the TLB (walking the page tables on
 * a miss) and looked up in the on-chip cache (filled from the external cache or DRAM on a miss,
 * stores queued in the write buffer), on an i486 DX-50 in kernel mode with paging on.
 *
 * <p>One invocation retires a fixed sequence of {@value #ACCESSES} loads and stores: three loads,
 * then one store, over and over, at pseudo-random dword addresses of the working set that an LCG
 * with a fixed seed draws once, in {@link #setup()}. The same sequence repeats every invocation, so
 * after the first one the machine is in a steady state. The code is a loop body of
 * {@value #LOOP_BODY} instructions (192 bytes, 12 cache lines) that the benchmark rewinds with
 * {@link Processor#jumpTo}, which retires no instruction: the score counts memory instructions only,
 * and the code's cache footprint stays small next to the data's.
 *
 * <ul>
 * <li>{@code 8} KB: two pages; the ~440 lines the sequence touches fit the 8 KB on-chip cache and
 * both pages stay in the TLB, so nearly every access hits.</li>
 * <li>{@code 256} KB: 64 pages, twice the 32-entry TLB, and ~1000 lines against the cache's 512:
 * the TLB and the on-chip cache miss most of the time (fills come from the 256 KB external
 * cache).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
public class MemoryAccessBenchmark {
    /** Simulated memory instructions per invocation. */
    public static final int ACCESSES = 1024;
    /** Instructions in the loop body (3 bytes each) before the code is rewound. */
    static final int LOOP_BODY = 64;
    /** Seed of the address LCG: the sequence is the same on every run. */
    static final int SEED = 0x1234_5678;

    /** Working set in KB: 8 (fits the on-chip cache and the TLB) or 256 (fits neither). */
    @Param({"8", "256"})
    public int workingSetKB;

    KernelMachine machine;
    private Processor cpu;
    private int[] addresses;

    @Setup
    public void setup() {
        machine = new KernelMachine(workingSetKB << 10);
        cpu = machine.cpu;
        addresses = addresses(KernelMachine.KERNEL_DATA, workingSetKB << 10, ACCESSES, SEED);
    }

    /**
     * @return {@code count} dword-aligned linear addresses in {@code [base, base + bytes)}, drawn by
     * the LCG x' = 1664525 x + 1013904223 (mod 2^32) from its high bits; {@code bytes} is a power of
     * two
     */
    static int[] addresses(int base, int bytes, int count, int seed) {
        if (Integer.bitCount(bytes) != 1 || bytes < 4) {
            throw new IllegalArgumentException("working set must be a power of two of at least 4 bytes, got " + bytes);
        }
        int dwordBits = Integer.numberOfTrailingZeros(bytes >>> 2);
        int[] a = new int[count];
        int x = seed;
        for (int i = 0; i < count; i++) {
            x = x * 1664525 + 1013904223;
            int dword = dwordBits == 0 ? 0 : x >>> (32 - dwordBits);
            a[i] = base + (dword << 2);
        }
        return a;
    }

    /** @return the simulated machine's counters (for the test; not used by the measurement) */
    Statistics statistics() {
        return machine.machine.statistics();
    }

    @Benchmark
    @OperationsPerInvocation(ACCESSES)
    public int access() {
        Processor cpu = this.cpu;
        int[] a = addresses;
        int acc = 0;
        for (int start = 0; start < ACCESSES; start += LOOP_BODY) {
            cpu.jumpTo(KernelMachine.KERNEL_CODE);
            for (int i = start; i < start + LOOP_BODY; i++) {
                if ((i & 3) == 3) {
                    cpu.store(Reg.NONE, a[i], Reg.NONE, acc + i);
                } else {
                    acc += cpu.load(Reg.NONE, Reg.NONE, a[i]);
                }
            }
        }
        return acc;
    }
}

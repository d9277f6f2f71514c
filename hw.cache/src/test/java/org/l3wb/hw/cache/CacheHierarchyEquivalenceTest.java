package org.l3wb.hw.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.l3wb.hw.api.Cache;
import org.l3wb.hw.api.CacheGeometry;
import org.l3wb.hw.api.MemoryTiming;
import org.l3wb.hw.api.Mode;
import org.l3wb.hw.api.Statistics;

/**
 * The cache hierarchy is on the simulator's innermost loop and was rewritten for host speed (memos
 * of the last line and of each set's last touched way, a stamped shadow, branch-light look-ups);
 * what it simulates must not have changed by one cycle. This runs long random access streams
 * through it and through {@link ReferenceCacheHierarchy}, the implementation as it was before, and
 * compares every counter of both modes, the valid lines and what each holds, after every step.
 * The streams mix a hot set of lines, lines that conflict in one set, scans longer than the cache
 * (so the shadow fills and evicts), writes, mode switches, time passing (write-buffer stalls),
 * flushes (of the on-chip and the external cache) and write-buffer drains.
 */
class CacheHierarchyEquivalenceTest {
    static Stream<Arguments> shapes() {
        return Stream.of(
                // the i486: 8 KB, 4 ways, 16-byte lines, 4 buffered writes
                Arguments.of(new CacheGeometry(8192, 4, 16), new MemoryTiming(1 << 20, 64 << 10, 6, 18, 4, 3, 6)),
                Arguments.of(new CacheGeometry(1024, 2, 16), new MemoryTiming(1 << 20, 4 << 10, 5, 20, 2, 2, 7)),
                Arguments.of(new CacheGeometry(2048, 1, 32), new MemoryTiming(1 << 20, 8 << 10, 4, 12, 1, 4, 9)),
                Arguments.of(new CacheGeometry(2048, 8, 16), new MemoryTiming(1 << 20, 16 << 10, 6, 18, 4, 3, 6)),
                Arguments.of(new CacheGeometry(1024, 64, 16), new MemoryTiming(1 << 20, 2 << 10, 3, 15, 3, 2, 5)),
                Arguments.of(new CacheGeometry(256, 4, 4), new MemoryTiming(1 << 20, 1 << 10, 2, 9, 4, 1, 3)));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void simulatesExactlyWhatTheReferenceDoes(CacheGeometry geometry, MemoryTiming timing) {
        Statistics s = new Statistics();
        Statistics r = new Statistics();
        Cache cache = new CacheHierarchy(geometry, timing, s);
        Cache reference = new ReferenceCacheHierarchy(geometry, timing, r);
        Random random = new Random(geometry.hashCode() * 31L + timing.hashCode());
        int lines = geometry.lines();
        int line = geometry.lineBytes();
        int setStride = geometry.sets() * line; // addresses this far apart share a set
        int[] hot = new int[Math.max(4, lines / 4)];
        for (int i = 0; i < hot.length; i++) {
            hot[i] = random.nextInt((1 << 20) / 4) * 4;
        }
        int scan = 0;
        for (int step = 0; step < 60_000; step++) {
            int kind = random.nextInt(100);
            int phys;
            if (kind < 45) {
                phys = hot[random.nextInt(hot.length)] + 4 * random.nextInt(line / 4); // a hot line, any word
            } else if (kind < 60) {
                phys = (random.nextInt(geometry.ways() + 3) * setStride + 7 * line) % (1 << 20); // one set, more lines than ways
            } else if (kind < 75) {
                phys = scan;                                  // a scan longer than the cache: capacity misses
                scan = (scan + line) % (lines * line * 3);
            } else {
                phys = random.nextInt((1 << 20) / 4) * 4;     // anywhere
            }
            int op = random.nextInt(1000);
            if (op < 650) {
                cache.read(phys);
                reference.read(phys);
            } else if (op < 950) {
                cache.write(phys);
                reference.write(phys);
            } else if (op < 975) {
                int cycles = random.nextInt(12);              // time passes: the write buffer drains
                s.charge(cycles);
                r.charge(cycles);
            } else if (op < 990) {
                Mode m = random.nextBoolean() ? Mode.USER : Mode.KERNEL;
                s.enter(m);
                r.enter(m);
            } else if (op < 996) {
                cache.drainWriteBuffer();
                reference.drainWriteBuffer();
            } else if (op < 999) {
                cache.flush();
                reference.flush();
            } else {
                cache.flushExternal();
                reference.flushExternal();
            }
            assertSame(r, s, step);
            assertEquals(reference.validLines(), cache.validLines(), "valid lines at step " + step);
            assertEquals(reference.holds(phys), cache.holds(phys), "holds at step " + step);
        }
    }

    static void assertSame(Statistics expected, Statistics actual, int step) {
        assertEquals(expected.now(), actual.now(), "clock at step " + step);
        for (Mode m : Mode.values()) {
            String at = " (" + m + ") at step " + step;
            assertEquals(expected.cycles(m), actual.cycles(m), "cycles" + at);
            assertEquals(expected.cacheHits(m), actual.cacheHits(m), "cache hits" + at);
            assertEquals(expected.compulsoryMisses(m), actual.compulsoryMisses(m), "compulsory misses" + at);
            assertEquals(expected.capacityMisses(m), actual.capacityMisses(m), "capacity misses" + at);
            assertEquals(expected.conflictMisses(m), actual.conflictMisses(m), "conflict misses" + at);
            assertEquals(expected.writes(m), actual.writes(m), "writes" + at);
            assertEquals(expected.writeStallCycles(m), actual.writeStallCycles(m), "write stalls" + at);
            assertEquals(expected.lineFillCycles(m), actual.lineFillCycles(m), "line fills" + at);
        }
    }
}

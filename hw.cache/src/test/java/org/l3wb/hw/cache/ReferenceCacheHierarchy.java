package org.l3wb.hw.cache;

import java.util.Arrays;

import org.l3wb.hw.api.Cache;
import org.l3wb.hw.api.CacheGeometry;
import org.l3wb.hw.api.MemoryTiming;
import org.l3wb.hw.api.Statistics;

/**
 * Frozen copy of CacheHierarchy as it was before the host-speed work (commit 74bb95b), kept as the
 * reference the optimised one must match exactly; see CacheHierarchyEquivalenceTest.
 *
 * <p>Original description:
 * The i486 on-chip cache with what lies behind it.
 *
 * <ul>
 * <li>On-chip: set associative, tree pseudo-LRU, unified (code and data), write-through and
 * no-write-allocate, as the i486 manual describes. Tags only; bytes live in DRAM.</li>
 * <li>External cache: direct mapped, lines as long as the on-chip ones, allocated on read misses;
 * decides whether a line fill costs {@link MemoryTiming#externalFillCycles()} or
 * {@link MemoryTiming#dramFillCycles()}. Writes that miss it go around it to DRAM.</li>
 * <li>Write buffer: {@link MemoryTiming#writeBufferEntries()} deep; every write enters it and the bus
 * retires one at a time. A write finding it full stalls until the oldest retires. Read misses bypass
 * buffered writes, as the i486 allows when addresses differ.</li>
 * </ul>
 * Misses are classified as compulsory (first touch since the cache was last empty), conflict (a
 * fully associative LRU cache of the same size would have hit) or capacity.
 */
final class ReferenceCacheHierarchy implements Cache {
    private static final int INVALID = -1;

    private final CacheGeometry geometry;
    private final MemoryTiming timing;
    private final Statistics stats;
    private final int lineShift;
    private final int setMask;
    private final int ways;
    private final int[] tags;
    private final org.l3wb.hw.replacement.Recency lru;
    private int validLines;

    private final int[] externalTags;
    private final int externalMask;

    private final long[] writeDone;
    private int writeHead;
    private int writeCount;
    private long lastWriteDone;

    private final long[] touchedLines;
    private final int[] touchedWords;
    private int touchedWordCount;
    private final ReferenceFullyAssociativeLru shadow;

    ReferenceCacheHierarchy(CacheGeometry geometry, MemoryTiming timing, Statistics stats) {
        this.geometry = geometry;
        this.timing = timing;
        this.stats = stats;
        if (timing.externalCacheBytes() < geometry.lineBytes()) {
            throw new IllegalArgumentException("memory.externalCacheBytes must hold at least one line, got "
                    + timing.externalCacheBytes());
        }
        lineShift = Integer.numberOfTrailingZeros(geometry.lineBytes());
        setMask = geometry.sets() - 1;
        ways = geometry.ways();
        tags = new int[geometry.sets() * ways];
        Arrays.fill(tags, INVALID);
        lru = org.l3wb.hw.replacement.Recency.of(org.l3wb.hw.api.Replacement.PSEUDO_LRU, geometry.sets(), ways);
        externalTags = new int[timing.externalCacheBytes() >>> lineShift];
        Arrays.fill(externalTags, INVALID);
        externalMask = externalTags.length - 1;
        writeDone = new long[timing.writeBufferEntries()];
        int memoryLines = timing.memoryBytes() >>> lineShift;
        touchedLines = new long[(memoryLines + 63) >>> 6];
        touchedWords = new int[touchedLines.length];
        shadow = new ReferenceFullyAssociativeLru(geometry.lines());
    }

    @Override
    public void read(int phys) {
        int line = phys >>> lineShift;
        int set = line & setMask;
        int base = set * ways;
        for (int w = 0; w < ways; w++) {
            if (tags[base + w] == line) {
                stats.cacheHits(1);
                lru.touch(set, w);
                shadow.access(line);
                return;
            }
        }
        boolean shadowHit = shadow.access(line);
        if (firstTouch(line)) {
            stats.compulsoryMiss();
        } else if (shadowHit) {
            stats.conflictMiss();
        } else {
            stats.capacityMiss();
        }
        int way = INVALID;
        for (int w = 0; w < ways; w++) {
            if (tags[base + w] == INVALID) {
                way = w;
                break;
            }
        }
        if (way == INVALID) {
            way = lru.victim(set);
        } else {
            validLines++;
        }
        tags[base + way] = line;
        lru.touch(set, way);
        int e = line & externalMask;
        if (externalTags[e] == line) {
            stats.lineFill(timing.externalFillCycles());
        } else {
            externalTags[e] = line;
            stats.lineFill(timing.dramFillCycles());
        }
    }

    private boolean firstTouch(int line) {
        int word = line >>> 6;
        long bit = 1L << (line & 63);
        long old = touchedLines[word];
        if ((old & bit) != 0) {
            return false;
        }
        if (old == 0) {
            touchedWords[touchedWordCount++] = word;
        }
        touchedLines[word] = old | bit;
        return true;
    }

    @Override
    public void write(int phys) {
        int line = phys >>> lineShift;
        int set = line & setMask;
        int base = set * ways;
        for (int w = 0; w < ways; w++) {
            if (tags[base + w] == line) {
                lru.touch(set, w);
                shadow.touchIfPresent(line);
                break;
            }
        }
        long now = stats.now();
        retireWrites(now);
        int stall = 0;
        if (writeCount == writeDone.length) {
            stall = (int) (writeDone[writeHead] - now);
            now += stall;
            retireWrites(now);
        }
        int busCycles = externalTags[line & externalMask] == line
                ? timing.externalWriteCycles() : timing.dramWriteCycles();
        long done = Math.max(now, lastWriteDone) + busCycles;
        int tail = writeHead + writeCount;
        writeDone[tail >= writeDone.length ? tail - writeDone.length : tail] = done;
        writeCount++;
        lastWriteDone = done;
        stats.write(stall);
    }

    private void retireWrites(long now) {
        while (writeCount > 0 && writeDone[writeHead] <= now) {
            if (++writeHead == writeDone.length) {
                writeHead = 0;
            }
            writeCount--;
        }
    }

    @Override
    public void drainWriteBuffer() {
        long now = stats.now();
        if (lastWriteDone > now) {
            stats.writeStall((int) (lastWriteDone - now));
        }
        writeCount = 0;
    }

    @Override
    public void flush() {
        Arrays.fill(tags, INVALID);
        lru.clear();
        validLines = 0;
        shadow.clear();
        for (int i = 0; i < touchedWordCount; i++) {
            touchedLines[touchedWords[i]] = 0;
        }
        touchedWordCount = 0;
    }

    @Override
    public void flushExternal() {
        Arrays.fill(externalTags, INVALID);
    }

    @Override
    public int dirtyLines() {
        return 0; // write-through
    }

    @Override
    public int validLines() {
        return validLines;
    }

    @Override
    public boolean holds(int phys) {
        int line = phys >>> lineShift;
        int base = (line & setMask) * ways;
        for (int w = 0; w < ways; w++) {
            if (tags[base + w] == line) {
                return true;
            }
        }
        return false;
    }

    @Override
    public CacheGeometry geometry() {
        return geometry;
    }
}

package org.l3wb.hw.cache;

import java.util.Arrays;

import org.l3wb.hw.api.Cache;
import org.l3wb.hw.api.CacheGeometry;
import org.l3wb.hw.api.MemoryTiming;
import org.l3wb.hw.api.Replacement;
import org.l3wb.hw.api.Statistics;
import org.l3wb.hw.api.WritePolicy;
import org.l3wb.hw.replacement.Recency;

/**
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
 *
 * <p>Other processors and boards ({@link org.l3wb.hw.api.ProcessorModel#memoryUnits()}, write policy,
 * replacement), each decided at construction:
 * <ul>
 * <li>no on-chip cache (the 386): nothing is ever allocated on chip; every read is one single-transfer
 * bus cycle, timed as a write's bus cycle to the same level ({@link MemoryTiming#externalWriteCycles()}
 * when the external cache holds the line, else {@link MemoryTiming#dramWriteCycles()}), and counts no
 * hit and no miss: there is no cache to hit or miss;</li>
 * <li>no external cache: every fill comes from DRAM and every write goes to DRAM;</li>
 * <li>no write buffer: a bus write stalls the processor for its whole bus cycle;</li>
 * <li>write-back with write allocation: a write is looked up like a read (a miss fills the line, at
 * the fill's cost), then marks the line dirty and goes no further; replacing a dirty line writes it back
 * as one line transfer (as long as a fill from the same level) through the write buffer; WBINVD
 * ({@link #flush()}) drains the buffer and writes every dirty line back while the processor waits;</li>
 * <li>true LRU instead of tree pseudo-LRU ({@link Recency}).</li>
 * </ul>
 */
final class CacheHierarchy implements Cache {
    private static final int INVALID = -1;

    private final CacheGeometry geometry;
    private final MemoryTiming timing;
    private final Statistics stats;
    private final int lineShift;
    private final int setMask;
    private final int ways;
    private final int waysShift;
    private final int[] tags;
    private final Recency lru;
    private final boolean onChip;
    private final boolean externalPresent;
    private final boolean writeBuffer;
    private final boolean writeBack;
    /** Per on-chip entry, whether the line was written since it was filled (write-back only). */
    private final boolean[] dirty;
    private int validLines;

    private final int[] externalTags;
    private final int externalMask;
    private final int externalFillCycles;
    private final int dramFillCycles;
    private final int externalWriteCycles;
    private final int dramWriteCycles;

    /*
     * The write buffer as the completion times of the last writeBufferEntries writes, a ring
     * (writeNext: the oldest of them, the next to be overwritten). Completion times only grow, so the
     * buffer is full exactly when the oldest of them is still pending (done > now), and a new write
     * waits for just that one: no queue of pending entries to retire on every write. Initially zeros:
     * done long ago.
     */
    private final long[] writeDone;
    private int writeNext;
    private long lastWriteDone;

    private final long[] touchedLines;
    private final int[] touchedWords;
    private int touchedWordCount;
    private final FullyAssociativeLru shadow;
    /** Per on-chip entry, where the shadow last had its line: a checked hint, see {@link FullyAssociativeLru#access(int, int)}. */
    private final int[] shadowSlot;
    /**
     * The line of the last read, or of the last write that refreshed a line the shadow holds (INVALID
     * after a flush or another write hit). It is on chip, the most recent way of its set's pseudo-LRU
     * and the most recent line of the shadow, so another access to it changes neither: a read of it
     * only counts the hit, a write skips the look-up. Runs of accesses to one line (a TCB's fields,
     * the stack, a descriptor's two halves) take this path.
     */
    private int lastLine = INVALID;
    /**
     * Per set, the entry its pseudo-LRU last touched (initially the set's first, empty, entry): a hit
     * on it leaves the pseudo-LRU as it is, so only the shadow is updated. A flush empties entries, so
     * a remembered entry that no longer holds the line simply fails to match.
     */
    private final int[] lastTouched;
    /**
     * The line of the last write that found no on-chip entry (write-through, no allocation), while no
     * line has been filled since (INVALID otherwise): it is still not on chip, so a string move's
     * {@link #readWriteAgain} on it needs no look-up. Only a fill or a flush changes the tags.
     */
    private int lastWriteMiss = INVALID;

    /** The i486's: every part present, write-through, pseudo-LRU. */
    CacheHierarchy(CacheGeometry geometry, MemoryTiming timing, Statistics stats) {
        this(geometry, timing, stats, true, true, true, WritePolicy.WRITE_THROUGH_NO_ALLOCATE, Replacement.PSEUDO_LRU);
    }

    CacheHierarchy(CacheGeometry geometry, MemoryTiming timing, Statistics stats, boolean onChip,
                   boolean externalPresent, boolean writeBuffer, WritePolicy policy, Replacement replacement) {
        this.geometry = geometry;
        this.timing = timing;
        this.stats = stats;
        this.onChip = onChip;
        this.externalPresent = externalPresent;
        this.writeBuffer = writeBuffer;
        this.writeBack = onChip && policy == WritePolicy.WRITE_BACK_ALLOCATE;
        if (externalPresent && timing.externalCacheBytes() < geometry.lineBytes()) {
            throw new IllegalArgumentException("memory.externalCacheBytes must hold at least one line, got "
                    + timing.externalCacheBytes());
        }
        lineShift = Integer.numberOfTrailingZeros(geometry.lineBytes());
        setMask = geometry.sets() - 1;
        ways = geometry.ways();
        waysShift = Integer.numberOfTrailingZeros(ways);
        tags = new int[geometry.sets() * ways];
        Arrays.fill(tags, INVALID);
        lru = Recency.of(replacement, geometry.sets(), ways);
        dirty = new boolean[writeBack ? tags.length : 0];
        // an absent external cache: one tag that stays INVALID, so no line is ever found there
        externalTags = new int[externalPresent ? timing.externalCacheBytes() >>> lineShift : 1];
        Arrays.fill(externalTags, INVALID);
        externalMask = externalTags.length - 1;
        externalFillCycles = timing.externalFillCycles();
        dramFillCycles = timing.dramFillCycles();
        externalWriteCycles = timing.externalWriteCycles();
        dramWriteCycles = timing.dramWriteCycles();
        writeDone = new long[timing.writeBufferEntries()];
        int memoryLines = timing.memoryBytes() >>> lineShift;
        touchedLines = new long[(memoryLines + 63) >>> 6];
        touchedWords = new int[touchedLines.length];
        shadow = new FullyAssociativeLru(geometry.lines(), memoryLines);
        shadowSlot = new int[tags.length];
        lastTouched = new int[geometry.sets()];
        for (int set = 0; set < lastTouched.length; set++) {
            lastTouched[set] = set * ways;
        }
    }

    /*
     * read and write run for every fetch, load, store and page-walk step: they are the simulator's
     * innermost loop. Their hit paths are kept short (the i486's 4 ways are compared without a loop,
     * the shadow is reached through the hint each entry keeps); misses go out of line.
     */

    /** @return the entry of the set at {@code base} that holds {@code line} (INVALID: a free one), or -1 */
    private int lookup(int line, int base) {
        int[] t = tags;
        if (ways == 4) {
            if (t[base] == line) {
                return base;
            }
            if (t[base + 1] == line) {
                return base + 1;
            }
            if (t[base + 2] == line) {
                return base + 2;
            }
            return t[base + 3] == line ? base + 3 : -1;
        }
        for (int i = base, end = base + ways; i < end; i++) {
            if (t[i] == line) {
                return i;
            }
        }
        return -1;
    }

    /*
     * read runs for every fetch, load and page-walk step, so it is split for the JIT: the line of the
     * last access takes the few bytecodes here, inlined into the processor; everything else is one
     * method too large to inline (readOther), compiled once.
     */
    @Override
    public void read(int phys) {
        int line = phys >>> lineShift;
        if (line != lastLine) {
            readOther(line);
            return;
        }
        stats.cacheHits(1);
    }

    /**
     * A read of another line than the last access's: a hit on the set's last touched entry (the
     * pseudo-LRU stays as it is), a hit elsewhere in the set, or a miss. The miss is classified
     * (compulsory on first touch, else conflict if the fully associative shadow holds the line,
     * else capacity), fills the first free way or the pseudo-LRU victim, and costs a fill from the
     * external cache or from DRAM.
     */
    private void readOther(int line) {
        if (!onChip) {
            busRead(line);
            return;
        }
        int set = line & setMask;
        int i = lastTouched[set];
        if (tags[i] == line) {
            stats.cacheHits(1);
        } else {
            int base = set << waysShift;
            i = lookup(line, base);
            if (i >= 0) {
                stats.cacheHits(1);
                lru.touch(set, i - base);
                lastTouched[set] = i;
            } else {
                int shadowResult = shadow.access(line, 0);
                // first touch since the cache was last empty: one bit per memory line
                int word = line >>> 6;
                long bit = 1L << (line & 63);
                long touched = touchedLines[word];
                if ((touched & bit) == 0) {
                    if (touched == 0) {
                        touchedWords[touchedWordCount++] = word;
                    }
                    touchedLines[word] = touched | bit;
                    stats.compulsoryMiss();
                } else if (shadowResult >= 0) {
                    stats.conflictMiss();
                } else {
                    stats.capacityMiss();
                }
                i = lookup(INVALID, base); // the first free way, if any
                if (i < 0) {
                    i = base + lru.victim(set);
                    if (writeBack && dirty[i]) {
                        dirty[i] = false;
                        bufferedWrite(tags[i], lineWriteCycles(tags[i]));
                    }
                } else {
                    validLines++;
                }
                tags[i] = line;
                lastWriteMiss = INVALID;
                shadowSlot[i] = FullyAssociativeLru.slot(shadowResult);
                lru.touch(set, i - base);
                lastTouched[set] = i;
                int e = line & externalMask;
                if (externalTags[e] == line) {
                    stats.lineFill(externalFillCycles, true);
                } else {
                    if (externalPresent) {
                        externalTags[e] = line;
                    }
                    stats.lineFill(dramFillCycles, false);
                }
                lastLine = line;
                return;
            }
        }
        int[] hints = shadowSlot;
        if (!shadow.stampUnlessListed(hints[i])) {
            hints[i] = FullyAssociativeLru.slot(shadow.access(line, hints[i]));
        }
        lastLine = line;
    }

    /** A read without an on-chip cache: one bus transfer from the external cache or DRAM. */
    private void busRead(int line) {
        int e = line & externalMask;
        if (externalTags[e] == line) {
            stats.lineFill(externalWriteCycles, true);
        } else {
            if (externalPresent) {
                externalTags[e] = line;
            }
            stats.lineFill(dramWriteCycles, false);
        }
    }

    /** @return bus cycles of writing one whole line back: a burst as long as a fill from the same level */
    private int lineWriteCycles(int line) {
        return externalTags[line & externalMask] == line ? externalFillCycles : dramFillCycles;
    }

    /** Write-back, write-allocate: the line is read in on a miss (a fill), then only marked dirty. */
    private void writeAllocate(int line) {
        if (line != lastLine) {
            readOther(line);
        } else {
            stats.cacheHits(1);
        }
        // readOther leaves the line in its set's last touched entry; so is lastLine's
        dirty[lastTouched[line & setMask]] = true;
    }

    @Override
    public void write(int phys) {
        int line = phys >>> lineShift;
        if (writeBack) {
            writeAllocate(line);
            return;
        }
        if (line != lastLine) {
            int set = line & setMask;
            int i = lastTouched[set];
            if (tags[i] != line) {
                i = lookup(line, set << waysShift);
                if (i >= 0) {
                    lru.touch(set, i - (set << waysShift));
                    lastTouched[set] = i;
                }
            }
            if (i >= 0) {
                int[] hints = shadowSlot;
                if (shadow.stampUnlessListed(hints[i])) {
                    lastLine = line; // held by the shadow, as every line since it was last empty
                } else {
                    int result = shadow.touchIfPresent(line, hints[i]);
                    hints[i] = FullyAssociativeLru.slot(result);
                    // now the most recent way of its set; the most recent line of the shadow only if held there
                    lastLine = result >= 0 ? line : INVALID;
                }
            } else {
                lastWriteMiss = line;
            }
        }
        bufferedWrite(line, externalTags[line & externalMask] == line ? externalWriteCycles : dramWriteCycles);
    }

    /**
     * Exact when it simulates: write-through with an on-chip cache, the source's line is the last
     * access's (each read only counts its hit, as read's memo path does), and the destination's line
     * is either that line or not on chip (each write then changes no tag, recency or shadow state and
     * leaves lastLine as it is, as write does). What is left per item is the charge, the hit and the
     * write buffer, in the order the items make them.
     */
    @Override
    public boolean readWriteAgain(int src, int dst, int times, int cyclesEach) {
        int srcLine = src >>> lineShift;
        int dstLine = dst >>> lineShift;
        if (!onChip || writeBack || srcLine != lastLine
                || (dstLine != srcLine && dstLine != lastWriteMiss
                    && lookup(dstLine, (dstLine & setMask) << waysShift) >= 0)) {
            return false;
        }
        int busCycles = externalTags[dstLine & externalMask] == dstLine ? externalWriteCycles : dramWriteCycles;
        for (int n = 0; n < times; n++) {
            stats.charge(cyclesEach);
            stats.cacheHits(1);
            bufferedWrite(dstLine, busCycles);
        }
        return true;
    }

    /**
     * One bus write of {@code busCycles}: queued in the write buffer (stalling while it is full), or,
     * without a write buffer, waited for until the bus has done it and every earlier write.
     */
    private void bufferedWrite(int line, int busCycles) {
        long now = stats.now();
        if (!writeBuffer) {
            long done = Math.max(now, lastWriteDone) + busCycles;
            lastWriteDone = done;
            stats.write((int) (done - now));
            return;
        }
        int next = writeNext;
        long oldest = writeDone[next];
        int stall = oldest > now ? (int) (oldest - now) : 0; // full: wait until the oldest retires
        now += stall;
        long done = Math.max(now, lastWriteDone) + busCycles;
        writeDone[next] = done;
        writeNext = next + 1 == writeDone.length ? 0 : next + 1;
        lastWriteDone = done;
        stats.write(stall);
    }

    @Override
    public void drainWriteBuffer() {
        long now = stats.now();
        if (lastWriteDone > now) {
            stats.writeStall((int) (lastWriteDone - now));
        }
        // every buffered write is done by now
    }

    @Override
    public void flush() {
        if (writeBack) {
            // WBINVD: the buffered writes first, then each dirty line, the processor waiting for all
            drainWriteBuffer();
            for (int i = 0; i < dirty.length; i++) {
                if (dirty[i]) {
                    dirty[i] = false;
                    bufferedWrite(tags[i], lineWriteCycles(tags[i]));
                    drainWriteBuffer();
                }
            }
        }
        lastLine = INVALID;
        lastWriteMiss = INVALID;
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
        int n = 0;
        for (boolean d : dirty) {
            if (d) {
                n++;
            }
        }
        return n;
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

package org.l3wb.hw.cache;

import java.util.Arrays;

import org.l3wb.hw.api.MemoryTiming;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.PhysicalMemory;

/**
 * Simulated DRAM as an array of little-endian dwords, with a deterministic frame allocator that
 * hands out the lowest free frame. Frame 0 stays reserved (as the real-mode vector table would),
 * so a page directory at physical 0 is never a valid kernel structure.
 */
final class Dram implements PhysicalMemory {
    private final int[] words;
    private final long[] usedFrames;
    private final int frames;
    private int lowestMaybeFree = 1;
    private int free;

    Dram(MemoryTiming timing) {
        int bytes = timing.memoryBytes();
        words = new int[bytes >>> 2];
        frames = bytes / PageFlags.PAGE_SIZE;
        usedFrames = new long[(frames + 63) >>> 6];
        usedFrames[0] |= 1L; // frame 0 reserved
        free = frames - 1;
    }

    @Override
    public int size() {
        return words.length << 2;
    }

    /* On the simulator's hot path (every load, store and fetch): small enough for the JIT to inline,
       the messages are built out of line. */
    private int wordIndex(int phys) {
        int i = phys >>> 2;
        if ((phys & 3) != 0 || i >= words.length) {
            throw badAddress(phys);
        }
        return i;
    }

    private IllegalArgumentException badAddress(int phys) {
        if ((phys & 3) != 0) {
            return new IllegalArgumentException(String.format("unaligned dword access at physical 0x%08x", phys));
        }
        return new IllegalArgumentException(String.format("physical address 0x%08x beyond installed memory", phys));
    }

    @Override
    public int readWord(int phys) {
        return words[wordIndex(phys)];
    }

    @Override
    public void writeWord(int phys, int value) {
        words[wordIndex(phys)] = value;
    }

    /**
     * Both ends checked first, so a bad range copies nothing; then one array copy, except where the
     * destination overlaps the source from above, which a dword-by-dword copy upwards fills with
     * the source's first dwords again (System.arraycopy would copy as if through a buffer).
     */
    @Override
    public void copyWords(int srcPhys, int dstPhys, int count) {
        if (count <= 0) {
            return;
        }
        int s = wordIndex(srcPhys);
        int d = wordIndex(dstPhys);
        wordIndex(srcPhys + 4 * (count - 1));
        wordIndex(dstPhys + 4 * (count - 1));
        int[] w = words;
        if (d > s && d < s + count) {
            for (int n = 0; n < count; n++) {
                w[d + n] = w[s + n];
            }
        } else {
            System.arraycopy(w, s, w, d, count);
        }
    }

    @Override
    public int readByte(int phys) {
        int w = words[wordIndex(phys & ~3)];
        return (w >>> ((phys & 3) << 3)) & 0xFF;
    }

    @Override
    public void writeByte(int phys, int value) {
        int i = wordIndex(phys & ~3);
        int shift = (phys & 3) << 3;
        words[i] = (words[i] & ~(0xFF << shift)) | ((value & 0xFF) << shift);
    }

    @Override
    public int allocateFrame() {
        for (int f = lowestMaybeFree; f < frames; f++) {
            long bit = 1L << (f & 63);
            if ((usedFrames[f >>> 6] & bit) == 0) {
                usedFrames[f >>> 6] |= bit;
                lowestMaybeFree = f + 1;
                free--;
                int first = f * (PageFlags.PAGE_SIZE >>> 2);
                Arrays.fill(words, first, first + (PageFlags.PAGE_SIZE >>> 2), 0);
                return f * PageFlags.PAGE_SIZE;
            }
        }
        throw new IllegalStateException("physical memory exhausted: all " + frames + " frames in use");
    }

    @Override
    public void freeFrame(int phys) {
        int f = phys / PageFlags.PAGE_SIZE;
        if ((phys & (PageFlags.PAGE_SIZE - 1)) != 0 || f <= 0 || f >= frames) {
            throw new IllegalArgumentException(String.format("not a freeable frame address: 0x%08x", phys));
        }
        long bit = 1L << (f & 63);
        if ((usedFrames[f >>> 6] & bit) == 0) {
            throw new IllegalStateException(String.format("frame 0x%08x freed twice", phys));
        }
        usedFrames[f >>> 6] &= ~bit;
        free++;
        lowestMaybeFree = Math.min(lowestMaybeFree, f);
    }

    @Override
    public int freeFrames() {
        return free;
    }
}

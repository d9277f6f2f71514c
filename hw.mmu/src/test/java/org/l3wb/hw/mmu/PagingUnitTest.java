package org.l3wb.hw.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.Access;
import org.l3wb.hw.api.Cache;
import org.l3wb.hw.api.CacheGeometry;
import org.l3wb.hw.api.PageFault;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.PhysicalMemory;
import org.l3wb.hw.api.Statistics;
import org.l3wb.hw.api.TlbGeometry;

class PagingUnitTest {
    static final TlbGeometry I486_TLB = new TlbGeometry(32, 4);

    final WordMemory memory = new WordMemory(4 << 20);
    final RecordingCache cache = new RecordingCache();
    final Statistics stats = new Statistics();
    final PagingUnit mmu = new PagingUnit(I486_TLB, false, 9, memory, cache, stats);
    final int pdir = memory.allocateFrame();

    @Test
    void aMissWalksTheRealDirectoryAndTableEntriesThroughTheCache() {
        int frame = memory.allocateFrame();
        mmu.map(pdir, 0x0040_3000, frame, PageFlags.USER | PageFlags.WRITABLE);
        mmu.loadCr3(pdir);
        int pde = memory.readWord(pdir + (0x0040_3000 >>> 22) * 4);

        assertEquals(frame + 0x123, mmu.translate(0x0040_3123, Access.USER));
        assertEquals(List.of(pdir + 4, (pde & PageFlags.FRAME_MASK) + 3 * 4), cache.reads,
                "directory entry 1, then table entry 3");
        assertEquals(1, stats.tlbMisses());
        assertEquals(9, stats.now());

        cache.reads.clear();
        assertEquals(frame + 0xFFC, mmu.translate(0x0040_3FFC, Access.USER | Access.WRITE));
        assertTrue(cache.reads.isEmpty(), "a hit walks nothing");
        assertEquals(1, stats.tlbHits());
        assertEquals(9, stats.now());
    }

    @Test
    void cr3LoadFlushesAnUntaggedTlbButNotATaggedOne() {
        int other = memory.allocateFrame();
        int frame = memory.allocateFrame();
        mmu.map(pdir, 0x1000, frame, 0);
        mmu.map(other, 0x1000, frame, 0);
        mmu.loadCr3(pdir);
        mmu.translate(0x1000, 0);
        assertTrue(mmu.tlbHolds(0x1000));
        mmu.loadCr3(other);
        assertFalse(mmu.tlbHolds(0x1000));
        assertEquals(0, mmu.validTlbEntries());

        PagingUnit tagged = new PagingUnit(I486_TLB, true, 9, memory, cache, new Statistics());
        tagged.loadCr3(pdir);
        tagged.translate(0x1000, 0);
        tagged.loadCr3(other);
        assertFalse(tagged.tlbHolds(0x1000), "the other space has no entry yet");
        tagged.translate(0x1000, 0);
        tagged.loadCr3(pdir);
        assertTrue(tagged.tlbHolds(0x1000), "the first space's entry survived the switch");
        assertEquals(2, tagged.validTlbEntries());
    }

    @Test
    void invlpgDropsOnePage() {
        mmu.map(pdir, 0x1000, memory.allocateFrame(), 0);
        mmu.map(pdir, 0x2000, memory.allocateFrame(), 0);
        mmu.loadCr3(pdir);
        mmu.translate(0x1000, 0);
        mmu.translate(0x2000, 0);
        mmu.invalidatePage(0x1abc);
        assertFalse(mmu.tlbHolds(0x1000));
        assertTrue(mmu.tlbHolds(0x2000));
    }

    @Test
    void eightSetsOfFourWaysWithPseudoLruReplacement() {
        // pages 8 apart share a TLB set
        int[] pages = new int[6];
        for (int i = 0; i < pages.length; i++) {
            pages[i] = (i * 8 + 3) << 12;
            mmu.map(pdir, pages[i], memory.allocateFrame(), 0);
        }
        mmu.loadCr3(pdir);
        for (int i = 0; i < 4; i++) {
            mmu.translate(pages[i], 0);
        }
        assertEquals(4, mmu.validTlbEntries());
        mmu.translate(pages[4], 0); // evicts way 0
        assertFalse(mmu.tlbHolds(pages[0]));
        mmu.translate(pages[1], 0); // hit on way 1: the tree turns to ways 2/3, victim way 2
        mmu.translate(pages[5], 0);
        assertFalse(mmu.tlbHolds(pages[2]));
        assertTrue(mmu.tlbHolds(pages[1]) && mmu.tlbHolds(pages[3]) && mmu.tlbHolds(pages[4])
                && mmu.tlbHolds(pages[5]));
        assertEquals(6, stats.tlbMisses());
    }

    @Test
    void faultsReachTheCallerWithAddressAndCause() {
        int kernelPage = 0xE000_0000;
        int readOnly = 0x0080_0000;
        mmu.map(pdir, kernelPage, memory.allocateFrame(), PageFlags.WRITABLE);
        mmu.map(pdir, readOnly, memory.allocateFrame(), PageFlags.USER);
        mmu.loadCr3(pdir);

        PageFault f = assertThrows(PageFault.class, () -> mmu.translate(kernelPage + 8, Access.USER));
        assertEquals(kernelPage + 8, f.linear());
        assertEquals(PageFault.Cause.SUPERVISOR_PAGE, f.cause());

        f = assertThrows(PageFault.class, () -> mmu.translate(readOnly + 4, Access.USER | Access.WRITE));
        assertEquals(PageFault.Cause.READ_ONLY, f.cause());
        assertEquals(readOnly + 4, f.linear());
        f = assertThrows(PageFault.class, () -> mmu.translate(readOnly, Access.WRITE));
        assertEquals(PageFault.Cause.READ_ONLY, f.cause(), "supervisor writes honour read-only (CR0.WP)");

        f = assertThrows(PageFault.class, () -> mmu.translate(0x0C00_0000, 0));
        assertEquals(PageFault.Cause.NOT_PRESENT, f.cause(), "no page table");
        f = assertThrows(PageFault.class, () -> mmu.translate(readOnly + 0x1000, 0));
        assertEquals(PageFault.Cause.NOT_PRESENT, f.cause(), "page table without this entry");
        assertEquals(0x0080_1000, f.linear());

        assertEquals((mmu.entry(pdir, readOnly) & PageFlags.FRAME_MASK) + 4, mmu.translate(readOnly + 4, Access.USER),
                "user reads of a read-only user page still succeed");
    }

    @Test
    void unmappingAndRemappingGoThroughTheEntries() {
        int frame = memory.allocateFrame();
        mmu.map(pdir, 0x5000, frame, PageFlags.USER);
        assertEquals(frame | PageFlags.USER | PageFlags.PRESENT, mmu.entry(pdir, 0x5000));
        mmu.unmap(pdir, 0x5000);
        assertEquals(0, mmu.entry(pdir, 0x5000));
        mmu.loadCr3(pdir);
        assertThrows(PageFault.class, () -> mmu.translate(0x5000, 0));
    }

    @Test
    void missListenerHearsEachMissedPage() {
        List<Integer> pages = new ArrayList<>();
        mmu.map(pdir, 0x7000, memory.allocateFrame(), 0);
        mmu.loadCr3(pdir);
        mmu.onTlbMiss(pages::add);
        mmu.translate(0x7010, 0);
        mmu.translate(0x7020, 0);
        assertEquals(List.of(0x7000), pages);
    }

    /** DRAM stand-in: words, frames from 1 up. */
    static final class WordMemory implements PhysicalMemory {
        final int[] words;
        int next = 1;

        WordMemory(int bytes) {
            words = new int[bytes / 4];
        }

        public int size() {
            return words.length * 4;
        }

        public int readWord(int phys) {
            return words[phys >>> 2];
        }

        public void writeWord(int phys, int value) {
            words[phys >>> 2] = value;
        }

        public int readByte(int phys) {
            return (words[phys >>> 2] >>> ((phys & 3) * 8)) & 0xFF;
        }

        public void writeByte(int phys, int value) {
            throw new UnsupportedOperationException();
        }

        public int allocateFrame() {
            return (next++) << 12;
        }

        public void freeFrame(int phys) {
        }

        public int freeFrames() {
            return words.length / 1024 - next;
        }
    }

    /** Cache stand-in recording the physical addresses the walker reads. */
    static final class RecordingCache implements Cache {
        final List<Integer> reads = new ArrayList<>();

        public void read(int phys) {
            reads.add(phys);
        }

        public void write(int phys) {
        }

        public void flush() {
        }

        public void flushExternal() {
        }

        public int dirtyLines() {
            return 0;
        }

        @Override
        public int validLines() {
            return 0;
        }

        public boolean holds(int phys) {
            return false;
        }

        public CacheGeometry geometry() {
            return new CacheGeometry(8192, 4, 16);
        }

        public void drainWriteBuffer() {
        }
    }
}

package org.l3wb.hw.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.Access;
import org.l3wb.hw.api.PageFault;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.Replacement;
import org.l3wb.hw.api.Statistics;

/** Tags, global pages, flush by tag, write protection and replacement: each test fails without its capability. */
class PagingCapabilitiesTest {
    final PagingUnitTest.WordMemory memory = new PagingUnitTest.WordMemory(4 << 20);
    final PagingUnitTest.RecordingCache cache = new PagingUnitTest.RecordingCache();
    final int spaceA = memory.allocateFrame();
    final int spaceB = memory.allocateFrame();
    final int frame = memory.allocateFrame();
    /** A kernel page mapped in both spaces, marked global, and a user page in each. */
    static final int KERNEL = 0xC000_0000;
    static final int USER = 0x0000_1000;

    private PagingUnit unit(boolean tagged, boolean global, boolean writeProtect, Replacement r) {
        return new PagingUnit(PagingUnitTest.I486_TLB, tagged, global, writeProtect, r, 9, memory, cache,
                new Statistics());
    }

    private void mapBoth() {
        PagingUnit mapper = unit(false, false, true, Replacement.PSEUDO_LRU);
        for (int space : new int[] {spaceA, spaceB}) {
            mapper.map(space, KERNEL, frame, PageFlags.WRITABLE | PageFlags.GLOBAL);
            mapper.map(space, USER, frame, PageFlags.USER | PageFlags.WRITABLE);
        }
    }

    @Test
    void aTaggedTlbKeepsEachSpacesEntriesAndFlushByTagRemovesOneSpaceOnly() {
        mapBoth();
        PagingUnit mmu = unit(true, false, true, Replacement.PSEUDO_LRU);
        mmu.loadCr3(spaceA);
        mmu.translate(USER, Access.USER);
        mmu.translate(KERNEL, 0);
        mmu.loadCr3(spaceB);
        assertFalse(mmu.tlbHolds(KERNEL), "without global pages the kernel page is tagged with space A");
        mmu.translate(USER, Access.USER);
        mmu.translate(KERNEL, 0);
        assertEquals(4, mmu.validTlbEntries(), "kernel page duplicated per space");

        mmu.flushTag(spaceA);
        assertEquals(2, mmu.validTlbEntries());
        assertTrue(mmu.tlbHolds(USER) && mmu.tlbHolds(KERNEL), "space B's entries stay");
        mmu.loadCr3(spaceA);
        assertFalse(mmu.tlbHolds(USER) || mmu.tlbHolds(KERNEL), "space A's entries are gone");
    }

    @Test
    void globalEntriesMatchInEverySpaceAndSurviveFlushByTagAndCr3Loads() {
        mapBoth();
        PagingUnit mmu = unit(true, true, true, Replacement.PSEUDO_LRU);
        mmu.loadCr3(spaceA);
        mmu.translate(USER, Access.USER);
        mmu.translate(KERNEL, 0);
        mmu.loadCr3(spaceB);
        assertTrue(mmu.tlbHolds(KERNEL), "the global kernel entry is valid in space B");
        assertFalse(mmu.tlbHolds(USER));
        mmu.flushTag(spaceA);
        mmu.flushTag(spaceB);
        assertTrue(mmu.tlbHolds(KERNEL), "flush by tag keeps global entries");
        assertEquals(1, mmu.validTlbEntries());
        mmu.flushTlb();
        assertEquals(0, mmu.validTlbEntries(), "only a full flush removes them");

        PagingUnit untagged = unit(false, true, true, Replacement.PSEUDO_LRU);
        untagged.loadCr3(spaceA);
        untagged.translate(USER, Access.USER);
        untagged.translate(KERNEL, 0);
        untagged.loadCr3(spaceB);
        assertTrue(untagged.tlbHolds(KERNEL), "an untagged TLB with global pages keeps them across CR3 loads");
        assertFalse(untagged.tlbHolds(USER));
    }

    @Test
    void supervisorWritesToReadOnlyPagesFaultOnlyWithWriteProtection() {
        PagingUnit i486 = unit(false, false, true, Replacement.PSEUDO_LRU);
        i486.map(spaceA, USER, frame, PageFlags.USER); // read-only
        i486.loadCr3(spaceA);
        assertThrows(PageFault.class, () -> i486.translate(USER, Access.WRITE), "i486, CR0.WP set");

        PagingUnit i386 = unit(false, false, false, Replacement.PSEUDO_LRU);
        i386.loadCr3(spaceA);
        assertEquals(frame, i386.translate(USER, Access.WRITE), "the 386 supervisor writes any page");
        PageFault f = assertThrows(PageFault.class, () -> i386.translate(USER, Access.WRITE | Access.USER));
        assertEquals(PageFault.Cause.READ_ONLY, f.cause(), "user writes still fault");
    }

    @Test
    void trueLruAndPseudoLruEvictDifferentTlbEntries() {
        // the i486 TLB has 8 sets: pages 8 apart share a set
        int[] pages = new int[5];
        for (int i = 0; i < 5; i++) {
            pages[i] = (8 * i + 1) << 12;
        }
        for (Replacement r : Replacement.values()) {
            PagingUnit mmu = unit(false, false, true, r);
            for (int p : pages) {
                mmu.map(spaceA, p, frame, 0);
            }
            mmu.loadCr3(spaceA);
            for (int i : new int[] {0, 1, 2, 3, 2, 0, 4}) {
                mmu.translate(pages[i], 0);
            }
            int evicted = r == Replacement.LRU ? 1 : 3;
            assertFalse(mmu.tlbHolds(pages[evicted]), r + " evicts way " + evicted);
            assertTrue(mmu.tlbHolds(pages[4 - evicted]), r + " keeps way " + (4 - evicted));
        }
    }
}

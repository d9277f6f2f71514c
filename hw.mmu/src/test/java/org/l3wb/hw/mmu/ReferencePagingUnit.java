package org.l3wb.hw.mmu;

import java.util.Arrays;
import java.util.function.IntConsumer;

import org.l3wb.hw.api.Access;
import org.l3wb.hw.api.Cache;
import org.l3wb.hw.api.Mmu;
import org.l3wb.hw.api.PageFault;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.PhysicalMemory;
import org.l3wb.hw.api.Statistics;
import org.l3wb.hw.api.TlbGeometry;

/**
 * Frozen copy of PagingUnit as it was before the host-speed work (commit 74bb95b), kept as the
 * reference the optimised one must match exactly; see PagingUnitEquivalenceTest.
 *
 * <p>Original description:
 * The 486 paging unit. Translation looks up the set-associative TLB; a miss costs the model's miss
 * cycles, reads the page-directory entry at CR3 + 4 x (linear bits 31..22) and the page-table entry
 * it points to, each through the cache (so a walk whose entries are not cached also pays line fills),
 * and fills the pseudo-LRU victim. Access rights are the AND of both levels' user and write bits, and
 * supervisor writes to read-only pages fault too (CR0.WP set). Accessed and dirty bits are not written
 * back: the 486 does so only on an entry's first use, which no experiment here measures.
 */
final class ReferencePagingUnit implements Mmu {
    private static final int INVALID = -1;

    private final int ways;
    private final int setMask;
    private final boolean tagged;
    private final int missCost;
    private final PhysicalMemory memory;
    private final Cache cache;
    private final Statistics stats;
    private final int[] pageOf;
    private final int[] frameOf;
    private final int[] rightsOf;
    private final int[] spaceOf;
    private final org.l3wb.hw.replacement.Recency lru;
    private int cr3;
    private IntConsumer missListener;

    ReferencePagingUnit(TlbGeometry tlb, boolean tagged, int missCost, PhysicalMemory memory, Cache cache,
               Statistics stats) {
        if (missCost < 0) {
            throw new IllegalArgumentException("cost tlbMiss must not be negative, got " + missCost);
        }
        this.ways = tlb.ways();
        this.setMask = tlb.sets() - 1;
        this.tagged = tagged;
        this.missCost = missCost;
        this.memory = memory;
        this.cache = cache;
        this.stats = stats;
        pageOf = new int[tlb.entries()];
        frameOf = new int[tlb.entries()];
        rightsOf = new int[tlb.entries()];
        spaceOf = new int[tlb.entries()];
        Arrays.fill(pageOf, INVALID);
        lru = org.l3wb.hw.replacement.Recency.of(org.l3wb.hw.api.Replacement.PSEUDO_LRU, tlb.sets(), ways);
    }

    @Override
    public int translate(int linear, int access) {
        int page = linear >>> 12;
        int set = page & setMask;
        int base = set * ways;
        for (int w = 0; w < ways; w++) {
            int e = base + w;
            if (pageOf[e] == page && (!tagged || spaceOf[e] == cr3)) {
                stats.tlbHits(1);
                lru.touch(set, w);
                check(linear, access, rightsOf[e]);
                return frameOf[e] | (linear & 0xFFF);
            }
        }
        return walk(linear, access, page, set, base);
    }

    private int walk(int linear, int access, int page, int set, int base) {
        stats.tlbMiss(missCost);
        if (missListener != null) {
            missListener.accept(linear & PageFlags.FRAME_MASK);
        }
        int pdeAddress = (cr3 & PageFlags.FRAME_MASK) | ((linear >>> 22) << 2);
        cache.read(pdeAddress);
        int pde = memory.readWord(pdeAddress);
        if ((pde & PageFlags.PRESENT) == 0) {
            throw new PageFault(linear, PageFault.Cause.NOT_PRESENT, access);
        }
        int pteAddress = (pde & PageFlags.FRAME_MASK) | (((linear >>> 12) & 0x3FF) << 2);
        cache.read(pteAddress);
        int pte = memory.readWord(pteAddress);
        if ((pte & PageFlags.PRESENT) == 0) {
            throw new PageFault(linear, PageFault.Cause.NOT_PRESENT, access);
        }
        int rights = pde & pte & (PageFlags.USER | PageFlags.WRITABLE);
        int way = INVALID;
        for (int w = 0; w < ways; w++) {
            if (pageOf[base + w] == INVALID) {
                way = w;
                break;
            }
        }
        if (way == INVALID) {
            way = lru.victim(set);
        }
        int e = base + way;
        pageOf[e] = page;
        frameOf[e] = pte & PageFlags.FRAME_MASK;
        rightsOf[e] = rights;
        spaceOf[e] = cr3;
        lru.touch(set, way);
        check(linear, access, rights);
        return frameOf[e] | (linear & 0xFFF);
    }

    private static void check(int linear, int access, int rights) {
        if ((access & Access.USER) != 0 && (rights & PageFlags.USER) == 0) {
            throw new PageFault(linear, PageFault.Cause.SUPERVISOR_PAGE, access);
        }
        if ((access & Access.WRITE) != 0 && (rights & PageFlags.WRITABLE) == 0) {
            throw new PageFault(linear, PageFault.Cause.READ_ONLY, access);
        }
    }

    @Override
    public void loadCr3(int pageDirectory) {
        cr3 = pageDirectory & PageFlags.FRAME_MASK;
        if (!tagged) {
            flushTlb();
        }
    }

    @Override
    public void flushTag(int pageDirectory) {
        throw new UnsupportedOperationException("the reference models the i486, which has no tags");
    }

    @Override
    public int cr3() {
        return cr3;
    }

    @Override
    public void invalidatePage(int linear) {
        int page = linear >>> 12;
        int base = (page & setMask) * ways;
        for (int w = 0; w < ways; w++) {
            if (pageOf[base + w] == page) {
                pageOf[base + w] = INVALID;
            }
        }
    }

    @Override
    public void flushTlb() {
        Arrays.fill(pageOf, INVALID);
        lru.clear();
    }

    @Override
    public boolean tlbHolds(int linear) {
        int page = linear >>> 12;
        int base = (page & setMask) * ways;
        for (int w = 0; w < ways; w++) {
            if (pageOf[base + w] == page && (!tagged || spaceOf[base + w] == cr3)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int validTlbEntries() {
        int n = 0;
        for (int p : pageOf) {
            if (p != INVALID) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void onTlbMiss(IntConsumer pageListener) {
        this.missListener = pageListener;
    }

    @Override
    public void map(int pageDirectory, int linear, int frame, int flags) {
        int pdeAddress = (pageDirectory & PageFlags.FRAME_MASK) | ((linear >>> 22) << 2);
        int pde = memory.readWord(pdeAddress);
        if ((pde & PageFlags.PRESENT) == 0) {
            pde = memory.allocateFrame() | PageFlags.PRESENT | PageFlags.WRITABLE | PageFlags.USER;
            memory.writeWord(pdeAddress, pde);
        }
        int pteAddress = (pde & PageFlags.FRAME_MASK) | (((linear >>> 12) & 0x3FF) << 2);
        memory.writeWord(pteAddress, (frame & PageFlags.FRAME_MASK) | (flags & 0xFFF) | PageFlags.PRESENT);
    }

    @Override
    public void unmap(int pageDirectory, int linear) {
        int pde = memory.readWord((pageDirectory & PageFlags.FRAME_MASK) | ((linear >>> 22) << 2));
        if ((pde & PageFlags.PRESENT) != 0) {
            memory.writeWord((pde & PageFlags.FRAME_MASK) | (((linear >>> 12) & 0x3FF) << 2), 0);
        }
    }

    @Override
    public int entry(int pageDirectory, int linear) {
        int pde = memory.readWord((pageDirectory & PageFlags.FRAME_MASK) | ((linear >>> 22) << 2));
        if ((pde & PageFlags.PRESENT) == 0) {
            return 0;
        }
        return memory.readWord((pde & PageFlags.FRAME_MASK) | (((linear >>> 12) & 0x3FF) << 2));
    }
}

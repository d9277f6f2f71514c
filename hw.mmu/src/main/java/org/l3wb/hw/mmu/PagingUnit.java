package org.l3wb.hw.mmu;

import java.util.Arrays;
import java.util.function.IntConsumer;

import org.l3wb.hw.api.Access;
import org.l3wb.hw.api.Cache;
import org.l3wb.hw.api.Mmu;
import org.l3wb.hw.api.PageFault;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.PhysicalMemory;
import org.l3wb.hw.api.Replacement;
import org.l3wb.hw.api.Statistics;
import org.l3wb.hw.api.TlbGeometry;
import org.l3wb.hw.replacement.Recency;

/**
 * The 486 paging unit. Translation looks up the set-associative TLB; a miss costs the model's miss
 * cycles, reads the page-directory entry at CR3 + 4 x (linear bits 31..22) and the page-table entry
 * it points to, each through the cache (so a walk whose entries are not cached also pays line fills),
 * and fills the replacement victim (the i486: tree pseudo-LRU). Access rights are the AND of both
 * levels' user and write bits; supervisor writes to read-only pages fault too where the model has
 * write protection (the i486 with CR0.WP set), and succeed on a 386, which has no WP bit (386 manual,
 * "page-level protection": the supervisor may write any page). Accessed and dirty bits are not written
 * back: the 486 does so only on an entry's first use, which no experiment here measures.
 *
 * <p>A tagged TLB tags each entry with the CR3 it was loaded under (the page directory names the
 * address space), so a CR3 load keeps the other spaces' entries and only entries of the current space
 * match. With global pages, an entry whose page-table entry has {@link PageFlags#GLOBAL} is tagged
 * {@link #GLOBAL_TAG} instead: it matches in every space and survives CR3 loads and flushes by tag.
 */
final class PagingUnit implements Mmu {
    private static final int INVALID = -1;
    // an entry's fields in {@link #tlb}: ENTRY ints per entry
    private static final int PAGE = 0;
    private static final int SPACE = 1;
    private static final int FRAME = 2;
    /** The {@link Access} bits the entry's rights forbid: USER unless user, WRITE unless writable. */
    private static final int FORBIDDEN = 3;
    private static final int ENTRY = 4;
    /** The tag of a global entry: a CR3 is page aligned, so no space has it. */
    private static final int GLOBAL_TAG = 1;

    private final int ways;
    private final int waysShift;
    private final int setMask;
    private final boolean tagged;
    /** The page-table entries' G bit, where honoured; 0 where the model has no global pages. */
    private final int globalBit;
    private final boolean writeProtect;
    private final int missCost;
    private final PhysicalMemory memory;
    private final Cache cache;
    private final Statistics stats;
    /**
     * The entries, way by way and set by set, each {@link #ENTRY} ints: page number (INVALID when
     * empty), CR3 it was loaded under, frame address, forbidden access bits. One array, so that a
     * hit reads one object and its fields share a host cache line.
     */
    private final int[] tlb;
    private final Recency lru;
    /**
     * Per set, a copy of the entry its pseudo-LRU last touched, so that translateOther's first check
     * is one load (another hit on that entry changes nothing but the hit count): page number in the
     * high 32 bits, frame | forbidden access bits in the low 32 (a frame's low 12 bits are zero), or
     * {@link #NO_MRU} when unknown. Only a hint: it may be NO_MRU while the entry is valid (then the
     * set search finds and touches that entry again, which changes nothing), but whenever it holds a
     * page, that page is in the set's last touched entry, loaded under the current CR3. So set
     * searches and fills write it, and a CR3 load (tagged TLB), INVLPG and a flush forget it.
     */
    private final long[] mru;
    private static final long NO_MRU = -1L; // page INVALID
    private static final int FORBIDDEN_BITS = Access.USER | Access.WRITE;
    /*
     * The entry the last translation hit or filled: its page (INVALID once a CR3 load, INVLPG or
     * flush may have changed the TLB), frame and forbidden access bits. It is the most recently
     * touched way of its set, so another hit on it changes nothing but the hit count: runs of
     * accesses to one page (a TCB, the descriptor tables, the stack) take translate's short path.
     */
    private int lastPage = INVALID;
    private int lastFrame;
    private int lastForbidden;
    private int cr3;
    private IntConsumer missListener;

    PagingUnit(TlbGeometry tlb, boolean tagged, int missCost, PhysicalMemory memory, Cache cache,
               Statistics stats) {
        this(tlb, tagged, false, true, Replacement.PSEUDO_LRU, missCost, memory, cache, stats);
    }

    /**
     * @param globalPages  whether the G bit of page-table entries is honoured
     * @param writeProtect whether supervisor writes to read-only pages fault (i486 CR0.WP; not on a 386)
     * @param replacement  which way of a full set a miss replaces
     */
    PagingUnit(TlbGeometry tlb, boolean tagged, boolean globalPages, boolean writeProtect, Replacement replacement,
               int missCost, PhysicalMemory memory, Cache cache, Statistics stats) {
        if (missCost < 0) {
            throw new IllegalArgumentException("cost tlbMiss must not be negative, got " + missCost);
        }
        this.ways = tlb.ways();
        this.waysShift = Integer.numberOfTrailingZeros(ways);
        this.setMask = tlb.sets() - 1;
        this.tagged = tagged;
        this.globalBit = globalPages ? PageFlags.GLOBAL : 0;
        this.writeProtect = writeProtect;
        this.missCost = missCost;
        this.memory = memory;
        this.cache = cache;
        this.stats = stats;
        this.tlb = new int[tlb.entries() * ENTRY];
        for (int e = 0; e < tlb.entries(); e++) {
            this.tlb[e * ENTRY + PAGE] = INVALID;
        }
        lru = Recency.of(replacement, tlb.sets(), ways);
        mru = new long[tlb.sets()];
        Arrays.fill(mru, NO_MRU);
    }

    /*
     * translate runs for every fetch, load and store, so it is split for the JIT: the page of the
     * last translation (half of them in an IPC) takes the few bytecodes here, inlined into the
     * processor; everything else is one method too large to inline (translateOther), compiled once.
     */
    @Override
    public int translate(int linear, int access) {
        if (linear >>> 12 != lastPage) {
            return translateOther(linear, access);
        }
        stats.tlbHits(1);
        if ((access & lastForbidden) != 0) {
            check(linear, access, rights(lastForbidden));
        }
        return lastFrame | (linear & 0xFFF);
    }

    /**
     * A translation of another page than the last one: the set's last touched entry (its copy in
     * mru), else the set, else a TLB miss. The miss costs the model's miss cycles, reads the
     * page-directory and page-table entries through the cache, fills the first free way or the
     * pseudo-LRU victim, then checks the rights (a faulting access leaves the entry loaded, as on the
     * 486). One method, so that it stays out of line (larger than the JIT inlines) and is compiled
     * once.
     */
    private int translateOther(int linear, int access) {
        int page = linear >>> 12;
        int set = page & setMask;
        int[] t = tlb;
        int e;
        int k;
        int forbidden;
        int frame;
        long m = mru[set];
        if ((int) (m >>> 32) == page) {
            stats.tlbHits(1);
            forbidden = (int) m & FORBIDDEN_BITS;
            frame = (int) m & PageFlags.FRAME_MASK;
        } else {
            int base = set << waysShift;
            e = tagged ? lookupTagged(page, base) : lookup(page, base);
            if (e >= 0) {
                stats.tlbHits(1);
                lru.touch(set, e - base);
                k = e * ENTRY;
                forbidden = t[k + FORBIDDEN];
                frame = t[k + FRAME];
            } else {
                // TLB miss: walk the two levels through the cache
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
                e = lookup(INVALID, base); // the first free way, if any
                if (e < 0) {
                    e = base + lru.victim(set);
                }
                k = e * ENTRY;
                frame = pte & PageFlags.FRAME_MASK;
                forbidden = forbidden(rights);
                t[k + PAGE] = page;
                t[k + SPACE] = (pte & globalBit) != 0 ? GLOBAL_TAG : cr3;
                t[k + FRAME] = frame;
                t[k + FORBIDDEN] = forbidden;
                lru.touch(set, e - base);
            }
            mru[set] = ((long) page << 32) | ((frame | forbidden) & 0xFFFF_FFFFL);
        }
        lastPage = page;
        lastFrame = frame;
        lastForbidden = forbidden;
        if ((access & forbidden) != 0) {
            check(linear, access, rights(forbidden));
        }
        return frame | (linear & 0xFFF);
    }

    /**
     * Exact when it counts: the second page is the last translated (so also its set's last touched
     * entry, in mru), and the first is either the same page, or its own set's last touched entry (in
     * mru, a set the second's translation did not touch; translating the first then takes the mru
     * path, the second the mru path again: each a hit that leaves lastPage, mru and the replacement
     * as they are), or in the same set ({@link #translateAgainInSet}). The rights were checked with the same access bits; a forbidden access is left to
     * translate, to fault at its own item.
     */
    @Override
    public boolean translateAgain(int first, int firstAccess, int second, int secondAccess, int times) {
        int firstPage = first >>> 12;
        int secondPage = second >>> 12;
        if (secondPage != lastPage || (secondAccess & lastForbidden) != 0) {
            return false;
        }
        if (firstPage == secondPage) {
            if ((firstAccess & lastForbidden) != 0) {
                return false;
            }
        } else {
            int set = firstPage & setMask;
            if (set == (secondPage & setMask)) {
                return translateAgainInSet(firstPage, firstAccess, secondPage, set, times);
            }
            long m = mru[set];
            if ((int) (m >>> 32) != firstPage || (firstAccess & (int) m & FORBIDDEN_BITS) != 0) {
                return false;
            }
        }
        stats.tlbHits(2 * times);
        return true;
    }

    /**
     * Two pages of one set: each translation misses mru (it holds the other page), finds its entry
     * and touches it, so the pair's translations alternate touches of two ways; exact at once where
     * the replacement can repeat them at once ({@link Recency#touchAgain}). lastPage and mru end as
     * they began: the second page's.
     */
    private boolean translateAgainInSet(int firstPage, int firstAccess, int secondPage, int set, int times) {
        int base = set << waysShift;
        int e = tagged ? lookupTagged(firstPage, base) : lookup(firstPage, base);
        int last = tagged ? lookupTagged(secondPage, base) : lookup(secondPage, base);
        if (e < 0 || last < 0 || (firstAccess & tlb[e * ENTRY + FORBIDDEN]) != 0
                || !lru.touchAgain(set, e - base, last - base, times)) {
            return false;
        }
        stats.tlbHits(2 * times);
        return true;
    }

    /** @return the entry of the set at {@code base} whose page is {@code page} (INVALID: a free one), or -1 */
    private int lookup(int page, int base) {
        int[] t = tlb;
        if (ways == 4) {
            int k = base * ENTRY + PAGE;
            if (t[k] == page) {
                return base;
            }
            if (t[k + ENTRY] == page) {
                return base + 1;
            }
            if (t[k + 2 * ENTRY] == page) {
                return base + 2;
            }
            return t[k + 3 * ENTRY] == page ? base + 3 : -1;
        }
        for (int e = base, end = base + ways; e < end; e++) {
            if (t[e * ENTRY + PAGE] == page) {
                return e;
            }
        }
        return -1;
    }

    /** {@link #lookup} in a tagged TLB: the entry must also have been loaded under the current CR3, or be global. */
    private int lookupTagged(int page, int base) {
        int[] t = tlb;
        for (int e = base, end = base + ways; e < end; e++) {
            int space = t[e * ENTRY + SPACE];
            if (t[e * ENTRY + PAGE] == page && (space == cr3 || space == GLOBAL_TAG)) {
                return e;
            }
        }
        return -1;
    }

    private static int forbidden(int rights) {
        return ((rights & PageFlags.USER) == 0 ? Access.USER : 0)
                | ((rights & PageFlags.WRITABLE) == 0 ? Access.WRITE : 0);
    }

    private static int rights(int forbidden) {
        return ((forbidden & Access.USER) == 0 ? PageFlags.USER : 0)
                | ((forbidden & Access.WRITE) == 0 ? PageFlags.WRITABLE : 0);
    }

    private void check(int linear, int access, int rights) {
        if ((access & Access.USER) != 0 && (rights & PageFlags.USER) == 0) {
            throw new PageFault(linear, PageFault.Cause.SUPERVISOR_PAGE, access);
        }
        if ((access & Access.WRITE) != 0 && (rights & PageFlags.WRITABLE) == 0
                && (writeProtect || (access & Access.USER) != 0)) {
            throw new PageFault(linear, PageFault.Cause.READ_ONLY, access);
        }
    }

    @Override
    public void loadCr3(int pageDirectory) {
        lastPage = INVALID;
        cr3 = pageDirectory & PageFlags.FRAME_MASK;
        if (!tagged) {
            if (globalBit == 0) {
                flushTlb();
            } else {
                flushSpace(INVALID); // the untagged entries belong to the old space; global ones stay
            }
        } else {
            Arrays.fill(mru, NO_MRU); // its pages were loaded under the old CR3
        }
    }

    @Override
    public void flushTag(int pageDirectory) {
        // untagged: every entry not global belongs to the current space
        flushSpace(tagged ? pageDirectory & PageFlags.FRAME_MASK : INVALID);
    }

    /** Invalidates the entries tagged {@code space} (INVALID: every entry), except global ones. */
    private void flushSpace(int space) {
        lastPage = INVALID;
        for (int k = 0; k < tlb.length; k += ENTRY) {
            int tag = tlb[k + SPACE];
            if (tag != GLOBAL_TAG && (space == INVALID || tag == space)) {
                tlb[k + PAGE] = INVALID;
            }
        }
        Arrays.fill(mru, NO_MRU);
    }

    @Override
    public int cr3() {
        return cr3;
    }

    @Override
    public void invalidatePage(int linear) {
        lastPage = INVALID;
        int page = linear >>> 12;
        int base = (page & setMask) * ways;
        mru[page & setMask] = NO_MRU;
        for (int e = base; e < base + ways; e++) {
            if (tlb[e * ENTRY + PAGE] == page) {
                tlb[e * ENTRY + PAGE] = INVALID;
            }
        }
    }

    @Override
    public void flushTlb() {
        lastPage = INVALID;
        for (int k = PAGE; k < tlb.length; k += ENTRY) {
            tlb[k] = INVALID;
        }
        Arrays.fill(mru, NO_MRU);
        lru.clear();
    }

    @Override
    public boolean tlbHolds(int linear) {
        int page = linear >>> 12;
        int base = (page & setMask) * ways;
        for (int e = base; e < base + ways; e++) {
            int space = tlb[e * ENTRY + SPACE];
            if (tlb[e * ENTRY + PAGE] == page && (!tagged || space == cr3 || space == GLOBAL_TAG)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int validTlbEntries() {
        int n = 0;
        for (int k = PAGE; k < tlb.length; k += ENTRY) {
            if (tlb[k] != INVALID) {
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

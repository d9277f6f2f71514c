package org.l3wb.hw.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.l3wb.hw.api.Access;
import org.l3wb.hw.api.Mmu;
import org.l3wb.hw.api.Mode;
import org.l3wb.hw.api.PageFault;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.Statistics;
import org.l3wb.hw.api.TlbGeometry;

/**
 * The paging unit is on the simulator's innermost loop and was rewritten for host speed (a memo of
 * the last page, each set's last touched entry, entries in one array); what it simulates must not
 * have changed by one cycle. This runs long random streams of translations and TLB operations
 * through it and through {@link ReferencePagingUnit}, the implementation as it was before, over the
 * same page tables, and compares after every step: the physical address or the fault (cause,
 * address, access), every TLB counter of both modes, the page-table reads each made through the
 * cache and the pages each reported to its miss listener, and what each TLB holds.
 */
class PagingUnitEquivalenceTest {
    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(new TlbGeometry(32, 4), false), // the i486
                Arguments.of(new TlbGeometry(32, 4), true),
                Arguments.of(new TlbGeometry(8, 1), false),
                Arguments.of(new TlbGeometry(16, 2), true),
                Arguments.of(new TlbGeometry(64, 8), false),
                Arguments.of(new TlbGeometry(4, 4), false));
    }

    private static final int[] ACCESSES = {
        0, Access.WRITE, Access.USER, Access.USER | Access.WRITE, Access.FETCH, Access.FETCH | Access.USER,
    };

    @ParameterizedTest
    @MethodSource("shapes")
    void simulatesExactlyWhatTheReferenceDoes(TlbGeometry geometry, boolean tagged) {
        PagingUnitTest.WordMemory memory = new PagingUnitTest.WordMemory(8 << 20);
        PagingUnitTest.RecordingCache cache = new PagingUnitTest.RecordingCache();
        PagingUnitTest.RecordingCache referenceCache = new PagingUnitTest.RecordingCache();
        Statistics s = new Statistics();
        Statistics r = new Statistics();
        Mmu mmu = new PagingUnit(geometry, tagged, 9, memory, cache, s);
        Mmu reference = new ReferencePagingUnit(geometry, tagged, 9, memory, referenceCache, r);
        List<Integer> misses = new ArrayList<>();
        List<Integer> referenceMisses = new ArrayList<>();
        mmu.onTlbMiss(misses::add);
        reference.onTlbMiss(referenceMisses::add);
        Random random = new Random(geometry.entries() * 131L + geometry.ways() * 7L + (tagged ? 1 : 0));

        // three address spaces over a few regions: pages with every combination of rights, and gaps
        int[] directories = {memory.allocateFrame(), memory.allocateFrame(), memory.allocateFrame()};
        int[] regions = {0x0000_0000, 0x0040_0000, 0x1400_0000, 0xC000_0000, 0xF000_0000};
        List<Integer> pages = new ArrayList<>();
        for (int region : regions) {
            for (int i = 0; i < 40; i++) {
                pages.add(region + i * 0x1000 * (1 + random.nextInt(3)));
            }
        }
        for (int directory : directories) {
            for (int page : pages) {
                if (random.nextInt(6) != 0) {
                    mmu.map(directory, page, memory.allocateFrame(), random.nextInt(4) * PageFlags.WRITABLE);
                }
            }
        }
        int cr3 = directories[0];
        mmu.loadCr3(cr3);
        reference.loadCr3(cr3);

        for (int step = 0; step < 60_000; step++) {
            int op = random.nextInt(1000);
            // mostly a few hot pages, as code, stack and a TCB are; sometimes any page, mapped or not
            int page = random.nextInt(4) != 0 ? pages.get(random.nextInt(12) * 7 % pages.size())
                    : random.nextInt(10) == 0 ? random.nextInt() & PageFlags.FRAME_MASK : pages.get(random.nextInt(pages.size()));
            int linear = page | (random.nextInt(1024) * 4);
            if (op < 900) {
                int access = ACCESSES[random.nextInt(ACCESSES.length)];
                String got = translate(mmu, linear, access);
                assertEquals(translate(reference, linear, access), got, "translation at step " + step);
            } else if (op < 930) {
                cr3 = directories[random.nextInt(directories.length)];
                mmu.loadCr3(cr3);
                reference.loadCr3(cr3);
            } else if (op < 955) {
                mmu.invalidatePage(linear);
                reference.invalidatePage(linear);
            } else if (op < 960) {
                mmu.flushTlb();
                reference.flushTlb();
            } else if (op < 975) {
                Mode m = random.nextBoolean() ? Mode.USER : Mode.KERNEL;
                s.enter(m);
                r.enter(m);
            } else if (op < 990) {
                // the page tables change under the TLB, which keeps what it loaded (as on the 486)
                int directory = directories[random.nextInt(directories.length)];
                if (random.nextBoolean()) {
                    mmu.map(directory, page, memory.allocateFrame(), random.nextInt(4) * PageFlags.WRITABLE);
                } else {
                    mmu.unmap(directory, page);
                }
            } else {
                assertEquals(reference.validTlbEntries(), mmu.validTlbEntries(), "valid entries at step " + step);
            }
            assertEquals(reference.tlbHolds(linear), mmu.tlbHolds(linear), "holds at step " + step);
            assertEquals(r.now(), s.now(), "clock at step " + step);
            for (Mode m : Mode.values()) {
                assertEquals(r.tlbHits(m), s.tlbHits(m), "TLB hits (" + m + ") at step " + step);
                assertEquals(r.tlbMisses(m), s.tlbMisses(m), "TLB misses (" + m + ") at step " + step);
                assertEquals(r.tlbMissCycles(m), s.tlbMissCycles(m), "TLB miss cycles (" + m + ") at step " + step);
            }
            assertEquals(referenceCache.reads.size(), cache.reads.size(), "page-table reads at step " + step);
            assertEquals(referenceMisses.size(), misses.size(), "misses reported at step " + step);
        }
        assertEquals(referenceCache.reads, cache.reads, "the page-table reads, in order");
        assertEquals(referenceMisses, misses, "the pages reported to the miss listener, in order");
    }

    /** @return the physical address, or the fault, as a string to compare */
    private static String translate(Mmu mmu, int linear, int access) {
        try {
            return Integer.toHexString(mmu.translate(linear, access));
        } catch (PageFault f) {
            return f.cause() + " " + Integer.toHexString(f.linear()) + " " + f.access();
        }
    }
}

package org.l3wb.hw.api;

/**
 * Shape of a set-associative TLB. The i486 has 32 entries in 8 sets of 4 ways with pseudo-LRU
 * replacement (paper, section 5).
 *
 * @param entries total entries, a power of two
 * @param ways    entries per set, a power of two not above {@code entries}
 */
public record TlbGeometry(int entries, int ways) {
    /** Rejects shapes that are not powers of two. */
    public TlbGeometry {
        Geometry.powerOfTwo("tlb.entries", entries);
        Geometry.powerOfTwo("tlb.ways", ways);
        if (ways > entries) {
            throw new IllegalArgumentException("tlb.ways must not exceed tlb.entries, got " + ways + " > " + entries);
        }
    }

    /** @return number of sets */
    public int sets() {
        return entries / ways;
    }
}

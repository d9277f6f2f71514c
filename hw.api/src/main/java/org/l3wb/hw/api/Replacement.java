package org.l3wb.hw.api;

/** Which way of a full set a fill replaces, in the TLB and in the on-chip cache. */
public enum Replacement {
    /** Tree pseudo-LRU, as the i486 uses for its cache and its TLB (3 bits per 4-way set). */
    PSEUDO_LRU,
    /** True least recently used: the way touched longest ago. */
    LRU
}

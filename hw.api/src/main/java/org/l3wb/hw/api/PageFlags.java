package org.l3wb.hw.api;

/** Bits of a 486 page-directory or page-table entry; the frame address sits in bits 31..12. */
public final class PageFlags {
    /** The entry maps something; clear means any access page-faults. */
    public static final int PRESENT = 1;
    /** Writes are allowed (read-only otherwise). */
    public static final int WRITABLE = 2;
    /** User mode may access (supervisor only otherwise). */
    public static final int USER = 4;
    /**
     * Global page (bit 8, as the Pentium's PGE defines it): the entry is not tagged with an address
     * space and survives CR3 loads and flushes by tag. Honoured only where
     * {@link ProcessorModel#globalPages()}; ignored (an ordinary entry) elsewhere.
     */
    public static final int GLOBAL = 0x100;
    /** Size of a page and of a page table, in bytes. */
    public static final int PAGE_SIZE = 4096;
    /** Bytes of address space one page-directory entry covers (4 MB). */
    public static final int REGION_SIZE = 4 << 20;
    /** Mask of the frame address in an entry. */
    public static final int FRAME_MASK = 0xFFFF_F000;

    private PageFlags() {
    }
}

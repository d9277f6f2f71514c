package org.l3wb.hw.api;

/** What the on-chip cache does with writes ({@link ProcessorModel#writePolicy()}). */
public enum WritePolicy {
    /**
     * The i486: every write goes to the bus (through the write buffer); a write hit updates the line,
     * a write miss does not allocate one (i486 manual, "on-chip cache").
     */
    WRITE_THROUGH_NO_ALLOCATE,
    /**
     * Write-back with write allocation: a write miss fills the line, writes mark it dirty and go no
     * further; a dirty line is written back when it is replaced or by WBINVD.
     */
    WRITE_BACK_ALLOCATE
}

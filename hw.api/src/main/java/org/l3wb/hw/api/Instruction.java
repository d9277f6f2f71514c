package org.l3wb.hw.api;

/**
 * Instructions some processors of the family lack. Executing one the model does not declare in
 * {@link ProcessorModel#instructions()} raises {@link InvalidOpcode}, as the processor would raise
 * its invalid-opcode exception (#UD, vector 6).
 */
public enum Instruction {
    /** INVLPG m: invalidates one page's TLB entry. New in the i486; a 386 kernel reloads CR3 instead. */
    INVLPG,
    /** WBINVD: writes back dirty lines and empties the on-chip cache. New in the i486. */
    WBINVD,
    /**
     * Flush by tag: invalidates the TLB entries tagged with one address space (not global ones). A
     * tagged TLB needs it, since loading CR3 no longer flushes (as MIPS and later x86 processors offer).
     */
    FLUSH_TLB_TAG
}

package org.l3wb.lab.appendix;

import java.util.List;

/**
 * One appendix table executed on the model.
 *
 * @param table           the paper's table number (3, 4 or 5)
 * @param action          what the sequence does
 * @param cycles          all cycles the sequence took
 * @param instructions    instructions the sequence executed (user and kernel)
 * @param executionCycles cycles less TLB-walk, line-fill and write-buffer stalls
 * @param tlbMisses       TLB misses the TLB model observed
 * @param cacheMisses     on-chip cache misses the cache model observed
 * @param missPages       the pages of those TLB misses, in order, named
 */
public record AppendixResult(int table, String action, long cycles, long instructions, long executionCycles, long tlbMisses,
                             long cacheMisses, List<String> missPages) {
}

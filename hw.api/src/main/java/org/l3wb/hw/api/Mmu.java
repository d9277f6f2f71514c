package org.l3wb.hw.api;

import java.util.function.IntConsumer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The paging unit: two-level page tables in {@link PhysicalMemory}, a set-associative TLB with
 * the model's replacement (the i486: pseudo-LRU), flushed by every CR3 load unless the model's TLB
 * is tagged. A tagged TLB tags each entry with the address space it was loaded in, named by the page
 * directory's physical address (CR3), and matches only entries of the current space, except global
 * ones ({@link PageFlags#GLOBAL}, where the model has {@link ProcessorModel#globalPages()}).
 * Supervisor writes to read-only pages fault where the model has {@link ProcessorModel#writeProtect()}. A miss walks the
 * page-directory and page-table entries through the cache and is charged the model's
 * {@link InstructionCosts#tlbMiss()} plus any cache-miss stalls of the walk.
 *
 * <p>The {@code map}/{@code unmap}/{@code entry} methods edit page tables directly and cost nothing:
 * they are for building a machine's initial state. A kernel that changes mappings at run time does
 * so with timed stores through the {@link Processor}.
 */
@ProviderType
public interface Mmu {
    /**
     * Translates one access, charging TLB-miss cycles to the machine's statistics.
     *
     * @param linear the linear address
     * @param access {@link Access} bits
     * @return the physical address
     * @throws PageFault when the mapping is absent or forbids the access
     */
    int translate(int linear, int access);

    /**
     * Counts {@code times} more translations of two pages alternately, {@code first} then
     * {@code second} (a string move's source and destination), if the TLB can tell that each would hit
     * and change nothing but the hit count: right after a translation of each, in that order, with
     * the same access bits. A string move (the long message copy through the communication window,
     * paper section 5.2.3) crosses a page only every 1024 dwords: the result is the same as
     * translating each one, the host's work is not.
     *
     * @param first       a linear address in the first page
     * @param firstAccess its {@link Access} bits
     * @param second      a linear address in the second page
     * @param secondAccess its {@link Access} bits
     * @param times       how many more pairs
     * @return whether they were counted; if not, nothing changed and the caller translates each one
     * @since 2.1
     */
    default boolean translateAgain(int first, int firstAccess, int second, int secondAccess, int times) {
        return false;
    }

    /** Loads CR3 (physical address of the page directory); flushes an untagged TLB. */
    void loadCr3(int pageDirectory);

    /** @return current CR3 */
    int cr3();

    /** Invalidates the TLB entry of one page (INVLPG). */
    void invalidatePage(int linear);

    /** Invalidates the whole TLB, global entries too. */
    void flushTlb();

    /**
     * Invalidates the entries tagged with the address space of {@code pageDirectory} (flush by tag);
     * global entries and other spaces' entries stay. Only a tagged TLB has tags: on an untagged one
     * this is {@link #flushTlb()} without the global entries (what a CR3 load does).
     *
     * @since 1.1
     */
    void flushTag(int pageDirectory);

    /** @return whether the TLB currently holds a translation for the page containing {@code linear} */
    boolean tlbHolds(int linear);

    /** @return number of valid TLB entries */
    int validTlbEntries();

    /**
     * Sets a listener told the page address of every TLB miss ({@code null} to remove), for tests and
     * experiments that explain where misses happen.
     */
    void onTlbMiss(IntConsumer pageListener);

    /**
     * Maps one 4 KB page in the page tables of {@code pageDirectory}, allocating a zeroed page table
     * when the directory entry is empty. The directory entry gets {@link PageFlags#PRESENT},
     * {@link PageFlags#WRITABLE} and {@link PageFlags#USER}, so the page-table entry decides.
     *
     * @param flags {@link PageFlags} bits of the page-table entry ({@code PRESENT} is implied)
     */
    void map(int pageDirectory, int linear, int frame, int flags);

    /** Clears the page-table entry of one page (the page table stays). */
    void unmap(int pageDirectory, int linear);

    /** @return the page-table entry mapping {@code linear}, or 0 when there is none */
    int entry(int pageDirectory, int linear);
}

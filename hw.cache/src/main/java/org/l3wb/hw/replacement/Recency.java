package org.l3wb.hw.replacement;

import org.l3wb.hw.api.Replacement;

/**
 * Which way of a full set a fill replaces, per set of a set-associative structure (the on-chip cache
 * in hw.cache, the TLB in hw.mmu). Written once here; hw.mmu embeds this package privately (bnd
 * {@code -conditionalpackage}), so neither bundle depends on the other at run time.
 *
 * <p>Hot path: {@link #touch} runs on every hit that is not on the set's last touched way and on
 * every fill. Two final subclasses only, chosen at construction, so calls stay at most bimorphic.
 */
public abstract class Recency {
    /** @return the policy {@code replacement} for {@code sets} sets of {@code ways} ways (a power of two, at most 64) */
    public static Recency of(Replacement replacement, int sets, int ways) {
        return switch (replacement) {
            case PSEUDO_LRU -> new PseudoLru(sets, ways);
            case LRU -> new TrueLru(sets, ways);
        };
    }

    /** Marks {@code way} of {@code set} most recently used. */
    public abstract void touch(int set, int way);

    /**
     * Touches {@code first} then {@code second} of {@code set}, {@code times} times over, at once,
     * if that can be done exactly without touching each: when the state already is what touching
     * the pair leaves (their last touches were that pair's, as after a string move's first item
     * whose source and destination pages share a TLB set).
     *
     * @return whether it did; if not, nothing changed and the caller touches each
     */
    public abstract boolean touchAgain(int set, int first, int second, int times);

    /** @return the way of {@code set} a fill replaces when every way is valid */
    public abstract int victim(int set);

    /** Forgets all recency, as after a flush. */
    public abstract void clear();
}

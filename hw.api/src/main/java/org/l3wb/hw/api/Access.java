package org.l3wb.hw.api;

/**
 * Bits describing one memory access, passed to {@link Mmu#translate(int, int)}.
 * An access is a read unless {@link #WRITE} is set, a supervisor access unless {@link #USER} is set.
 */
public final class Access {
    /** The access writes. */
    public static final int WRITE = 1;
    /** The access is made at user privilege (CPL 3); implicit descriptor-table accesses never are. */
    public static final int USER = 2;
    /** The access fetches instruction bytes. */
    public static final int FETCH = 4;

    private Access() {
    }
}

package org.l3wb.hw.api;

/**
 * A page fault or protection fault raised by the MMU: the 486 would vector through IDT entry 14
 * with the faulting address in CR2. The simulator hands it to the caller as an exception so that the
 * kernel's page-fault handler can resolve it and restart the instruction.
 */
public final class PageFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the access faulted. */
    public enum Cause {
        /** The page-directory or page-table entry is not present. */
        NOT_PRESENT,
        /** A user-mode access touched a supervisor page. */
        SUPERVISOR_PAGE,
        /** A write touched a read-only page. */
        READ_ONLY
    }

    private final int linear;
    private final Cause cause;
    private final int access;

    /**
     * @param linear the faulting linear address (CR2)
     * @param cause  why it faulted
     * @param access the {@link Access} bits of the faulting access
     */
    public PageFault(int linear, Cause cause, int access) {
        super(null, null, false, false);
        this.linear = linear;
        this.cause = cause;
        this.access = access;
    }

    /** @return the faulting linear address */
    public int linear() {
        return linear;
    }

    /** @return why it faulted */
    public Cause cause() {
        return cause;
    }

    /** @return the {@link Access} bits of the faulting access */
    public int access() {
        return access;
    }

    @Override
    public String getMessage() {
        return String.format("page fault at 0x%08x: %s (%s%s%s)", linear, cause,
                (access & Access.USER) != 0 ? "user" : "supervisor",
                (access & Access.WRITE) != 0 ? " write" : " read",
                (access & Access.FETCH) != 0 ? " fetch" : "");
    }
}

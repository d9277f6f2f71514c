package org.l3wb.hw.api;

/** Privilege level the processor runs at; statistics are split by it. */
public enum Mode {
    /** Privilege level 3: user programs. */
    USER,
    /** Privilege level 0: the kernel. */
    KERNEL
}

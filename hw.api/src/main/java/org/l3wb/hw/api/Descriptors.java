package org.l3wb.hw.api;

/**
 * Encodings of the 386 descriptor-table entries the processor reads: interrupt gates in the IDT and
 * flat segment descriptors in the GDT, each two dwords. A kernel writes them when it builds its
 * tables; the processor reads them (through TLB and cache) on INT, IRET and segment loads.
 */
public final class Descriptors {
    /** Present bit in the high dword of a descriptor or gate. */
    public static final int PRESENT = 1 << 15;

    private Descriptors() {
    }

    /** @return a selector for GDT entry {@code index} with requested privilege {@code rpl} */
    public static int selector(int index, int rpl) {
        return (index << 3) | (rpl & 3);
    }

    /** @return the low dword of a 32-bit interrupt gate */
    public static int gateLow(int selector, int offset) {
        return (selector << 16) | (offset & 0xFFFF);
    }

    /** @return the high dword of a present 32-bit interrupt gate callable from privilege {@code dpl} */
    public static int gateHigh(int offset, int dpl) {
        return (offset & 0xFFFF_0000) | PRESENT | ((dpl & 3) << 13) | 0x0E00;
    }

    /** @return the handler offset of a gate */
    public static int gateOffset(int low, int high) {
        return (high & 0xFFFF_0000) | (low & 0xFFFF);
    }

    /** @return the selector of a gate */
    public static int gateSelector(int low) {
        return low >>> 16;
    }

    /** @return the privilege a gate may be invoked from */
    public static int gateDpl(int high) {
        return (high >>> 13) & 3;
    }

    /** @return the low dword of a flat 4 GB segment descriptor */
    public static int flatSegmentLow() {
        return 0x0000_FFFF;
    }

    /** @return the high dword of a present flat 4 GB code or data segment descriptor */
    public static int flatSegmentHigh(boolean code, int dpl) {
        return 0x00CF_0000 | PRESENT | ((dpl & 3) << 13) | (code ? 0x1A00 : 0x1200);
    }

    /** @return whether a descriptor's high dword has the present bit */
    public static boolean present(int high) {
        return (high & PRESENT) != 0;
    }
}

package org.l3wb.kernel.api;

/**
 * The optimisations of the paper's Table 1, each a mechanism the kernel can switch off. Switching
 * one off changes what the kernel does, never a constant.
 */
public enum Switch {
    /** 8-byte messages travel in registers (5.3.6); off: through memory as a direct string. */
    SHORT_MESSAGES_IN_REGISTERS("registers"),
    /** Single copy through temporary mapping (5.2.3); off: twofold copy through a kernel buffer. */
    DIRECT_TRANSFER("direct"),
    /** Lazy scheduling (5.3.4); off: the strict scheduler manipulates queues on every IPC. */
    LAZY_SCHEDULING("lazy"),
    /** Segment registers checked on entry (5.5.3); off: reloaded on every entry and exit. */
    SEGMENT_REGISTERS("segments"),
    /** Reply-and-receive-next for RPC (5.2.1); off: the server sends, then receives. */
    REPLY_AND_WAIT("replywait"),
    /** Descriptor tables and hot kernel data in one page (5.5.2); off: spread over pages. */
    CONDENSED_TABLES("condensed"),
    /** TCBs in a virtual array with kernel stacks inside (5.2.5); off: a TCB table, stacks apart. */
    VIRTUAL_TCB("vtcb");

    private final String key;

    Switch(String key) {
        this.key = key;
    }

    /** @return the short name used by {@code ipc:switches} */
    public String key() {
        return key;
    }

    /** @return the switch with that short name, or fails naming it and the valid ones */
    public static Switch byKey(String key) {
        for (Switch s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        StringBuilder valid = new StringBuilder();
        for (Switch s : values()) {
            valid.append(valid.length() == 0 ? "" : ", ").append(s.key);
        }
        throw new IllegalArgumentException("unknown switch '" + key + "': valid are " + valid);
    }
}

package org.l3wb.kernel.api;

/**
 * A message dope (paper 5.5.4): counts that fit one 32-bit word, each reachable as an 8-bit
 * register. A message in user memory is laid out as
 *
 * <pre>
 *  +0   current dope (what this message holds, when sending)
 *  +4   maximum dope (what this buffer can take, when receiving)
 *  +8   direct string: up to 255 dwords
 *  then one descriptor per indirect string: address, current length, buffer address, maximum length
 *  then one descriptor per memory object: address, pages
 * </pre>
 * The first 8 bytes of every message travel in registers (EBX, ECX on receipt); a message with an
 * empty direct string and no strings or objects is a short message and needs no memory at all.
 *
 * @param directDwords     dwords of the direct string (at most 255, so at most 1020 bytes)
 * @param indirectStrings  indirect strings (at most 255, each at most 4 MB)
 * @param memoryObjects    memory objects (at most 255)
 */
public record Dope(int directDwords, int indirectStrings, int memoryObjects) {
    public static final int MAX_COUNT = 255;
    public static final int MAX_STRING_BYTES = 4 << 20;
    /** Offsets in a message. */
    public static final int CURRENT = 0;
    public static final int MAXIMUM = 4;
    public static final int DIRECT = 8;
    /** Bytes of an indirect-string descriptor and its fields. */
    public static final int STRING_DESCRIPTOR = 16;
    public static final int STRING_ADDRESS = 0;
    public static final int STRING_LENGTH = 4;
    public static final int STRING_BUFFER = 8;
    public static final int STRING_BUFFER_SIZE = 12;
    /** Bytes of a memory-object descriptor and its fields. */
    public static final int OBJECT_DESCRIPTOR = 8;
    public static final int OBJECT_ADDRESS = 0;
    public static final int OBJECT_PAGES = 4;

    public Dope {
        check("directDwords", directDwords);
        check("indirectStrings", indirectStrings);
        check("memoryObjects", memoryObjects);
    }

    private static void check(String what, int n) {
        if (n < 0 || n > MAX_COUNT) {
            throw new IllegalArgumentException("dope " + what + " must be 0..255, got " + n);
        }
    }

    public int encode() {
        return memoryObjects << 16 | indirectStrings << 8 | directDwords;
    }

    /** @return the dope a word stands for (any word is a valid dope: each count is one byte) */
    public static Dope decode(int word) {
        return new Dope(word & 0xFF, (word >>> 8) & 0xFF, (word >>> 16) & 0xFF);
    }

    /** @return bytes from the message start to the end of its memory-object descriptors */
    public int messageBytes() {
        return DIRECT + 4 * directDwords + STRING_DESCRIPTOR * indirectStrings + OBJECT_DESCRIPTOR * memoryObjects;
    }

    /** @return offset of indirect-string descriptor {@code i} */
    public int stringDescriptor(int i) {
        return DIRECT + 4 * directDwords + STRING_DESCRIPTOR * i;
    }

    /** @return offset of memory-object descriptor {@code i} */
    public int objectDescriptor(int i) {
        return DIRECT + 4 * directDwords + STRING_DESCRIPTOR * indirectStrings + OBJECT_DESCRIPTOR * i;
    }
}

package org.l3wb.kernel.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.l3wb.kernel.api.Dope;

/** Transfer's offsets from a dope's word (no Dope per message, issue 13) are Dope's own. */
class TransferDopeTest {
    @Test
    void offsetsFromTheWordAreDopes() {
        int[] counts = {0, 1, 2, 7, 128, 254, 255};
        int checked = 0;
        for (int directs : counts) {
            for (int strings : counts) {
                for (int objects : counts) {
                    // the byte above the three counts is not part of the dope: it must not matter
                    int word = 0x5A00_0000 | objects << 16 | strings << 8 | directs;
                    Dope d = Dope.decode(word);
                    assertEquals(d.messageBytes(), Transfer.messageBytes(word), Integer.toHexString(word));
                    for (int i : counts) {
                        assertEquals(d.stringDescriptor(i), Transfer.stringDescriptor(word, i));
                        assertEquals(d.objectDescriptor(i), Transfer.objectDescriptor(word, i));
                    }
                    checked++;
                }
            }
        }
        assertEquals(343, checked);
    }
}

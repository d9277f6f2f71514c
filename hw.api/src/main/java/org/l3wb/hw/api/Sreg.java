package org.l3wb.hw.api;

/** Segment registers. Loading one reads its descriptor from the GDT (paper 5.5.3). */
public enum Sreg {
    ES, CS, SS, DS, FS, GS
}

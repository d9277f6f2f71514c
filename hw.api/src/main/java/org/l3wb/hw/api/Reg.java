package org.l3wb.hw.api;

/** The eight general registers of the 386/486 (paper, Table 6 gives their IPC roles). */
public enum Reg {
    EAX, EBX, ECX, EDX, ESI, EDI, EBP, ESP
}

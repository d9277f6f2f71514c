package org.l3wb.kernel.ipc;

import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;

/**
 * The IPC parameters a user passes in registers (paper 5.4.2, Table 6), read once at kernel entry and
 * passed along the IPC path as one value. Named as Table 6 names them:
 *
 * <pre>
 *  EAX       receive buffer addr    0 none, 1 registers only, else the receive buffer's address
 *  ECX       send message addr      0 none, 1 registers only, else the message's address
 *  EDX+ESI   destination thread id  of a send; of a receive: the source to receive from (nil: any)
 *  EDI       send timeout (high half), receive timeout (low half)
 *  EBX, EBP  bytes 0..3 and 4..7 of the message, which the receiver gets in EBX and ECX
 * </pre>
 *
 * Table 6 passes the send timeout in EBX and the receive timeout in EDI; the model packs both into
 * EDI, so that EBX and EBP carry a short message's eight bytes in, as Table 6's EBX and ECX carry
 * them out (the 8-byte IPC of Table 7). Reading the registers costs nothing (it is no instruction):
 * the kernel's instructions name them as operands.
 *
 * @param receiveBuffer      EAX
 * @param sendMessage        ECX
 * @param destination        EDX (low word) and ESI (high word), as {@link Uid} packs them
 * @param timeouts           EDI, both timeouts as {@link org.l3wb.kernel.api.Timeout} encodes them
 * @param bytes0to3          EBX
 * @param bytes4to7          EBP
 */
record IpcRegisters(int receiveBuffer, int sendMessage, long destination, int timeouts, int bytes0to3,
                    int bytes4to7) {

    /** @return the caller's parameters as they are in the registers now (free) */
    static IpcRegisters read(Processor cpu) {
        return new IpcRegisters(cpu.reg(Reg.EAX), cpu.reg(Reg.ECX),
                Uid.of(cpu.reg(Reg.EDX), cpu.reg(Reg.ESI)), cpu.reg(Reg.EDI), cpu.reg(Reg.EBX),
                cpu.reg(Reg.EBP));
    }

    /** @return the encoded send timeout, EDI's high half (0: never wait, 0xFFFF: infinite) */
    int sendTimeout() {
        return timeouts >>> 16;
    }

    /** @return the encoded receive timeout, EDI's low half (0: never wait, 0xFFFF: infinite) */
    int receiveTimeout() {
        return timeouts & 0xFFFF;
    }
}

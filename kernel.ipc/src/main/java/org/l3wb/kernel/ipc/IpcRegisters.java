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
 * <p>One value per kernel entry, set once when the entry reads the registers and only read after that.
 * It is not allocated per IPC: the path runs for every simulated IPC, so each host thread reuses one
 * instance ({@link #read}), as the nucleus, one kernel entry at a time per thread, never holds two.
 */
final class IpcRegisters {
    private static final ThreadLocal<IpcRegisters> ENTRY = ThreadLocal.withInitial(IpcRegisters::new);

    private int receiveBuffer;
    private int sendMessage;
    private long destination;
    private int timeouts;
    private int bytes0to3;
    private int bytes4to7;

    private IpcRegisters() {
    }

    /** @return this host thread's instance (its values those of the last {@link #read} or {@link #of}) */
    static IpcRegisters entry() {
        return ENTRY.get();
    }

    /** @return the caller's parameters as they are in the registers now (free), this entry's value */
    static IpcRegisters read(Processor cpu) {
        return of(cpu.reg(Reg.EAX), cpu.reg(Reg.ECX), Uid.of(cpu.reg(Reg.EDX), cpu.reg(Reg.ESI)), cpu.reg(Reg.EDI),
                cpu.reg(Reg.EBX), cpu.reg(Reg.EBP));
    }

    /** @return this entry's value, holding the given parameters (a preempted transfer's, from its TCB) */
    static IpcRegisters of(int receiveBuffer, int sendMessage, long destination, int timeouts, int bytes0to3,
                           int bytes4to7) {
        IpcRegisters r = ENTRY.get();
        r.receiveBuffer = receiveBuffer;
        r.sendMessage = sendMessage;
        r.destination = destination;
        r.timeouts = timeouts;
        r.bytes0to3 = bytes0to3;
        r.bytes4to7 = bytes4to7;
        return r;
    }

    /** @return EAX: 0 none, 1 registers only, else the receive buffer's address */
    int receiveBuffer() {
        return receiveBuffer;
    }

    /** @return ECX: 0 none, 1 registers only, else the message's address */
    int sendMessage() {
        return sendMessage;
    }

    /** @return EDX (low word) and ESI (high word), as {@link Uid} packs them */
    long destination() {
        return destination;
    }

    /** @return EDI, both timeouts as {@link org.l3wb.kernel.api.Timeout} encodes them */
    int timeouts() {
        return timeouts;
    }

    /** @return EBX, bytes 0..3 of a short message */
    int bytes0to3() {
        return bytes0to3;
    }

    /** @return EBP, bytes 4..7 of a short message */
    int bytes4to7() {
        return bytes4to7;
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

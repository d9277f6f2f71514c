package org.l3wb.kernel.ipc;

import org.l3wb.hw.api.PageFault;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.Dope;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.KernelLayout;
import org.l3wb.kernel.api.ResultCode;

/**
 * The twofold copy of one {@link Transfer}, when direct transfer is off (Table 1; figure 3): the whole
 * message, header and strings, into a kernel buffer while in the sender's space, and out of it into
 * the receiver's buffer in the receiver's space, cutting what does not fit. Registers: the message
 * side's addresses in ESI, the receive buffer's in EDI, dope words in EAX, lengths in ECX.
 */
final class TwofoldCopy {
    private static final int OK = ResultCode.OK.code();
    private static final int CUT = ResultCode.MESSAGE_CUT.code();
    private static final int INVALID_BUFFER = ResultCode.INVALID_BUFFER.code();
    private static final int INVALID_DOPE = ResultCode.INVALID_DOPE.code();

    private Processor cpu;
    private KernelLayout layout;
    private final UserRanges ranges;
    private final CommunicationWindow copier;
    private int message;
    private int buffer;
    /** The kernel buffer could not hold the whole message: a twofold-copy kernel's limit. */
    private boolean cut;

    TwofoldCopy(UserRanges ranges, CommunicationWindow copier) {
        this.ranges = ranges;
        this.copier = copier;
    }

    /**
     * Sets this (reused, see {@link Transfer#of}) copy up for one transfer, as a new one.
     *
     * @return this
     */
    TwofoldCopy reset(KernelContext k, int message, int buffer) {
        this.cpu = k.cpu();
        this.layout = k.layout();
        this.message = message;
        this.buffer = buffer;
        this.cut = false;
        return this;
    }

    /**
     * First half (figure 3), while in the sender's space: the whole message into the kernel buffer.
     * When the current thread is the receiver, the kernel switches to the sender's space for it and
     * back, and copies out at once ({@code copyOutNow}); otherwise the copy out waits until the IPC
     * has switched to the receiver ({@link #outOfKernelBuffer}).
     */
    int firstCopy(int senderSpace, int receiverSpace, boolean copyOutNow) {
        if (copyOutNow) {
            cpu.movCr3(senderSpace);
        }
        int result = OK;
        try {
            result = intoKernelBuffer();
        } catch (PageFault f) {
            result = INVALID_BUFFER;
        }
        if (copyOutNow) {
            cpu.movCr3(receiverSpace);
            if (result == OK) {
                result = outOfKernelBuffer();
            }
        }
        return result;
    }

    private int intoKernelBuffer() {
        int dope = cpu.load(Reg.EAX, Reg.ESI, message + Dope.CURRENT);
        Dope d = Dope.decode(dope);
        int header = d.messageBytes();
        if (!ranges.userRange(Reg.ESI, message, header)) {
            return INVALID_BUFFER;
        }
        int kbuf = layout.kernelBuffer();
        int capacity = layout.kernelBufferBytes();
        copyPlain(message, kbuf, Math.min(header, capacity));
        int at = header;
        for (int i = 0; i < d.indirectStrings(); i++) {
            int sd = message + d.stringDescriptor(i);
            int address = cpu.load(Reg.ESI, Reg.EBX, sd + Dope.STRING_ADDRESS);
            int length = cpu.load(Reg.ECX, Reg.EBX, sd + Dope.STRING_LENGTH);
            if (length < 0 || length > Dope.MAX_STRING_BYTES) {
                return INVALID_DOPE;
            }
            if (!ranges.userRange(Reg.ESI, address, length)) {
                return INVALID_BUFFER;
            }
            int room = Math.max(0, Math.min(length, capacity - at));
            copyPlain(address, kbuf + at, room);
            at += (room + 3) & ~3;
            if (room < length) {
                cut = true; // the kernel buffer holds no more: a twofold-copy kernel's limit
            }
        }
        return OK;
    }

    /** Second half: from the kernel buffer into the receiver's buffer, cutting what does not fit. */
    int outOfKernelBuffer() {
        int kbuf = layout.kernelBuffer();
        int dope = cpu.load(Reg.EAX, Reg.NONE, kbuf + Dope.CURRENT);
        Dope d = Dope.decode(dope);
        cpu.alu(Reg.EDI, Reg.NONE); // CMP EDI, 1
        if (cpu.jcc(buffer == L3Ipc.REGISTERS_ONLY || buffer == 0)) {
            return dope == 0 ? OK : CUT;
        }
        try {
            if (!ranges.userRange(Reg.EDI, buffer, Dope.DIRECT)) {
                return INVALID_BUFFER;
            }
            Dope m = Dope.decode(cpu.load(Reg.EAX, Reg.EDI, buffer + Dope.MAXIMUM));
            if (!ranges.userRange(Reg.EDI, buffer, m.messageBytes())) {
                return INVALID_BUFFER;
            }
            int result = OK;
            int directs = Math.min(d.directDwords(), m.directDwords());
            if (d.directDwords() > m.directDwords()) {
                result = CUT;
            }
            ranges.receiverWritable(buffer + Dope.DIRECT, directs * 4);
            copyPlain(kbuf + Dope.DIRECT, buffer + Dope.DIRECT, directs * 4);
            int at = d.messageBytes();
            int strings = Math.min(d.indirectStrings(), m.indirectStrings());
            if (d.indirectStrings() > m.indirectStrings()) {
                result = CUT;
            }
            int capacity = layout.kernelBufferBytes();
            for (int i = 0; i < strings; i++) {
                int length = cpu.load(Reg.ECX, Reg.NONE, kbuf + d.stringDescriptor(i) + Dope.STRING_LENGTH);
                int stored = Math.max(0, Math.min(length, capacity - at)); // as the first copy stored it
                int rd = buffer + m.stringDescriptor(i);
                int target = cpu.load(Reg.EDI, Reg.EBX, rd + Dope.STRING_BUFFER);
                int size = cpu.load(Reg.ECX, Reg.EBX, rd + Dope.STRING_BUFFER_SIZE);
                if (size < 0 || size > Dope.MAX_STRING_BYTES) {
                    return INVALID_DOPE;
                }
                int got = Math.min(stored, size);
                if (length > got) {
                    result = CUT;
                }
                if (!ranges.userRange(Reg.EDI, target, size)) {
                    return INVALID_BUFFER;
                }
                ranges.receiverWritable(target, got);
                copyPlain(kbuf + at, target, got);
                ranges.receiverWritable(rd + Dope.STRING_LENGTH, 4);
                cpu.store(Reg.EBX, rd + Dope.STRING_LENGTH, Reg.ECX, got);
                at += (stored + 3) & ~3;
            }
            ranges.receiverWritable(buffer + Dope.CURRENT, 4);
            cpu.store(Reg.EDI, buffer + Dope.CURRENT, Reg.EAX, new Dope(directs, strings, 0).encode());
            return cut ? CUT : result;
        } catch (PageFault f) {
            return INVALID_BUFFER;
        }
    }

    /** A copy within the current space, to or from the kernel buffer: start-up, REP MOVSD. */
    private void copyPlain(int from, int to, int bytes) {
        if (bytes <= 0) {
            return;
        }
        cpu.alu(Reg.ECX, Reg.NONE, bytes);
        cpu.shift(Reg.ECX, bytes >>> 2);
        cpu.alu(Reg.ESI, Reg.NONE, from);
        cpu.alu(Reg.EDI, Reg.NONE, to);
        copier.moveChunk(from, to, bytes);
    }
}

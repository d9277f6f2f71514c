package org.l3wb.kernel.mach;

import static org.l3wb.kernel.mach.MachData.KMSG_BODY_BYTES;
import static org.l3wb.kernel.mach.MachData.K_BODY;
import static org.l3wb.kernel.mach.MachData.K_CUT;
import static org.l3wb.kernel.mach.MachData.K_SIZE;
import static org.l3wb.kernel.mach.MachData.REGISTERS_ONLY;

import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.PageFault;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.Dope;
import org.l3wb.kernel.api.ResultCode;

/**
 * The twofold copy of a conventional kernel (paper, 5.2.3): the user message into the kmsg on send
 * (first copy), the kmsg into the receive buffer on receive (second copy), each through
 * {@code locore.s}'s {@code copyinmsg}/{@code copyoutmsg} (readme, "The modelled path", 9). The message
 * and its descriptors are read through ESI, the receive buffer through EDI, the kmsg through EBX.
 */
final class Copies {
    private Copies() {
    }

    /** The first copy: the user message into the kmsg body. @return OK, MESSAGE_CUT or an error */
    static int copyIn(Trap t, int kmsg, int send) {
        Processor cpu = t.cpu;
        int body = kmsg + K_BODY;
        cpu.alu(Reg.ECX, Reg.NONE); // CMP ECX, 1: a message in registers only
        if (cpu.jcc(!isMemory(send))) {
            cpu.store(Reg.EBX, body + Dope.CURRENT, Reg.NONE, 0);
            cpu.store(Reg.EBX, kmsg + K_CUT, Reg.NONE, 0);
            cpu.store(Reg.EBX, kmsg + K_SIZE, Reg.NONE, K_BODY);
            return ResultCode.OK.code();
        }
        if (!userRange(t, send, Dope.DIRECT)) {
            return ResultCode.INVALID_BUFFER.code();
        }
        try {
            int dope = cpu.load(Reg.EAX, Reg.ESI, send + Dope.CURRENT);
            Dope d = Dope.decode(dope);
            int header = d.messageBytes();
            if (!userRange(t, send, header)) {
                return ResultCode.INVALID_BUFFER.code();
            }
            boolean cut = d.memoryObjects() > 0; // out-of-line memory is not modelled: dropped, reported
            if (!copyinmsg(t, send, body, header)) { // copyinmsg of header and inline data
                return ResultCode.INVALID_BUFFER.code();
            }
            int at = header;
            for (int i = 0; i < d.indirectStrings(); i++) {
                int sd = send + d.stringDescriptor(i);
                int address = cpu.load(Reg.EAX, Reg.ESI, sd + Dope.STRING_ADDRESS);
                int length = cpu.load(Reg.EDX, Reg.ESI, sd + Dope.STRING_LENGTH);
                cpu.alu(Reg.EDX, Reg.NONE); // CMPL $MAX_STRING_BYTES, %edx
                if (cpu.jcc(length < 0 || length > Dope.MAX_STRING_BYTES)) {
                    return ResultCode.INVALID_DOPE.code();
                }
                if (!userRange(t, address, length)) {
                    return ResultCode.INVALID_BUFFER.code();
                }
                int room = Math.max(0, Math.min(length, KMSG_BODY_BYTES - at));
                cpu.alu(Reg.EDX, Reg.NONE); // the room left in the kmsg
                if (!copyinmsg(t, address, body + at, room)) {
                    return ResultCode.INVALID_BUFFER.code();
                }
                at += (room + 3) & ~3;
                if (room < length) {
                    cut = true; // larger than a kmsg: Mach would kalloc a larger one; see readme
                }
            }
            cpu.store(Reg.EBX, kmsg + K_CUT, Reg.EAX, cut ? 1 : 0);
            cpu.store(Reg.EBX, kmsg + K_SIZE, Reg.EAX, K_BODY + at);
            return ResultCode.OK.code();
        } catch (PageFault f) {
            kernelFault(t, f);
            return ResultCode.INVALID_BUFFER.code();
        }
    }

    /** The second copy: kmsg body into the receive buffer, writing nothing past it. */
    static int copyOut(Trap t, int kmsg, int buffer) {
        Processor cpu = t.cpu;
        int body = kmsg + K_BODY;
        int dope = cpu.load(Reg.EAX, Reg.EBX, body + Dope.CURRENT);
        int kcut = cpu.load(Reg.EDX, Reg.EBX, kmsg + K_CUT);
        Dope d = Dope.decode(dope);
        cpu.alu(Reg.EDI, Reg.NONE); // CMPL $1, %edi: a receive in registers only
        boolean noBuffer = buffer == REGISTERS_ONLY || buffer == 0;
        if (cpu.jcc(noBuffer)) {
            return dope == 0 && kcut == 0 ? ResultCode.OK.code() : ResultCode.MESSAGE_CUT.code();
        }
        try {
            if (!userRange(t, buffer, Dope.DIRECT)) {
                return ResultCode.INVALID_BUFFER.code();
            }
            int max = cpu.load(Reg.ECX, Reg.EDI, buffer + Dope.MAXIMUM);
            Dope m = Dope.decode(max);
            if (!userRange(t, buffer, m.messageBytes())) {
                return ResultCode.INVALID_BUFFER.code();
            }
            boolean cut = kcut != 0;
            int directs = Math.min(d.directDwords(), m.directDwords());
            cpu.alu(Reg.EAX, Reg.ECX); // the sender's direct dwords against the buffer's
            if (cpu.jcc(d.directDwords() > m.directDwords())) {
                cut = true;
            }
            if (!copyoutmsg(t, body + Dope.DIRECT, buffer + Dope.DIRECT, directs * 4)) {
                return ResultCode.INVALID_BUFFER.code();
            }
            int at = d.messageBytes();
            int strings = Math.min(d.indirectStrings(), m.indirectStrings());
            if (d.indirectStrings() > m.indirectStrings()) {
                cut = true;
            }
            for (int i = 0; i < strings; i++) {
                int length = cpu.load(Reg.EAX, Reg.EBX, body + d.stringDescriptor(i) + Dope.STRING_LENGTH);
                int stored = Math.max(0, Math.min(length, KMSG_BODY_BYTES - at)); // as the copy-in stored it
                int rd = buffer + m.stringDescriptor(i);
                int target = cpu.load(Reg.ECX, Reg.EDI, rd + Dope.STRING_BUFFER);
                int size = cpu.load(Reg.EDX, Reg.EDI, rd + Dope.STRING_BUFFER_SIZE);
                cpu.alu(Reg.EDX, Reg.NONE); // CMPL $MAX_STRING_BYTES, %edx
                if (cpu.jcc(size < 0 || size > Dope.MAX_STRING_BYTES)) {
                    return ResultCode.INVALID_DOPE.code();
                }
                int got = Math.min(stored, size);
                if (length > got) {
                    cut = true;
                }
                if (!userRange(t, target, size)) {
                    return ResultCode.INVALID_BUFFER.code();
                }
                if (!copyoutmsg(t, body + at, target, got)) {
                    return ResultCode.INVALID_BUFFER.code();
                }
                cpu.store(Reg.EDI, rd + Dope.STRING_LENGTH, Reg.EAX, got);
                at += (stored + 3) & ~3;
            }
            cpu.store(Reg.EDI, buffer + Dope.CURRENT, Reg.EAX, new Dope(directs, strings, 0).encode());
            return cut ? ResultCode.MESSAGE_CUT.code() : ResultCode.OK.code();
        } catch (PageFault f) {
            kernelFault(t, f);
            return ResultCode.INVALID_BUFFER.code();
        }
    }

    /**
     * copyinmsg (locore.s): PUSH ESI, EDI; the three arguments; the user range checked (LEA, CMP, JB,
     * CMP, JA); CLD; REP MOVSL of the dwords and REP MOVSB of the rest; XOR EAX; POP; RET.
     * @return false when the user range faulted
     */
    private static boolean copyinmsg(Trap t, int from, int to, int bytes) {
        Processor cpu = t.cpu;
        CodeStep caller = t.enter(Routine.COPYINMSG);
        cpu.alu(Reg.EAX, Reg.ESI); // LEA 0(%esi,%edx), %eax
        cpu.alu(Reg.EAX, Reg.ESI); // CMPL %esi, %eax
        cpu.jcc(false);
        cpu.alu(Reg.EAX, Reg.NONE); // CMPL $VM_MAX_ADDRESS, %eax
        cpu.jcc(false);
        cpu.alu(Reg.NONE, Reg.NONE); // CLD
        boolean ok = move(t, from, to, bytes);
        cpu.alu(Reg.EAX, Reg.EAX); // XORL %eax, %eax
        t.leave(caller);
        return ok;
    }

    /**
     * copyoutmsg (locore.s): as copyinmsg, but per destination page first the i386 write check ("hardware
     * is broken": the 386 ignores write protection in kernel mode): CR3, the page directory entry and
     * the page table entry of the target read and tested; then only what fits on the page is moved.
     * @return false when the user range faulted
     */
    private static boolean copyoutmsg(Trap t, int from, int to, int bytes) {
        Processor cpu = t.cpu;
        CodeStep caller = t.enter(Routine.COPYOUTMSG);
        cpu.alu(Reg.EAX, Reg.EDI); // LEAL 0(%edi,%edx), %eax
        cpu.alu(Reg.EAX, Reg.EDI); // CMPL %edi, %eax
        cpu.jcc(false);
        cpu.alu(Reg.EAX, Reg.NONE); // CMPL $VM_MAX_ADDRESS, %eax
        cpu.jcc(false);
        boolean ok = true;
        int done = 0;
        int loop = cpu.eip();
        do {
            int at = to + done;
            writeCheck(t, at);
            int chunk = Math.min(bytes - done, PageFlags.PAGE_SIZE - (at & (PageFlags.PAGE_SIZE - 1)));
            cpu.alu(Reg.EAX, Reg.EDI); // LEAL NBPG(%edi), %eax
            cpu.alu(Reg.EAX, Reg.NONE); // ANDL $(-NBPG), %eax
            cpu.alu(Reg.EAX, Reg.EDI); // SUBL %edi, %eax
            cpu.alu(Reg.EAX, Reg.EDX); // CMPL %edx, %eax
            cpu.jcc(chunk == bytes - done);
            cpu.alu(Reg.NONE, Reg.NONE); // CLD
            ok = move(t, from + done, at, chunk);
            done += chunk;
            cpu.alu(Reg.EDX, Reg.EAX); // SUBL %eax, %edx
            cpu.jcc(ok && done < bytes, loop); // JG copyout_retry
        } while (ok && done < bytes);
        cpu.alu(Reg.EAX, Reg.EAX); // XORL %eax, %eax
        t.leave(caller);
        return ok;
    }

    /** copyout_retry's check of the target page: CR3, PDE, PTE present and writable (read, tested). */
    private static void writeCheck(Trap t, int linear) {
        Processor cpu = t.cpu;
        cpu.alu(Reg.ECX, Reg.NONE); // MOVL %cr3, %ecx (no CR3 read in the processor API: one register instruction)
        cpu.alu(Reg.EAX, Reg.EDI); // MOVL %edi, %eax
        cpu.shift(Reg.EAX, linear >>> 22); // SHRL $PDESHIFT
        try {
            int pde = cpu.load(Reg.ECX, Reg.ECX, Reg.EAX, t.k.layout().ownPageDirectory() + (linear >>> 22) * 4);
            cpu.alu(Reg.ECX, Reg.NONE); // TESTL $PTE_V, %ecx
            boolean present = (pde & PageFlags.PRESENT) != 0;
            if (cpu.jcc(!present)) {
                return;
            }
            cpu.alu(Reg.ECX, Reg.NONE); // ANDL $PTE_PFN, %ecx
            cpu.alu(Reg.EAX, Reg.EDI); // MOVL %edi, %eax
            cpu.shift(Reg.EAX, linear >>> 12); // SHRL $PTESHIFT
            cpu.alu(Reg.EAX, Reg.NONE); // ANDL $PTEMASK, %eax
            cpu.alu(Reg.ECX, Reg.EAX); // LEAL KERNELBASE(%ecx,%eax,4), %ecx
            int pte = cpu.load(Reg.ECX, Reg.ECX,
                    t.k.layout().physicalMap() + (pde & PageFlags.FRAME_MASK) + ((linear >>> 12) & 0x3FF) * 4);
            cpu.alu(Reg.ECX, Reg.NONE); // TESTL $PTE_V, %ecx
            boolean valid = (pte & PageFlags.PRESENT) != 0;
            if (!cpu.jcc(!valid)) {
                cpu.alu(Reg.ECX, Reg.NONE); // TESTL $PTE_W, %ecx
                cpu.jcc((pte & PageFlags.WRITABLE) != 0);
            }
        } catch (PageFault f) {
            // the kernel's own view of the tables is always mapped; a fault here leaves the copy to fault
        }
    }

    /** MOVL %edx, %ecx; SHRL $2; REP MOVSL; MOVL %edx, %ecx; ANDL $3; REP MOVSB. */
    private static boolean move(Trap t, int from, int to, int bytes) {
        Processor cpu = t.cpu;
        try {
            cpu.alu(Reg.ECX, Reg.EDX, bytes);
            cpu.shift(Reg.ECX, bytes >>> 2);
            cpu.repMovsd(from, to, bytes >>> 2);
            cpu.alu(Reg.ECX, Reg.EDX, bytes);
            cpu.alu(Reg.ECX, Reg.NONE, bytes & 3);
            cpu.repMovsb(from + (bytes & ~3), to + (bytes & ~3), bytes & 3);
            return true;
        } catch (PageFault f) {
            kernelFault(t, f); // copy_fail through the recovery table
            return false;
        }
    }

    /** A user address faulted in the kernel: the exception is taken, then the copy fails. */
    private static void kernelFault(Trap t, PageFault f) {
        try {
            t.k.pageFault(f);
        } catch (PageFault real) {
            // a real error: the caller returns INVALID_BUFFER
        }
    }

    /** @return whether the range lies in user space, dword aligned (CMP, Jcc) */
    private static boolean userRange(Trap t, int address, long bytes) {
        Processor cpu = t.cpu;
        cpu.alu(Reg.EAX, Reg.NONE); // CMPL $VM_MAX_ADDRESS, %eax
        boolean ok = address != 0 && (address & 3) == 0
                && Integer.toUnsignedLong(address) + bytes <= Integer.toUnsignedLong(t.k.layout().userTop());
        cpu.jcc(!ok);
        return ok;
    }

    /** @return whether the descriptor (ECX or EAX of Table 6) names a message in memory, not registers only */
    static boolean isMemory(int descriptor) {
        return Integer.compareUnsigned(descriptor, REGISTERS_ONLY) > 0;
    }

    /** @return whether {@code result} failed the send (the kmsg is freed) */
    static boolean failed(int result) {
        return result == ResultCode.INVALID_BUFFER.code() || result == ResultCode.INVALID_DOPE.code()
                || result == ResultCode.NO_PARTNER.code() || result == ResultCode.SEND_TIMEOUT.code();
    }
}

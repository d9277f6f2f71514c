package org.l3wb.kernel.ipc;

import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.Dope;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.KernelLayout;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Tcb;

/**
 * The memory objects of one {@link Transfer} (5.2.2): their pages are mapped, not copied, read-only
 * into the receiver's buffer region, through the page tables the kernel reaches in its
 * physical-memory map. The region must be unmapped in the receiver (as for an out-of-line region);
 * nothing is mapped over.
 */
final class MemoryObjects {
    private static final int OK = ResultCode.OK.code();
    private static final int INVALID_BUFFER = ResultCode.INVALID_BUFFER.code();
    private static final int INVALID_DOPE = ResultCode.INVALID_DOPE.code();

    private final KernelContext k;
    private final Processor cpu;
    private final KernelLayout layout;
    private final UserRanges ranges;
    private final int sender;
    private final Reg senderTcb;
    private final int receiver;
    private final Reg receiverTcb;

    MemoryObjects(KernelContext k, UserRanges ranges, int sender, Reg senderTcb, int receiver, Reg receiverTcb) {
        this.k = k;
        this.cpu = k.cpu();
        this.layout = k.layout();
        this.ranges = ranges;
        this.sender = sender;
        this.senderTcb = senderTcb;
        this.receiver = receiver;
        this.receiverTcb = receiverTcb;
    }

    /**
     * Maps {@code min(pages, maxPages)} pages from the sender's {@code address} to the receiver's
     * {@code target}. Registers: the sender's directory in ESI, the receiver's in EDI, the directory
     * slot in EBX, entries through EAX and EDX.
     *
     * @return {@link ResultCode} value: OK, or why the object was refused
     */
    int map(int address, int pages, int target, int maxPages) {
        cpu.alu(Reg.EAX, Reg.NONE);
        boolean bad = (address & 0xFFF) != 0 || (target & 0xFFF) != 0 || pages < 0 || maxPages < 0
                || pages > Dope.MAX_STRING_BYTES / PageFlags.PAGE_SIZE;
        if (cpu.jcc(bad)) {
            return INVALID_DOPE;
        }
        int n = Math.min(pages, maxPages);
        if (!ranges.userRange(Reg.ESI, address, (long) n * PageFlags.PAGE_SIZE)
                || !ranges.userRange(Reg.EDI, target, (long) n * PageFlags.PAGE_SIZE)) {
            return INVALID_BUFFER;
        }
        int physicalMap = layout.physicalMap();
        int senderDir = layout.pageDirectories() + cpu.load(Reg.ESI, senderTcb, sender + Tcb.TASK) * PageFlags.PAGE_SIZE;
        int receiverDir = layout.pageDirectories()
                + cpu.load(Reg.EDI, receiverTcb, receiver + Tcb.TASK) * PageFlags.PAGE_SIZE;
        for (int i = 0; i < n; i++) {
            int from = address + i * PageFlags.PAGE_SIZE;
            int to = target + i * PageFlags.PAGE_SIZE;
            int pde = cpu.load(Reg.EAX, Reg.ESI, Reg.EBX, senderDir + (from >>> 22) * 4);
            if ((pde & PageFlags.PRESENT) == 0) {
                return INVALID_BUFFER;
            }
            int pte = cpu.load(Reg.EAX, Reg.EAX, Reg.EBX, physicalMap + (pde & PageFlags.FRAME_MASK)
                    + ((from >>> 12) & 0x3FF) * 4);
            if ((pte & PageFlags.PRESENT) == 0) {
                return INVALID_BUFFER;
            }
            int rpde = cpu.load(Reg.EDX, Reg.EDI, Reg.EBX, receiverDir + (to >>> 22) * 4);
            if ((rpde & PageFlags.PRESENT) == 0) {
                rpde = k.machine().memory().allocateFrame() | PageFlags.PRESENT | PageFlags.WRITABLE | PageFlags.USER;
                cpu.store(Reg.EDI, Reg.EBX, receiverDir + (to >>> 22) * 4, Reg.EDX, rpde);
            }
            int slot = physicalMap + (rpde & PageFlags.FRAME_MASK) + ((to >>> 12) & 0x3FF) * 4;
            int old = cpu.load(Reg.EDX, Reg.EDX, slot);
            if ((old & PageFlags.PRESENT) != 0) {
                return INVALID_BUFFER;
            }
            cpu.store(Reg.EDX, slot, Reg.EAX, (pte & PageFlags.FRAME_MASK) | PageFlags.PRESENT | PageFlags.USER);
        }
        return OK;
    }
}

package org.l3wb.kernel.ipc;

import org.l3wb.hw.api.Access;
import org.l3wb.hw.api.PageFault;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.KernelLayout;
import org.l3wb.kernel.api.Tcb;

/**
 * The user-range checks of one {@link Transfer} (5.2.2): every address the kernel copies from or
 * into lies in user space, and on a processor without supervisor write protection (a 386, 7.4) the
 * receiver may write each page the kernel writes into for it. The kernel's own memory, the page
 * tables and other spaces stay out of a message's reach through these checks alone.
 */
final class UserRanges {
    private Processor cpu;
    private KernelLayout layout;
    private int receiver;
    private Reg receiverTcb;
    /**
     * No supervisor write protection (a 386, 7.4): the processor lets the kernel write into a user
     * page the receiver may only read (a memory object's pages), so the kernel checks the page-table
     * write bit itself before each page it writes into the receiver's memory.
     */
    private boolean checkWriteBit;
    /** The receiver's page directory in the virtual array, once its task is loaded (0 before). */
    private int receiverDirectory;

    /**
     * Sets these (reused, see {@link Transfer#of}) ranges up for one transfer, as new ones.
     *
     * @return this
     */
    UserRanges reset(KernelContext k, int receiver, Reg receiverTcb) {
        this.cpu = k.cpu();
        this.layout = k.layout();
        this.receiver = receiver;
        this.receiverTcb = receiverTcb;
        this.checkWriteBit = !k.features().writeProtect();
        this.receiverDirectory = 0;
        return this;
    }

    /**
     * CMP, Jcc on the register that holds the address.
     *
     * @return whether {@code [address, address + bytes)} lies in user space and starts on a dword,
     * as REP MOVSD needs
     */
    boolean userRange(Reg holder, int address, long bytes) {
        cpu.alu(holder, Reg.NONE);
        boolean ok = address != 0 && (address & 3) == 0
                && Integer.toUnsignedLong(address) + bytes <= Integer.toUnsignedLong(layout.userTop());
        return !cpu.jcc(!ok);
    }

    /**
     * On a processor without supervisor write protection only: walks the receiver's page tables for
     * each page of {@code [address, address + bytes)} (its directory in the virtual array, the page
     * table through the physical-memory map) and refuses, as the i486's write-protect fault does, a
     * present page that the receiver may not write.
     *
     * @throws PageFault READ_ONLY at the first such page
     */
    void receiverWritable(int address, int bytes) {
        if (!checkWriteBit || bytes <= 0) {
            return;
        }
        if (receiverDirectory == 0) {
            receiverDirectory = layout.pageDirectories()
                    + cpu.load(Reg.EBP, receiverTcb, receiver + Tcb.TASK) * PageFlags.PAGE_SIZE;
        }
        int last = address + bytes - 1;
        for (int page = address & PageFlags.FRAME_MASK; ; page += PageFlags.PAGE_SIZE) {
            // MOV EAX, [EBP + EBX*4]: the directory entry, EBX the page's directory slot
            int pde = cpu.load(Reg.EAX, Reg.EBP, Reg.EBX, receiverDirectory + (page >>> 22) * 4);
            cpu.alu(Reg.EAX, Reg.NONE); // TEST present
            if (!cpu.jcc((pde & PageFlags.PRESENT) == 0)) {
                // MOV EAX, [EAX + EBX*4]: the page-table entry through the physical map
                int pte = cpu.load(Reg.EAX, Reg.EAX, Reg.EBX, layout.physicalMap() + (pde & PageFlags.FRAME_MASK)
                        + ((page >>> 12) & 0x3FF) * 4);
                boolean readOnly = (pte & PageFlags.PRESENT) != 0
                        && ((pde & pte & PageFlags.WRITABLE) == 0 || (pde & pte & PageFlags.USER) == 0);
                cpu.alu(Reg.EAX, Reg.NONE); // TEST writable
                if (cpu.jcc(readOnly)) {
                    throw new PageFault(Math.max(page, address), PageFault.Cause.READ_ONLY, Access.WRITE);
                }
            } // not present: the write itself faults
            if (Integer.compareUnsigned(page, last & PageFlags.FRAME_MASK) >= 0) {
                return;
            }
        }
    }
}

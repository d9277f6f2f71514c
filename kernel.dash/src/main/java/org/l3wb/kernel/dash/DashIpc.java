package org.l3wb.kernel.dash;

import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.IpcMechanism;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.KernelLayout;
import org.l3wb.kernel.api.KernelStep;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.kernel.api.ThreadIpc;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Dash-like message passing (paper 7.2, after Tzou and Anderson's "restricted virtual memory
 * remapping"): "A Dash message consists of one or more pages which must all be located within a
 * special part of the address space, called the ipc region. On sending, these pages are removed from
 * the sender's address space and mapped at the same virtual address in the receiver's address space."
 * The thread-to-thread part (uid and state checks, polling, direct process switch, reply) is L3's
 * ({@link ThreadIpc}); this mechanism only moves the pages in front of it.
 *
 * <h2>The ipc region</h2>
 * {@link IpcRegion#BASE} ({@code 0x7F00_0000}) to {@link IpcRegion#END}: 1 MB of user space in every
 * task, inside one page-directory slot, so one directory entry per space covers all of it. The kernel
 * reaches the page tables as L3 does for memory objects: each task's directory through the virtual
 * array {@link KernelLayout#pageDirectories()} + task x 4 KB, the page table the entry names through
 * the physical map {@link KernelLayout#physicalMap()}.
 *
 * <h2>Registers (Table 6, with ECX redefined)</h2>
 * <pre>
 *  EAX        receive: 0 none, 1 registers only (a Dash receiver needs no buffer: pages come mapped)
 *  ECX        send: 0 none, 1 short message only, else a page descriptor:
 *             first page address (page-aligned, in the ipc region) | page count (1..256) in bits 11..0
 *  EDX, ESI   destination uid (send); source to receive from (receive; nil = any)
 *  EBX        message bytes 0..3
 *  EBP        message bytes 4..7 of a short message; ignored when pages are sent
 *  EDI        timeouts, as Table 6
 * </pre>
 * On receipt of pages the receiver has EAX = result, EBX = the sender's EBX, ECX = the page
 * descriptor (so it knows where the message is), EDX/ESI = the sender's uid. With ECX 0 or 1 a Dash
 * send is exactly an L3 short message; L3's long messages (dope vectors) are not offered under dash.
 * Whether ECX holds a descriptor or a message word the receiver knows from its protocol with the
 * sender, as an L3 receiver knows whether to expect a long message in its buffer.
 *
 * <h2>The kernel's work, all issued on the simulated processor</h2>
 * <ol>
 * <li>Look up the destination TCB (mask and add, uid check); none: {@code NO_PARTNER}.</li>
 * <li>Decode the descriptor and check the pages lie in the region (else {@code INVALID_BUFFER}).</li>
 * <li>Only when the send timeout is 0 (one test on the common path): if the destination is not
 *     waiting for us, fail with {@code SEND_TIMEOUT} before anything moves (the L3 path would fail the
 *     same way, but after the pages had gone).</li>
 * <li>Load both tasks' directory entries of the region. Check pass: for every page, the sender's
 *     page-table entry must be present ("not owned by the sender": {@code INVALID_BUFFER}) and the
 *     receiver's entry at the same address empty (else {@code INVALID_BUFFER}). All pages are checked
 *     before any moves, so a refused message leaves both spaces as they were.</li>
 * <li>Move pass: if the receiver has no page table for the region yet, allocate a zeroed frame and
 *     store its directory entry (as L3's memory objects do); then for every page: load the sender's
 *     entry, store it as the receiver's, store 0 into the sender's, INVLPG the page in the sender's
 *     TLB (the receiver's TLB holds no entry for a page that was not present, and its next CR3 load
 *     flushes anyway).</li>
 * <li>Put the descriptor into EBP, so the receiver gets it in ECX, set ECX to 1 and continue as L3
 *     IPC to the destination: the rest is a short message.</li>
 * </ol>
 * Within one space (sender and receiver in the same task) the pages are already where the receiver
 * sees them: they are only checked, not moved.
 *
 * <h2>Pages move at send time</h2>
 * The pages leave the sender when its send is accepted, also when the receiver is not waiting yet:
 * the sender then polls (5.3.4) holding the descriptor as its short message, and the receiver finds
 * the pages mapped when it takes that message. A send that is accepted but later fails (a finite
 * send timeout runs out, or the receiver is deleted while the sender polls) leaves the pages in the
 * receiver's space: the sender gave them away with the send, as in Dash. Frames are conserved either
 * way: each page is mapped in exactly one space at every instant, and nothing is lost.
 */
@Component(service = IpcMechanism.class, property = {"name=dash", "fallback.rank:Integer=30"})
public class DashIpc implements IpcMechanism {
    private static final int OK = ResultCode.OK.code();
    private static final int INVALID_BUFFER = ResultCode.INVALID_BUFFER.code();

    private final ThreadIpc threads;

    @Activate
    public DashIpc(@Reference(target = "(name=l3)") ThreadIpc threads) {
        this.threads = threads;
    }

    @Override
    public String name() {
        return "dash";
    }

    /** Yes: dash extends L3's thread IPC; every wait is in the TCBs. */
    @Override
    public boolean keepsItsStateInThreadIpc() {
        return true;
    }

    @Override
    public void ipc(KernelContext k, IpcOperation op) {
        Processor cpu = k.cpu();
        if (op == IpcOperation.RECEIVE) {
            threads.ipcTo(k, op, 0, 0, 0); // pages come with the sender's send: receiving is L3's
            return;
        }
        int word1 = cpu.reg(Reg.EBP);
        int me = k.current();
        int dest = k.lookup(cpu.reg(Reg.EDX), cpu.reg(Reg.ESI)); // UID_TO_TCB, the nucleus's (5.3.1)
        // without virtual TCBs the nucleus's look-up shifts in EBP; a hand-coded kernel would take a
        // register it does not need, so the message word is put back (free: no instruction is hidden)
        cpu.setReg(Reg.EBP, word1);
        remapPages(k, op, me, dest);
    }

    /**
     * REMAP_PAGES (7.2): a send of pages (ECX a page descriptor) moves them from our space to the
     * destination's, then continues as L3's IPC with a short message: the descriptor in EBP, so that
     * the receiver gets it in ECX, and ECX 1. Our TCB is reached through ESP, the destination's
     * through EDX, as on L3's path.
     */
    private void remapPages(KernelContext k, IpcOperation op, int me, int dest) {
        Processor cpu = k.cpu();
        cpu.step(KernelStep.REMAP_PAGES);
        int myLow = cpu.load(Reg.ESI, Reg.ESP, me + Tcb.UID_LOW); // the receiver gets our uid in EDX, ESI
        int myHigh = cpu.load(Reg.ESI, Reg.ESP, me + Tcb.UID_HIGH);
        int send = cpu.reg(Reg.ECX);
        cpu.alu(Reg.ECX, Reg.NONE); // CMP ECX, 1
        if (!cpu.jcc(Integer.compareUnsigned(send, 1) <= 0)) {
            int result = movePages(k, me, myLow, myHigh, dest, send);
            cpu.alu(Reg.EAX, Reg.EAX); // TEST EAX, EAX
            if (cpu.jcc(result != OK)) {
                cpu.movImm(Reg.EAX, result);
                k.returnToUser();
                return;
            }
            cpu.alu(Reg.EBP, Reg.ECX, send); // MOV EBP, ECX: the receiver gets the descriptor in ECX
            cpu.movImm(Reg.ECX, 1); // what is left is a short message
        }
        threads.ipcTo(k, op, dest, myLow, myHigh);
    }

    /**
     * Checks the pages of descriptor {@code send} and moves them from the current thread's space to
     * {@code dest}'s, or moves nothing.
     *
     * @return {@link ResultCode} value: OK, or why nothing was moved
     */
    private static int movePages(KernelContext k, int me, int myLow, int myHigh, int dest, int send) {
        Processor cpu = k.cpu();
        cpu.alu(Reg.EDX, Reg.EDX); // TEST dest, dest
        if (cpu.jcc(dest == 0)) {
            return ResultCode.NO_PARTNER.code();
        }
        // ---- decode the descriptor and check the range: offset < SIZE, 1 <= count, offset + bytes <= SIZE
        int first = send & PageFlags.FRAME_MASK;
        int count = send & IpcRegion.COUNT_MASK;
        int offset = first - IpcRegion.BASE;
        cpu.alu(Reg.ESI, Reg.ECX); // MOV ESI, ECX
        cpu.alu(Reg.ESI, Reg.NONE, first); // AND ESI, -4096
        cpu.alu(Reg.ESI, Reg.NONE, offset); // SUB ESI, BASE
        cpu.alu(Reg.EDX, Reg.ECX); // MOV EDX, ECX
        cpu.alu(Reg.EDX, Reg.NONE, count); // AND EDX, 0FFFh
        if (cpu.jcc(count == 0)) { // JZ: no page
            return INVALID_BUFFER;
        }
        cpu.alu(Reg.ESI, Reg.NONE); // CMP ESI, SIZE
        if (cpu.jcc(Integer.compareUnsigned(offset, IpcRegion.SIZE) >= 0)) { // JAE
            return INVALID_BUFFER;
        }
        long end = (long) offset + (long) count * PageFlags.PAGE_SIZE;
        cpu.alu(Reg.EBP, Reg.EDX); // MOV EBP, EDX (EBP's message word is not sent with pages)
        cpu.shift(Reg.EBP, count << 12); // SHL EBP, 12: bytes
        cpu.alu(Reg.EBP, Reg.ESI, (int) end); // ADD EBP, ESI: end offset
        cpu.alu(Reg.EBP, Reg.NONE); // CMP EBP, SIZE
        if (cpu.jcc(end > IpcRegion.SIZE)) { // JA
            return INVALID_BUFFER;
        }
        // ---- send timeout 0 (rare): a destination not waiting for us fails before anything moves
        cpu.alu(Reg.EDI, Reg.NONE); // TEST EDI, 0FFFF0000h
        if (cpu.jcc((cpu.reg(Reg.EDI) >>> 16) == 0) && !waitsFor(cpu, dest, me, myLow, myHigh)) {
            return ResultCode.SEND_TIMEOUT.code();
        }
        // ---- the page walks need more registers than the call leaves free: spill receive
        // descriptor, message word 0 and timeouts, which the L3 path reads afterwards
        cpu.push(Reg.EAX, cpu.reg(Reg.EAX));
        cpu.push(Reg.EBX, cpu.reg(Reg.EBX));
        cpu.push(Reg.EDI, cpu.reg(Reg.EDI));
        int result = walkAndMove(k, me, dest, first, offset, count);
        cpu.setReg(Reg.EDI, cpu.pop(Reg.EDI));
        cpu.setReg(Reg.EBX, cpu.pop(Reg.EBX));
        cpu.setReg(Reg.EAX, cpu.pop(Reg.EAX));
        return result;
    }

    /** Loads both spaces' directory entries of the region, checks every page, then moves them. */
    private static int walkAndMove(KernelContext k, int me, int dest, int first, int offset, int count) {
        Processor cpu = k.cpu();
        KernelLayout layout = k.layout();
        int senderTask = cpu.load(Reg.ESI, Reg.ESP, me + Tcb.TASK);
        int receiverTask = cpu.load(Reg.EDI, Reg.EDX, dest + Tcb.TASK);
        cpu.alu(Reg.ESI, Reg.EDI); // CMP
        boolean sameSpace = cpu.jcc(senderTask == receiverTask);
        int senderDir = layout.pageDirectories() + senderTask * PageFlags.PAGE_SIZE;
        cpu.shift(Reg.ESI, senderTask << 12); // SHL task, 12
        int senderPde = cpu.load(Reg.EAX, Reg.ESI, senderDir + IpcRegion.PDE_OFFSET); // [pdirs + task*4K + region*4]
        cpu.alu(Reg.EAX, Reg.NONE); // TEST PRESENT
        if (cpu.jcc((senderPde & PageFlags.PRESENT) == 0)) {
            return INVALID_BUFFER; // the sender has no page of the region at all
        }
        int slotOffset = IpcRegion.FIRST_PTE_OFFSET + (offset >>> 12) * 4;
        cpu.shift(Reg.EDX, offset >>> 10); // SHR offset, 10: offset of the first page-table entry
        cpu.alu(Reg.EAX, Reg.NONE); // AND frame
        cpu.alu(Reg.EAX, Reg.EDX); // ADD physical map + entry offset
        int senderSlots = layout.physicalMap() + (senderPde & PageFlags.FRAME_MASK) + slotOffset;
        if (sameSpace) {
            // the receiver already sees these pages where they are: check them, move nothing
            return checkPass(cpu, senderSlots, 0, count) ? OK : INVALID_BUFFER;
        }
        int receiverDir = layout.pageDirectories() + receiverTask * PageFlags.PAGE_SIZE;
        cpu.shift(Reg.ESI, receiverTask << 12); // SHL task, 12
        int receiverPde = cpu.load(Reg.EAX, Reg.ESI, receiverDir + IpcRegion.PDE_OFFSET);
        cpu.alu(Reg.EAX, Reg.NONE); // TEST PRESENT
        boolean receiverHasTable = !cpu.jcc((receiverPde & PageFlags.PRESENT) == 0);
        int receiverSlots = 0;
        if (receiverHasTable) {
            cpu.alu(Reg.EAX, Reg.NONE); // AND frame
            cpu.alu(Reg.EAX, Reg.EDX); // ADD physical map + entry offset
            receiverSlots = layout.physicalMap() + (receiverPde & PageFlags.FRAME_MASK) + slotOffset;
        }
        // ---- check pass: every page owned by the sender, every target slot free
        if (!checkPass(cpu, senderSlots, receiverSlots, count)) {
            return INVALID_BUFFER;
        }
        // ---- move pass
        if (!receiverHasTable) {
            // the receiver's first page in the region: give it a page table (as for memory objects)
            int table = k.machine().memory().allocateFrame();
            receiverPde = table | PageFlags.PRESENT | PageFlags.WRITABLE | PageFlags.USER;
            cpu.alu(Reg.EAX, Reg.NONE); // OR flags
            cpu.store(Reg.ESI, receiverDir + IpcRegion.PDE_OFFSET, Reg.EAX, receiverPde);
            cpu.alu(Reg.EAX, Reg.EDX); // ADD physical map + entry offset
            receiverSlots = layout.physicalMap() + table + slotOffset;
        }
        // each moved page leaves the sender's TLB: INVLPG in the loop; a processor without INVLPG (a
        // 386) flushes once after it instead, by tag or by reloading CR3 (KernelContext.invalidatePages)
        boolean invlpg = k.features().invlpg();
        cpu.alu(Reg.EBX, Reg.NONE); // MOV EBX, first page
        int loop = cpu.eip();
        for (int i = 0; i < count; i++) {
            int pte = cpu.load(Reg.EAX, Reg.ESI, senderSlots + 4 * i); // MOV EAX, [ESI]
            cpu.store(Reg.EDI, receiverSlots + 4 * i, Reg.EAX, pte); // MOV [EDI], EAX: mapped at the same address
            cpu.store(Reg.ESI, senderSlots + 4 * i, Reg.NONE, 0); // MOV DWORD [ESI], 0: removed from the sender
            if (invlpg) {
                k.invalidatePages(first + i * PageFlags.PAGE_SIZE, 1); // INVLPG [EBX]
            }
            cpu.alu(Reg.EBX, Reg.NONE); // ADD EBX, 4096
            cpu.alu(Reg.ESI, Reg.NONE); // ADD ESI, 4
            cpu.alu(Reg.EDI, Reg.NONE); // ADD EDI, 4
            cpu.alu(Reg.EDX, Reg.NONE); // DEC EDX
            cpu.jcc(i < count - 1, loop); // JNZ
        }
        if (!invlpg) {
            k.invalidatePages(first, count);
        }
        return OK;
    }

    /**
     * The L3 path's "is the destination waiting for us" test, repeated for a zero send timeout only,
     * so that such a send fails before its pages move. A send to oneself is left to the L3 path, which
     * reports it (nothing moves within one space).
     */
    private static boolean waitsFor(Processor cpu, int dest, int me, int myLow, int myHigh) {
        cpu.alu(Reg.EDX, Reg.NONE); // CMP dest, me
        if (cpu.jcc(dest == me)) {
            return true;
        }
        int state = cpu.load(Reg.EAX, Reg.EDX, dest + Tcb.STATE);
        cpu.alu(Reg.EAX, Reg.NONE);
        if (cpu.jcc(state != Tcb.RECEIVING)) {
            return false;
        }
        int wantLow = cpu.load(Reg.EAX, Reg.EDX, dest + Tcb.PARTNER_LOW);
        cpu.alu(Reg.EAX, Reg.EAX); // from anyone?
        if (cpu.jcc(wantLow == 0)) {
            return true;
        }
        int wantHigh = cpu.load(Reg.EAX, Reg.EDX, dest + Tcb.PARTNER_HIGH);
        cpu.alu(Reg.EAX, Reg.NONE); // CMP with our uid, both halves
        cpu.alu(Reg.EAX, Reg.NONE);
        return !cpu.jcc(wantLow != myLow || wantHigh != myHigh);
    }

    /**
     * Checks every page before any moves: the sender's entry present, the receiver's entry (when it has
     * a page table, {@code receiverSlots != 0}) empty.
     *
     * @return whether all pages may move
     */
    private static boolean checkPass(Processor cpu, int senderSlots, int receiverSlots, int count) {
        cpu.alu(Reg.EBX, Reg.EDX); // MOV EBX, count (EBX spilled, ECX still holds the descriptor)
        int loop = cpu.eip();
        for (int i = 0; i < count; i++) {
            int pte = cpu.load(Reg.EAX, Reg.ESI, senderSlots + 4 * i); // MOV EAX, [ESI]
            cpu.alu(Reg.EAX, Reg.NONE); // TEST EAX, PRESENT
            if (cpu.jcc((pte & PageFlags.PRESENT) == 0)) { // not owned by the sender
                return false;
            }
            if (receiverSlots != 0) {
                // CMP DWORD [EDI], 0: the slot is occupied
                if (cpu.jcc(cpu.compare(Reg.NONE, Reg.EDI, receiverSlots + 4 * i) != 0)) {
                    return false;
                }
                cpu.alu(Reg.EDI, Reg.NONE); // ADD EDI, 4
            }
            cpu.alu(Reg.ESI, Reg.NONE); // ADD ESI, 4
            cpu.alu(Reg.EBX, Reg.NONE); // DEC EBX
            cpu.jcc(i < count - 1, loop); // JNZ
        }
        return true;
    }

    @Override
    public void resumeTransfer(KernelContext k) {
        threads.resumeTransfer(k); // Dash messages are short for L3: only L3 transfers can be preempted
    }
}

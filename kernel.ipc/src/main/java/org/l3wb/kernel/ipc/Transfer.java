package org.l3wb.kernel.ipc;

import org.l3wb.hw.api.PageFault;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.Dope;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.KernelLayout;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Tcb;

/**
 * Moves one long message (5.2.2): the direct string, the indirect strings, the memory objects, into
 * a receive buffer structured the same way, cutting what does not fit and writing nothing past the
 * buffer ("message cut").
 *
 * <p>With direct transfer (5.2.3) the other side's region is mapped into the current space's
 * communication window by copying two page-directory entries, and each string is copied once,
 * through the window. Intra-space IPC copies directly. Without direct transfer the message is copied
 * twice: into a kernel buffer in the sender's space, and out of it in the receiver's.
 *
 * <p>Strings are moved page by page; between pages a due clock interrupt is taken, and if it ends the
 * time slice the transfer stops with {@link #PREEMPTED}, its progress saved in the sender's TCB.
 */
final class Transfer {
    static final int PREEMPTED = -1;
    private static final int OK = ResultCode.OK.code();
    private static final int CUT = ResultCode.MESSAGE_CUT.code();
    private static final int INVALID_BUFFER = ResultCode.INVALID_BUFFER.code();
    private static final int INVALID_DOPE = ResultCode.INVALID_DOPE.code();

    private final KernelContext k;
    private final Processor cpu;
    private final KernelLayout layout;
    private final int sender;
    private final int receiver;
    private final int message;
    private final int buffer;
    private final boolean currentIsSender;
    private final boolean twofold;
    private final int me;
    /**
     * No supervisor write protection (a 386, 7.4): the processor lets the kernel write into a user
     * page the receiver may only read (a memory object's pages), so the kernel checks the page-table
     * write bit itself before each page it writes into the receiver's memory.
     */
    private final boolean checkWriteBit;
    private int receiverDirectory;
    // registers of the running transfer
    private boolean sameSpace;
    private int senderTask;
    private int receiverTask;
    private int windowTask;
    private int windowRegion = -1;
    private boolean windowRemapped;
    private int stage;
    private int done;
    private boolean deferred;
    private int kernelBytes;
    private boolean cut;

    Transfer(KernelContext k, int sender, int receiver, int message, int buffer, boolean currentIsSender) {
        this.k = k;
        this.cpu = k.cpu();
        this.layout = k.layout();
        this.sender = sender;
        this.receiver = receiver;
        this.message = message;
        this.buffer = buffer;
        this.currentIsSender = currentIsSender;
        this.twofold = L3Ipc.twofold(k);
        this.me = currentIsSender ? sender : receiver;
        this.checkWriteBit = !k.features().writeProtect();
    }

    /** @return whether the transfer went through the communication window */
    boolean usedWindow() {
        return windowTask != 0;
    }

    /** @return whether the receiver's half of a twofold copy waits for the switch to the receiver */
    boolean deferred() {
        return deferred;
    }

    /**
     * Runs (or continues) the transfer.
     *
     * @return a result code, or {@link #PREEMPTED}
     */
    int run(int fromStage, int fromDone) {
        stage = fromStage;
        done = fromDone;
        int senderSpace = cpu.load(sender + Tcb.SPACE);
        int receiverSpace = cpu.load(receiver + Tcb.SPACE);
        cpu.alu();
        sameSpace = senderSpace == receiverSpace;
        cpu.jcc(sameSpace);
        if (!sameSpace) {
            senderTask = cpu.load(sender + Tcb.TASK);
            receiverTask = cpu.load(receiver + Tcb.TASK);
        }
        if (fromStage > 0 || fromDone > 0) {
            // resumed after preemption: the window still names our mapping; if a thread switch
            // invalidated it, the first access faults and the handler maps it again (5.2.3)
            windowTask = cpu.load(me + Tcb.WINDOW_TASK);
            windowRegion = cpu.load(me + Tcb.WINDOW_REGION);
        }
        if (!userRange(message, Dope.DIRECT)) {
            return INVALID_BUFFER;
        }
        if (twofold && !sameSpace) {
            boolean noBuffer = buffer == L3Ipc.REGISTERS_ONLY || buffer == 0;
            if (!noBuffer && !userRange(buffer, Dope.DIRECT)) {
                return INVALID_BUFFER; // known before the copy, so the receiver can go on waiting
            }
            return twofoldFirstCopy(senderSpace, receiverSpace);
        }
        int result;
        try {
            result = move();
        } catch (PageFault f) {
            result = INVALID_BUFFER;
        }
        if (result != PREEMPTED) {
            finish();
        } else if (windowTask != 0) {
            // preempted with the window mapped: the thread leaves the processor, and on a tagged TLB
            // no CR3 load will clean the window for the next thread of this space (5.2.3)
            k.windowDoneBeforeSwitch();
        }
        return result;
    }

    private void finish() {
        if (windowTask != 0) {
            cpu.store(me + Tcb.WINDOW_TASK, 0); // the window is no longer in use
            if (!currentIsSender) {
                // no address-space switch follows: leave the TLB window clean (5.2.3)
                k.cleanWindow(cpu.load(me + Tcb.SPACE));
            } else {
                k.windowDoneBeforeSwitch(); // the switch to the receiver cleans it, where CR3 flushes
            }
        }
    }

    /**
     * @return whether {@code [address, address + bytes)} lies in user space and starts on a dword,
     * as REP MOVSD needs (CMP, Jcc)
     */
    private boolean userRange(int address, long bytes) {
        cpu.alu();
        boolean ok = address != 0 && (address & 3) == 0
                && Integer.toUnsignedLong(address) + bytes <= Integer.toUnsignedLong(layout.userTop());
        cpu.jcc(!ok);
        return ok;
    }

    /**
     * On a processor without supervisor write protection only: walks the receiver's page tables for
     * each page of {@code [address, address + bytes)} (its directory in the virtual array, the page
     * table through the physical-memory map) and refuses, as the i486's write-protect fault does, a
     * present page that the receiver may not write.
     */
    private void receiverWritable(int address, int bytes) {
        if (!checkWriteBit || bytes <= 0) {
            return;
        }
        if (receiverDirectory == 0) {
            receiverDirectory = layout.pageDirectories() + cpu.load(receiver + Tcb.TASK) * PageFlags.PAGE_SIZE;
        }
        int last = address + bytes - 1;
        for (int page = address & PageFlags.FRAME_MASK; ; page += PageFlags.PAGE_SIZE) {
            int pde = cpu.loadIndexed(receiverDirectory + (page >>> 22) * 4);
            cpu.alu(); // TEST present
            cpu.jcc((pde & PageFlags.PRESENT) == 0);
            if ((pde & PageFlags.PRESENT) != 0) {
                int pte = cpu.loadIndexed(layout.physicalMap() + (pde & PageFlags.FRAME_MASK)
                        + ((page >>> 12) & 0x3FF) * 4);
                boolean readOnly = (pte & PageFlags.PRESENT) != 0
                        && ((pde & pte & PageFlags.WRITABLE) == 0 || (pde & pte & PageFlags.USER) == 0);
                cpu.alu(); // TEST writable
                cpu.jcc(readOnly);
                if (readOnly) {
                    throw new PageFault(Math.max(page, address), PageFault.Cause.READ_ONLY,
                            org.l3wb.hw.api.Access.WRITE);
                }
            } // not present: the write itself faults
            if (Integer.compareUnsigned(page, last & PageFlags.FRAME_MASK) >= 0) {
                return;
            }
        }
    }

    // ------------------------------------------------------------------ addressing both sides

    /** @return where the kernel reaches a sender address now */
    private int fromSender(int address, int bytes) {
        if (currentIsSender || sameSpace) {
            return address;
        }
        return window(senderTask, address, bytes);
    }

    /** @return where the kernel reaches a receiver address now */
    private int toReceiver(int address, int bytes) {
        if (!currentIsSender || sameSpace) {
            return address;
        }
        return window(receiverTask, address, bytes);
    }

    /**
     * Temporary mapping (5.2.3, figure 5, Table 4): map the 8 MB region holding {@code address} of
     * {@code task} into our communication window by copying two page-directory entries.
     *
     * @return the window address that aliases {@code address}
     */
    private int window(int task, int address, int bytes) {
        int region = address >>> 22;
        if (task != windowTask || region != windowRegion
                || (address & (PageFlags.REGION_SIZE - 1)) + (long) bytes > 2L * PageFlags.REGION_SIZE) {
            if (windowTask != 0 && windowRemapped) {
                k.cleanWindow(cpu.load(me + Tcb.SPACE)); // another region in the same transfer: flush stale entries
            }
            cpu.alu(Reg.EBX, address); // calc 8 MB region
            cpu.shift(Reg.EBX, region);
            int directory = layout.pageDirectories() + task * PageFlags.PAGE_SIZE; // load pdir addr
            cpu.alu(Reg.EBP, directory);
            int own = layout.ownPageDirectory() + (layout.communicationWindow() >>> 22) * 4;
            cpu.storeIndexed(own, cpu.loadIndexed(directory + region * 4)); // copy pdir entries
            cpu.storeIndexed(own + 4, cpu.loadIndexed(directory + (region + 1) * 4));
            cpu.store(me + Tcb.WINDOW_TASK, task);
            cpu.store(me + Tcb.WINDOW_REGION, region);
            windowTask = task;
            windowRegion = region;
            windowRemapped = true;
        }
        cpu.alu(); // calc dest addr: AND, ADD
        cpu.alu();
        return layout.communicationWindow() + (address - (region << 22));
    }

    /**
     * A load that survives a fault on the communication window: the handler maps this transfer's
     * region again (after another thread of the space used the window) and the load is restarted.
     */
    private int read(int linear) {
        while (true) {
            try {
                return cpu.load(linear);
            } catch (PageFault f) {
                k.pageFault(f);
            }
        }
    }

    /** A store that survives a fault on the communication window, like {@link #read}. */
    private void write(int linear, int value) {
        while (true) {
            try {
                cpu.store(linear, value);
                return;
            } catch (PageFault f) {
                k.pageFault(f);
            }
        }
    }

    // ------------------------------------------------------------------ single copy

    /** Moves all parts; stage 0 is the direct string, stage i the (i-1)th indirect string. */
    private int move() {
        int dope = read(fromSender(message + Dope.CURRENT, 8)); // one register holds the dope (5.5.4)
        int directs = dope & 0xFF;
        int strings = (dope >>> 8) & 0xFF;
        int objects = (dope >>> 16) & 0xFF;
        // the whole message must lie in user space before anything about it is answered, even when
        // the receiver takes registers only (a twofold copy checks it before its first copy, too)
        if (!userRange(message, Dope.decode(dope).messageBytes())) {
            return INVALID_BUFFER;
        }
        cpu.alu();
        boolean noBuffer = buffer == L3Ipc.REGISTERS_ONLY || buffer == 0;
        cpu.jcc(noBuffer);
        if (noBuffer) {
            return dope == 0 ? OK : CUT;
        }
        if (!userRange(buffer, Dope.DIRECT)) {
            return INVALID_BUFFER;
        }
        int max = read(toReceiver(buffer + Dope.MAXIMUM, 4));
        int maxDirects = max & 0xFF;
        int maxStrings = (max >>> 8) & 0xFF;
        int maxObjects = (max >>> 16) & 0xFF;
        if (!userRange(buffer, Dope.decode(max).messageBytes())) {
            return INVALID_BUFFER;
        }
        int result = OK;
        int gotDirects = Math.min(directs, maxDirects);
        cpu.alu();
        cpu.jcc(directs > maxDirects);
        if (directs > maxDirects) {
            result = CUT;
        }
        if (stage == 0) {
            if (copy(message + Dope.DIRECT, buffer + Dope.DIRECT, gotDirects * 4)) {
                return PREEMPTED;
            }
            stage = 1;
            done = 0;
        }
        int gotStrings = Math.min(strings, maxStrings);
        if (strings > maxStrings) {
            result = CUT;
        }
        Dope senderDope = Dope.decode(dope);
        Dope receiverDope = Dope.decode(max);
        for (int i = stage - 1; i < gotStrings; i++) {
            int sd = message + senderDope.stringDescriptor(i);
            int rd = buffer + receiverDope.stringDescriptor(i);
            int address = read(fromSender(sd + Dope.STRING_ADDRESS, Dope.STRING_DESCRIPTOR));
            int length = read(fromSender(sd + Dope.STRING_LENGTH, 4));
            int target = read(toReceiver(rd + Dope.STRING_BUFFER, 8));
            int size = read(toReceiver(rd + Dope.STRING_BUFFER_SIZE, 4));
            cpu.alu();
            cpu.jcc(length < 0 || length > Dope.MAX_STRING_BYTES || size < 0 || size > Dope.MAX_STRING_BYTES);
            if (length < 0 || length > Dope.MAX_STRING_BYTES || size < 0 || size > Dope.MAX_STRING_BYTES) {
                return INVALID_DOPE;
            }
            int got = Math.min(length, size);
            if (length > size) {
                result = CUT;
            }
            if (!userRange(address, length) || !userRange(target, size)) {
                return INVALID_BUFFER;
            }
            if (copy(address, target, got)) {
                return PREEMPTED;
            }
            receiverWritable(rd + Dope.STRING_LENGTH, 4);
            write(toReceiver(rd + Dope.STRING_LENGTH, 4), got);
            stage = i + 2;
            done = 0;
        }
        int gotObjects = Math.min(objects, maxObjects);
        if (objects > maxObjects) {
            result = CUT;
        }
        for (int i = 0; i < gotObjects; i++) {
            int sd = message + senderDope.objectDescriptor(i);
            int rd = buffer + receiverDope.objectDescriptor(i);
            int r = mapObject(read(fromSender(sd + Dope.OBJECT_ADDRESS, 8)),
                    read(fromSender(sd + Dope.OBJECT_PAGES, 4)),
                    read(toReceiver(rd + Dope.OBJECT_ADDRESS, 8)),
                    read(toReceiver(rd + Dope.OBJECT_PAGES, 4)));
            if (r != OK) {
                return r;
            }
        }
        receiverWritable(buffer + Dope.CURRENT, 4);
        write(toReceiver(buffer + Dope.CURRENT, 4), new Dope(gotDirects, gotStrings, gotObjects).encode());
        return result;
    }

    /**
     * Copies {@code bytes} from the sender's {@code from} to the receiver's {@code to}, page by page,
     * continuing at {@link #done}.
     *
     * @return whether the copy was preempted
     */
    private boolean copy(int from, int to, int bytes) {
        if (bytes == 0) {
            return false;
        }
        cpu.alu(Reg.ECX, bytes); // move data: count, bytes to dwords, source, target
        cpu.shift(Reg.ECX, bytes >>> 2);
        cpu.alu(Reg.ESI, from);
        while (done < bytes) {
            int target = to + done;
            int chunk = Math.min(bytes - done, PageFlags.PAGE_SIZE - (target & 0xFFF));
            receiverWritable(target, chunk);
            int src = fromSender(from + done, chunk);
            int dst = toReceiver(target, chunk);
            moveChunk(src, dst, chunk);
            done += chunk;
            if (done < bytes && currentIsSender && k.preemptionPending() && k.clockInterruptInKernel()) {
                return true;
            }
        }
        return false;
    }

    /** REP MOVSD (and MOVSB for a tail), restarted after a fault the handler resolves (window). */
    private void moveChunk(int src, int dst, int bytes) {
        int dwords = bytes >>> 2;
        int tail = bytes & 3;
        int s = src;
        int d = dst;
        int left = dwords;
        while (true) {
            try {
                cpu.repMovsd(s, d, left);
                break;
            } catch (PageFault f) {
                k.pageFault(f); // rethrows unless it mapped the window again
                s = cpu.reg(Reg.ESI);
                d = cpu.reg(Reg.EDI);
                left = cpu.reg(Reg.ECX);
            }
        }
        if (tail != 0) {
            cpu.repMovsb(src + 4 * dwords, dst + 4 * dwords, tail);
        }
    }

    /**
     * Memory object (5.2.2): its pages are mapped, not copied, read-only into the receiver's buffer
     * region, through the page tables the kernel reaches in its physical-memory map. The region must
     * be unmapped in the receiver (as for an out-of-line region); nothing is mapped over.
     */
    private int mapObject(int address, int pages, int target, int maxPages) {
        cpu.alu();
        boolean bad = (address & 0xFFF) != 0 || (target & 0xFFF) != 0 || pages < 0 || maxPages < 0
                || pages > Dope.MAX_STRING_BYTES / PageFlags.PAGE_SIZE;
        cpu.jcc(bad);
        if (bad) {
            return INVALID_DOPE;
        }
        int n = Math.min(pages, maxPages);
        if (!userRange(address, (long) n * PageFlags.PAGE_SIZE) || !userRange(target, (long) n * PageFlags.PAGE_SIZE)) {
            return INVALID_BUFFER;
        }
        int physicalMap = layout.physicalMap();
        int senderDir = layout.pageDirectories() + cpu.load(sender + Tcb.TASK) * PageFlags.PAGE_SIZE;
        int receiverDir = layout.pageDirectories() + cpu.load(receiver + Tcb.TASK) * PageFlags.PAGE_SIZE;
        for (int i = 0; i < n; i++) {
            int from = address + i * PageFlags.PAGE_SIZE;
            int to = target + i * PageFlags.PAGE_SIZE;
            int pde = cpu.loadIndexed(senderDir + (from >>> 22) * 4);
            if ((pde & PageFlags.PRESENT) == 0) {
                return INVALID_BUFFER;
            }
            int pte = cpu.loadIndexed(physicalMap + (pde & PageFlags.FRAME_MASK) + ((from >>> 12) & 0x3FF) * 4);
            if ((pte & PageFlags.PRESENT) == 0) {
                return INVALID_BUFFER;
            }
            int rpde = cpu.loadIndexed(receiverDir + (to >>> 22) * 4);
            if ((rpde & PageFlags.PRESENT) == 0) {
                rpde = k.machine().memory().allocateFrame() | PageFlags.PRESENT | PageFlags.WRITABLE | PageFlags.USER;
                cpu.storeIndexed(receiverDir + (to >>> 22) * 4, rpde);
            }
            int slot = physicalMap + (rpde & PageFlags.FRAME_MASK) + ((to >>> 12) & 0x3FF) * 4;
            int old = cpu.load(slot);
            if ((old & PageFlags.PRESENT) != 0) {
                return INVALID_BUFFER;
            }
            cpu.store(slot, (pte & PageFlags.FRAME_MASK) | PageFlags.PRESENT | PageFlags.USER);
        }
        return OK;
    }

    // ------------------------------------------------------------------ twofold copy (direct transfer off)

    /**
     * First half of a twofold copy (figure 3): the whole message, header and strings, into the kernel
     * buffer while in the sender's space. When the current thread is the receiver, the kernel switches
     * to the sender's space for it and back, and copies out at once; otherwise the copy out waits until
     * the IPC has switched to the receiver ({@link #secondCopy}).
     */
    private int twofoldFirstCopy(int senderSpace, int receiverSpace) {
        if (!currentIsSender) {
            cpu.movCr3(senderSpace);
        }
        int result = OK;
        try {
            result = intoKernelBuffer();
        } catch (PageFault f) {
            result = INVALID_BUFFER;
        }
        if (!currentIsSender) {
            cpu.movCr3(receiverSpace);
            if (result == OK) {
                result = outOfKernelBuffer();
            }
            return result;
        }
        deferred = result == OK;
        return result;
    }

    private int intoKernelBuffer() {
        int dope = cpu.load(message + Dope.CURRENT);
        Dope d = Dope.decode(dope);
        int header = d.messageBytes();
        if (!userRange(message, header)) {
            return INVALID_BUFFER;
        }
        int kbuf = layout.kernelBuffer();
        int capacity = layout.kernelBufferBytes();
        done = 0;
        copyPlain(message, kbuf, Math.min(header, capacity));
        int at = header;
        for (int i = 0; i < d.indirectStrings(); i++) {
            int sd = message + d.stringDescriptor(i);
            int address = cpu.load(sd + Dope.STRING_ADDRESS);
            int length = cpu.load(sd + Dope.STRING_LENGTH);
            if (length < 0 || length > Dope.MAX_STRING_BYTES) {
                return INVALID_DOPE;
            }
            if (!userRange(address, length)) {
                return INVALID_BUFFER;
            }
            int room = Math.max(0, Math.min(length, capacity - at));
            copyPlain(address, kbuf + at, room);
            at += (room + 3) & ~3;
            if (room < length) {
                cut = true; // the kernel buffer holds no more: a twofold-copy kernel's limit
            }
        }
        kernelBytes = at;
        return OK;
    }

    /** Second half: from the kernel buffer into the receiver's buffer, cutting what does not fit. */
    private int outOfKernelBuffer() {
        int kbuf = layout.kernelBuffer();
        int dope = cpu.load(kbuf + Dope.CURRENT);
        Dope d = Dope.decode(dope);
        cpu.alu();
        boolean noBuffer = buffer == L3Ipc.REGISTERS_ONLY || buffer == 0;
        cpu.jcc(noBuffer);
        if (noBuffer) {
            return dope == 0 ? OK : CUT;
        }
        try {
            if (!userRange(buffer, Dope.DIRECT)) {
                return INVALID_BUFFER;
            }
            int max = cpu.load(buffer + Dope.MAXIMUM);
            Dope m = Dope.decode(max);
            if (!userRange(buffer, m.messageBytes())) {
                return INVALID_BUFFER;
            }
            int result = OK;
            int directs = Math.min(d.directDwords(), m.directDwords());
            if (d.directDwords() > m.directDwords()) {
                result = CUT;
            }
            done = 0;
            receiverWritable(buffer + Dope.DIRECT, directs * 4);
            copyPlain(kbuf + Dope.DIRECT, buffer + Dope.DIRECT, directs * 4);
            int at = d.messageBytes();
            int strings = Math.min(d.indirectStrings(), m.indirectStrings());
            if (d.indirectStrings() > m.indirectStrings()) {
                result = CUT;
            }
            int capacity = layout.kernelBufferBytes();
            for (int i = 0; i < strings; i++) {
                int length = cpu.load(kbuf + d.stringDescriptor(i) + Dope.STRING_LENGTH);
                int stored = Math.max(0, Math.min(length, capacity - at)); // as the first copy stored it
                int rd = buffer + m.stringDescriptor(i);
                int target = cpu.load(rd + Dope.STRING_BUFFER);
                int size = cpu.load(rd + Dope.STRING_BUFFER_SIZE);
                if (size < 0 || size > Dope.MAX_STRING_BYTES) {
                    return INVALID_DOPE;
                }
                int got = Math.min(stored, size);
                if (length > got) {
                    result = CUT;
                }
                if (!userRange(target, size)) {
                    return INVALID_BUFFER;
                }
                receiverWritable(target, got);
                copyPlain(kbuf + at, target, got);
                receiverWritable(rd + Dope.STRING_LENGTH, 4);
                cpu.store(rd + Dope.STRING_LENGTH, got);
                at += (stored + 3) & ~3;
            }
            receiverWritable(buffer + Dope.CURRENT, 4);
            cpu.store(buffer + Dope.CURRENT, new Dope(directs, strings, 0).encode());
            return cut ? CUT : result;
        } catch (PageFault f) {
            return INVALID_BUFFER;
        }
    }

    /** The deferred second copy, run by the IPC path right after it switched to the receiver. */
    int secondCopy() {
        return outOfKernelBuffer();
    }

    /** A copy within the current space (or to and from the kernel buffer): start-up, REP MOVSD. */
    private void copyPlain(int from, int to, int bytes) {
        if (bytes <= 0) {
            return;
        }
        cpu.alu(Reg.ECX, bytes);
        cpu.shift(Reg.ECX, bytes >>> 2);
        cpu.alu(Reg.ESI, from);
        cpu.alu(Reg.EDI, to);
        moveChunk(from, to, bytes);
    }

    /** Records where a preempted transfer stopped, in the sender's TCB. */
    void saveProgress() {
        cpu.store(sender + Tcb.TRANSFER_STAGE, stage);
        cpu.store(sender + Tcb.TRANSFER_SOURCE, done);
    }
}

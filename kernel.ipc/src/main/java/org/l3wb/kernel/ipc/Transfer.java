package org.l3wb.kernel.ipc;

import static org.l3wb.kernel.ipc.L3Ipc.OWN_TCB;
import static org.l3wb.kernel.ipc.L3Ipc.PARTNER_TCB;

import org.l3wb.hw.api.PageFault;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.Dope;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Tcb;

/**
 * Moves one long message (5.2.2): the direct string, the indirect strings, the memory objects, into
 * a receive buffer structured the same way, cutting what does not fit and writing nothing past the
 * buffer ("message cut"). Part of TRANSFER_MESSAGE.
 *
 * <p>With direct transfer (5.2.3) the other side's region is mapped into the current space's
 * communication window ({@link CommunicationWindow}), and each string is copied once, through the
 * window. Intra-space IPC copies directly. Without direct transfer the message is copied twice
 * ({@link TwofoldCopy}): into a kernel buffer in the sender's space, and out of it in the receiver's.
 * Memory objects are mapped ({@link MemoryObjects}); every address is checked first
 * ({@link UserRanges}).
 *
 * <p>Strings are moved page by page; between pages a due clock interrupt is taken, and if it ends the
 * time slice the transfer stops with {@link #PREEMPTED}, its progress saved in the sender's TCB.
 *
 * <p>Registers: REP MOVSD's ECX, ESI and EDI; the sender's addresses are held in ESI, the
 * receiver's in EDI, the words of dopes and descriptors loaded into EAX (one register holds the
 * dope, 5.5.4); the TCBs as on {@link L3Ipc}'s path.
 */
final class Transfer {
    static final int PREEMPTED = -1;
    private static final int OK = ResultCode.OK.code();
    private static final int CUT = ResultCode.MESSAGE_CUT.code();
    private static final int INVALID_BUFFER = ResultCode.INVALID_BUFFER.code();
    private static final int INVALID_DOPE = ResultCode.INVALID_DOPE.code();

    /*
     * One value per host thread, reused by every long IPC rather than allocated per IPC (issue 13: no
     * garbage per IPC). At most one transfer is in use at a time on a thread: a kernel entry runs to
     * its end on its thread, and where an entry makes two (a reply that took a twofold copy, then a
     * polling sender's message) the first is done with (its copy out made, its window noted) before the
     * second starts. A preempted transfer keeps its progress in the sender's TCB, not here.
     */
    private static final ThreadLocal<Transfer> CURRENT = ThreadLocal.withInitial(Transfer::new);

    private KernelContext k;
    private Processor cpu;
    private int sender;
    private int receiver;
    private int message;
    private int buffer;
    private boolean currentIsSender;
    private boolean twofold;
    private Reg senderTcb;
    private Reg receiverTcb;
    private final UserRanges ranges = new UserRanges();
    private final CommunicationWindow window = new CommunicationWindow();
    private final TwofoldCopy twofoldCopy = new TwofoldCopy(ranges, window);
    // registers of the running transfer
    private boolean sameSpace;
    private int senderTask;
    private int receiverTask;
    private int stage;
    private int done;
    private boolean deferred;

    private Transfer() {
    }

    /**
     * @return this host thread's transfer, set up for one long message from {@code sender} to
     * {@code receiver} as a new one would be (it replaces the thread's previous transfer)
     */
    static Transfer of(KernelContext k, int sender, int receiver, int message, int buffer, boolean currentIsSender) {
        Transfer t = CURRENT.get();
        t.k = k;
        t.cpu = k.cpu();
        t.sender = sender;
        t.receiver = receiver;
        t.message = message;
        t.buffer = buffer;
        t.currentIsSender = currentIsSender;
        t.twofold = L3Ipc.twofold(k);
        t.senderTcb = currentIsSender ? OWN_TCB : PARTNER_TCB;
        t.receiverTcb = currentIsSender ? PARTNER_TCB : OWN_TCB;
        t.ranges.reset(k, receiver, t.receiverTcb);
        t.window.reset(k, currentIsSender ? sender : receiver);
        t.twofoldCopy.reset(k, message, buffer);
        t.sameSpace = false;
        t.senderTask = 0;
        t.receiverTask = 0;
        t.stage = 0;
        t.done = 0;
        t.deferred = false;
        return t;
    }

    /** @return whether the transfer went through the communication window */
    boolean usedWindow() {
        return window.used();
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
        int senderSpace = cpu.load(Reg.EAX, senderTcb, sender + Tcb.SPACE);
        int receiverSpace = cpu.load(Reg.EAX, receiverTcb, receiver + Tcb.SPACE);
        cpu.alu(Reg.EAX, Reg.NONE); // CMP: within one space?
        sameSpace = senderSpace == receiverSpace;
        if (!cpu.jcc(sameSpace)) {
            senderTask = cpu.load(Reg.EAX, senderTcb, sender + Tcb.TASK);
            receiverTask = cpu.load(Reg.EAX, receiverTcb, receiver + Tcb.TASK);
        }
        if (fromStage > 0 || fromDone > 0) {
            window.resume();
        }
        if (!ranges.userRange(Reg.ESI, message, Dope.DIRECT)) {
            return INVALID_BUFFER;
        }
        if (twofold && !sameSpace) {
            boolean noBuffer = buffer == L3Ipc.REGISTERS_ONLY || buffer == 0;
            if (!noBuffer && !ranges.userRange(Reg.EDI, buffer, Dope.DIRECT)) {
                return INVALID_BUFFER; // known before the copy, so the receiver can go on waiting
            }
            int result = twofoldCopy.firstCopy(senderSpace, receiverSpace, !currentIsSender);
            deferred = currentIsSender && result == OK;
            return result;
        }
        int result;
        try {
            result = move();
        } catch (PageFault f) {
            result = INVALID_BUFFER;
        }
        if (result != PREEMPTED) {
            finish();
        } else if (window.used()) {
            // preempted with the window mapped: the thread leaves the processor, and on a tagged TLB
            // no CR3 load will clean the window for the next thread of this space (5.2.3)
            k.windowDoneBeforeSwitch();
        }
        return result;
    }

    private void finish() {
        if (window.used()) {
            window.release();
            if (!currentIsSender) {
                // no address-space switch follows: leave the TLB window clean (5.2.3)
                k.cleanWindow(cpu.load(Reg.EAX, OWN_TCB, receiver + Tcb.SPACE));
            } else {
                k.windowDoneBeforeSwitch(); // the switch to the receiver cleans it, where CR3 flushes
            }
        }
    }

    // ------------------------------------------------------------------ addressing both sides

    /** @return where the kernel reaches a sender address now (in ESI) */
    private int fromSender(int address, int bytes) {
        if (currentIsSender || sameSpace) {
            return address;
        }
        return window.temporaryMapping(senderTask, address, bytes, Reg.ESI);
    }

    /** @return where the kernel reaches a receiver address now (in EDI) */
    private int toReceiver(int address, int bytes) {
        if (!currentIsSender || sameSpace) {
            return address;
        }
        return window.temporaryMapping(receiverTask, address, bytes, Reg.EDI);
    }

    /** @return the word of the sender's message at {@code address}, {@code bytes} of it to be reached */
    private int readSender(int address, int bytes) {
        return window.read(Reg.ESI, fromSender(address, bytes));
    }

    /** @return the word of the receiver's buffer at {@code address} */
    private int readReceiver(int address, int bytes) {
        return window.read(Reg.EDI, toReceiver(address, bytes));
    }

    // ------------------------------------------------------------------ single copy

    /** Moves all parts; stage 0 is the direct string, stage i the (i-1)th indirect string. */
    private int move() {
        int dope = readSender(message + Dope.CURRENT, 8); // one register holds the dope (5.5.4)
        int directs = dope & 0xFF;
        int strings = (dope >>> 8) & 0xFF;
        int objects = (dope >>> 16) & 0xFF;
        // the whole message must lie in user space before anything about it is answered, even when
        // the receiver takes registers only (a twofold copy checks it before its first copy, too)
        if (!ranges.userRange(Reg.ESI, message, messageBytes(dope))) {
            return INVALID_BUFFER;
        }
        cpu.alu(Reg.EDI, Reg.NONE); // CMP EDI, 1
        if (cpu.jcc(buffer == L3Ipc.REGISTERS_ONLY || buffer == 0)) {
            return dope == 0 ? OK : CUT;
        }
        if (!ranges.userRange(Reg.EDI, buffer, Dope.DIRECT)) {
            return INVALID_BUFFER;
        }
        int max = readReceiver(buffer + Dope.MAXIMUM, 4);
        int maxDirects = max & 0xFF;
        int maxStrings = (max >>> 8) & 0xFF;
        int maxObjects = (max >>> 16) & 0xFF;
        if (!ranges.userRange(Reg.EDI, buffer, messageBytes(max))) {
            return INVALID_BUFFER;
        }
        int result = OK;
        int gotDirects = Math.min(directs, maxDirects);
        cpu.alu(Reg.EAX, Reg.NONE); // CMP AL, the receiver's direct dwords
        if (cpu.jcc(directs > maxDirects)) {
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
        int stringsResult = moveStrings(dope, max, gotStrings);
        if (stringsResult == CUT) {
            result = CUT;
        } else if (stringsResult != OK) {
            return stringsResult;
        }
        int gotObjects = Math.min(objects, maxObjects);
        if (objects > maxObjects) {
            result = CUT;
        }
        MemoryObjects memoryObjects = gotObjects == 0 ? null
                : new MemoryObjects(k, ranges, sender, senderTcb, receiver, receiverTcb);
        for (int i = 0; i < gotObjects; i++) {
            int sd = message + objectDescriptor(dope, i);
            int rd = buffer + objectDescriptor(max, i);
            int r = memoryObjects.map(readSender(sd + Dope.OBJECT_ADDRESS, 8), readSender(sd + Dope.OBJECT_PAGES, 4),
                    readReceiver(rd + Dope.OBJECT_ADDRESS, 8), readReceiver(rd + Dope.OBJECT_PAGES, 4));
            if (r != OK) {
                return r;
            }
        }
        ranges.receiverWritable(buffer + Dope.CURRENT, 4);
        window.write(Reg.EDI, toReceiver(buffer + Dope.CURRENT, 4),
                gotObjects << 16 | gotStrings << 8 | gotDirects); // Dope.encode: each count 0..255
        return result;
    }

    /**
     * The indirect strings from {@link #stage}: each descriptor pair read (through the window), the
     * string checked and copied, its length written into the receiver's descriptor.
     *
     * @return OK, {@code MESSAGE_CUT} when a string was cut, {@link #PREEMPTED}, or why a string was refused
     */
    private int moveStrings(int senderDope, int receiverDope, int gotStrings) {
        int result = OK;
        for (int i = stage - 1; i < gotStrings; i++) {
            int sd = message + stringDescriptor(senderDope, i);
            int rd = buffer + stringDescriptor(receiverDope, i);
            int address = readSender(sd + Dope.STRING_ADDRESS, Dope.STRING_DESCRIPTOR);
            int length = readSender(sd + Dope.STRING_LENGTH, 4);
            int target = readReceiver(rd + Dope.STRING_BUFFER, 8);
            int size = readReceiver(rd + Dope.STRING_BUFFER_SIZE, 4);
            cpu.alu(Reg.EAX, Reg.NONE); // CMP length and size, 4 MB
            if (cpu.jcc(length < 0 || length > Dope.MAX_STRING_BYTES || size < 0 || size > Dope.MAX_STRING_BYTES)) {
                return INVALID_DOPE;
            }
            int got = Math.min(length, size);
            if (length > size) {
                result = CUT;
            }
            if (!ranges.userRange(Reg.ESI, address, length) || !ranges.userRange(Reg.EDI, target, size)) {
                return INVALID_BUFFER;
            }
            if (copy(address, target, got)) {
                return PREEMPTED;
            }
            ranges.receiverWritable(rd + Dope.STRING_LENGTH, 4);
            window.write(Reg.EDI, toReceiver(rd + Dope.STRING_LENGTH, 4), got);
            stage = i + 2;
            done = 0;
        }
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
        cpu.alu(Reg.ECX, Reg.NONE, bytes); // move data: count, bytes to dwords, source, target
        cpu.shift(Reg.ECX, bytes >>> 2);
        cpu.alu(Reg.ESI, Reg.NONE, from);
        while (done < bytes) {
            int target = to + done;
            int chunk = Math.min(bytes - done, PageFlags.PAGE_SIZE - (target & 0xFFF));
            ranges.receiverWritable(target, chunk);
            int src = fromSender(from + done, chunk);
            int dst = toReceiver(target, chunk);
            window.moveChunk(src, dst, chunk);
            done += chunk;
            if (done < bytes && currentIsSender && k.preemptionPending() && k.clockInterruptInKernel()) {
                return true;
            }
        }
        return false;
    }

    /*
     * Dope's offsets (5.5.4) from the dope's word itself, as Dope.decode(word) would give them,
     * without a Dope per message (issue 13: no garbage per IPC). TransferTest checks them against Dope.
     */

    /** @return {@code Dope.decode(dope).messageBytes()} */
    static int messageBytes(int dope) {
        return Dope.DIRECT + 4 * (dope & 0xFF) + Dope.STRING_DESCRIPTOR * ((dope >>> 8) & 0xFF)
                + Dope.OBJECT_DESCRIPTOR * ((dope >>> 16) & 0xFF);
    }

    /** @return {@code Dope.decode(dope).stringDescriptor(i)} */
    static int stringDescriptor(int dope, int i) {
        return Dope.DIRECT + 4 * (dope & 0xFF) + Dope.STRING_DESCRIPTOR * i;
    }

    /** @return {@code Dope.decode(dope).objectDescriptor(i)} */
    static int objectDescriptor(int dope, int i) {
        return Dope.DIRECT + 4 * (dope & 0xFF) + Dope.STRING_DESCRIPTOR * ((dope >>> 8) & 0xFF)
                + Dope.OBJECT_DESCRIPTOR * i;
    }

    /** The deferred second copy of a twofold copy, run by the IPC path right after it switched to the receiver. */
    int secondCopy() {
        return twofoldCopy.outOfKernelBuffer();
    }

    /** Records where a preempted transfer stopped, in the sender's TCB. */
    void saveProgress() {
        cpu.store(senderTcb, sender + Tcb.TRANSFER_STAGE, Reg.NONE, stage);
        cpu.store(senderTcb, sender + Tcb.TRANSFER_SOURCE, Reg.ECX, done);
    }
}

package org.l3wb.kernel.api;

/**
 * Layout of a thread control block in simulated kernel memory (paper 5.2.4, 5.2.5). TCBs are
 * {@link #SIZE} bytes and {@code SIZE}-aligned; with virtual TCBs the kernel stack grows down from
 * the TCB's end, so "ESP and mask" yields the current TCB. Fields used on every IPC share the first
 * cache lines (5.5.1) and are reached with one-byte displacements.
 *
 * <p>Queue links (ready, polling-me, wakeup) hold TCB addresses, 0 for none, and live in the TCBs
 * (5.3.2). A thread's {@link #STATE} says where it really belongs; with lazy scheduling a queue may
 * hold threads that no longer belong in it (5.3.4). Encodings: the ready, waiting and wakeup queues
 * are rings (a thread is queued iff its next link is not 0; a sole element links to itself); a
 * polling-me queue ends in 0 and its first sender's {@link #POLL_PREV} names the receiver;
 * {@link #WAKEUP_TIME} is unsigned, 0xFFFFFFFF meaning never.
 */
public final class Tcb {
    public static final int SIZE = 1024;

    // line 0: identity, state, saved kernel stack pointer
    public static final int UID_LOW = 0;
    public static final int UID_HIGH = 4;
    public static final int STATE = 8;
    public static final int STACK_POINTER = 12;
    // line 1: partner and address space
    public static final int PARTNER_LOW = 16;
    public static final int PARTNER_HIGH = 20;
    /** Physical address of the thread's page directory: the CR3 value. */
    public static final int SPACE = 24;
    /** How the thread continues when dispatched: one of the RESUME_* values. */
    public static final int RESUME = 28;
    // line 2: receive side, ready queue
    /** EAX of the pending receive: receive-buffer address, or a short-receive marker. */
    public static final int RECEIVE_BUFFER = 32;
    public static final int TIMEOUTS = 36;
    public static final int READY_NEXT = 40;
    public static final int READY_PREV = 44;
    // line 3: polling-me queue of this thread, and this thread's links in another's
    public static final int POLLING_FIRST = 48;
    public static final int POLLING_LAST = 52;
    public static final int POLL_NEXT = 56;
    public static final int POLL_PREV = 60;
    // line 4: wakeup lists
    public static final int WAKEUP_NEXT = 64;
    public static final int WAKEUP_PREV = 68;
    /** Wakeup time as an offset from the clock base, in ms. */
    public static final int WAKEUP_TIME = 72;
    /** Which wakeup list (0..n-1, or n for the long-time list) the thread was last linked into, -1 none. */
    public static final int WAKEUP_LIST = 76;
    // lines 5, 6: registers kept for a thread that is not switched to directly
    public static final int SAVED_EAX = 80;
    public static final int SAVED_EBX = 84;
    public static final int SAVED_ECX = 88;
    public static final int SAVED_EDX = 92;
    public static final int SAVED_ESI = 96;
    public static final int SAVED_EDI = 100;
    public static final int SAVED_EBP = 104;
    public static final int TASK = 108;
    // line 7: the parameters of a send that had to wait (polling)
    public static final int SEND_MESSAGE = 112;
    public static final int SEND_WORD0 = 116;
    public static final int SEND_WORD1 = 120;
    /** Task whose region the communication window maps for this thread's transfer, 0 none. */
    public static final int WINDOW_TASK = 124;
    // line 8: a long transfer in progress, so it can be resumed after preemption or a fault
    public static final int WINDOW_REGION = 128;
    public static final int TRANSFER_SOURCE = 132;
    public static final int TRANSFER_TARGET = 136;
    public static final int TRANSFER_DWORDS = 140;
    public static final int TRANSFER_PARTNER = 144;
    /** Strict scheduling's waiting-queue links. */
    public static final int WAIT_NEXT = 148;
    public static final int WAIT_PREV = 152;
    /** Which part of a long message a preempted transfer was moving (0 direct string, i+1 string i). */
    public static final int TRANSFER_STAGE = 156;
    /** Top of this thread's kernel stack (the TCB's end with virtual TCBs, a separate page otherwise). */
    public static final int STACK_TOP = 160;
    /** The {@link IpcOperation} ordinal of a send that had to wait (polling). */
    public static final int SEND_OPERATION = 164;
    /** Result code a preempted transfer has accumulated so far (message cut). */
    public static final int TRANSFER_RESULT = 168;
    /** What a waiting send's receiver gets in EDX/ESI as the sender's identity (uid, or reply index). */
    public static final int IDENTIFY_LOW = 172;
    public static final int IDENTIFY_HIGH = 176;

    /** Unused TCB slot. */
    public static final int FREE = 0;
    /** Running or ready to run. */
    public static final int READY = 1;
    /** Waiting to receive from {@link #PARTNER_LOW}/{@link #PARTNER_HIGH}, or from anyone if nil. */
    public static final int RECEIVING = 2;
    /** Waiting to send to its partner: queued in the partner's polling-me queue. */
    public static final int POLLING = 3;
    /** Ready, in the middle of a long message transfer to its partner (preempted). */
    public static final int TRANSFERRING = 4;
    /** Receiving a long message a sender is transferring; no other sender may start. */
    public static final int LOCKED = 5;

    /** Dispatching it needs only the switch: its registers were set by whoever switched to it. */
    public static final int RESUME_DIRECT = 0;
    /** Load EAX, EBX, ECX, EDX, ESI from the SAVED_ fields, then return to user. */
    public static final int RESUME_RESULTS = 1;
    /** Pop all general registers saved by an interrupt, then return to user. */
    public static final int RESUME_INTERRUPTED = 2;
    /** Continue the long transfer recorded in lines 7 and 8. */
    public static final int RESUME_TRANSFER = 3;
    /** Its send part is done; now run its receive part (registers from RECEIVE_BUFFER, PARTNER, TIMEOUTS). */
    public static final int RESUME_RECEIVE = 4;

    private Tcb() {
    }

    /** @return a state's name, for diagnostics */
    public static String stateName(int state) {
        return switch (state) {
            case FREE -> "free";
            case READY -> "ready";
            case RECEIVING -> "receiving";
            case POLLING -> "polling";
            case TRANSFERRING -> "transferring";
            case LOCKED -> "locked";
            default -> "state " + state;
        };
    }
}

package org.l3wb.kernel.mach;

import org.l3wb.hw.api.Descriptors;
import org.l3wb.hw.api.PageFlags;

/**
 * Where Mach's text and data lie in its mechanism data region, and the layout of its kernel data
 * (globals, kmsgs, threads, tasks, ports, IPC entries): offsets only, no cycle figure. The values and
 * their sources are in readme.md ("Memory", "Parameters and their reasons").
 */
final class MachData {
    private MachData() {
    }

    // ---- regions in mechanism data
    static final int TEXT = 0x0000;
    /** The kernel text: locore.s, spl.s, then the ipc/ and kern/ objects in link order (see readme). */
    static final int TEXT_PAGES = 27;
    static final int TRAP_TABLE = 0x20000;
    static final int ZONE = 0x21000;
    static final int TASKS = 0x22000;
    static final int THREADS = 0x30000;
    static final int PORTS = 0x240000;
    static final int SPACES = 0x480000;
    static final int KMSGS = 0x800000;
    /** Per task, its entry table's local reverse hash (ipc_hash.c): one word per entry, the {@code ie_index}. */
    static final int HASHES = 0x840000;
    static final int HASH_TABLE_SIZE = PageFlags.PAGE_SIZE / 16 * 4; // ENTRIES words
    /** Per thread, its kernel port (ith_self), made at the thread's first thread-self trap here. */
    static final int SELF_PORTS = 0xA00000;

    /** Mach 3's trap number of mach_msg_trap (-25), the index in mach_trap_table. */
    static final int MACH_MSG_TRAP = 25;
    static final int TRAP_COUNT = 130;
    static final int TRAP_ENTRY = 16; // locore: shll $4 (argument count, handler, name, spare)
    /** mach_msg(msg, option, send_size, rcv_size, rcv_name, timeout, notify). */
    static final int MACH_MSG_ARGS = 7;
    /** kern/syscall_sw.c: {@code MACH_TRAP(mach_thread_self, 0)} at 27 (26 mach_reply_port, 28 mach_task_self). */
    static final int MACH_THREAD_SELF = 27;
    static final int MACH_SEND_MSG = 1;
    static final int MACH_RCV_MSG = 2;

    // ---- kernel data: globals
    static final int Z_FREE = 0;
    static final int Z_READY = 4;
    static final int Z_AST = 8; // need_ast[cpu]
    static final int G_ZONE_COUNT = 12;
    static final int G_KERNEL_STACK = 16;
    static final int G_ACTIVE_THREADS = 20;
    static final int G_TRAP_COUNT = 24;
    static final int G_CURR_IPL = 28;
    static final int G_CURR_PIC_MASK = 32;
    static final int G_DOTIMEIN = 36;
    static final int G_IKM_CACHE = 40;
    static final int G_SPACE_KERNEL = 44;
    static final int G_SCHED_TICK = 48;
    static final int G_ZONE_CHECK = 52;
    static final int G_K_ZONE = 64; // k_zone[]: one word per power of two
    static final int G_PIC_MASK = 128; // pic_mask[spl]
    static final int G_SWITCH_TABLE = 192; // thread_go's switch jump table
    static final int G_PROCESSOR = 256; // the processor: first_quantum, runq.count, quantum
    static final int G_PSET = 288; // default_pset: runq.count, runq.low, set_quantum
    static final int G_KERNEL_PMAP = 320;
    static final int G_KTSS = 324; // Mach's i386_tss image: esp0
    static final int G_INVOKE_HITS = 328; // c_thread_invoke_hits
    static final int SPL0 = 0;
    static final int SPLHI = 7;
    static final int KMSG_COUNT = 32;
    static final int KMSG_SIZE = 8192;

    // ---- kmsg: header, then the message body (dope, direct string, descriptors, strings)
    static final int K_NEXT = 0;
    static final int K_SIZE = 4;
    static final int K_BITS = 8;
    static final int K_REMOTE = 12;
    static final int K_REPLY = 16;
    static final int K_WORD0 = 20;
    static final int K_WORD1 = 24;
    static final int K_CUT = 28;
    static final int K_SEQNO = 32;
    /** ikm_size: the size the kmsg was allocated for (the cached size, or kalloc's). */
    static final int K_IKM_SIZE = 36;
    static final int K_MAREQUEST = 40;
    static final int K_BODY = 64;
    static final int KMSG_BODY_BYTES = KMSG_SIZE - K_BODY;
    /** K_BITS: the destination right is a send-once right (a reply). */
    static final int BITS_DEST_SEND_ONCE = 1;
    /** Mach's message header (24 bytes) and one type descriptor, counted in msgh_size. */
    static final int MACH_HEADER_BYTES = 24 + 4;
    /** IKM_SAVED_KMSG_SIZE: the cached kmsg's size (ipc_kmsg.h: 256). */
    static final int IKM_SAVED_KMSG_SIZE = 256;
    /** IKM_OVERHEAD: ipc_kmsg's fields before the header (next, prev, size, marequest). */
    static final int IKM_OVERHEAD = 16;
    static final int IKM_SAVED_MSG_SIZE = IKM_SAVED_KMSG_SIZE - IKM_OVERHEAD;
    /** kalloc's smallest zone (MINSIZE) and kalloc_max (16 KB on the i386: 4 KB pages). */
    static final int KALLOC_MINSIZE = 16;

    // ---- per-thread state (Mach's thread fields)
    static final int THREAD_SIZE = 128;
    /** 1 while the thread is blocked in a receive with a continuation. */
    static final int T_WAITING = 0;
    static final int T_KMSG = 4; // ith_kmsg
    static final int T_STATUS = 8; // ith_state
    static final int T_SERVICE_NAME = 12;
    static final int T_REPLY_NAME = 16;
    static final int T_SPACE = 20;
    static final int T_TASK = 24;
    static final int T_MSG = 28; // ith_msg
    static final int T_OPTION = 32;
    static final int T_RCV_SIZE = 36;
    static final int T_TIMEOUT = 40;
    static final int T_NOTIFY = 44;
    static final int T_OBJECT = 48;
    static final int T_MQUEUE = 52;
    static final int T_MSIZE = 56;
    static final int T_SEQNO = 60;
    static final int T_STACK_PRIVILEGE = 64;
    static final int T_MSTATE = 68; // thread->state
    static final int T_RUNQ = 72;
    static final int T_LAST_PROCESSOR = 76;
    static final int T_SWAP_FUNC = 80;
    static final int T_KERNEL_STACK = 84;
    static final int T_PCB = 88;
    static final int T_IO_TSS = 92; // pcb->ims.io_tss
    static final int T_LDT = 96; // pcb->ims.ldt
    static final int T_EFL = 100; // pcb->iss.efl
    static final int T_WAIT_RESULT = 104;
    static final int T_SCHED_STAMP = 108;
    static final int T_TIMER = 112; // thread->timer (its timeout)
    static final int T_SELF = 116; // ith_self: the thread's kernel port
    static final int T_SSELF = 120; // ith_sself: the send right thread-self hands out (ith_self unless interposed)

    // ---- task
    static final int TASK_SIZE = 64;
    static final int TK_SPACE = 0; // itk_space
    static final int TK_MAP = 4;
    static final int TK_EMUL = 8; // eml_dispatch

    // ---- port
    static final int PORT_SIZE = 64;
    static final int P_RECEIVER = 0;
    static final int P_OWNER_UID = 4;
    static final int P_MSGS = 8;
    static final int P_LAST = 12;
    static final int P_COUNT = 16; // ip_msgcount
    static final int P_WAITER = 20;
    static final int P_SORIGHTS = 24;
    static final int P_SRIGHTS = 28;
    static final int P_REFERENCES = 32;
    static final int P_BITS = 36;
    static final int P_PSET = 40;
    static final int P_SEQNO = 44;
    static final int P_QLIMIT = 48;
    static final int P_RECEIVER_NAME = 52;
    static final int P_NSREQUEST = 56;
    static final int P_SPACE = 60; // ip_receiver (the receiving space)
    /** Mach's default port queue limit (MACH_PORT_QLIMIT_DEFAULT). */
    static final int QLIMIT = 5;

    // ---- IPC space entry table
    static final int ENTRY_SIZE = 16;
    static final int E_OBJECT = 0;
    static final int E_BITS = 4;
    static final int E_NEXT = 8;
    static final int E_REQUEST = 12;
    static final int ENTRIES = PageFlags.PAGE_SIZE / ENTRY_SIZE;
    static final int RIGHT_RECEIVE = 1;
    static final int RIGHT_SEND = 2;
    static final int RIGHT_SEND_ONCE = 4;
    /** ie_bits: user references of a send right, bits 8..23 (IE_BITS_UREFS); MACH_PORT_UREFS_MAX. */
    static final int UREFS_SHIFT = 8;
    static final int UREFS_MAX = 0xFFFF;
    /** MACH_MSG_TYPE_PORT_SEND, which is MACH_MSG_TYPE_MOVE_SEND (mach/message.h: 17). */
    static final int MSG_TYPE_PORT_SEND = 17;

    static final int REGISTERS_ONLY = 1;
    static final int KERNEL_DS = Descriptors.selector(2, 0);
    /** i386/seg.h: KERNEL_LDT 0x18 and KERNEL_TSS 0x20, GDT byte offsets of their descriptors. */
    static final int KERNEL_LDT_SELECTOR = 0x18;
    static final int KERNEL_TSS_SELECTOR = 0x20;
}

package org.l3wb.kernel.mach;

import org.l3wb.hw.api.Descriptors;
import org.l3wb.hw.api.PageFault;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.api.Sreg;
import org.l3wb.kernel.api.Dope;
import org.l3wb.kernel.api.IpcMechanism;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Scheduler;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.kernel.api.Timeout;
import org.osgi.service.component.annotations.Component;

/**
 * A conventional IPC in the style of Mach 3 ({@code mach_msg}), the comparison column of the paper's
 * Table 7, built from the CMU Mach 3.0 kernel sources (i386 {@code locore.s}, {@code spl.s},
 * {@code ipc/mach_msg.c}, {@code ipc/ipc_kmsg.c}, {@code ipc/ipc_mqueue.c}, {@code kern/ipc_sched.c},
 * {@code kern/sched_prim.c}, {@code kern/kalloc.c}, {@code kern/zalloc.c}) and run on the same simulated
 * 486 as L3. Nothing here is a cycle figure: each step is the instructions the Mach path executes,
 * issued on {@link KernelContext#cpu()} at simulated addresses, so cache and TLB misses come from the
 * layout.
 *
 * <h2>The path (see readme.md for sources and what is coarse)</h2>
 * <ol>
 * <li><b>General trap path, per system call</b> ({@code locore.s}: {@code syscall},
 * {@code mach_call_call}, {@code _return_from_trap}): PUSHF, trap number and a trap slot pushed, all
 * general and segment registers saved, kernel DS and ES loaded, the call gate's frame shuffled (3 loads,
 * 3 stores), the kernel stack loaded, the emulation vector checked through the current thread's task,
 * the trap number checked and the trap table indexed, {@code mach_msg}'s 7 argument words copied from
 * the user stack (SUB, PUSH m, LOOP each), the handler called indirectly. On exit: the PCB stack
 * pointer reloaded, EAX stored into the saved state, the AST word compared, segment and general
 * registers popped, trap slots dropped, IRET.</li>
 * <li><b>Separate send and receive system calls.</b> A CALL or REPLY_AND_RECEIVE_NEXT is a send
 * trap followed by a receive trap: after the send the kernel returns to user level, the user stub tests
 * the result and loads the receive parameters, and traps again (INT) — two full traps. With the options
 * apart, {@code mach_msg_trap} takes its general path ({@code mach_msg_send}, then
 * {@code mach_msg_receive}), not the combined RPC fast path.</li>
 * <li><b>C routines are compiled C</b>: every routine on the path is a real {@code CALL}/{@code RET} into
 * its own slot of its object module's text page, with its arguments pushed by the caller and dropped
 * after the return, the callee's {@code PUSH EBP; MOV EBP,ESP}, its register variables saved and
 * restored, its arguments loaded from the frame, and {@code LEAVE}.</li>
 * <li><b>Send</b> ({@code mach_msg_send}): {@code ipc_kmsg_get} takes the per-processor cached kmsg
 * ({@code ikm_cache}) for a message up to 240 bytes, else {@code kalloc} (power-of-two size loop) and
 * {@code zalloc}; {@code copyinmsg} copies the message into it (first copy);
 * {@code ipc_kmsg_copyin_header}'s optimised cases translate the destination name (and, for a
 * request, the reply name) inline through the entry table, take port references and right counts, and
 * rewrite the header; {@code ipc_mqueue_send} checks the port (kernel port, queue limit), counts the
 * message and either hands it to the thread waiting on the port ({@code thread_go}: {@code splsched},
 * state, {@code thread_setrun}, {@code splx}) or queues it.</li>
 * <li><b>Receive</b> ({@code mach_msg_receive}): {@code ipc_mqueue_copyin} ({@code ipc_entry_lookup},
 * receive right, port reference), the receive state stored in the thread, {@code ipc_mqueue_receive}
 * dequeues a kmsg or enqueues the thread ({@code thread_will_wait}) and blocks with a continuation
 * ({@code thread_block}: {@code splsched}, {@code ast_off}, strict scheduling picks the next thread).
 * The woken thread resumes in {@code mach_msg_receive_continue} on a fresh kernel stack
 * ({@code call_continuation}), re-enters {@code ipc_mqueue_receive} to collect its kmsg, and releases
 * the port reference.</li>
 * <li><b>Copy out</b>: {@code ipc_kmsg_copyout_header}'s optimised cases (a new send-once name for the
 * reply right; reference and right counts); {@code ipc_kmsg_put} copies the kmsg into the receive
 * buffer with {@code copyoutmsg} (second copy), which first walks the destination's page directory and
 * page table entry per page (the i386 kernel's write check), and returns the kmsg to the cache or to
 * {@code kfree}/{@code zfree}; {@code thread_syscall_return}.</li>
 * </ol>
 * Registers follow Table 6: the receiver gets EAX result, EBX/ECX the sender's EBX/EBP, EDX the name
 * of the send-once reply right (0 when the message carried none: only CALLs carry one) and ESI 0.
 *
 * <h2>Memory (in {@link org.l3wb.kernel.api.KernelLayout#mechanismData(String)})</h2>
 * <pre>
 *  +0x000000  kernel text, 27 pages: locore.s, spl.s, then the ipc/ and kern/ objects in link order,
 *             each routine where the compiled Mach 3.0 object has it (readme.md)
 *  +0x020000  mach_trap_table (16-byte entries; mach_msg_trap is entry 25: argument count, handler)
 *  +0x021000  kernel data: kmsg zone, ikm_cache, curr_ipl, need_ast, active_threads, run queue, ...
 *  +0x022000  tasks (task number x 64: IPC space, map, emulation vector)
 *  +0x030000  threads (thread number x 128): Mach's thread fields (ith_*, state, task, pcb, ...)
 *  +0x240000  ports (thread number x 128: service port, reply port, 64 bytes each)
 *  +0x480000  IPC spaces: task t's entry table at + t x 4 KB (entry 0: free head, size, is_active)
 *  +0x800000  kmsg zone: 32 kmsgs of 8 KB
 * </pre>
 */
@Component(service = IpcMechanism.class, property = {"name=mach", "fallback.rank:Integer=40"})
public class MachIpc implements IpcMechanism {
    /** The mechanism's name: its service property and the owner of its data region. */
    static final String MECHANISM = "mach";
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

    // ---- routines: offsets in the text. ipc/ and kern/: the routine's address in its object file
    // (gcc -m32 -O2 of the CMU Mach 3.0 source, uniprocessor, no NORMA) plus the object's place when the
    // objects are laid out in conf/files order from +0x2000, each 16-byte aligned. locore.s and spl.s
    // (assembler, not compiled here): in source order, estimated from their instruction counts.
    // locore.s
    static final int R_RETURN_FROM_TRAP = 0x0000;
    static final int R_SYSCALL_RETURN = 0x0040;
    static final int R_CALL_CONTINUATION = 0x0060;
    static final int R_SYSCALL = 0x0080;
    static final int R_COPYINMSG = 0x01C0;
    static final int R_COPYOUTMSG = 0x0210;
    // spl.s
    static final int R_SPLSCHED = 0x1060;
    static final int R_SPLX = 0x10A0;
    // ipc/ipc_entry.c
    static final int R_ENTRY_LOOKUP = 0x2060;
    // ipc/ipc_kmsg.c
    static final int R_KMSG_GET = 0x36F0;
    static final int R_KMSG_PUT = 0x3840;
    static final int R_COPYIN_HEADER = 0x3920;
    static final int R_KMSG_COPYIN = 0x41F0;
    static final int R_COPYOUT_HEADER = 0x49B0;
    static final int R_KMSG_COPYOUT = 0x53A0;
    // ipc/ipc_mqueue.c
    static final int R_MQUEUE_SEND = 0x5AF0;
    static final int R_MQUEUE_COPYIN = 0x5D90;
    static final int R_MQUEUE_RECEIVE = 0x5E50;
    // ipc/mach_msg.c
    static final int R_CONTINUE = 0xA550;
    static final int R_MSG_SEND = 0xA8E0;
    static final int R_MSG_RECEIVE = 0xAA80;
    static final int R_MSG_TRAP = 0xACD0;
    // kern/ipc_sched.c
    static final int R_THREAD_GO = 0x100C0;
    static final int R_THREAD_WILL_WAIT = 0x10170;
    // kern/kalloc.c
    static final int R_KALLOC = 0x10E10;
    static final int R_KFREE = 0x10F10;
    // kern/sched_prim.c
    static final int R_THREAD_SETRUN = 0x13A30;
    static final int R_THREAD_INVOKE = 0x13F40;
    static final int R_THREAD_SELECT = 0x14470;
    static final int R_THREAD_BLOCK = 0x14560;
    // kern/zalloc.c
    static final int R_ZFREE = 0x180F0;
    static final int R_ZALLOC = 0x18660;
    // i386/pcb.c (the i386 objects follow the machine-independent ones; pcb.o placed at +0x1A000)
    static final int R_SWITCH_KTSS = 0x1A060;
    static final int R_STACK_HANDOFF = 0x1A110;

    /**
     * A routine of the path: where it starts, its compiled size (0: assembler, not measured), the words
     * its caller pushes, the register variables it saves (EBX, ESI, EDI: at most 3, from its register
     * locals in the source) and whether it builds an EBP frame (compiled C does; the locore and spl
     * assembler routines do not).
     */
    record Routine(String name, String module, int offset, int size, int args, int saved, boolean frame) {
    }

    static final Routine[] ROUTINES = {
        new Routine("_return_from_trap", "locore.s", R_RETURN_FROM_TRAP, 0, 0, 0, false),
        new Routine("thread_syscall_return", "locore.s", R_SYSCALL_RETURN, 0, 1, 0, false),
        new Routine("syscall, mach_call_call", "locore.s", R_SYSCALL, 0, 0, 0, false),
        new Routine("call_continuation", "locore.s", R_CALL_CONTINUATION, 0, 1, 0, false),
        new Routine("copyinmsg", "locore.s", R_COPYINMSG, 0, 3, 2, false),
        new Routine("copyoutmsg", "locore.s", R_COPYOUTMSG, 0, 3, 2, false),
        new Routine("splsched", "spl.s", R_SPLSCHED, 0, 0, 0, false),
        new Routine("splx", "spl.s", R_SPLX, 0, 1, 0, false),
        new Routine("ipc_entry_lookup", "ipc_entry.c", R_ENTRY_LOOKUP, 111, 2, 1, true),
        new Routine("ipc_kmsg_get", "ipc_kmsg.c", R_KMSG_GET, 243, 3, 1, true),
        new Routine("ipc_kmsg_put", "ipc_kmsg.c", R_KMSG_PUT, 132, 3, 1, true),
        new Routine("ipc_kmsg_copyin_header", "ipc_kmsg.c", R_COPYIN_HEADER, 2253, 3, 3, true),
        new Routine("ipc_kmsg_copyin", "ipc_kmsg.c", R_KMSG_COPYIN, 1452, 4, 3, true),
        new Routine("ipc_kmsg_copyout_header", "ipc_kmsg.c", R_COPYOUT_HEADER, 1620, 3, 3, true),
        new Routine("ipc_kmsg_copyout", "ipc_kmsg.c", R_KMSG_COPYOUT, 113, 4, 3, true),
        new Routine("ipc_mqueue_send", "ipc_mqueue.c", R_MQUEUE_SEND, 667, 3, 3, true),
        new Routine("ipc_mqueue_copyin", "ipc_mqueue.c", R_MQUEUE_COPYIN, 182, 4, 3, true),
        new Routine("ipc_mqueue_receive", "ipc_mqueue.c", R_MQUEUE_RECEIVE, 665, 8, 3, true),
        new Routine("mach_msg_receive_continue", "mach_msg.c", R_CONTINUE, 553, 0, 3, true),
        new Routine("mach_msg_send", "mach_msg.c", R_MSG_SEND, 404, 5, 3, true),
        new Routine("mach_msg_receive", "mach_msg.c", R_MSG_RECEIVE, 579, 6, 3, true),
        new Routine("mach_msg_trap", "mach_msg.c", R_MSG_TRAP, 3849, 7, 1, true),
        new Routine("thread_go", "ipc_sched.c", R_THREAD_GO, 175, 1, 2, true),
        new Routine("thread_will_wait", "ipc_sched.c", R_THREAD_WILL_WAIT, 30, 1, 1, true),
        new Routine("kalloc", "kalloc.c", R_KALLOC, 129, 1, 2, true),
        new Routine("kfree", "kalloc.c", R_KFREE, 110, 2, 2, true),
        new Routine("thread_setrun", "sched_prim.c", R_THREAD_SETRUN, 344, 2, 2, true),
        new Routine("thread_invoke", "sched_prim.c", R_THREAD_INVOKE, 529, 3, 3, true),
        new Routine("thread_select", "sched_prim.c", R_THREAD_SELECT, 235, 1, 3, true),
        new Routine("thread_block", "sched_prim.c", R_THREAD_BLOCK, 91, 1, 3, true),
        new Routine("zfree", "zalloc.c", R_ZFREE, 164, 2, 1, true),
        new Routine("zalloc", "zalloc.c", R_ZALLOC, 997, 1, 1, true),
        new Routine("switch_ktss", "pcb.c", R_SWITCH_KTSS, 169, 1, 2, true),
        new Routine("stack_handoff", "pcb.c", R_STACK_HANDOFF, 137, 2, 3, true),
    };

    /** @return the bytes from the routine's start to the next modelled routine's (or the text's end) */
    static int room(Routine r) {
        int next = TEXT_PAGES * PageFlags.PAGE_SIZE;
        for (Routine o : ROUTINES) {
            if (o.offset() > r.offset() && o.offset() < next) {
                next = o.offset();
            }
        }
        return next - r.offset();
    }

    /** @return the modelled routine whose text holds offset {@code offset} (the nearest start at or below it), or null */
    static Routine routineAt(int offset) {
        Routine best = null;
        for (Routine r : ROUTINES) {
            if (r.offset() <= offset && (best == null || r.offset() > best.offset())) {
                best = r;
            }
        }
        return best != null && offset - best.offset() < room(best) ? best : null;
    }

    static Routine routine(int offset) {
        Routine r = routineAt(offset);
        if (r == null || r.offset() != offset) {
            throw new IllegalArgumentException("no routine at " + Integer.toHexString(offset));
        }
        return r;
    }

    /** Mach 3's trap number of mach_msg_trap (-25), the index in mach_trap_table. */
    static final int MACH_MSG_TRAP = 25;
    static final int TRAP_COUNT = 130;
    static final int TRAP_ENTRY = 16; // locore: shll $4 (argument count, handler, name, spare)
    /** mach_msg(msg, option, send_size, rcv_size, rcv_name, timeout, notify). */
    static final int MACH_MSG_ARGS = 7;
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

    static final int REGISTERS_ONLY = 1;
    static final int KERNEL_DS = Descriptors.selector(2, 0);
    /** i386/seg.h: KERNEL_LDT 0x18 and KERNEL_TSS 0x20, GDT byte offsets of their descriptors. */
    static final int KERNEL_LDT_SELECTOR = 0x18;
    static final int KERNEL_TSS_SELECTOR = 0x20;
    private static final Reg[] SAVED = {Reg.EAX, Reg.EBX, Reg.ECX, Reg.EDX, Reg.ESI, Reg.EDI, Reg.EBP};
    private static final Reg[] CALLEE_SAVED = {Reg.EBX, Reg.ESI, Reg.EDI};
    /** Words locore pushes below the general registers: PUSHF, the trap number, the trap slot. */
    private static final int TRAP_SLOTS = 3;
    /** The saved state above the general registers: 4 segment registers and the 5-word IRET frame. */
    private static final int FRAME_ABOVE_GPRS = (4 + 5) * 4;
    private static final int SAVED_STATE = FRAME_ABOVE_GPRS + SAVED.length * 4 + TRAP_SLOTS * 4;

    @Override
    public String name() {
        return MECHANISM;
    }

    // ================================================================== system call

    @Override
    public void ipc(KernelContext k, IpcOperation op) {
        Processor cpu = k.cpu();
        int me = k.current();
        int receive = cpu.reg(Reg.EAX);
        int send = cpu.reg(Reg.ECX);
        int destLow = cpu.reg(Reg.EDX);
        int destHigh = cpu.reg(Reg.ESI);
        int timeouts = cpu.reg(Reg.EDI);
        int word0 = cpu.reg(Reg.EBX);
        int word1 = cpu.reg(Reg.EBP);
        boolean nucleusSavesSegments = !k.switches().isOn(Switch.SEGMENT_REGISTERS);
        int thread = threadState(k, me);
        if (op == IpcOperation.RECEIVE) {
            // a thread woken in mach_msg_receive resumes here, in its continuation
            int waiting = cpu.load(thread + T_WAITING);
            cpu.alu();
            cpu.jcc(waiting != 0);
            if (waiting != 0) {
                continueReceive(k, me, thread, receive);
                return;
            }
        }
        ensureThread(k, me, thread); // (a thread's ports and the trap table exist before its first trap)
        trapEntry(k, thread, !nucleusSavesSegments);
        int option = op == IpcOperation.RECEIVE ? MACH_RCV_MSG : MACH_SEND_MSG;
        msgTrapEntry(k, option);
        if (op == IpcOperation.RECEIVE) {
            receivePhase(k, me, thread, cpu.load(thread + T_SERVICE_NAME), receive, timeouts);
            return;
        }
        int result = sendPhase(k, me, thread, op, destLow, destHigh, send, word0, word1, timeouts);
        msgTrapExit(k, result);
        trapExit(k, false, result); // mach_msg returns its code in EAX; the other registers come back as saved
        if (op == IpcOperation.SEND) {
            return;
        }
        // the user stub: TEST EAX, EAX; JNZ error (a failed send skips the receive)
        cpu.alu();
        cpu.jcc(result != ResultCode.OK.code() && result != ResultCode.MESSAGE_CUT.code());
        if (result != ResultCode.OK.code() && result != ResultCode.MESSAGE_CUT.code()) {
            return;
        }
        // ... load the receive parameters and trap again: the second system call
        cpu.movImm(Reg.EAX, receive);
        cpu.movImm(Reg.EDX, 0);
        cpu.movImm(Reg.ESI, 0);
        cpu.movImm(Reg.EDI, timeouts);
        cpu.softwareInterrupt(IpcOperation.RECEIVE.vector());
        trapEntry(k, thread, true); // the nucleus's entry work and Mach's, all in the general path
        msgTrapEntry(k, MACH_RCV_MSG);
        int name = op == IpcOperation.CALL ? cpu.load(thread + T_REPLY_NAME) : cpu.load(thread + T_SERVICE_NAME);
        receivePhase(k, me, thread, name, receive, timeouts);
    }

    @Override
    public void resumeTransfer(KernelContext k) {
        // transfers are never preempted under mach (copies run to completion)
        k.cpu().movImm(Reg.EAX, ResultCode.OK.code());
        k.returnToUser();
    }

    // ================================================================== compiled C: calls and frames

    private static int text(KernelContext k) {
        return k.layout().mechanismData(MECHANISM) + TEXT;
    }

    private static int globals(KernelContext k) {
        return k.layout().mechanismData(MECHANISM) + ZONE;
    }

    /** The caller pushes the arguments and CALLs; the callee builds its frame (see {@link #prologue}). */
    private static void enter(KernelContext k, int offset) {
        Processor cpu = k.cpu();
        Routine r = routine(offset);
        for (int i = 0; i < r.args(); i++) {
            cpu.push(0); // PUSH argument (right to left)
        }
        cpu.call(text(k) + offset);
        prologue(cpu, r);
    }

    /** PUSH EBP; MOV EBP, ESP; PUSH of the register variables; each argument loaded from the frame. */
    private static void prologue(Processor cpu, Routine r) {
        if (r.frame()) {
            cpu.push(cpu.reg(Reg.EBP));
            cpu.alu(Reg.EBP, cpu.reg(Reg.ESP));
        }
        for (int i = 0; i < r.saved(); i++) {
            cpu.push(cpu.reg(CALLEE_SAVED[i]));
        }
        int args = r.frame() ? cpu.reg(Reg.EBP) + 8 : cpu.reg(Reg.ESP) + 4 + 4 * r.saved();
        for (int i = 0; i < r.args(); i++) {
            cpu.load(args + 4 * i);
        }
    }

    /**
     * Return from the routine whose slot EIP is in: register variables popped, LEAVE, RET; the caller
     * drops its arguments (ADD ESP) when {@code dropArguments}.
     */
    private static void leave(KernelContext k, boolean dropArguments) {
        Processor cpu = k.cpu();
        Routine r = routineAt(cpu.eip() - text(k));
        if (r == null) {
            throw new IllegalStateException("return outside the Mach text at " + Integer.toHexString(cpu.eip()));
        }
        int use = cpu.eip() - text(k) - r.offset();
        if (use > maxSlotUse) {
            maxSlotUse = use;
        }
        if (room(r) - use < minSlotRoom) {
            minSlotRoom = room(r) - use;
            tightest = r.name();
        }
        for (int i = r.saved() - 1; i >= 0; i--) {
            cpu.setReg(CALLEE_SAVED[i], cpu.pop());
        }
        if (r.frame()) {
            cpu.alu(Reg.ESP, cpu.reg(Reg.EBP)); // LEAVE: MOV ESP, EBP; POP EBP
            cpu.setReg(Reg.EBP, cpu.pop());
        }
        cpu.ret();
        if (dropArguments && r.args() > 0) {
            cpu.alu(Reg.ESP, cpu.reg(Reg.ESP) + 4 * r.args()); // ADD ESP, 4 x args
        }
    }

    private static void leave(KernelContext k) {
        leave(k, true);
    }

    /** Diagnostics: the most text any routine ran through before its RET; the least room left before the next. */
    static volatile int maxSlotUse;
    static volatile int minSlotRoom = Integer.MAX_VALUE;
    static volatile String tightest = "";

    // ================================================================== locore: the trap path

    /**
     * locore.s {@code syscall}: PUSHF, trap number, trap slot; PUSHA and the segment registers (unless the
     * nucleus saved them); kernel DS and ES; the call gate's frame shuffled; the kernel stack; the emulation
     * vector through the current thread's task; trap number range and table; the munger's argument copy;
     * CALL *handler.
     */
    private static void trapEntry(KernelContext k, int thread, boolean saveSegments) {
        Processor cpu = k.cpu();
        int md = k.layout().mechanismData(MECHANISM);
        int g = md + ZONE;
        cpu.jumpTo(md + TEXT + R_SYSCALL); // the trap's gate leads to locore's syscall (the INT is charged)
        if (!k.features().segments()) {
            // a processor without segments (7.4) has no segment registers to save: the saved state keeps
            // its four slots (SUB ESP, 16), so that its layout is the i386's
            cpu.alu(Reg.ESP, cpu.reg(Reg.ESP) - 16);
        } else if (saveSegments) {
            cpu.pushSegment(Sreg.DS);
            cpu.pushSegment(Sreg.ES);
            cpu.pushSegment(Sreg.FS);
            cpu.pushSegment(Sreg.GS);
            cpu.readSegment(Sreg.SS); // MOV DX, SS
            cpu.loadSegment(Sreg.DS, KERNEL_DS);
            cpu.loadSegment(Sreg.ES, KERNEL_DS);
        }
        for (Reg r : SAVED) {
            cpu.push(cpu.reg(r)); // PUSHA-equivalent into the saved state
        }
        cpu.push(0); // PUSHF (the call gate does not save the flags)
        cpu.push(cpu.reg(Reg.EAX)); // the system call number
        cpu.push(0); // the trap number slot
        int frame = cpu.reg(Reg.ESP);
        // shuffle EFLAGS, EIP, CS into their places (a call gate pushes CS:EIP only)
        int iret = frame + TRAP_SLOTS * 4 + SAVED.length * 4 + 4 * 4;
        int eip = cpu.load(iret);
        int cs = cpu.load(iret + 4);
        int flags = cpu.load(iret + 8);
        cpu.store(iret, eip);
        cpu.store(iret + 4, cs);
        cpu.store(iret + 8, flags);
        // the kernel stack: MOVL kernel_stack, %ebx; XCHGL %ebx, %esp
        cpu.load(g + G_KERNEL_STACK);
        cpu.alu();
        // the emulation vector: active_threads -> task -> eml_dispatch
        int current = cpu.load(g + G_ACTIVE_THREADS);
        int task = cpu.load(thread + T_TASK);
        int emul = cpu.load(task + TK_EMUL);
        cpu.alu(); // ORL %edx, %edx
        cpu.jcc(emul == 0); // JE syscall_native, over the emulation code (the usual case: no emulation)
        if (current != thread) {
            cpu.store(g + G_ACTIVE_THREADS, thread); // (kept by switch_context in Mach)
        }
        // syscall_native: NEGL; JL; CMPL trap count; JG; SHLL $4
        cpu.alu();
        cpu.jcc(false);
        cpu.compare(g + G_TRAP_COUNT);
        cpu.jcc(false);
        cpu.shift(Reg.EAX, MACH_MSG_TRAP * TRAP_ENTRY);
        int entry = md + TRAP_TABLE + MACH_MSG_TRAP * TRAP_ENTRY;
        int args = cpu.loadIndexed(entry);
        cpu.jcc(args == 0); // JECXZ
        // the arguments from the user stack (user ESP in the IRET frame): bounds, then SUB; PUSH (%esi); LOOP
        int userEsp = cpu.load(iret + 12);
        cpu.alu(); // LEA 4(%esi,%ecx,4)
        cpu.alu(); // CMPL $VM_MAX_ADDRESS
        cpu.jcc(false);
        cpu.alu(); // MOVL %esp, %edx
        int loop = cpu.eip();
        for (int i = args - 1; i >= 0; i--) {
            cpu.alu(); // SUBL $4, %esi
            int word = loadUser(k, userEsp + 4 + 4 * i);
            cpu.push(word);
            cpu.jcc(i > 0, loop); // LOOP
        }
        int handler = cpu.loadIndexed(entry + 4);
        cpu.call(handler);
    }

    /** A user load on the trap path; a fault leaves the argument 0 (Mach's copyin would fail the call). */
    private static int loadUser(KernelContext k, int linear) {
        try {
            return k.cpu().load(linear);
        } catch (PageFault f) {
            return 0;
        }
    }

    /** mach_msg_trap's frame and its dispatch on the option (not the combined SEND|RCV fast path). */
    private static void msgTrapEntry(KernelContext k, int option) {
        Processor cpu = k.cpu();
        prologue(cpu, routine(R_MSG_TRAP));
        cpu.alu(); // CMPL $(MACH_SEND_MSG|MACH_RCV_MSG), option
        cpu.jcc(true); // JNE: not the RPC fast path
        cpu.alu(); // TESTL $MACH_SEND_MSG
        cpu.jcc((option & MACH_SEND_MSG) == 0);
        if ((option & MACH_SEND_MSG) == 0) {
            cpu.alu(); // TESTL $MACH_RCV_MSG
            cpu.jcc(false);
        }
    }

    /** After mach_msg_send: its result tested, the receive option tested, mach_msg_trap returns. */
    private static void msgTrapExit(KernelContext k, int result) {
        Processor cpu = k.cpu();
        cpu.alu(); // TESTL %eax, %eax
        boolean failed = result != ResultCode.OK.code() && result != ResultCode.MESSAGE_CUT.code();
        cpu.jcc(failed);
        if (!failed) {
            cpu.alu(); // TESTL $MACH_RCV_MSG
            cpu.jcc(true);
        }
        leave(k, false); // mach_call_call reloads ESP instead of dropping the arguments
    }

    /**
     * Return from the trap ({@code mach_call_call} and {@code _return_from_trap}): the PCB stack pointer
     * reloaded from the kernel stack (or, in a continuation, by {@code thread_syscall_return}), the result
     * stored into the saved state, the AST compared, all registers and segments restored, IRET.
     */
    private static void trapExit(KernelContext k, boolean continuation, int... results) {
        Processor cpu = k.cpu();
        int g = globals(k);
        int me = k.current();
        int top = cpu.load(me + Tcb.STACK_TOP); // MOVL -3-IKS_SIZE(%ecx), %esp: the saved state's address
        if (!continuation) {
            cpu.alu(); // MOVL %esp, %ecx
            cpu.alu(); // ORL $(KERNEL_STACK_SIZE-1), %ecx
        }
        cpu.alu(Reg.ESP, top - SAVED_STATE);
        int base = cpu.reg(Reg.ESP) + TRAP_SLOTS * 4;
        for (int i = 0; i < results.length; i++) {
            cpu.store(base + 4 * (SAVED.length - 1 - i), results[i]); // saved EAX .. ESI
        }
        cpu.jmp(text(k) + R_RETURN_FROM_TRAP); // JMP _return_from_trap
        int ast = cpu.compare(g + Z_AST); // CMPL $0, need_ast
        cpu.jcc(ast == 0, cpu.eip() + 2 + 12); // JZ _return_to_user, over the AST call
        cpu.alu(Reg.ESP, base); // the trap slots: ADDL $8, %esp and the flags (IRET restores them)
        for (int i = SAVED.length - 1; i >= 0; i--) {
            cpu.setReg(SAVED[i], cpu.pop());
        }
        if (!k.features().segments()) {
            cpu.alu(Reg.ESP, cpu.reg(Reg.ESP) + 16); // ADD ESP, 16: the unused segment slots (7.4)
        } else if (k.switches().isOn(Switch.SEGMENT_REGISTERS)) {
            cpu.popSegment(Sreg.GS);
            cpu.popSegment(Sreg.FS);
            cpu.popSegment(Sreg.ES);
            cpu.popSegment(Sreg.DS);
        }
        k.returnToUser(); // pops the segments itself when the nucleus saved them; IRET
    }

    /** thread_syscall_return(mr): the result loaded, ESP to the PCB stack, then the return from trap. */
    private static void syscallReturn(KernelContext k, int... results) {
        Processor cpu = k.cpu();
        cpu.push(results[0]);
        cpu.call(text(k) + R_SYSCALL_RETURN);
        cpu.load(cpu.reg(Reg.ESP) + 4); // MOVL S_ARG0, %eax
        cpu.alu(); // MOVL %esp, %ecx
        cpu.alu(); // ORL $(KERNEL_STACK_SIZE-1), %ecx
        trapExit(k, true, results);
    }

    // ================================================================== spl.s

    /** splsched: CLI; old level loaded; SPLHI stored; RET. @return the old level */
    private static int splsched(KernelContext k) {
        Processor cpu = k.cpu();
        int g = globals(k);
        cpu.call(text(k) + R_SPLSCHED);
        cpu.alu(); // CLI (no CLI in the processor API: one register instruction)
        int old = cpu.load(g + G_CURR_IPL);
        cpu.store(g + G_CURR_IPL, SPLHI);
        cpu.ret();
        return old;
    }

    /**
     * splx(s) and set_spl: argument range checks; PUSH EBP; CLI; old level saved; new level stored; the
     * softclock request checked at spl0; the level's PIC mask compared with the current one (equal on this
     * path, so no OUTB to the PIC); STI; RET.
     */
    private static void splx(KernelContext k, int s) {
        Processor cpu = k.cpu();
        int g = globals(k);
        cpu.push(s);
        cpu.call(text(k) + R_SPLX);
        cpu.load(cpu.reg(Reg.ESP) + 4); // MOVL 4(%esp), %eax
        cpu.alu(); // CMPL $0
        cpu.jcc(false);
        cpu.alu(); // CMPL $SPLHI
        cpu.jcc(false);
        cpu.push(cpu.reg(Reg.EBP)); // set_spl: PUSHL %ebp; MOVL %esp, %ebp
        cpu.alu(Reg.EBP, cpu.reg(Reg.ESP));
        cpu.alu(); // CLI
        int old = cpu.load(g + G_CURR_IPL);
        cpu.push(old);
        cpu.store(g + G_CURR_IPL, s);
        cpu.alu(); // CMPL $SPLHI
        cpu.jcc(s == SPLHI);
        if (s != SPLHI) {
            cpu.alu(); // CMPL $SPL0
            cpu.jcc(s != SPL0);
            if (s == SPL0) {
                int timein = cpu.compare(g + G_DOTIMEIN);
                cpu.jcc(timein == 0);
            }
            int mask = cpu.loadIndexed(g + G_PIC_MASK + 4 * s); // MOVW pic_mask(,%eax,2), %ax
            int current = cpu.compare(g + G_CURR_PIC_MASK);
            cpu.jcc(mask == current);
            if (mask != current) {
                cpu.store(g + G_CURR_PIC_MASK, mask); // (SET_PIC_MASK's OUTBs are not modelled: never on this path)
            }
            cpu.alu(); // STI
        }
        cpu.pop(); // POPL %eax
        cpu.setReg(Reg.EBP, cpu.pop());
        cpu.ret();
        cpu.alu(Reg.ESP, cpu.reg(Reg.ESP) + 4);
    }

    // ================================================================== send

    /** mach_msg_send. @return the send's result code */
    private int sendPhase(KernelContext k, int me, int thread, IpcOperation op, int nameLow, int nameHigh, int send,
                          int word0, int word1, int timeouts) {
        Processor cpu = k.cpu();
        enter(k, R_MSG_SEND);
        // current_space(), current_map(): active_threads -> task -> itk_space, map
        int g = globals(k);
        cpu.load(g + G_ACTIVE_THREADS);
        int task = cpu.load(thread + T_TASK);
        int space = cpu.load(task + TK_SPACE);
        cpu.load(task + TK_MAP);
        // ipc_kmsg_get: a kmsg, the message copied in
        enter(k, R_KMSG_GET);
        int size = messageSize(k, send);
        cpu.alu(); // CMPL $sizeof(mach_msg_header_t)
        cpu.jcc(false);
        cpu.alu(); // TESTL $3
        cpu.jcc(false);
        int kmsg = kmsgAllocate(k, size);
        cpu.alu();
        cpu.jcc(kmsg == 0);
        if (kmsg == 0) {
            leave(k);
            leave(k);
            return ResultCode.SEND_TIMEOUT.code(); // MACH_SEND_NO_BUFFER
        }
        int copied = copyIn(k, kmsg, send);
        cpu.alu(); // TESTL %eax, %eax
        cpu.jcc(failed(copied));
        if (failed(copied)) {
            kmsgFree(k, kmsg); // ikm_free
            leave(k);
            leave(k);
            return copied;
        }
        cpu.store(kmsg + K_SIZE, K_BODY + size); // msgh_size
        cpu.store(kmsg + K_WORD0, word0);
        cpu.store(kmsg + K_WORD1, word1);
        int kmsgp = cpu.reg(Reg.EBP) + 16; // *kmsgp = kmsg (the argument's slot stands for the caller's local)
        cpu.load(kmsgp);
        cpu.store(kmsgp, kmsg);
        leave(k);
        cpu.alu(); // TESTL mr
        cpu.jcc(false);
        cpu.alu(); // TESTL $MACH_SEND_CANCEL
        cpu.jcc(false);
        // ipc_kmsg_copyin -> ipc_kmsg_copyin_header
        enter(k, R_KMSG_COPYIN);
        enter(k, R_COPYIN_HEADER);
        int port = copyinHeader(k, thread, space, op, nameLow, nameHigh, kmsg);
        if (port == 0) {
            leave(k);
            leave(k);
            kmsgFree(k, kmsg);
            leave(k);
            return ResultCode.NO_PARTNER.code();
        }
        leave(k);
        cpu.alu(); // TESTL mr
        cpu.jcc(false);
        cpu.load(kmsg + K_BITS); // MACH_MSGH_BITS_COMPLEX?
        cpu.alu();
        cpu.jcc(true); // not complex: no port or out-of-line descriptors in the body
        leave(k);
        cpu.alu(); // TESTL mr
        cpu.jcc(false);
        cpu.alu(); // TESTL $MACH_SEND_NOTIFY
        cpu.jcc(false);
        cpu.alu(); // ANDL $MACH_SEND_TIMEOUT
        enter(k, R_MQUEUE_SEND);
        int result = mqueueSend(k, port, kmsg, timeouts);
        leave(k);
        cpu.alu(); // TESTL mr
        cpu.jcc(result != ResultCode.OK.code());
        leave(k);
        return result == ResultCode.OK.code() ? copied : result;
    }

    /**
     * ipc_kmsg_copyin_header's optimised cases: COPY_SEND (+ MAKE_SEND_ONCE for a request) or
     * MOVE_SEND_ONCE (a reply). @return the destination port, 0 when the name or the port is not valid
     */
    private static int copyinHeader(KernelContext k, int thread, int space, IpcOperation op, int nameLow,
                                    int nameHigh, int kmsg) {
        Processor cpu = k.cpu();
        int mbits = cpu.load(kmsg + K_BITS); // msgh_bits &~ CIRCULAR
        cpu.alu();
        cpu.load(kmsg + K_REMOTE); // dest_name
        cpu.load(kmsg + K_REPLY); // reply_name
        cpu.alu(); // notify == MACH_PORT_NULL
        cpu.jcc(false);
        cpu.alu(); // switch (MACH_MSGH_BITS_PORTS(mbits))
        cpu.alu(); // CMPL case
        cpu.jcc(op != IpcOperation.CALL);
        cpu.alu(); // CMPL case
        cpu.jcc(false);
        int active = cpu.load(space + E_REQUEST); // is_read_lock; space->is_active
        cpu.alu();
        cpu.jcc(false);
        int port = 0;
        cpu.alu(); // the name is one word: ESI must be 0
        cpu.jcc(nameHigh != 0);
        int entry = nameHigh != 0 ? 0 : lookupEntry(cpu, space, nameLow, RIGHT_SEND | RIGHT_SEND_ONCE);
        boolean once = false;
        if (entry != 0) {
            port = cpu.loadIndexed(entry + E_OBJECT);
            int bits = cpu.loadIndexed(entry + E_BITS);
            cpu.alu(); // TEST bits, send-once
            once = (bits & RIGHT_SEND_ONCE) != 0;
            cpu.jcc(!once);
            if (once) {
                freeEntry(cpu, space, entry); // MOVE_SEND_ONCE: the name is gone, the right moves into the message
            }
            // ip_lock; ip_active: the receiving thread still lives
            int receiver = cpu.load(port + P_RECEIVER);
            int state = cpu.load(receiver + Tcb.STATE);
            int uid = cpu.load(receiver + Tcb.UID_HIGH);
            boolean alive = state != Tcb.FREE && cpu.compare(port + P_OWNER_UID) == uid;
            cpu.jcc(!alive);
            if (!alive) {
                port = 0;
            }
        }
        cpu.alu();
        cpu.jcc(port == 0);
        if (port == 0) {
            return 0;
        }
        int reply = 0;
        if (op == IpcOperation.CALL) {
            // optimised ipc_entry_lookup of reply_name: the caller's reply port, a receive right
            int own = lookupEntry(cpu, space, cpu.load(thread + T_REPLY_NAME), RIGHT_RECEIVE);
            reply = cpu.loadIndexed(own + E_OBJECT);
            int rbits = cpu.load(reply + P_BITS); // ip_lock_try, ip_active(reply)
            cpu.alu();
            cpu.jcc(rbits == 0);
            cpu.store(reply + P_SORIGHTS, cpu.load(reply + P_SORIGHTS) + 1); // reply_port->ip_sorights++
            reference(cpu, reply, 1); // ip_reference(reply_port)
        }
        if (!once) {
            cpu.store(port + P_SRIGHTS, cpu.load(port + P_SRIGHTS) + 1); // dest_port->ip_srights++
            reference(cpu, port, 1); // ip_reference(dest_port)
        }
        // ip_unlock, is_read_unlock; the header rewritten
        cpu.store(kmsg + K_BITS, once ? BITS_DEST_SEND_ONCE : 0);
        cpu.store(kmsg + K_REMOTE, port);
        cpu.store(kmsg + K_REPLY, reply);
        return port;
    }

    /** ip_reference / ip_release: LOAD, INC or DEC, STORE of ip_references. */
    private static void reference(Processor cpu, int port, int delta) {
        int refs = cpu.load(port + P_REFERENCES);
        cpu.alu();
        cpu.store(port + P_REFERENCES, refs + delta);
    }

    /** ipc_mqueue_send: hand the kmsg to the waiting receiver and wake it, or queue it. */
    private static int mqueueSend(KernelContext k, int port, int kmsg, int timeouts) {
        Processor cpu = k.cpu();
        int g = globals(k);
        cpu.load(kmsg + K_REMOTE); // port = msgh_remote_port; ip_lock
        int receiverSpace = cpu.load(port + P_SPACE); // port->ip_receiver == ipc_space_kernel?
        cpu.compare(g + G_SPACE_KERNEL);
        cpu.jcc(receiverSpace == -1);
        cpu.load(port + P_BITS); // ip_active
        cpu.alu();
        cpu.jcc(false);
        int count = cpu.load(port + P_COUNT); // ip_msgcount < ip_qlimit
        cpu.compare(port + P_QLIMIT);
        boolean full = count >= QLIMIT;
        cpu.jcc(!full);
        if (full) {
            cpu.alu(); // MACH_SEND_TIMEOUT with timeout 0: MACH_SEND_TIMED_OUT
            cpu.jcc(false);
            kmsgFree(k, kmsg);
            return ResultCode.SEND_TIMEOUT.code(); // Mach would block the sender; see readme
        }
        cpu.load(kmsg + K_BITS); // MACH_MSGH_BITS_CIRCULAR
        cpu.alu();
        cpu.jcc(false);
        cpu.store(port + P_COUNT, count + 1); // ip_msgcount++
        int pset = cpu.load(port + P_PSET); // mqueue = pset ? &pset->ips_messages : &port->ip_messages
        cpu.alu();
        cpu.jcc(pset == 0);
        cpu.alu(); // LEA ip_messages; imq_lock; receivers = &mqueue->imq_threads; ip_unlock
        int waiter = cpu.load(port + P_WAITER); // ipc_thread_queue_first
        cpu.alu();
        cpu.jcc(waiter == 0);
        if (waiter != 0) {
            // ipc_thread_rmqueue_first_macro: the only waiter leaves the queue
            int thread = threadState(k, waiter);
            cpu.load(thread + T_SEQNO); // ith_next
            cpu.alu(); // CMP with itself: the last one
            cpu.jcc(true);
            cpu.store(port + P_WAITER, 0);
            int msize = cpu.load(thread + T_MSIZE); // msgh_size <= receiver->ith_msize
            cpu.compare(kmsg + K_SIZE);
            cpu.jcc(false);
            cpu.store(thread + T_STATUS, ResultCode.OK.code()); // ith_state = MACH_MSG_SUCCESS
            cpu.store(thread + T_KMSG, kmsg); // ith_kmsg
            int seqno = cpu.load(port + P_SEQNO); // ith_seqno = ip_seqno++
            cpu.store(port + P_SEQNO, seqno + 1);
            cpu.store(thread + T_SEQNO, seqno);
            threadGo(k, waiter, thread); // imq_unlock; thread_go(receiver)
            return ResultCode.OK.code();
        }
        cpu.store(kmsg + K_NEXT, 0); // ipc_kmsg_enqueue_macro at the tail
        int last = cpu.load(port + P_LAST);
        cpu.alu();
        cpu.jcc(last == 0);
        if (last == 0) {
            cpu.store(port + P_MSGS, kmsg);
        } else {
            cpu.store(last + K_NEXT, kmsg);
        }
        cpu.store(port + P_LAST, kmsg);
        return ResultCode.OK.code();
    }

    /**
     * thread_go (ipc_sched.c): splsched; reset_timeout_check; the state's switch (jump table); state and
     * wait result stored; thread_setrun (sched_stamp against sched_tick, the run queue); splx.
     */
    private static void threadGo(KernelContext k, int waiter, int thread) {
        Processor cpu = k.cpu();
        int g = globals(k);
        enter(k, R_THREAD_GO);
        int s = splsched(k);
        Scheduler sched = k.scheduler();
        cpu.load(thread + T_TIMER); // reset_timeout_check(&thread->timer)
        cpu.alu();
        cpu.jcc(true);
        sched.wakeupCancelled(k, waiter);
        int state = cpu.load(waiter + Tcb.STATE); // switch (state & TH_SCHED_STATE)
        cpu.alu();
        cpu.alu(); // CMPL $max case
        cpu.jcc(false);
        cpu.loadIndexed(g + G_SWITCH_TABLE + 4 * (state & 7)); // JMP *table(,%eax,4)
        cpu.jmp(cpu.eip() + 2);
        cpu.store(waiter + Tcb.STATE, Tcb.READY); // thread->state = (state &~ TH_WAIT) | TH_RUN
        cpu.store(thread + T_WAIT_RESULT, 0); // thread->wait_result = THREAD_AWAKENED
        // thread_setrun(thread, TRUE)
        enter(k, R_THREAD_SETRUN);
        cpu.load(thread + T_SCHED_STAMP); // th->sched_stamp != sched_tick
        cpu.compare(g + G_SCHED_TICK);
        cpu.jcc(false);
        sched.preempted(k, waiter); // "make sure it is in the ready queue": the run queue
        leave(k);
        splx(k, s);
        leave(k);
    }

    // ================================================================== receive

    /** mach_msg_receive on {@code name}: dequeue and copy out, or block with a continuation. */
    private void receivePhase(KernelContext k, int me, int thread, int name, int receive, int timeouts) {
        Processor cpu = k.cpu();
        int g = globals(k);
        enter(k, R_MSG_RECEIVE);
        cpu.load(g + G_ACTIVE_THREADS); // current_thread, current_space, current_map
        int task = cpu.load(thread + T_TASK);
        int space = cpu.load(task + TK_SPACE);
        cpu.load(task + TK_MAP);
        // ipc_mqueue_copyin: ipc_entry_lookup, receive right, port reference
        enter(k, R_MQUEUE_COPYIN);
        cpu.load(space + E_REQUEST); // is_read_lock; is_active
        cpu.alu();
        cpu.jcc(false);
        enter(k, R_ENTRY_LOOKUP);
        int entry = lookupEntry(cpu, space, name, RIGHT_RECEIVE);
        leave(k);
        cpu.alu(); // entry != IE_NULL
        cpu.jcc(false);
        cpu.loadIndexed(entry + E_BITS); // MACH_PORT_TYPE_RECEIVE
        cpu.alu();
        cpu.jcc(false);
        int port = cpu.loadIndexed(entry + E_OBJECT);
        reference(cpu, port, 1); // io_reference(object)
        int pset = cpu.load(port + P_PSET); // in a port set?
        cpu.alu();
        cpu.jcc(pset != 0);
        cpu.alu(); // mqueue = &port->ip_messages
        cpu.store(cpu.reg(Reg.EBP) + 16, port); // *objectp (the arguments' slots stand for the caller's locals)
        cpu.store(cpu.reg(Reg.EBP) + 20, port + P_MSGS); // *mqueuep
        leave(k);
        cpu.alu(); // TESTL mr
        cpu.jcc(false);
        // the receive state kept in the thread for the continuation
        cpu.store(thread + T_MSG, receive);
        cpu.store(thread + T_OPTION, MACH_RCV_MSG);
        cpu.store(thread + T_RCV_SIZE, receive);
        cpu.store(thread + T_TIMEOUT, timeouts);
        cpu.store(thread + T_NOTIFY, 0);
        cpu.store(thread + T_OBJECT, port);
        cpu.store(thread + T_MQUEUE, port + P_MSGS);
        cpu.alu(); // TESTL $MACH_RCV_LARGE
        cpu.jcc(true);
        // ipc_mqueue_receive
        enter(k, R_MQUEUE_RECEIVE);
        cpu.load(g + G_ACTIVE_THREADS); // self = current_thread()
        cpu.alu(); // TESTL resume
        cpu.jcc(false);
        int kmsg = cpu.load(port + P_MSGS); // ipc_kmsg_queue_first
        cpu.alu();
        cpu.jcc(kmsg == 0);
        if (kmsg != 0) {
            int next = cpu.load(kmsg + K_NEXT); // ipc_kmsg_rmqueue_first_macro
            cpu.store(port + P_MSGS, next);
            cpu.alu();
            cpu.jcc(next != 0);
            if (next == 0) {
                cpu.store(port + P_LAST, 0);
            }
            cpu.load(kmsg + K_REMOTE); // port = msgh_remote_port
            int seqno = cpu.load(port + P_SEQNO); // seqno = ip_seqno++
            cpu.store(port + P_SEQNO, seqno + 1);
            releaseMsgcount(k, port, kmsg);
            leave(k);
            receiveCollected(k, me, thread, port, kmsg, receive, false);
            return;
        }
        int encoded = timeouts & 0xFFFF;
        cpu.alu(); // TESTL $MACH_RCV_TIMEOUT
        cpu.jcc(encoded != 0);
        if (encoded == 0) {
            cpu.alu(); // time_out == 0: imq_unlock; MACH_RCV_TIMED_OUT
            cpu.jcc(true);
            leave(k);
            reference(cpu, port, -1); // ipc_object_release(object)
            cpu.alu(); // TESTL mr
            cpu.jcc(true);
            leave(k);
            msgTrapExitReceive(k);
            trapExit(k, false, ResultCode.RECEIVE_TIMEOUT.code(), 0, 0, 0, 0);
            return;
        }
        Scheduler s = k.scheduler();
        // thread_will_wait: the thread's wait state, under splsched
        enter(k, R_THREAD_WILL_WAIT);
        int spl = splsched(k);
        cpu.load(me + Tcb.STATE); // thread->state |= TH_WAIT
        cpu.alu();
        cpu.store(me + Tcb.STATE, Tcb.RECEIVING);
        cpu.store(me + Tcb.PARTNER_LOW, 0);
        cpu.store(me + Tcb.PARTNER_HIGH, 0);
        cpu.store(me + Tcb.RECEIVE_BUFFER, receive);
        cpu.store(me + Tcb.TIMEOUTS, timeouts);
        cpu.store(me + Tcb.RESUME, Tcb.RESUME_RECEIVE); // continuation: mach_msg_receive_continue
        cpu.alu();
        boolean finite = encoded != 0xFFFF;
        cpu.jcc(!finite);
        if (finite) {
            s.wakeupAt(k, me, k.now() + Timeout.decode(encoded).ms()); // thread_will_wait_with_timeout
        }
        splx(k, spl);
        leave(k);
        // ipc_thread_enqueue_macro(&mqueue->imq_threads, self); ith_state, ith_msize; imq_unlock
        cpu.load(port + P_WAITER);
        cpu.alu();
        cpu.jcc(true);
        cpu.store(port + P_WAITER, me);
        cpu.store(thread + T_SEQNO, thread); // ith_next, ith_prev: itself
        cpu.store(thread + T_WAITING, 1);
        cpu.store(thread + T_KMSG, 0);
        cpu.store(thread + T_STATUS, -1); // MACH_RCV_IN_PROGRESS
        cpu.store(thread + T_MSIZE, Integer.MAX_VALUE); // ith_msize = MACH_MSG_SIZE_MAX
        // thread_block(mach_msg_receive_continue): the stack is given up; strict scheduling picks the next
        enter(k, R_THREAD_BLOCK);
        cpu.load(globals(k) + G_ACTIVE_THREADS); // current_thread
        cpu.alu(); // cpu_to_processor
        splsched(k);
        int ast = cpu.load(globals(k) + Z_AST); // ast_off(cpu, AST_BLOCK)
        cpu.alu();
        cpu.store(globals(k) + Z_AST, ast);
        s.blocked(k, me);
        int next = threadSelect(k);
        threadInvoke(k, thread, next);
        k.dispatchNext(); // the switch itself (CR3 and the rest) is the nucleus's
    }

    /**
     * thread_select: first_quantum; the processor's local run queue count; the processor set's run queue
     * (count, low, the queue's head dequeued, thread->runq cleared, count decremented); the quantum.
     * @return the next thread's Mach state, 0 if the run queue is empty (the nucleus idles)
     */
    private static int threadSelect(KernelContext k) {
        Processor cpu = k.cpu();
        int g = globals(k);
        enter(k, R_THREAD_SELECT);
        cpu.store(g + G_PROCESSOR, 1); // myprocessor->first_quantum = TRUE
        int local = cpu.load(g + G_PROCESSOR + 4); // myprocessor->runq.count > 0?
        cpu.alu();
        cpu.jcc(local == 0);
        int count = cpu.load(g + G_PSET); // simple_lock; pset->runq.count == 0?
        cpu.alu();
        int head = cpu.load(k.layout().readyQueue()); // the run queue: strict scheduling's ready queue
        cpu.jcc(head == 0);
        int next = 0;
        if (head != 0) {
            cpu.load(g + G_PSET + 4); // q = runq + runq.low
            cpu.alu();
            cpu.load(head + Tcb.UID_LOW); // queue_empty(q)?
            cpu.alu();
            cpu.jcc(false);
            next = threadState(k, head); // dequeue_head(q)
            // a thread that has made no mach call yet (one the nucleus created, never named in an
            // endpoint) gets its task and ports now: in Mach they exist from its creation
            ensureThread(k, head, next);
            cpu.store(next + T_RUNQ, 0); // thread->runq = RUN_QUEUE_NULL
            cpu.store(g + G_PSET, count); // pset->runq.count--
        }
        cpu.load(g + G_PSET + 8); // myprocessor->quantum = pset->set_quantum
        cpu.store(g + G_PROCESSOR + 8, 0);
        leave(k);
        return next;
    }

    /**
     * thread_invoke with a continuation: the new thread's swap state; stack_handoff (set_ts, the tasks'
     * pmaps deactivated and activated, switch_ktss, the kernel stack handed over, active_threads); the
     * old thread's continuation and state; the hit counter. The CR3 load is the nucleus's switch; the new
     * thread's spl0 and call_continuation are in its continuation.
     */
    private static void threadInvoke(KernelContext k, int old, int next) {
        Processor cpu = k.cpu();
        int g = globals(k);
        enter(k, R_THREAD_INVOKE);
        cpu.alu(); // old_thread == new_thread?
        cpu.jcc(next == 0);
        if (next == 0) {
            leave(k);
            return;
        }
        int privilege = cpu.load(old + T_STACK_PRIVILEGE); // old->stack_privilege != current_stack()
        cpu.compare(g + G_KERNEL_STACK);
        cpu.jcc(privilege != 0);
        cpu.alu(); // continuation != 0
        cpu.jcc(false);
        int state = cpu.load(next + T_MSTATE); // switch (new_thread->state & TH_SWAP_STATE)
        cpu.alu();
        cpu.alu(); // CMPL $TH_SWAPPED
        cpu.jcc(false);
        cpu.store(next + T_MSTATE, state); // new_thread->state &= ~(TH_SWAPPED | TH_UNINT)
        cpu.store(next + T_LAST_PROCESSOR, g + G_PROCESSOR); // new_thread->last_processor
        cpu.load(g + Z_AST); // ast_context(new_thread, cpu)
        cpu.store(g + Z_AST, 0);
        stackHandoff(k, old, next);
        cpu.store(old + T_SWAP_FUNC, R_CONTINUE); // old_thread->swap_func = continuation
        int oldState = cpu.load(old + T_MSTATE); // switch (old_thread->state): jump table
        cpu.alu();
        cpu.jcc(false);
        cpu.loadIndexed(g + G_SWITCH_TABLE + 4 * (oldState & 7));
        cpu.jmp(cpu.eip() + 2);
        cpu.store(old + T_MSTATE, oldState); // (state & ~TH_RUN) | TH_SWAPPED
        int hits = cpu.load(g + G_INVOKE_HITS); // counter_always(c_thread_invoke_hits++)
        cpu.store(g + G_INVOKE_HITS, hits + 1);
        cpu.load(next + T_SWAP_FUNC); // call_continuation(new_thread->swap_func), after spl0
    }

    /** stack_handoff and switch_ktss (i386/pcb.c). */
    private static void stackHandoff(KernelContext k, int old, int next) {
        Processor cpu = k.cpu();
        int g = globals(k);
        enter(k, R_STACK_HANDOFF);
        cpu.alu(); // fpu_save_context: set_ts(): MOV EAX, CR0; OR; MOV CR0, EAX (no CR0 moves in the
        cpu.alu(); // processor API: register instructions)
        cpu.alu();
        int oldTask = cpu.load(old + T_TASK); // old->task != new->task
        int newTask = cpu.load(next + T_TASK);
        cpu.alu();
        cpu.jcc(oldTask == newTask);
        if (oldTask != newTask) {
            int map = cpu.load(oldTask + TK_MAP); // PMAP_DEACTIVATE_USER(vm_map_pmap(old_task->map))
            cpu.compare(g + G_KERNEL_PMAP);
            cpu.jcc(false);
            cpu.store(map + E_NEXT, 0); // pmap->cpus_using = FALSE
            int newMap = cpu.load(newTask + TK_MAP); // PMAP_ACTIVATE_USER: set_dirbase (the nucleus's CR3)
            cpu.load(newMap + E_OBJECT); // pmap->dirbase
            cpu.compare(g + G_KERNEL_PMAP);
            cpu.jcc(false);
            cpu.store(newMap + E_NEXT, 1); // pmap->cpus_using = TRUE
        }
        cpu.load(next + T_PCB); // switch_ktss(new->pcb)
        enter(k, R_SWITCH_KTSS);
        int tss = cpu.load(next + T_IO_TSS); // pcb->ims.io_tss
        int efl = cpu.load(next + T_EFL); // pcb->iss.efl & EFL_VM
        cpu.alu();
        cpu.jcc(efl == 0);
        cpu.alu();
        cpu.jcc(tss != 0);
        cpu.load(k.layout().gdt() + KERNEL_TSS_SELECTOR + 4); // gdt KERNEL_TSS access & ACC_TSS_BUSY
        cpu.alu();
        cpu.jcc(true); // busy: no LTR
        cpu.store(g + G_KTSS, next + T_PCB); // curr_ktss(mycpu)->esp0 = pcb_stack_top (Mach's own TSS image)
        int ldt = cpu.load(next + T_LDT); // pcb->ims.ldt == 0: set_ldt(KERNEL_LDT)
        cpu.alu();
        cpu.jcc(ldt != 0);
        cpu.movImm(Reg.EAX, KERNEL_LDT_SELECTOR); // LLDT (no LLDT in the processor API: its GDT descriptor read)
        cpu.load(k.layout().gdt() + KERNEL_LDT_SELECTOR);
        cpu.load(k.layout().gdt() + KERNEL_LDT_SELECTOR + 4);
        leave(k);
        cpu.load(g + G_KERNEL_STACK); // stack = current_stack()
        cpu.store(old + T_KERNEL_STACK, 0); // old->kernel_stack = 0
        cpu.store(next + T_KERNEL_STACK, g + G_KERNEL_STACK); // new->kernel_stack = stack
        cpu.store(g + G_ACTIVE_THREADS, next); // active_threads[mycpu] = new
        cpu.store(next + T_PCB, next); // STACK_IEL(stack)->saved_state = &new->pcb->iss
        leave(k);
    }

    /** ipc_mqueue_receive's epilogue: the marequest, ip_active, ip_msgcount--, the blocked senders. */
    private static void releaseMsgcount(KernelContext k, int port, int kmsg) {
        Processor cpu = k.cpu();
        cpu.load(kmsg + K_MAREQUEST); // marequest != IMAR_NULL?
        cpu.alu();
        cpu.jcc(true);
        cpu.load(port + P_BITS); // ip_lock; ip_active
        cpu.alu();
        cpu.jcc(false);
        int count = cpu.load(port + P_COUNT);
        cpu.store(port + P_COUNT, count - 1); // ip_msgcount--
        cpu.load(port + P_NSREQUEST); // senders = &port->ip_blocked; ipc_thread_queue_first
        cpu.alu();
        cpu.jcc(true);
    }

    /** The receive trap's mach_msg_trap: mach_msg_receive's result tested, return. */
    private static void msgTrapExitReceive(KernelContext k) {
        Processor cpu = k.cpu();
        cpu.alu(); // TESTL %eax
        cpu.jcc(true);
        leave(k, false);
    }

    /** mach_msg_receive_continue: the woken receiver, on a fresh kernel stack. */
    private void continueReceive(KernelContext k, int me, int thread, int receive) {
        Processor cpu = k.cpu();
        int g = globals(k);
        // call_continuation: the continuation loaded, ESP to the stack's base, EBP cleared, JMP *%eax
        cpu.call(text(k) + R_CALL_CONTINUATION);
        cpu.load(cpu.reg(Reg.ESP) + 4);
        cpu.alu(); // MOVL %esp, %ecx
        cpu.alu(); // ORL
        cpu.alu(); // ADDL $(-3-IKS_SIZE)
        int top = cpu.load(me + Tcb.STACK_TOP);
        cpu.alu(Reg.ESP, top - SAVED_STATE); // MOVL %ecx, %esp
        cpu.alu(); // XORL %ebp, %ebp
        cpu.jmp(text(k) + R_CONTINUE);
        prologue(cpu, routine(R_CONTINUE));
        splx(k, SPL0); // thread_continue: spl0() before the continuation (issued here, in its frame)
        cpu.store(g + G_ACTIVE_THREADS, thread); // (active_threads: kept by the switch in Mach)
        cpu.store(thread + T_WAITING, 0);
        // self, space, map and the receive state from the thread
        cpu.load(g + G_ACTIVE_THREADS);
        int task = cpu.load(thread + T_TASK);
        cpu.load(task + TK_SPACE);
        cpu.load(task + TK_MAP);
        cpu.load(thread + T_MSG);
        cpu.load(thread + T_OPTION);
        cpu.load(thread + T_RCV_SIZE);
        cpu.load(thread + T_TIMEOUT);
        cpu.load(thread + T_NOTIFY);
        int port = cpu.load(thread + T_OBJECT);
        cpu.load(thread + T_MQUEUE);
        cpu.alu(); // TESTL $MACH_RCV_LARGE
        cpu.jcc(true);
        // ipc_mqueue_receive(..., resume TRUE): after_thread_block
        enter(k, R_MQUEUE_RECEIVE);
        cpu.load(g + G_ACTIVE_THREADS);
        cpu.alu(); // TESTL resume
        cpu.jcc(true);
        int status = cpu.load(thread + T_STATUS); // self->ith_state
        int kmsg = cpu.load(thread + T_KMSG);
        cpu.alu();
        cpu.jcc(kmsg == 0);
        if (kmsg == 0) {
            leave(k);
            reference(cpu, port, -1); // ipc_object_release(object)
            syscallReturn(k, status, 0, 0, 0, 0); // timed out or cancelled while waiting
            return;
        }
        cpu.load(thread + T_SEQNO); // seqno = self->ith_seqno
        cpu.store(cpu.reg(Reg.EBP) + 32, kmsg); // *kmsgp (the arguments' slots stand for the caller's locals)
        cpu.store(cpu.reg(Reg.EBP) + 36, 0); // *seqnop
        releaseMsgcount(k, port, kmsg);
        leave(k);
        receiveCollected(k, me, thread, port, kmsg, receive, true);
    }

    /**
     * After ipc_mqueue_receive returned a kmsg: the port reference released, the sequence number stored,
     * the size checked, ipc_kmsg_copyout (header), ipc_kmsg_put (the second copy), the return.
     */
    private void receiveCollected(KernelContext k, int me, int thread, int port, int kmsg, int receive,
                                  boolean continuation) {
        Processor cpu = k.cpu();
        reference(cpu, port, -1); // ipc_object_release(object)
        cpu.alu(); // TESTL mr
        cpu.jcc(false);
        cpu.store(kmsg + K_SEQNO, 0); // msgh_seqno = seqno
        cpu.load(kmsg + K_SIZE); // msgh_size > rcv_size?
        cpu.alu();
        cpu.jcc(false);
        cpu.alu(); // TESTL $MACH_RCV_NOTIFY
        cpu.jcc(false);
        int space = cpu.load(thread + T_SPACE);
        enter(k, R_KMSG_COPYOUT);
        enter(k, R_COPYOUT_HEADER);
        int name = copyoutHeader(k, space, kmsg);
        leave(k);
        cpu.alu(); // TESTL mr
        cpu.jcc(false);
        cpu.load(kmsg + K_BITS); // complex body?
        cpu.alu();
        cpu.jcc(true);
        leave(k);
        cpu.alu(); // TESTL mr
        cpu.jcc(false);
        // ipc_kmsg_put: copyoutmsg, then the kmsg cached or freed
        int reply = cpu.load(kmsg + K_REPLY);
        enter(k, R_KMSG_PUT);
        int result = copyOut(k, kmsg, receive);
        int word0 = cpu.load(kmsg + K_WORD0);
        int word1 = cpu.load(kmsg + K_WORD1);
        cpu.alu();
        cpu.jcc(failed(result));
        if (failed(result) && name != 0) {
            // MACH_RCV_INVALID_DATA: the message and its reply right are destroyed
            freeEntry(cpu, space, space + (name >>> 8) * ENTRY_SIZE);
            cpu.store(reply + P_SORIGHTS, cpu.load(reply + P_SORIGHTS) - 1);
            name = 0;
        }
        kmsgRelease(k, kmsg);
        leave(k);
        if (continuation) {
            syscallReturn(k, result, word0, word1, name, 0);
            return;
        }
        leave(k); // mach_msg_receive
        msgTrapExitReceive(k);
        trapExit(k, false, result, word0, word1, name, 0);
    }

    /**
     * ipc_kmsg_copyout_header's optimised cases: PORT_SEND + PORT_SEND_ONCE (a request: a new send-once
     * name for the reply right) or PORT_SEND_ONCE (a reply) or PORT_SEND. @return the reply right's name
     */
    private static int copyoutHeader(KernelContext k, int space, int kmsg) {
        Processor cpu = k.cpu();
        int mbits = cpu.load(kmsg + K_BITS);
        int dest = cpu.load(kmsg + K_REMOTE);
        cpu.alu(); // notify == MACH_PORT_NULL
        cpu.jcc(false);
        cpu.alu(); // switch (MACH_MSGH_BITS_PORTS(mbits))
        int reply = cpu.load(kmsg + K_REPLY);
        cpu.alu(); // CMPL case
        cpu.jcc(reply == 0);
        int name = 0;
        if (reply != 0) {
            // is_write_lock; is_active; the free list's first index
            cpu.load(space + E_REQUEST);
            cpu.alu();
            cpu.jcc(false);
            cpu.load(dest + P_BITS); // ip_lock(dest); ip_active(dest); ip_lock_try(reply)
            cpu.alu();
            cpu.jcc(false);
            cpu.load(reply + P_BITS); // ip_active(reply)
            cpu.alu();
            cpu.jcc(false);
            name = allocateEntry(cpu, space, reply, RIGHT_SEND_ONCE); // 0 when the table is full
        }
        boolean once = (mbits & BITS_DEST_SEND_ONCE) != 0;
        cpu.alu(); // CMPL case
        cpu.jcc(!once);
        if (!once && reply == 0) {
            cpu.load(dest + P_BITS); // ip_lock; ip_active
            cpu.alu();
            cpu.jcc(false);
        }
        reference(cpu, dest, -1); // ip_release(dest)
        int receiverSpace = cpu.load(dest + P_SPACE); // dest->ip_receiver == space
        cpu.alu();
        cpu.jcc(receiverSpace != space);
        cpu.load(dest + P_RECEIVER_NAME); // dest_name
        if (once) {
            cpu.store(dest + P_SORIGHTS, cpu.load(dest + P_SORIGHTS) - 1); // dest->ip_sorights--
        } else {
            int srights = cpu.load(dest + P_SRIGHTS) - 1; // --dest->ip_srights == 0 && nsrequest?
            cpu.store(dest + P_SRIGHTS, srights);
            cpu.jcc(srights != 0);
            if (srights == 0) {
                cpu.load(dest + P_NSREQUEST);
                cpu.alu();
                cpu.jcc(true);
            }
        }
        cpu.alu(); // MACH_MSGH_BITS_OTHER(mbits) | ...
        cpu.store(kmsg + K_BITS, mbits); // msgh_bits, msgh_local_port, msgh_remote_port
        cpu.store(kmsg + K_REPLY, reply);
        cpu.store(kmsg + K_REMOTE, dest);
        return name;
    }

    @Override
    public void abort(KernelContext k, int tcb, ResultCode result) {
        // the wait ends without a message (timeout, cancellation): leave the port, resume in the continuation
        Processor cpu = k.cpu();
        int thread = threadState(k, tcb);
        int space = cpu.load(thread + T_SPACE);
        for (int nameAt : new int[] {T_SERVICE_NAME, T_REPLY_NAME}) {
            int name = cpu.load(thread + nameAt);
            int port = cpu.loadIndexed(space + (name >>> 8) * ENTRY_SIZE + E_OBJECT);
            int waiter = cpu.load(port + P_WAITER);
            cpu.alu();
            cpu.jcc(waiter != tcb);
            if (waiter == tcb) {
                cpu.store(port + P_WAITER, 0);
            }
        }
        cpu.store(thread + T_KMSG, 0);
        cpu.store(thread + T_STATUS, result.code());
        cpu.store(tcb + Tcb.RESUME, Tcb.RESUME_RECEIVE);
    }

    // ================================================================== kmsgs: ikm_cache, kalloc, zalloc

    /**
     * Mach's msgh_size of the message (header, one type descriptor, the data), the size the user passes
     * to mach_msg: here computed from the message's dope and string lengths (their loads stand for the
     * send_size argument's). A malformed message counts as small: the copy-in rejects it.
     */
    private static int messageSize(KernelContext k, int send) {
        Processor cpu = k.cpu();
        if (!isMemory(send) || (send & 3) != 0 || Integer.toUnsignedLong(send) + Dope.DIRECT
                > Integer.toUnsignedLong(k.layout().userTop())) {
            return MACH_HEADER_BYTES;
        }
        try {
            Dope d = Dope.decode(cpu.load(send + Dope.CURRENT));
            long size = MACH_HEADER_BYTES + d.messageBytes();
            for (int i = 0; i < d.indirectStrings(); i++) {
                int length = cpu.load(send + d.stringDescriptor(i) + Dope.STRING_LENGTH);
                size += Math.max(0, Math.min(length, KMSG_BODY_BYTES));
            }
            return (int) Math.min(size, KMSG_SIZE);
        } catch (PageFault f) {
            return MACH_HEADER_BYTES;
        }
    }

    /**
     * ipc_kmsg_get's allocation: the per-processor cached kmsg when the message fits
     * (IKM_SAVED_MSG_SIZE) and the cache holds one, else ikm_alloc (kalloc) and ikm_init.
     * @return a kmsg, 0 when the zone is empty
     */
    private static int kmsgAllocate(KernelContext k, int size) {
        Processor cpu = k.cpu();
        int g = globals(k);
        cpu.alu(); // CMPL $IKM_SAVED_MSG_SIZE
        boolean small = size <= IKM_SAVED_MSG_SIZE;
        cpu.jcc(!small);
        if (small) {
            int cached = cpu.load(g + G_IKM_CACHE); // ikm_cache()
            cpu.alu();
            cpu.jcc(cached == 0);
            if (cached != 0) {
                cpu.store(g + G_IKM_CACHE, 0);
                return cached;
            }
        }
        int allocation = small ? IKM_SAVED_KMSG_SIZE : size + IKM_OVERHEAD;
        int kmsg = kalloc(k, allocation);
        cpu.alu();
        cpu.jcc(kmsg == 0);
        if (kmsg != 0) {
            cpu.store(kmsg + K_IKM_SIZE, allocation); // ikm_init: ikm_size, ikm_marequest
            cpu.store(kmsg + K_MAREQUEST, 0);
        }
        return kmsg;
    }

    /** ipc_kmsg_put's end: back into the empty cache if it has the cached size, else ikm_free. */
    private static void kmsgRelease(KernelContext k, int kmsg) {
        Processor cpu = k.cpu();
        int g = globals(k);
        int size = cpu.load(kmsg + K_IKM_SIZE);
        cpu.alu(); // CMPL $IKM_SAVED_KMSG_SIZE
        cpu.jcc(size != IKM_SAVED_KMSG_SIZE);
        if (size == IKM_SAVED_KMSG_SIZE) {
            int cached = cpu.load(g + G_IKM_CACHE);
            cpu.alu();
            cpu.jcc(cached != 0);
            if (cached == 0) {
                cpu.store(g + G_IKM_CACHE, kmsg);
                return;
            }
        }
        kmsgFree(k, kmsg);
    }

    /** ikm_free: ikm_size loaded and tested, kfree(kmsg, size). */
    private static void kmsgFree(KernelContext k, int kmsg) {
        Processor cpu = k.cpu();
        int size = cpu.load(kmsg + K_IKM_SIZE);
        cpu.alu();
        cpu.jcc(false);
        kfree(k, kmsg, size);
    }

    /** The loop of kalloc/kfree finding the power-of-two zone for {@code size} (allocsize <<= 1; zindex++). */
    private static int zoneIndex(Processor cpu, int size) {
        cpu.alu(); // CMPL kalloc_max
        cpu.jcc(false);
        cpu.movImm(Reg.EAX, KALLOC_MINSIZE);
        int allocsize = KALLOC_MINSIZE;
        int zindex = 0;
        while (true) {
            cpu.alu(); // CMPL size, allocsize
            cpu.jcc(allocsize >= size);
            if (allocsize >= size) {
                return zindex;
            }
            cpu.shift(Reg.EAX, allocsize << 1);
            cpu.alu(); // INCL zindex
            allocsize <<= 1;
            zindex++;
        }
    }

    /** kalloc(size): the zone index, then zalloc(k_zone[zindex]). @return a kmsg, 0 when the zone is empty */
    private static int kalloc(KernelContext k, int size) {
        Processor cpu = k.cpu();
        int g = globals(k);
        enter(k, R_KALLOC);
        int zindex = zoneIndex(cpu, size);
        cpu.alu(); // CMPL kalloc_max
        cpu.jcc(false);
        cpu.loadIndexed(g + G_K_ZONE + 4 * zindex); // k_zone[zindex]
        enter(k, R_ZALLOC);
        cpu.alu(); // zone == ZONE_NULL?
        cpu.jcc(false);
        int head = cpu.load(g + Z_FREE); // lock_zone; REMOVE_FROM_ZONE
        cpu.alu();
        cpu.jcc(head == 0);
        if (head != 0) {
            cpu.store(g + G_ZONE_COUNT, cpu.load(g + G_ZONE_COUNT) + 1);
            cpu.store(g + Z_FREE, cpu.load(head + K_NEXT));
        }
        cpu.alu(); // while (addr == 0)
        cpu.jcc(head != 0);
        leave(k);
        leave(k);
        return head;
    }

    /** kfree(data, size): the zone index, then zfree (zone_check, ADD_TO_ZONE). */
    private static void kfree(KernelContext k, int kmsg, int size) {
        Processor cpu = k.cpu();
        int g = globals(k);
        enter(k, R_KFREE);
        int zindex = zoneIndex(cpu, size);
        cpu.alu();
        cpu.jcc(false);
        cpu.loadIndexed(g + G_K_ZONE + 4 * zindex);
        enter(k, R_ZFREE);
        int check = cpu.load(g + G_ZONE_CHECK); // if (zone_check)
        cpu.alu();
        cpu.jcc(check == 0);
        cpu.store(kmsg + K_NEXT, cpu.load(g + Z_FREE));
        cpu.store(g + Z_FREE, kmsg);
        cpu.store(g + G_ZONE_COUNT, cpu.load(g + G_ZONE_COUNT) - 1);
        leave(k);
        leave(k);
    }

    // ================================================================== copies

    /** The first copy: the user message into the kmsg body. @return OK, MESSAGE_CUT or an error */
    private static int copyIn(KernelContext k, int kmsg, int send) {
        Processor cpu = k.cpu();
        int body = kmsg + K_BODY;
        cpu.alu(); // CMP ECX, 1: a message in registers only
        cpu.jcc(!isMemory(send));
        if (!isMemory(send)) {
            cpu.store(body + Dope.CURRENT, 0);
            cpu.store(kmsg + K_CUT, 0);
            cpu.store(kmsg + K_SIZE, K_BODY);
            return ResultCode.OK.code();
        }
        if (!userRange(k, send, Dope.DIRECT)) {
            return ResultCode.INVALID_BUFFER.code();
        }
        try {
            int dope = cpu.load(send + Dope.CURRENT);
            Dope d = Dope.decode(dope);
            int header = d.messageBytes();
            if (!userRange(k, send, header)) {
                return ResultCode.INVALID_BUFFER.code();
            }
            boolean cut = d.memoryObjects() > 0; // out-of-line memory is not modelled: dropped, reported
            if (!copyinmsg(k, send, body, header)) { // copyinmsg of header and inline data
                return ResultCode.INVALID_BUFFER.code();
            }
            int at = header;
            for (int i = 0; i < d.indirectStrings(); i++) {
                int sd = send + d.stringDescriptor(i);
                int address = cpu.load(sd + Dope.STRING_ADDRESS);
                int length = cpu.load(sd + Dope.STRING_LENGTH);
                cpu.alu();
                cpu.jcc(length < 0 || length > Dope.MAX_STRING_BYTES);
                if (length < 0 || length > Dope.MAX_STRING_BYTES) {
                    return ResultCode.INVALID_DOPE.code();
                }
                if (!userRange(k, address, length)) {
                    return ResultCode.INVALID_BUFFER.code();
                }
                int room = Math.max(0, Math.min(length, KMSG_BODY_BYTES - at));
                cpu.alu();
                if (!copyinmsg(k, address, body + at, room)) {
                    return ResultCode.INVALID_BUFFER.code();
                }
                at += (room + 3) & ~3;
                if (room < length) {
                    cut = true; // larger than a kmsg: Mach would kalloc a larger one; see readme
                }
            }
            cpu.store(kmsg + K_CUT, cut ? 1 : 0);
            cpu.store(kmsg + K_SIZE, K_BODY + at);
            return ResultCode.OK.code();
        } catch (PageFault f) {
            kernelFault(k, f);
            return ResultCode.INVALID_BUFFER.code();
        }
    }

    /** The second copy: kmsg body into the receive buffer, writing nothing past it. */
    private static int copyOut(KernelContext k, int kmsg, int buffer) {
        Processor cpu = k.cpu();
        int body = kmsg + K_BODY;
        int dope = cpu.load(body + Dope.CURRENT);
        int kcut = cpu.load(kmsg + K_CUT);
        Dope d = Dope.decode(dope);
        cpu.alu();
        boolean noBuffer = buffer == REGISTERS_ONLY || buffer == 0;
        cpu.jcc(noBuffer);
        if (noBuffer) {
            return dope == 0 && kcut == 0 ? ResultCode.OK.code() : ResultCode.MESSAGE_CUT.code();
        }
        try {
            if (!userRange(k, buffer, Dope.DIRECT)) {
                return ResultCode.INVALID_BUFFER.code();
            }
            int max = cpu.load(buffer + Dope.MAXIMUM);
            Dope m = Dope.decode(max);
            if (!userRange(k, buffer, m.messageBytes())) {
                return ResultCode.INVALID_BUFFER.code();
            }
            boolean cut = kcut != 0;
            int directs = Math.min(d.directDwords(), m.directDwords());
            cpu.alu();
            cpu.jcc(d.directDwords() > m.directDwords());
            if (d.directDwords() > m.directDwords()) {
                cut = true;
            }
            if (!copyoutmsg(k, body + Dope.DIRECT, buffer + Dope.DIRECT, directs * 4)) {
                return ResultCode.INVALID_BUFFER.code();
            }
            int at = d.messageBytes();
            int strings = Math.min(d.indirectStrings(), m.indirectStrings());
            if (d.indirectStrings() > m.indirectStrings()) {
                cut = true;
            }
            for (int i = 0; i < strings; i++) {
                int length = cpu.load(body + d.stringDescriptor(i) + Dope.STRING_LENGTH);
                int stored = Math.max(0, Math.min(length, KMSG_BODY_BYTES - at)); // as the copy-in stored it
                int rd = buffer + m.stringDescriptor(i);
                int target = cpu.load(rd + Dope.STRING_BUFFER);
                int size = cpu.load(rd + Dope.STRING_BUFFER_SIZE);
                cpu.alu();
                cpu.jcc(size < 0 || size > Dope.MAX_STRING_BYTES);
                if (size < 0 || size > Dope.MAX_STRING_BYTES) {
                    return ResultCode.INVALID_DOPE.code();
                }
                int got = Math.min(stored, size);
                if (length > got) {
                    cut = true;
                }
                if (!userRange(k, target, size)) {
                    return ResultCode.INVALID_BUFFER.code();
                }
                if (!copyoutmsg(k, body + at, target, got)) {
                    return ResultCode.INVALID_BUFFER.code();
                }
                cpu.store(rd + Dope.STRING_LENGTH, got);
                at += (stored + 3) & ~3;
            }
            cpu.store(buffer + Dope.CURRENT, new Dope(directs, strings, 0).encode());
            return cut ? ResultCode.MESSAGE_CUT.code() : ResultCode.OK.code();
        } catch (PageFault f) {
            kernelFault(k, f);
            return ResultCode.INVALID_BUFFER.code();
        }
    }

    /**
     * copyinmsg (locore.s): PUSH ESI, EDI; the three arguments; the user range checked (LEA, CMP, JB,
     * CMP, JA); CLD; REP MOVSL of the dwords and REP MOVSB of the rest; XOR EAX; POP; RET.
     * @return false when the user range faulted
     */
    private static boolean copyinmsg(KernelContext k, int from, int to, int bytes) {
        Processor cpu = k.cpu();
        Routine r = routine(R_COPYINMSG);
        for (int i = 0; i < r.args(); i++) {
            cpu.push(0);
        }
        cpu.call(text(k) + R_COPYINMSG);
        prologue(cpu, r);
        cpu.alu(); // LEA 0(%esi,%edx), %eax
        cpu.alu(); // CMPL %esi, %eax
        cpu.jcc(false);
        cpu.alu(); // CMPL $VM_MAX_ADDRESS, %eax
        cpu.jcc(false);
        cpu.alu(); // CLD
        boolean ok = move(k, from, to, bytes);
        cpu.alu(); // XORL %eax, %eax
        leave(k);
        return ok;
    }

    /**
     * copyoutmsg (locore.s): as copyinmsg, but per destination page first the i386 write check ("hardware
     * is broken": the 386 ignores write protection in kernel mode): CR3, the page directory entry and
     * the page table entry of the target read and tested; then only what fits on the page is moved.
     * @return false when the user range faulted
     */
    private static boolean copyoutmsg(KernelContext k, int from, int to, int bytes) {
        Processor cpu = k.cpu();
        Routine r = routine(R_COPYOUTMSG);
        for (int i = 0; i < r.args(); i++) {
            cpu.push(0);
        }
        cpu.call(text(k) + R_COPYOUTMSG);
        prologue(cpu, r);
        cpu.alu(); // LEAL 0(%edi,%edx), %eax
        cpu.alu(); // CMPL %edi, %eax
        cpu.jcc(false);
        cpu.alu(); // CMPL $VM_MAX_ADDRESS, %eax
        cpu.jcc(false);
        boolean ok = true;
        int done = 0;
        int loop = cpu.eip();
        do {
            int at = to + done;
            writeCheck(k, at);
            int chunk = Math.min(bytes - done, PageFlags.PAGE_SIZE - (at & (PageFlags.PAGE_SIZE - 1)));
            cpu.alu(); // LEAL NBPG(%edi), %eax
            cpu.alu(); // ANDL $(-NBPG), %eax
            cpu.alu(); // SUBL %edi, %eax
            cpu.alu(); // CMPL %edx, %eax
            cpu.jcc(chunk == bytes - done);
            cpu.alu(); // CLD
            ok = move(k, from + done, at, chunk);
            done += chunk;
            cpu.alu(); // SUBL %eax, %edx
            cpu.jcc(ok && done < bytes, loop); // JG copyout_retry
        } while (ok && done < bytes);
        cpu.alu(); // XORL %eax, %eax
        leave(k);
        return ok;
    }

    /** copyout_retry's check of the target page: CR3, PDE, PTE present and writable (read, tested). */
    private static void writeCheck(KernelContext k, int linear) {
        Processor cpu = k.cpu();
        cpu.alu(); // MOVL %cr3, %ecx (no CR3 read in the processor API: one register instruction)
        cpu.alu(); // MOVL %edi, %eax
        cpu.shift(Reg.EAX, linear >>> 22); // SHRL $PDESHIFT
        try {
            int pde = cpu.loadIndexed(k.layout().ownPageDirectory() + (linear >>> 22) * 4);
            cpu.alu(); // TESTL $PTE_V
            boolean present = (pde & PageFlags.PRESENT) != 0;
            cpu.jcc(!present);
            if (!present) {
                return;
            }
            cpu.alu(); // ANDL $PTE_PFN
            cpu.alu(); // MOVL %edi, %eax
            cpu.shift(Reg.EAX, linear >>> 12); // SHRL $PTESHIFT
            cpu.alu(); // ANDL $PTEMASK
            cpu.alu(); // LEAL KERNELBASE(%ecx,%eax,4)
            int pte = cpu.load(k.layout().physicalMap() + (pde & PageFlags.FRAME_MASK) + ((linear >>> 12) & 0x3FF) * 4);
            cpu.alu(); // TESTL $PTE_V
            boolean valid = (pte & PageFlags.PRESENT) != 0;
            cpu.jcc(!valid);
            if (valid) {
                cpu.alu(); // TESTL $PTE_W
                cpu.jcc((pte & PageFlags.WRITABLE) != 0);
            }
        } catch (PageFault f) {
            // the kernel's own view of the tables is always mapped; a fault here leaves the copy to fault
        }
    }

    /** MOVL %edx, %ecx; SHRL $2; REP MOVSL; MOVL %edx, %ecx; ANDL $3; REP MOVSB. */
    private static boolean move(KernelContext k, int from, int to, int bytes) {
        Processor cpu = k.cpu();
        try {
            cpu.alu(Reg.ECX, bytes);
            cpu.shift(Reg.ECX, bytes >>> 2);
            cpu.repMovsd(from, to, bytes >>> 2);
            cpu.alu(Reg.ECX, bytes);
            cpu.alu(Reg.ECX, bytes & 3);
            cpu.repMovsb(from + (bytes & ~3), to + (bytes & ~3), bytes & 3);
            return true;
        } catch (PageFault f) {
            kernelFault(k, f); // copy_fail through the recovery table
            return false;
        }
    }

    /** A user address faulted in the kernel: the exception is taken, then the copy fails. */
    private static void kernelFault(KernelContext k, PageFault f) {
        try {
            k.pageFault(f);
        } catch (PageFault real) {
            // a real error: the caller returns INVALID_BUFFER
        }
    }

    /** @return whether the range lies in user space, dword aligned (CMP, Jcc) */
    private static boolean userRange(KernelContext k, int address, long bytes) {
        Processor cpu = k.cpu();
        cpu.alu();
        boolean ok = address != 0 && (address & 3) == 0
                && Integer.toUnsignedLong(address) + bytes <= Integer.toUnsignedLong(k.layout().userTop());
        cpu.jcc(!ok);
        return ok;
    }

    static boolean isMemory(int descriptor) {
        return Integer.compareUnsigned(descriptor, REGISTERS_ONLY) > 0;
    }

    static boolean failed(int result) {
        return result == ResultCode.INVALID_BUFFER.code() || result == ResultCode.INVALID_DOPE.code()
                || result == ResultCode.NO_PARTNER.code() || result == ResultCode.SEND_TIMEOUT.code();
    }

    // ================================================================== IPC spaces

    /**
     * The optimised ipc_entry_lookup and the rights check: index in range, generation matches, the right
     * is held.
     *
     * @return the entry, or 0
     */
    static int lookupEntry(Processor cpu, int space, int name, int rights) {
        int index = name >>> 8;
        cpu.shift(Reg.EBX, index); // MACH_PORT_INDEX
        int size = cpu.load(space + E_BITS); // is_table_size
        cpu.alu();
        boolean inRange = index > 0 && index < size;
        cpu.jcc(!inRange);
        if (!inRange) {
            return 0;
        }
        int entry = space + index * ENTRY_SIZE;
        cpu.shift(Reg.EBX, index * ENTRY_SIZE);
        int bits = cpu.loadIndexed(entry + E_BITS);
        cpu.alu(); // generation of the entry
        cpu.alu(); // CMP with MACH_PORT_GEN(name)
        boolean generation = (bits >>> 24) == (name & 0xFF);
        cpu.jcc(!generation);
        if (!generation) {
            return 0;
        }
        cpu.alu(); // TEST bits, rights
        boolean held = (bits & rights) != 0;
        cpu.jcc(!held);
        return held ? entry : 0;
    }

    /** ipc_entry_alloc: the free list's first entry, generation advanced. @return its name, 0 if full */
    static int allocateEntry(Processor cpu, int space, int port, int right) {
        int index = cpu.load(space + E_OBJECT); // free list head
        cpu.alu();
        cpu.jcc(index == 0);
        if (index == 0) {
            return 0;
        }
        int entry = space + index * ENTRY_SIZE;
        cpu.store(space + E_OBJECT, cpu.loadIndexed(entry + E_NEXT));
        cpu.storeIndexed(entry + E_REQUEST, 0); // entry->ie_request = 0
        int bits = cpu.loadIndexed(entry + E_BITS);
        int generation = (bits >>> 24) + 1 & 0xFF;
        if (generation == 0) {
            generation = 1;
        }
        cpu.alu(); // advance the generation
        cpu.alu(); // OR in the right
        cpu.storeIndexed(entry + E_BITS, generation << 24 | right);
        cpu.storeIndexed(entry + E_OBJECT, port);
        return index << 8 | generation;
    }

    /** ipc_entry_dealloc: no right left, entry back on the free list (the generation stays). */
    static void freeEntry(Processor cpu, int space, int entry) {
        int bits = cpu.loadIndexed(entry + E_BITS);
        cpu.alu();
        cpu.storeIndexed(entry + E_BITS, bits & 0xFF00_0000);
        cpu.storeIndexed(entry + E_OBJECT, 0);
        cpu.storeIndexed(entry + E_NEXT, cpu.load(space + E_OBJECT));
        cpu.store(space + E_OBJECT, (entry - space) / ENTRY_SIZE);
    }

    // ================================================================== set-up

    /** @return the IPC state of the thread with TCB {@code tcb} (thread number from its uid) */
    private static int threadState(KernelContext k, int tcb) {
        Processor cpu = k.cpu();
        int number = cpu.load(tcb + Tcb.UID_LOW) >>> 10;
        cpu.shift(Reg.EDX, number);
        int at = k.layout().mechanismData(MECHANISM) + THREADS + number * THREAD_SIZE;
        k.mapKernelPage(at); // the thread's state exists from its creation: allocated at first use here
        return at;
    }

    /** The thread's ports exist (its creation, or mach_reply_port on its first RPC). */
    private static void ensureThread(KernelContext k, int tcb, int thread) {
        Processor cpu = k.cpu();
        int name = cpu.load(thread + T_SERVICE_NAME);
        cpu.alu();
        cpu.jcc(name == 0);
        if (name == 0) {
            createPorts(k, tcb, thread);
        }
    }

    private static void createPorts(KernelContext k, int tcb, int thread) {
        Processor cpu = k.cpu();
        int md = k.layout().mechanismData(MECHANISM);
        initialise(k);
        int number = cpu.load(tcb + Tcb.UID_LOW) >>> 10;
        int taskNumber = cpu.load(tcb + Tcb.TASK);
        int space = space(k, taskNumber);
        int task = md + TASKS + taskNumber * TASK_SIZE;
        k.mapKernelPage(task);
        cpu.store(task + TK_SPACE, space);
        cpu.store(task + TK_MAP, space);
        cpu.store(task + TK_EMUL, 0);
        int service = md + PORTS + number * 2 * PORT_SIZE;
        int reply = service + PORT_SIZE;
        k.mapKernelPage(service);
        int uid = cpu.load(tcb + Tcb.UID_HIGH);
        for (int port : new int[] {service, reply}) {
            cpu.store(port + P_RECEIVER, tcb);
            cpu.store(port + P_OWNER_UID, uid);
            cpu.store(port + P_MSGS, 0);
            cpu.store(port + P_LAST, 0);
            cpu.store(port + P_COUNT, 0);
            cpu.store(port + P_WAITER, 0);
            cpu.store(port + P_REFERENCES, 1);
            cpu.store(port + P_BITS, 1); // IO_BITS_ACTIVE
            cpu.store(port + P_QLIMIT, QLIMIT);
            cpu.store(port + P_SPACE, space);
        }
        cpu.store(thread + T_SPACE, space);
        cpu.store(thread + T_TASK, task);
        int serviceName = allocateEntry(cpu, space, service, RIGHT_RECEIVE);
        int replyName = allocateEntry(cpu, space, reply, RIGHT_RECEIVE);
        cpu.store(service + P_RECEIVER_NAME, serviceName);
        cpu.store(reply + P_RECEIVER_NAME, replyName);
        cpu.store(thread + T_SERVICE_NAME, serviceName);
        cpu.store(thread + T_REPLY_NAME, replyName);
    }

    /** @return task {@code task}'s entry table, made on first use with all entries free */
    private static int space(KernelContext k, int task) {
        Processor cpu = k.cpu();
        int space = k.layout().mechanismData(MECHANISM) + SPACES + task * PageFlags.PAGE_SIZE;
        k.mapKernelPage(space);
        if (cpu.load(space + E_BITS) == 0) {
            for (int i = 1; i < ENTRIES; i++) {
                cpu.store(space + i * ENTRY_SIZE + E_NEXT, i + 1 < ENTRIES ? i + 1 : 0);
            }
            cpu.store(space + E_OBJECT, 1);
            cpu.store(space + E_BITS, ENTRIES);
            cpu.store(space + E_REQUEST, 1); // is_active
        }
        return space;
    }

    /** Kernel text, trap table, globals and kmsg zone, once per machine. */
    private static void initialise(KernelContext k) {
        Processor cpu = k.cpu();
        int md = k.layout().mechanismData(MECHANISM);
        int g = md + ZONE;
        k.mapKernelPage(g);
        if (cpu.load(g + Z_READY) != 0) {
            return;
        }
        for (int i = 0; i < TEXT_PAGES; i++) {
            k.mapKernelPage(md + TEXT + i * PageFlags.PAGE_SIZE);
        }
        k.mapKernelPage(md + TRAP_TABLE);
        int entry = md + TRAP_TABLE + MACH_MSG_TRAP * TRAP_ENTRY;
        cpu.store(entry, MACH_MSG_ARGS);
        cpu.store(entry + 4, md + TEXT + R_MSG_TRAP);
        cpu.store(g + G_TRAP_COUNT, TRAP_COUNT);
        cpu.store(g + G_SPACE_KERNEL, -1);
        cpu.store(g + G_CURR_IPL, SPL0);
        int free = 0;
        for (int i = KMSG_COUNT - 1; i >= 0; i--) {
            int kmsg = md + KMSGS + i * KMSG_SIZE;
            for (int p = 0; p < KMSG_SIZE; p += PageFlags.PAGE_SIZE) {
                k.mapKernelPage(kmsg + p);
            }
            cpu.store(kmsg + K_NEXT, free);
            free = kmsg;
        }
        cpu.store(g + Z_FREE, free);
        cpu.store(g + Z_READY, 1);
    }

    @Override
    public long endpoint(KernelContext k, int caller, int target) {
        Processor cpu = k.cpu();
        int targetThread = threadState(k, target);
        ensureThread(k, target, targetThread);
        int callerThread = threadState(k, caller);
        ensureThread(k, caller, callerThread);
        int service = cpu.load(targetThread + T_SPACE);
        int port = cpu.loadIndexed(service + (cpu.load(targetThread + T_SERVICE_NAME) >>> 8) * ENTRY_SIZE);
        int space = cpu.load(callerThread + T_SPACE);
        // one name per port and space (Mach's reverse hash): reuse a send right the caller holds
        for (int i = 1; i < ENTRIES; i++) {
            int e = space + i * ENTRY_SIZE;
            int bits = cpu.load(e + E_BITS);
            if ((bits & (RIGHT_SEND | RIGHT_RECEIVE)) != 0 && cpu.load(e + E_OBJECT) == port) {
                cpu.store(e + E_BITS, bits | RIGHT_SEND); // a receive right's entry takes the send right too
                return i << 8 | bits >>> 24;
            }
        }
        int name = allocateEntry(cpu, space, port, RIGHT_SEND);
        if (name == 0) {
            throw new IllegalStateException("task's IPC space is full");
        }
        cpu.store(port + P_SRIGHTS, cpu.load(port + P_SRIGHTS) + 1);
        return name & 0xFFFF_FFFFL;
    }
}

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
 * Table 7, built from public descriptions of Mach 3 IPC and run on the same simulated 486 as L3.
 * Nothing here is a cycle figure: each step is the instructions the Mach path executes, issued on
 * {@link KernelContext#cpu()} at simulated addresses, so cache and TLB misses come from the layout.
 *
 * <h2>The path (see readme.md for sources and what is coarse)</h2>
 * <ol>
 * <li><b>General trap path, per system call</b> (Mach i386 {@code locore}: {@code syscall} /
 * {@code mach_call_munger} / {@code return_from_trap}): save all four data segment registers (the
 * nucleus does it when switch {@code segments} is off, this class otherwise) and load the kernel's DS
 * and ES; push all 7 general registers into the saved state; check the trap number, load argument
 * count and handler from {@code mach_trap_table}; copy {@code mach_msg}'s 7 argument words from the
 * user stack onto the kernel stack; call the handler indirectly. On exit: return, drop the
 * arguments, check for an AST, store the results into the saved state, pop all registers and
 * segment registers, IRET.</li>
 * <li><b>Separate send and receive system calls.</b> A CALL or REPLY_AND_RECEIVE_NEXT is a send
 * trap followed by a receive trap: after the send the kernel returns to user level, the user stub
 * tests the result and loads the receive parameters, and traps again (INT) — two full traps.</li>
 * <li><b>Send</b> ({@code mach_msg_send}): {@code ipc_kmsg_get} allocates a kernel message (kmsg)
 * from the kmsg zone's free list and copies the whole user message into it (first copy);
 * {@code ipc_kmsg_copyin_header} translates the destination name through the caller's IPC space
 * (entry table: index and generation check, rights bits, port object; a send-once name is consumed
 * and its entry freed) and, for a CALL, the caller's reply-port name into a send-once right;
 * {@code ipc_mqueue_send} checks the port is alive, and either hands the kmsg to the thread waiting
 * on the port and wakes it ({@code thread_go}: state, wakeup cancelled, run queue) or queues it
 * (queue limit 5, Mach's default).</li>
 * <li><b>Receive</b> ({@code mach_msg_receive}): translate the receive name (service port, or the
 * reply port during a CALL) to the port; {@code ipc_mqueue_receive} dequeues a kmsg, or enqueues
 * the thread as the port's waiter and blocks with a continuation ({@code thread_block}): strict
 * scheduling, waiting queue, the scheduler picks the next thread. The woken thread resumes in the
 * continuation ({@code mach_msg_continue}) on a fresh kernel stack.</li>
 * <li><b>Copy out</b>: {@code ipc_kmsg_copyout_header} turns the reply right into a new send-once
 * name in the receiver's space (entry allocated from the free list, generation advanced);
 * {@code ipc_kmsg_put} copies the message from the kmsg into the receive buffer (second copy),
 * cutting what does not fit, and frees the kmsg.</li>
 * </ol>
 * Registers follow Table 6: the receiver gets EAX result, EBX/ECX the sender's EBX/EBP, EDX the name
 * of the send-once reply right (0 when the message carried none: only CALLs carry one) and ESI 0.
 *
 * <h2>Memory (in {@link org.l3wb.kernel.api.KernelLayout#mechanismData(String)})</h2>
 * <pre>
 *  +0x000000  IPC path text, 2 pages (each routine its own 512-byte slot)
 *  +0x003000  mach_trap_table (mach_msg_trap is entry 25: argument count, handler)
 *  +0x004000  kmsg zone header (free list), AST word
 *  +0x010000  per-thread IPC state (thread number x 32): waiting flag, kmsg, status, names
 *  +0x100000  ports (thread number x 64: service port, reply port)
 *  +0x400000  IPC spaces: task t's entry table at + t x 4 KB (entry 0: free head, size)
 *  +0x800000  kmsg zone: 32 kmsgs of 8 KB
 * </pre>
 */
@Component(service = IpcMechanism.class, property = "name=mach")
public class MachIpc implements IpcMechanism {
    /** The mechanism's name: its service property and the owner of its data region. */
    static final String MECHANISM = "mach";
    // ---- regions in mechanism data
    static final int TEXT = 0x0000;
    static final int TRAP_TABLE = 0x3000;
    static final int ZONE = 0x4000;
    static final int THREADS = 0x10000;
    static final int PORTS = 0x100000;
    static final int SPACES = 0x400000;
    static final int KMSGS = 0x800000;

    // ---- routines of the IPC path text (offsets in TEXT)
    static final int R_MSG_TRAP = 0x000;
    static final int R_MSG_SEND = 0x200;
    static final int R_KMSG_GET = 0x400;
    static final int R_COPYIN_HEADER = 0x600;
    static final int R_MQUEUE_SEND = 0x800;
    static final int R_MSG_RECEIVE = 0xA00;
    static final int R_MQUEUE_RECEIVE = 0xC00;
    static final int R_THREAD_BLOCK = 0xE00;
    static final int R_COPYOUT_HEADER = 0x1000;
    static final int R_KMSG_PUT = 0x1200;
    static final int R_CONTINUE = 0x1400;
    static final int TEXT_PAGES = 2;

    /** Mach 3's trap number of mach_msg_trap (-25), the index in mach_trap_table. */
    static final int MACH_MSG_TRAP = 25;
    static final int TRAP_COUNT = 130;
    static final int TRAP_ENTRY = 8;
    /** mach_msg(msg, option, send_size, rcv_size, rcv_name, timeout, notify). */
    static final int MACH_MSG_ARGS = 7;

    // ---- kmsg zone header
    static final int Z_FREE = 0;
    static final int Z_READY = 4;
    static final int Z_AST = 8;
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
    static final int K_BYTES = 32;
    static final int K_BODY = 64;
    static final int KMSG_BODY_BYTES = KMSG_SIZE - K_BODY;

    // ---- per-thread IPC state
    static final int THREAD_SIZE = 32;
    /** 1 while the thread is blocked in a receive with a continuation. */
    static final int T_WAITING = 0;
    static final int T_KMSG = 4;
    static final int T_STATUS = 8;
    static final int T_SERVICE_NAME = 12;
    static final int T_REPLY_NAME = 16;
    static final int T_SPACE = 20;

    // ---- port
    static final int PORT_SIZE = 32;
    static final int P_RECEIVER = 0;
    static final int P_OWNER_UID = 4;
    static final int P_MSGS = 8;
    static final int P_LAST = 12;
    static final int P_COUNT = 16;
    static final int P_WAITER = 20;
    static final int P_SORIGHTS = 24;
    static final int P_SRIGHTS = 28;
    /** Mach's default port queue limit (MACH_PORT_QLIMIT_DEFAULT). */
    static final int QLIMIT = 5;

    // ---- IPC space entry table
    static final int ENTRY_SIZE = 16;
    static final int E_OBJECT = 0;
    static final int E_BITS = 4;
    static final int E_NEXT = 8;
    static final int ENTRIES = PageFlags.PAGE_SIZE / ENTRY_SIZE;
    static final int RIGHT_RECEIVE = 1;
    static final int RIGHT_SEND = 2;
    static final int RIGHT_SEND_ONCE = 4;

    static final int REGISTERS_ONLY = 1;
    static final int KERNEL_DS = Descriptors.selector(2, 0);
    private static final Reg[] SAVED = {Reg.EAX, Reg.EBX, Reg.ECX, Reg.EDX, Reg.ESI, Reg.EDI, Reg.EBP};
    /** The saved state above the general registers: 4 segment registers and the 5-word IRET frame. */
    private static final int FRAME_ABOVE_GPRS = (4 + 5) * 4;
    private static final int BLOCKED = -1;

    @Override
    public String name() {
        return MECHANISM;
    }

    // ================================================================== system call

    @Override
    public void ipc(KernelContext k, IpcOperation op) {
        Processor cpu = k.cpu();
        int me = k.current();
        int md = k.layout().mechanismData(MECHANISM);
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
        trapEntry(k, !nucleusSavesSegments);
        if (op == IpcOperation.RECEIVE) {
            receivePhase(k, me, thread, cpu.load(thread + T_SERVICE_NAME), receive, timeouts);
            return;
        }
        int result = sendPhase(k, me, thread, op, destLow, destHigh, send, word0, word1, timeouts);
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
        trapEntry(k, true); // the nucleus's entry work and Mach's, all in the general path
        int name = op == IpcOperation.CALL ? cpu.load(thread + T_REPLY_NAME) : cpu.load(thread + T_SERVICE_NAME);
        receivePhase(k, me, thread, name, receive, timeouts);
    }

    @Override
    public void resumeTransfer(KernelContext k) {
        // transfers are never preempted under mach (copies run to completion)
        k.cpu().movImm(Reg.EAX, ResultCode.OK.code());
        k.returnToUser();
    }

    /**
     * Trap entry: segment registers (unless the nucleus saved them), kernel data segments, all general
     * registers, trap-table dispatch, argument copy from the user stack, indirect call.
     */
    private static void trapEntry(KernelContext k, boolean saveSegments) {
        Processor cpu = k.cpu();
        int md = k.layout().mechanismData(MECHANISM);
        if (saveSegments) {
            cpu.pushSegment(Sreg.DS);
            cpu.pushSegment(Sreg.ES);
            cpu.pushSegment(Sreg.FS);
            cpu.pushSegment(Sreg.GS);
            cpu.loadSegment(Sreg.DS, KERNEL_DS);
            cpu.loadSegment(Sreg.ES, KERNEL_DS);
        }
        for (Reg r : SAVED) {
            cpu.push(cpu.reg(r)); // PUSHA-equivalent into the saved state
        }
        int frame = cpu.reg(Reg.ESP);
        cpu.alu(); // CMP EAX, trap count
        cpu.jcc(false);
        int entry = md + TRAP_TABLE + MACH_MSG_TRAP * TRAP_ENTRY;
        int args = cpu.loadIndexed(entry);
        int handler = cpu.loadIndexed(entry + 4);
        // mach_call_munger: the arguments from the user stack (user ESP in the IRET frame)
        int userEsp = cpu.load(frame + 7 * 4 + 4 * 4 + 12);
        cpu.alu(); // ECX = argument count
        for (int i = args - 1; i >= 0; i--) {
            int word = loadUser(k, userEsp - 4 * (args - i));
            cpu.push(word);
        }
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

    /**
     * Return from the trap: out of the handler, arguments dropped (unless resuming in a continuation on a
     * fresh stack), AST check, results into the saved state, all registers and segments restored, IRET.
     */
    private static void trapExit(KernelContext k, boolean continuation, int... results) {
        Processor cpu = k.cpu();
        int md = k.layout().mechanismData(MECHANISM);
        if (!continuation) {
            cpu.ret();
            cpu.alu(Reg.ESP, cpu.reg(Reg.ESP) + MACH_MSG_ARGS * 4); // ADD ESP, 28
        }
        int ast = cpu.load(md + ZONE + Z_AST); // return_from_trap: AST pending?
        cpu.alu();
        cpu.jcc(ast != 0);
        int base = cpu.reg(Reg.ESP);
        for (int i = 0; i < results.length; i++) {
            cpu.store(base + 4 * (SAVED.length - 1 - i), results[i]); // saved EAX .. ESI
        }
        for (int i = SAVED.length - 1; i >= 0; i--) {
            cpu.setReg(SAVED[i], cpu.pop());
        }
        if (k.switches().isOn(Switch.SEGMENT_REGISTERS)) {
            cpu.popSegment(Sreg.GS);
            cpu.popSegment(Sreg.FS);
            cpu.popSegment(Sreg.ES);
            cpu.popSegment(Sreg.DS);
        }
        k.returnToUser(); // pops the segments itself when the nucleus saved them; IRET
    }

    // ================================================================== send

    /** mach_msg_send. @return the send's result code */
    private int sendPhase(KernelContext k, int me, int thread, IpcOperation op, int nameLow, int nameHigh, int send,
                          int word0, int word1, int timeouts) {
        Processor cpu = k.cpu();
        int md = k.layout().mechanismData(MECHANISM);
        cpu.call(md + TEXT + R_MSG_SEND);
        // ipc_kmsg_get: a kmsg from the zone, the message copied in
        cpu.call(md + TEXT + R_KMSG_GET);
        int kmsg = zalloc(k);
        cpu.alu();
        cpu.jcc(kmsg == 0);
        if (kmsg == 0) {
            cpu.ret();
            cpu.ret();
            return ResultCode.SEND_TIMEOUT.code(); // no kernel memory for the message
        }
        int copied = copyIn(k, kmsg, send);
        cpu.store(kmsg + K_WORD0, word0);
        cpu.store(kmsg + K_WORD1, word1);
        cpu.ret();
        cpu.alu();
        cpu.jcc(failed(copied));
        if (failed(copied)) {
            kfree(k, kmsg);
            cpu.ret();
            return copied;
        }
        // ipc_kmsg_copyin_header: destination name and reply right
        cpu.call(md + TEXT + R_COPYIN_HEADER);
        int space = cpu.load(thread + T_SPACE);
        int port = 0;
        cpu.alu(); // the name is one word: ESI must be 0
        cpu.jcc(nameHigh != 0);
        int entry = nameHigh != 0 ? 0 : lookupEntry(cpu, space, nameLow, RIGHT_SEND | RIGHT_SEND_ONCE);
        if (entry != 0) {
            port = cpu.loadIndexed(entry + E_OBJECT);
            int bits = cpu.loadIndexed(entry + E_BITS);
            cpu.alu(); // TEST bits, send-once
            boolean once = (bits & RIGHT_SEND_ONCE) != 0;
            cpu.jcc(!once);
            if (once) {
                freeEntry(cpu, space, entry); // a send-once right is consumed by its use
                cpu.store(port + P_SORIGHTS, cpu.load(port + P_SORIGHTS) - 1);
            }
            // ip_active: the receiving thread still lives
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
            kfree(k, kmsg);
            cpu.ret();
            cpu.ret();
            return ResultCode.NO_PARTNER.code();
        }
        cpu.store(kmsg + K_REMOTE, port);
        int reply = 0;
        cpu.alu(); // MACH_MSGH_BITS local: make-send-once for a call
        cpu.jcc(op != IpcOperation.CALL);
        if (op == IpcOperation.CALL) {
            int own = lookupEntry(cpu, space, cpu.load(thread + T_REPLY_NAME), RIGHT_RECEIVE);
            reply = cpu.loadIndexed(own + E_OBJECT);
            cpu.store(reply + P_SORIGHTS, cpu.load(reply + P_SORIGHTS) + 1);
        }
        cpu.store(kmsg + K_REPLY, reply);
        cpu.store(kmsg + K_BITS, 0); // not complex: no port or out-of-line descriptors in the body
        cpu.ret();
        // ipc_mqueue_send
        cpu.call(md + TEXT + R_MQUEUE_SEND);
        int result = mqueueSend(k, port, kmsg, timeouts);
        cpu.ret();
        cpu.ret();
        return result == ResultCode.OK.code() ? copied : result;
    }

    /** ipc_mqueue_send: hand the kmsg to the waiting receiver and wake it, or queue it. */
    private static int mqueueSend(KernelContext k, int port, int kmsg, int timeouts) {
        Processor cpu = k.cpu();
        int waiter = cpu.load(port + P_WAITER);
        cpu.alu();
        cpu.jcc(waiter == 0);
        if (waiter != 0) {
            cpu.store(port + P_WAITER, 0); // ipc_thread_rmqueue_first
            int thread = threadState(k, waiter);
            cpu.store(thread + T_KMSG, kmsg); // ith_kmsg
            cpu.store(thread + T_STATUS, ResultCode.OK.code()); // ith_state = MACH_MSG_SUCCESS
            // thread_go: clear the wait, cancel its timeout, put it on the run queue
            cpu.store(waiter + Tcb.STATE, Tcb.READY);
            Scheduler s = k.scheduler();
            s.wakeupCancelled(k, waiter);
            s.preempted(k, waiter);
            return ResultCode.OK.code();
        }
        int count = cpu.load(port + P_COUNT);
        cpu.alu();
        cpu.jcc(count >= QLIMIT);
        if (count >= QLIMIT) {
            kfree(k, kmsg);
            return ResultCode.SEND_TIMEOUT.code(); // Mach would block the sender; see readme
        }
        cpu.store(kmsg + K_NEXT, 0); // ipc_kmsg_enqueue at the tail
        int last = cpu.load(port + P_LAST);
        cpu.alu();
        cpu.jcc(last == 0);
        if (last == 0) {
            cpu.store(port + P_MSGS, kmsg);
        } else {
            cpu.store(last + K_NEXT, kmsg);
        }
        cpu.store(port + P_LAST, kmsg);
        cpu.store(port + P_COUNT, count + 1);
        return ResultCode.OK.code();
    }

    // ================================================================== receive

    /** mach_msg_receive on {@code name}: dequeue and copy out, or block with a continuation. */
    private void receivePhase(KernelContext k, int me, int thread, int name, int receive, int timeouts) {
        Processor cpu = k.cpu();
        int md = k.layout().mechanismData(MECHANISM);
        cpu.call(md + TEXT + R_MSG_RECEIVE);
        // ipc_mqueue_copyin: the receive right's port
        int space = cpu.load(thread + T_SPACE);
        int entry = lookupEntry(cpu, space, name, RIGHT_RECEIVE);
        int port = cpu.loadIndexed(entry + E_OBJECT);
        // ipc_mqueue_receive
        cpu.call(md + TEXT + R_MQUEUE_RECEIVE);
        int kmsg = cpu.load(port + P_MSGS);
        cpu.alu();
        cpu.jcc(kmsg == 0);
        if (kmsg != 0) {
            int next = cpu.load(kmsg + K_NEXT); // ipc_kmsg_rmqueue_first
            cpu.store(port + P_MSGS, next);
            cpu.alu();
            cpu.jcc(next != 0);
            if (next == 0) {
                cpu.store(port + P_LAST, 0);
            }
            cpu.store(port + P_COUNT, cpu.load(port + P_COUNT) - 1);
            cpu.ret();
            cpu.ret();
            deliver(k, me, thread, kmsg, receive, false);
            return;
        }
        int encoded = timeouts & 0xFFFF;
        cpu.alu();
        cpu.jcc(encoded == 0);
        if (encoded == 0) {
            cpu.ret();
            cpu.ret();
            trapExit(k, false, ResultCode.RECEIVE_TIMEOUT.code(), 0, 0, 0, 0);
            return;
        }
        // wait on the port: ipc_thread_enqueue, ith_ fields, assert_wait
        cpu.store(port + P_WAITER, me);
        cpu.store(thread + T_WAITING, 1);
        cpu.store(thread + T_KMSG, 0);
        cpu.store(me + Tcb.STATE, Tcb.RECEIVING);
        cpu.store(me + Tcb.PARTNER_LOW, 0);
        cpu.store(me + Tcb.PARTNER_HIGH, 0);
        cpu.store(me + Tcb.RECEIVE_BUFFER, receive);
        cpu.store(me + Tcb.TIMEOUTS, timeouts);
        cpu.store(me + Tcb.RESUME, Tcb.RESUME_RECEIVE); // continuation: mach_msg_continue
        Scheduler s = k.scheduler();
        cpu.alu();
        boolean finite = encoded != 0xFFFF;
        cpu.jcc(!finite);
        if (finite) {
            s.wakeupAt(k, me, k.now() + Timeout.decode(encoded).ms());
        }
        // thread_block(mach_msg_continue): the stack is given up; strict scheduling picks the next
        cpu.call(md + TEXT + R_THREAD_BLOCK);
        s.blocked(k, me);
        k.dispatchNext();
    }

    /** mach_msg_continue: the woken receiver, on a fresh kernel stack below its saved state. */
    private void continueReceive(KernelContext k, int me, int thread, int receive) {
        Processor cpu = k.cpu();
        int md = k.layout().mechanismData(MECHANISM);
        cpu.jmp(md + TEXT + R_CONTINUE);
        cpu.store(thread + T_WAITING, 0);
        int top = cpu.load(me + Tcb.STACK_TOP);
        int saved = top - FRAME_ABOVE_GPRS - SAVED.length * 4;
        cpu.alu(Reg.ESP, saved); // MOV ESP, the saved state
        int status = cpu.load(thread + T_STATUS); // ith_state
        int kmsg = cpu.load(thread + T_KMSG);
        cpu.alu();
        cpu.jcc(kmsg == 0);
        if (kmsg == 0) {
            trapExit(k, true, status, 0, 0, 0, 0); // timed out or cancelled while waiting
            return;
        }
        deliver(k, me, thread, kmsg, receive, true);
    }

    /** ipc_kmsg_copyout_header, ipc_kmsg_put (the second copy), kmsg freed, return from the trap. */
    private void deliver(KernelContext k, int me, int thread, int kmsg, int receive, boolean continuation) {
        Processor cpu = k.cpu();
        int md = k.layout().mechanismData(MECHANISM);
        cpu.call(md + TEXT + R_COPYOUT_HEADER);
        int space = cpu.load(thread + T_SPACE);
        int reply = cpu.load(kmsg + K_REPLY);
        int name = 0;
        cpu.alu();
        cpu.jcc(reply == 0);
        if (reply != 0) {
            name = allocateEntry(cpu, space, reply, RIGHT_SEND_ONCE); // 0 when the table is full
        }
        cpu.ret();
        cpu.call(md + TEXT + R_KMSG_PUT);
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
        kfree(k, kmsg);
        cpu.ret();
        trapExit(k, continuation, result, word0, word1, name, 0);
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
            copy(k, send, body, header); // copyinmsg of header and inline data
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
                copy(k, address, body + at, room);
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
            copy(k, body + Dope.DIRECT, buffer + Dope.DIRECT, directs * 4);
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
                copy(k, body + at, target, got);
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

    /** bcopy/copyin/copyout: set-up, then REP MOVSD (and MOVSB for a tail). */
    private static void copy(KernelContext k, int from, int to, int bytes) {
        if (bytes <= 0) {
            return;
        }
        Processor cpu = k.cpu();
        cpu.alu(Reg.ECX, bytes);
        cpu.shift(Reg.ECX, bytes >>> 2);
        cpu.alu(Reg.ESI, from);
        cpu.alu(Reg.EDI, to);
        cpu.repMovsd(from, to, bytes >>> 2);
        if ((bytes & 3) != 0) {
            cpu.repMovsb(from + (bytes & ~3), to + (bytes & ~3), bytes & 3);
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

    // ================================================================== kmsg zone

    /** zalloc from the kmsg zone: @return a kmsg, 0 when the zone is empty */
    private static int zalloc(KernelContext k) {
        Processor cpu = k.cpu();
        int zone = k.layout().mechanismData(MECHANISM) + ZONE;
        int head = cpu.load(zone + Z_FREE);
        cpu.alu();
        cpu.jcc(head == 0);
        if (head != 0) {
            cpu.store(zone + Z_FREE, cpu.load(head + K_NEXT));
        }
        return head;
    }

    /** zfree to the kmsg zone. */
    private static void kfree(KernelContext k, int kmsg) {
        Processor cpu = k.cpu();
        int zone = k.layout().mechanismData(MECHANISM) + ZONE;
        cpu.store(kmsg + K_NEXT, cpu.load(zone + Z_FREE));
        cpu.store(zone + Z_FREE, kmsg);
    }

    // ================================================================== IPC spaces

    /**
     * ipc_entry_lookup and the rights check: index in range, generation matches, the right is held.
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
        int task = cpu.load(tcb + Tcb.TASK);
        int space = space(k, task);
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
        }
        cpu.store(thread + T_SPACE, space);
        cpu.store(thread + T_SERVICE_NAME, allocateEntry(cpu, space, service, RIGHT_RECEIVE));
        cpu.store(thread + T_REPLY_NAME, allocateEntry(cpu, space, reply, RIGHT_RECEIVE));
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
        }
        return space;
    }

    /** Kernel text, trap table and kmsg zone, once per machine. */
    private static void initialise(KernelContext k) {
        Processor cpu = k.cpu();
        int md = k.layout().mechanismData(MECHANISM);
        k.mapKernelPage(md + ZONE);
        if (cpu.load(md + ZONE + Z_READY) != 0) {
            return;
        }
        for (int i = 0; i < TEXT_PAGES; i++) {
            k.mapKernelPage(md + TEXT + i * PageFlags.PAGE_SIZE);
        }
        k.mapKernelPage(md + TRAP_TABLE);
        int entry = md + TRAP_TABLE + MACH_MSG_TRAP * TRAP_ENTRY;
        cpu.store(entry, MACH_MSG_ARGS);
        cpu.store(entry + 4, md + TEXT + R_MSG_TRAP);
        int free = 0;
        for (int i = KMSG_COUNT - 1; i >= 0; i--) {
            int kmsg = md + KMSGS + i * KMSG_SIZE;
            for (int p = 0; p < KMSG_SIZE; p += PageFlags.PAGE_SIZE) {
                k.mapKernelPage(kmsg + p);
            }
            cpu.store(kmsg + K_NEXT, free);
            free = kmsg;
        }
        cpu.store(md + ZONE + Z_FREE, free);
        cpu.store(md + ZONE + Z_READY, 1);
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

package org.l3wb.kernel.mach;

import static org.l3wb.kernel.mach.MachData.BITS_DEST_SEND_ONCE;
import static org.l3wb.kernel.mach.MachData.ENTRY_SIZE;
import static org.l3wb.kernel.mach.MachData.E_BITS;
import static org.l3wb.kernel.mach.MachData.E_OBJECT;
import static org.l3wb.kernel.mach.MachData.E_REQUEST;
import static org.l3wb.kernel.mach.MachData.G_ACTIVE_THREADS;
import static org.l3wb.kernel.mach.MachData.K_BITS;
import static org.l3wb.kernel.mach.MachData.K_MAREQUEST;
import static org.l3wb.kernel.mach.MachData.K_NEXT;
import static org.l3wb.kernel.mach.MachData.K_REMOTE;
import static org.l3wb.kernel.mach.MachData.K_REPLY;
import static org.l3wb.kernel.mach.MachData.K_SEQNO;
import static org.l3wb.kernel.mach.MachData.K_SIZE;
import static org.l3wb.kernel.mach.MachData.K_WORD0;
import static org.l3wb.kernel.mach.MachData.K_WORD1;
import static org.l3wb.kernel.mach.MachData.MACH_RCV_MSG;
import static org.l3wb.kernel.mach.MachData.P_BITS;
import static org.l3wb.kernel.mach.MachData.P_COUNT;
import static org.l3wb.kernel.mach.MachData.P_LAST;
import static org.l3wb.kernel.mach.MachData.P_MSGS;
import static org.l3wb.kernel.mach.MachData.P_NSREQUEST;
import static org.l3wb.kernel.mach.MachData.P_PSET;
import static org.l3wb.kernel.mach.MachData.P_RECEIVER_NAME;
import static org.l3wb.kernel.mach.MachData.P_SEQNO;
import static org.l3wb.kernel.mach.MachData.P_SORIGHTS;
import static org.l3wb.kernel.mach.MachData.P_SPACE;
import static org.l3wb.kernel.mach.MachData.P_SRIGHTS;
import static org.l3wb.kernel.mach.MachData.P_WAITER;
import static org.l3wb.kernel.mach.MachData.RIGHT_RECEIVE;
import static org.l3wb.kernel.mach.MachData.RIGHT_SEND_ONCE;
import static org.l3wb.kernel.mach.MachData.SPL0;
import static org.l3wb.kernel.mach.MachData.TK_MAP;
import static org.l3wb.kernel.mach.MachData.TK_SPACE;
import static org.l3wb.kernel.mach.MachData.T_KMSG;
import static org.l3wb.kernel.mach.MachData.T_MQUEUE;
import static org.l3wb.kernel.mach.MachData.T_MSG;
import static org.l3wb.kernel.mach.MachData.T_MSIZE;
import static org.l3wb.kernel.mach.MachData.T_NOTIFY;
import static org.l3wb.kernel.mach.MachData.T_OBJECT;
import static org.l3wb.kernel.mach.MachData.T_OPTION;
import static org.l3wb.kernel.mach.MachData.T_RCV_SIZE;
import static org.l3wb.kernel.mach.MachData.T_REPLY_NAME;
import static org.l3wb.kernel.mach.MachData.T_SEQNO;
import static org.l3wb.kernel.mach.MachData.T_SERVICE_NAME;
import static org.l3wb.kernel.mach.MachData.T_SPACE;
import static org.l3wb.kernel.mach.MachData.T_STATUS;
import static org.l3wb.kernel.mach.MachData.T_TASK;
import static org.l3wb.kernel.mach.MachData.T_TIMEOUT;
import static org.l3wb.kernel.mach.MachData.T_WAITING;

import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Tcb;

/**
 * The receive ({@code ipc/mach_msg.c} {@code mach_msg_receive} and {@code mach_msg_receive_continue},
 * {@code ipc/ipc_mqueue.c}): the port from the name, a queued kmsg dequeued or the thread blocked with a
 * continuation; the woken thread's continuation; the copy out ({@code ipc_kmsg_copyout_header}'s
 * optimised cases, {@code ipc_kmsg_put} with the second copy) (readme, "The modelled path", 6 to 8).
 * The kmsg is in EBX, the space in ESI, the port in EDI.
 */
final class MsgReceive {
    /** {@link #mqueueReceive}'s answer when the thread blocked: never a kmsg's address (kmsgs are 8 KB aligned). */
    private static final int BLOCKED = -1;

    private MsgReceive() {
    }

    /**
     * mach_msg_receive on {@code name}: dequeue and copy out, or block with a continuation.
     *
     * @return the receiver's registers (EAX .. ESI), null when the thread blocked
     */
    static int[] receive(Trap t, int name) {
        Processor cpu = t.cpu;
        int thread = t.thread;
        CodeStep caller = t.enter(Routine.MSG_RECEIVE);
        cpu.load(Reg.EBX, Reg.NONE, t.globals + G_ACTIVE_THREADS); // current_thread, current_space, current_map
        int task = cpu.load(Reg.EAX, Reg.EBX, thread + T_TASK);
        int space = cpu.load(Reg.ESI, Reg.EAX, task + TK_SPACE);
        cpu.load(Reg.EDX, Reg.EAX, task + TK_MAP);
        int port = mqueueCopyin(t, space, name);
        cpu.alu(Reg.EAX, Reg.EAX); // TESTL mr
        cpu.jcc(false);
        // the receive state kept in the thread for the continuation
        cpu.store(Reg.EBX, thread + T_MSG, Reg.EAX, t.receive);
        cpu.store(Reg.EBX, thread + T_OPTION, Reg.NONE, MACH_RCV_MSG);
        cpu.store(Reg.EBX, thread + T_RCV_SIZE, Reg.EAX, t.receive);
        cpu.store(Reg.EBX, thread + T_TIMEOUT, Reg.ECX, t.timeouts);
        cpu.store(Reg.EBX, thread + T_NOTIFY, Reg.NONE, 0);
        cpu.store(Reg.EBX, thread + T_OBJECT, Reg.EDI, port);
        cpu.store(Reg.EBX, thread + T_MQUEUE, Reg.EDX, port + P_MSGS);
        cpu.alu(Reg.ECX, Reg.NONE); // TESTL $MACH_RCV_LARGE, option
        cpu.jcc(true);
        int kmsg = mqueueReceive(t, port);
        if (kmsg == BLOCKED) {
            return null;
        }
        int[] results;
        if (kmsg == 0) {
            Spaces.reference(t, Reg.EDI, port, -1); // ipc_object_release(object)
            cpu.alu(Reg.EAX, Reg.EAX); // TESTL mr
            cpu.jcc(true);
            results = new int[] {ResultCode.RECEIVE_TIMEOUT.code(), 0, 0, 0, 0};
        } else {
            results = collected(t, port, kmsg);
        }
        t.leave(caller);
        return results;
    }

    /** ipc_mqueue_copyin: ipc_entry_lookup, the receive right, a port reference. @return the port */
    private static int mqueueCopyin(Trap t, int space, int name) {
        Processor cpu = t.cpu;
        CodeStep caller = t.enter(Routine.MQUEUE_COPYIN);
        cpu.load(Reg.EAX, Reg.ESI, space + E_REQUEST); // is_read_lock; is_active
        cpu.alu(Reg.EAX, Reg.EAX);
        cpu.jcc(false);
        int entry = Spaces.entryLookup(t, space, name, RIGHT_RECEIVE);
        cpu.alu(Reg.EAX, Reg.EAX); // entry != IE_NULL
        cpu.jcc(false);
        cpu.load(Reg.EAX, Reg.ESI, Reg.EBX, entry + E_BITS); // MACH_PORT_TYPE_RECEIVE
        cpu.alu(Reg.EAX, Reg.NONE);
        cpu.jcc(false);
        int port = cpu.load(Reg.EDI, Reg.ESI, Reg.EBX, entry + E_OBJECT);
        Spaces.reference(t, Reg.EDI, port, 1); // io_reference(object)
        int pset = cpu.load(Reg.EAX, Reg.EDI, port + P_PSET); // in a port set?
        cpu.alu(Reg.EAX, Reg.EAX);
        cpu.jcc(pset != 0);
        cpu.alu(Reg.EDX, Reg.EDI); // mqueue = &port->ip_messages
        // *objectp, *mqueuep (the arguments' slots stand for the caller's locals)
        cpu.store(Reg.EBP, cpu.reg(Reg.EBP) + 16, Reg.EDI, port);
        cpu.store(Reg.EBP, cpu.reg(Reg.EBP) + 20, Reg.EDX, port + P_MSGS);
        t.leave(caller);
        return port;
    }

    /**
     * ipc_mqueue_receive: the first queued kmsg dequeued; else, with receive timeout 0, nothing; else the
     * thread waits on the port (thread_will_wait, queued, thread_block) and the nucleus runs the next.
     *
     * @return the kmsg, 0 when timed out, {@link #BLOCKED}
     */
    private static int mqueueReceive(Trap t, int port) {
        Processor cpu = t.cpu;
        int thread = t.thread;
        CodeStep caller = t.enter(Routine.MQUEUE_RECEIVE);
        cpu.load(Reg.ESI, Reg.NONE, t.globals + G_ACTIVE_THREADS); // self = current_thread()
        cpu.alu(Reg.EAX, Reg.NONE); // TESTL resume
        cpu.jcc(false);
        int kmsg = cpu.load(Reg.EBX, Reg.EDI, port + P_MSGS); // ipc_kmsg_queue_first
        cpu.alu(Reg.EBX, Reg.EBX);
        if (!cpu.jcc(kmsg == 0)) {
            int next = cpu.load(Reg.EAX, Reg.EBX, kmsg + K_NEXT); // ipc_kmsg_rmqueue_first_macro
            cpu.store(Reg.EDI, port + P_MSGS, Reg.EAX, next);
            cpu.alu(Reg.EAX, Reg.EAX);
            if (!cpu.jcc(next != 0)) {
                cpu.store(Reg.EDI, port + P_LAST, Reg.NONE, 0);
            }
            cpu.load(Reg.EDI, Reg.EBX, kmsg + K_REMOTE); // port = msgh_remote_port
            int seqno = cpu.load(Reg.EAX, Reg.EDI, port + P_SEQNO); // seqno = ip_seqno++
            cpu.store(Reg.EDI, port + P_SEQNO, Reg.EAX, seqno + 1);
            releaseMsgcount(t, port, kmsg);
            t.leave(caller);
            return kmsg;
        }
        int encoded = t.timeouts & 0xFFFF;
        cpu.alu(Reg.ECX, Reg.NONE); // TESTL $MACH_RCV_TIMEOUT, option
        if (!cpu.jcc(encoded != 0)) {
            cpu.alu(Reg.ECX, Reg.ECX); // time_out == 0: imq_unlock; MACH_RCV_TIMED_OUT
            cpu.jcc(true);
            t.leave(caller);
            return 0;
        }
        Scheduling.threadWillWait(t);
        // ipc_thread_enqueue_macro(&mqueue->imq_threads, self); ith_state, ith_msize; imq_unlock
        cpu.load(Reg.EAX, Reg.EDI, port + P_WAITER);
        cpu.alu(Reg.EAX, Reg.EAX);
        cpu.jcc(true);
        cpu.store(Reg.EDI, port + P_WAITER, Reg.ESI, t.me);
        cpu.store(Reg.ESI, thread + T_SEQNO, Reg.ESI, thread); // ith_next, ith_prev: itself
        cpu.store(Reg.ESI, thread + T_WAITING, Reg.NONE, 1);
        cpu.store(Reg.ESI, thread + T_KMSG, Reg.NONE, 0);
        cpu.store(Reg.ESI, thread + T_STATUS, Reg.NONE, -1); // MACH_RCV_IN_PROGRESS
        cpu.store(Reg.ESI, thread + T_MSIZE, Reg.NONE, Integer.MAX_VALUE); // ith_msize = MACH_MSG_SIZE_MAX
        Scheduling.threadBlock(t); // thread_block(mach_msg_receive_continue): does not return
        return BLOCKED;
    }

    /** ipc_mqueue_receive's epilogue: the marequest, ip_active, ip_msgcount--, the blocked senders. */
    private static void releaseMsgcount(Trap t, int port, int kmsg) {
        Processor cpu = t.cpu;
        cpu.load(Reg.EAX, Reg.EBX, kmsg + K_MAREQUEST); // marequest != IMAR_NULL?
        cpu.alu(Reg.EAX, Reg.EAX);
        cpu.jcc(true);
        cpu.load(Reg.EAX, Reg.EDI, port + P_BITS); // ip_lock; ip_active
        cpu.alu(Reg.EAX, Reg.EAX);
        cpu.jcc(false);
        int count = cpu.load(Reg.EAX, Reg.EDI, port + P_COUNT);
        cpu.store(Reg.EDI, port + P_COUNT, Reg.EAX, count - 1); // ip_msgcount--
        cpu.load(Reg.EAX, Reg.EDI, port + P_NSREQUEST); // senders = &port->ip_blocked; ipc_thread_queue_first
        cpu.alu(Reg.EAX, Reg.EAX);
        cpu.jcc(true);
    }

    /**
     * mach_msg_receive_continue, jumped to by call_continuation: the woken receiver on a fresh kernel stack
     * reloads its receive state and collects its kmsg from ipc_mqueue_receive (resume).
     *
     * @return the receiver's registers (EAX .. ESI), for thread_syscall_return
     */
    static int[] continueReceive(Trap t) {
        Processor cpu = t.cpu;
        int g = t.globals;
        int thread = t.thread;
        cpu.step(Routine.RECEIVE_CONTINUE); // (a JMP, not a call: it never returns)
        t.prologue(Routine.RECEIVE_CONTINUE);
        Spl.splx(t, SPL0); // thread_continue: spl0() before the continuation (issued here, in its frame)
        cpu.store(Reg.NONE, g + G_ACTIVE_THREADS, Reg.EBX, thread); // (active_threads: kept by the switch in Mach)
        cpu.store(Reg.EBX, thread + T_WAITING, Reg.NONE, 0);
        // self, space, map and the receive state from the thread
        cpu.load(Reg.EBX, Reg.NONE, g + G_ACTIVE_THREADS);
        int task = cpu.load(Reg.EAX, Reg.EBX, thread + T_TASK);
        cpu.load(Reg.ESI, Reg.EAX, task + TK_SPACE);
        cpu.load(Reg.EDX, Reg.EAX, task + TK_MAP);
        cpu.load(Reg.EAX, Reg.EBX, thread + T_MSG);
        cpu.load(Reg.ECX, Reg.EBX, thread + T_OPTION);
        cpu.load(Reg.EAX, Reg.EBX, thread + T_RCV_SIZE);
        cpu.load(Reg.EAX, Reg.EBX, thread + T_TIMEOUT);
        cpu.load(Reg.EAX, Reg.EBX, thread + T_NOTIFY);
        int port = cpu.load(Reg.EDI, Reg.EBX, thread + T_OBJECT);
        cpu.load(Reg.EDX, Reg.EBX, thread + T_MQUEUE);
        cpu.alu(Reg.ECX, Reg.NONE); // TESTL $MACH_RCV_LARGE, option
        cpu.jcc(true);
        // ipc_mqueue_receive(..., resume TRUE): after_thread_block
        CodeStep caller = t.enter(Routine.MQUEUE_RECEIVE);
        cpu.load(Reg.ESI, Reg.NONE, g + G_ACTIVE_THREADS);
        cpu.alu(Reg.EAX, Reg.NONE); // TESTL resume
        cpu.jcc(true);
        int status = cpu.load(Reg.EAX, Reg.ESI, thread + T_STATUS); // self->ith_state
        int kmsg = cpu.load(Reg.EBX, Reg.ESI, thread + T_KMSG);
        cpu.alu(Reg.EBX, Reg.EBX);
        if (cpu.jcc(kmsg == 0)) {
            t.leave(caller);
            Spaces.reference(t, Reg.EDI, port, -1); // ipc_object_release(object)
            return new int[] {status, 0, 0, 0, 0}; // timed out or cancelled while waiting
        }
        cpu.load(Reg.EAX, Reg.ESI, thread + T_SEQNO); // seqno = self->ith_seqno
        // *kmsgp, *seqnop (the arguments' slots stand for the caller's locals)
        cpu.store(Reg.EBP, cpu.reg(Reg.EBP) + 32, Reg.EBX, kmsg);
        cpu.store(Reg.EBP, cpu.reg(Reg.EBP) + 36, Reg.NONE, 0);
        releaseMsgcount(t, port, kmsg);
        t.leave(caller);
        return collected(t, port, kmsg);
    }

    /**
     * After ipc_mqueue_receive returned a kmsg: the port reference released, the sequence number stored,
     * the size checked, ipc_kmsg_copyout (header), ipc_kmsg_put (the second copy).
     *
     * @return the receiver's registers: result, the sender's two words, the reply right's name, 0
     */
    private static int[] collected(Trap t, int port, int kmsg) {
        Processor cpu = t.cpu;
        Spaces.reference(t, Reg.EDI, port, -1); // ipc_object_release(object)
        cpu.alu(Reg.EAX, Reg.EAX); // TESTL mr
        cpu.jcc(false);
        cpu.store(Reg.EBX, kmsg + K_SEQNO, Reg.NONE, 0); // msgh_seqno = seqno
        cpu.load(Reg.EAX, Reg.EBX, kmsg + K_SIZE); // msgh_size > rcv_size?
        cpu.alu(Reg.EAX, Reg.EDX);
        cpu.jcc(false);
        cpu.alu(Reg.ECX, Reg.NONE); // TESTL $MACH_RCV_NOTIFY, option
        cpu.jcc(false);
        int space = cpu.load(Reg.ESI, Reg.NONE, t.thread + T_SPACE);
        int name = kmsgCopyout(t, space, kmsg);
        cpu.alu(Reg.EAX, Reg.EAX); // TESTL mr
        cpu.jcc(false);
        // ipc_kmsg_put: copyoutmsg, then the kmsg cached or freed
        int reply = cpu.load(Reg.ECX, Reg.EBX, kmsg + K_REPLY);
        CodeStep caller = t.enter(Routine.KMSG_PUT);
        int result = Copies.copyOut(t, kmsg, t.receive);
        int word0 = cpu.load(Reg.EAX, Reg.EBX, kmsg + K_WORD0);
        int word1 = cpu.load(Reg.EDX, Reg.EBX, kmsg + K_WORD1);
        cpu.alu(Reg.EAX, Reg.EAX);
        if (cpu.jcc(Copies.failed(result)) && name != 0) {
            // MACH_RCV_INVALID_DATA: the message and its reply right are destroyed
            Spaces.freeEntry(t, space, space + (name >>> 8) * ENTRY_SIZE);
            int sorights = cpu.load(Reg.EAX, Reg.ECX, reply + P_SORIGHTS);
            cpu.store(Reg.ECX, reply + P_SORIGHTS, Reg.EAX, sorights - 1);
            name = 0;
        }
        Kmsgs.release(t, kmsg);
        t.leave(caller);
        return new int[] {result, word0, word1, name, 0};
    }

    /** ipc_kmsg_copyout: the header (ipc_kmsg_copyout_header), then the complex bit tested. @return the reply right's name */
    private static int kmsgCopyout(Trap t, int space, int kmsg) {
        Processor cpu = t.cpu;
        CodeStep caller = t.enter(Routine.KMSG_COPYOUT);
        int name = copyoutHeader(t, space, kmsg);
        cpu.alu(Reg.EAX, Reg.EAX); // TESTL mr
        cpu.jcc(false);
        cpu.load(Reg.EAX, Reg.EBX, kmsg + K_BITS); // complex body?
        cpu.alu(Reg.EAX, Reg.NONE);
        cpu.jcc(true);
        t.leave(caller);
        return name;
    }

    /**
     * ipc_kmsg_copyout_header's optimised cases: PORT_SEND + PORT_SEND_ONCE (a request: a new send-once
     * name for the reply right) or PORT_SEND_ONCE (a reply) or PORT_SEND. @return the reply right's name
     */
    private static int copyoutHeader(Trap t, int space, int kmsg) {
        Processor cpu = t.cpu;
        CodeStep caller = t.enter(Routine.COPYOUT_HEADER);
        int mbits = cpu.load(Reg.EAX, Reg.EBX, kmsg + K_BITS);
        int dest = cpu.load(Reg.EDI, Reg.EBX, kmsg + K_REMOTE);
        cpu.alu(Reg.EDX, Reg.EDX); // notify == MACH_PORT_NULL
        cpu.jcc(false);
        cpu.alu(Reg.EAX, Reg.NONE); // switch (MACH_MSGH_BITS_PORTS(mbits))
        int reply = cpu.load(Reg.ECX, Reg.EBX, kmsg + K_REPLY);
        cpu.alu(Reg.EAX, Reg.NONE); // CMPL case
        int name = 0;
        if (!cpu.jcc(reply == 0)) {
            // is_write_lock; is_active; the free list's first index
            cpu.load(Reg.EDX, Reg.ESI, space + E_REQUEST);
            cpu.alu(Reg.EDX, Reg.EDX);
            cpu.jcc(false);
            cpu.load(Reg.EDX, Reg.EDI, dest + P_BITS); // ip_lock(dest); ip_active(dest); ip_lock_try(reply)
            cpu.alu(Reg.EDX, Reg.EDX);
            cpu.jcc(false);
            cpu.load(Reg.EDX, Reg.ECX, reply + P_BITS); // ip_active(reply)
            cpu.alu(Reg.EDX, Reg.EDX);
            cpu.jcc(false);
            name = Spaces.allocateEntry(t, space, reply, RIGHT_SEND_ONCE); // 0 when the table is full
        }
        boolean once = (mbits & BITS_DEST_SEND_ONCE) != 0;
        cpu.alu(Reg.EAX, Reg.NONE); // CMPL case
        if (cpu.jcc(!once) && reply == 0) {
            cpu.load(Reg.EDX, Reg.EDI, dest + P_BITS); // ip_lock; ip_active
            cpu.alu(Reg.EDX, Reg.EDX);
            cpu.jcc(false);
        }
        Spaces.reference(t, Reg.EDI, dest, -1); // ip_release(dest)
        int receiverSpace = cpu.load(Reg.EDX, Reg.EDI, dest + P_SPACE); // dest->ip_receiver == space
        cpu.alu(Reg.EDX, Reg.ESI);
        cpu.jcc(receiverSpace != space);
        cpu.load(Reg.EDX, Reg.EDI, dest + P_RECEIVER_NAME); // dest_name
        if (once) {
            int sorights = cpu.load(Reg.EDX, Reg.EDI, dest + P_SORIGHTS);
            cpu.store(Reg.EDI, dest + P_SORIGHTS, Reg.EDX, sorights - 1); // dest->ip_sorights--
        } else {
            int srights = cpu.load(Reg.EDX, Reg.EDI, dest + P_SRIGHTS) - 1; // --dest->ip_srights == 0 && nsrequest?
            cpu.store(Reg.EDI, dest + P_SRIGHTS, Reg.EDX, srights);
            if (!cpu.jcc(srights != 0)) {
                cpu.load(Reg.EDX, Reg.EDI, dest + P_NSREQUEST);
                cpu.alu(Reg.EDX, Reg.EDX);
                cpu.jcc(true);
            }
        }
        cpu.alu(Reg.EAX, Reg.NONE); // MACH_MSGH_BITS_OTHER(mbits) | ...
        cpu.store(Reg.EBX, kmsg + K_BITS, Reg.EAX, mbits); // msgh_bits, msgh_local_port, msgh_remote_port
        cpu.store(Reg.EBX, kmsg + K_REPLY, Reg.ECX, reply);
        cpu.store(Reg.EBX, kmsg + K_REMOTE, Reg.EDI, dest);
        t.leave(caller);
        return name;
    }

    /** The wait of thread {@code tcb} ends without a message (timeout, cancellation): off its ports, resumed in the continuation. */
    static void abort(Trap t, int tcb, ResultCode result) {
        Processor cpu = t.cpu;
        int thread = SetUp.threadState(t.k, tcb);
        int space = cpu.load(Reg.ESI, Reg.EDX, thread + T_SPACE);
        for (int nameAt : new int[] {T_SERVICE_NAME, T_REPLY_NAME}) {
            int name = cpu.load(Reg.EBX, Reg.EDX, thread + nameAt);
            int port = cpu.load(Reg.EDI, Reg.ESI, Reg.EBX, space + (name >>> 8) * ENTRY_SIZE + E_OBJECT);
            int waiter = cpu.load(Reg.EAX, Reg.EDI, port + P_WAITER);
            cpu.alu(Reg.EAX, Reg.NONE); // CMPL tcb, %eax
            if (!cpu.jcc(waiter != tcb)) {
                cpu.store(Reg.EDI, port + P_WAITER, Reg.NONE, 0);
            }
        }
        cpu.store(Reg.EDX, thread + T_KMSG, Reg.NONE, 0);
        cpu.store(Reg.EDX, thread + T_STATUS, Reg.NONE, result.code());
        cpu.store(Reg.NONE, tcb + Tcb.RESUME, Reg.NONE, Tcb.RESUME_RECEIVE);
    }
}

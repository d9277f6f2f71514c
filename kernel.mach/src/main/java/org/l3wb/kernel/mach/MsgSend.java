package org.l3wb.kernel.mach;

import static org.l3wb.kernel.mach.MachData.BITS_DEST_SEND_ONCE;
import static org.l3wb.kernel.mach.MachData.E_BITS;
import static org.l3wb.kernel.mach.MachData.E_OBJECT;
import static org.l3wb.kernel.mach.MachData.E_REQUEST;
import static org.l3wb.kernel.mach.MachData.G_ACTIVE_THREADS;
import static org.l3wb.kernel.mach.MachData.G_SPACE_KERNEL;
import static org.l3wb.kernel.mach.MachData.K_BITS;
import static org.l3wb.kernel.mach.MachData.K_BODY;
import static org.l3wb.kernel.mach.MachData.K_NEXT;
import static org.l3wb.kernel.mach.MachData.K_REMOTE;
import static org.l3wb.kernel.mach.MachData.K_REPLY;
import static org.l3wb.kernel.mach.MachData.K_SIZE;
import static org.l3wb.kernel.mach.MachData.K_WORD0;
import static org.l3wb.kernel.mach.MachData.K_WORD1;
import static org.l3wb.kernel.mach.MachData.P_BITS;
import static org.l3wb.kernel.mach.MachData.P_COUNT;
import static org.l3wb.kernel.mach.MachData.P_LAST;
import static org.l3wb.kernel.mach.MachData.P_MSGS;
import static org.l3wb.kernel.mach.MachData.P_OWNER_UID;
import static org.l3wb.kernel.mach.MachData.P_PSET;
import static org.l3wb.kernel.mach.MachData.P_QLIMIT;
import static org.l3wb.kernel.mach.MachData.P_RECEIVER;
import static org.l3wb.kernel.mach.MachData.P_SEQNO;
import static org.l3wb.kernel.mach.MachData.P_SORIGHTS;
import static org.l3wb.kernel.mach.MachData.P_SPACE;
import static org.l3wb.kernel.mach.MachData.P_SRIGHTS;
import static org.l3wb.kernel.mach.MachData.P_WAITER;
import static org.l3wb.kernel.mach.MachData.QLIMIT;
import static org.l3wb.kernel.mach.MachData.RIGHT_RECEIVE;
import static org.l3wb.kernel.mach.MachData.RIGHT_SEND;
import static org.l3wb.kernel.mach.MachData.RIGHT_SEND_ONCE;
import static org.l3wb.kernel.mach.MachData.TK_MAP;
import static org.l3wb.kernel.mach.MachData.TK_SPACE;
import static org.l3wb.kernel.mach.MachData.T_KMSG;
import static org.l3wb.kernel.mach.MachData.T_MSIZE;
import static org.l3wb.kernel.mach.MachData.T_REPLY_NAME;
import static org.l3wb.kernel.mach.MachData.T_SEQNO;
import static org.l3wb.kernel.mach.MachData.T_STATUS;
import static org.l3wb.kernel.mach.MachData.T_TASK;

import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Tcb;

/**
 * The send ({@code ipc/mach_msg.c} {@code mach_msg_send}): {@code ipc_kmsg_get} (a kmsg, the first
 * copy), {@code ipc_kmsg_copyin} and its header's optimised cases (the destination name and, for a
 * request, the reply name translated; references and rights counted), {@code ipc_mqueue_send} (the
 * kmsg handed to the waiting receiver, or queued) (readme, "The modelled path", 5). The kmsg is in
 * EBX, the space in ESI, the port in EDI.
 */
final class MsgSend {
    private MsgSend() {
    }

    /** mach_msg_send. @return the send's result code */
    static int send(Trap t) {
        Processor cpu = t.cpu;
        CodeStep caller = t.enter(Routine.MSG_SEND);
        // current_space(), current_map(): active_threads -> task -> itk_space, map
        cpu.load(Reg.EAX, Reg.NONE, t.globals + G_ACTIVE_THREADS);
        int task = cpu.load(Reg.EAX, Reg.EAX, t.thread + T_TASK);
        int space = cpu.load(Reg.ESI, Reg.EAX, task + TK_SPACE);
        cpu.load(Reg.EDX, Reg.EAX, task + TK_MAP);
        // ipc_kmsg_get: a kmsg, the message copied in
        CodeStep sender = t.enter(Routine.KMSG_GET);
        int size = Kmsgs.messageSize(t, t.send);
        cpu.alu(Reg.EDI, Reg.NONE); // CMPL $sizeof(mach_msg_header_t), %edi
        cpu.jcc(false);
        cpu.alu(Reg.EDI, Reg.NONE); // TESTL $3, %edi
        cpu.jcc(false);
        int kmsg = Kmsgs.allocate(t, size);
        cpu.alu(Reg.EBX, Reg.EBX);
        if (cpu.jcc(kmsg == 0)) {
            t.leave(sender);
            t.leave(caller);
            return ResultCode.SEND_TIMEOUT.code(); // MACH_SEND_NO_BUFFER
        }
        int copied = Copies.copyIn(t, kmsg, t.send);
        cpu.alu(Reg.EAX, Reg.EAX); // TESTL %eax, %eax
        if (cpu.jcc(Copies.failed(copied))) {
            Kmsgs.free(t, kmsg); // ikm_free
            t.leave(sender);
            t.leave(caller);
            return copied;
        }
        cpu.store(Reg.EBX, kmsg + K_SIZE, Reg.EDI, K_BODY + size); // msgh_size
        cpu.store(Reg.EBX, kmsg + K_WORD0, Reg.EAX, t.word0);
        cpu.store(Reg.EBX, kmsg + K_WORD1, Reg.EDX, t.word1);
        int kmsgp = cpu.reg(Reg.EBP) + 16; // *kmsgp = kmsg (the argument's slot stands for the caller's local)
        cpu.load(Reg.EAX, Reg.EBP, kmsgp);
        cpu.store(Reg.EBP, kmsgp, Reg.EBX, kmsg);
        t.leave(sender);
        cpu.alu(Reg.EAX, Reg.EAX); // TESTL mr
        cpu.jcc(false);
        cpu.alu(Reg.ECX, Reg.NONE); // TESTL $MACH_SEND_CANCEL, option
        cpu.jcc(false);
        int port = kmsgCopyin(t, space, kmsg);
        if (port == 0) {
            Kmsgs.free(t, kmsg);
            t.leave(caller);
            return ResultCode.NO_PARTNER.code();
        }
        cpu.alu(Reg.EAX, Reg.EAX); // TESTL mr
        cpu.jcc(false);
        cpu.alu(Reg.ECX, Reg.NONE); // TESTL $MACH_SEND_NOTIFY, option
        cpu.jcc(false);
        cpu.alu(Reg.ECX, Reg.NONE); // ANDL $MACH_SEND_TIMEOUT, option
        int result = mqueueSend(t, port, kmsg);
        cpu.alu(Reg.EAX, Reg.EAX); // TESTL mr
        cpu.jcc(result != ResultCode.OK.code());
        t.leave(caller);
        return result == ResultCode.OK.code() ? copied : result;
    }

    /**
     * ipc_kmsg_copyin: the header's rights (ipc_kmsg_copyin_header), then the complex bit tested (no
     * port or out-of-line descriptors in the body). @return the destination port, 0 when not valid
     */
    private static int kmsgCopyin(Trap t, int space, int kmsg) {
        Processor cpu = t.cpu;
        CodeStep caller = t.enter(Routine.KMSG_COPYIN);
        int port = copyinHeader(t, space, kmsg);
        if (port == 0) {
            t.leave(caller);
            return 0;
        }
        cpu.alu(Reg.EAX, Reg.EAX); // TESTL mr
        cpu.jcc(false);
        cpu.load(Reg.EAX, Reg.EBX, kmsg + K_BITS); // MACH_MSGH_BITS_COMPLEX?
        cpu.alu(Reg.EAX, Reg.NONE);
        cpu.jcc(true); // not complex
        t.leave(caller);
        return port;
    }

    /**
     * ipc_kmsg_copyin_header's optimised cases: COPY_SEND (+ MAKE_SEND_ONCE for a request) or
     * MOVE_SEND_ONCE (a reply). @return the destination port, 0 when the name or the port is not valid
     */
    private static int copyinHeader(Trap t, int space, int kmsg) {
        Processor cpu = t.cpu;
        CodeStep caller = t.enter(Routine.COPYIN_HEADER);
        boolean request = t.op == IpcOperation.CALL;
        cpu.load(Reg.EAX, Reg.EBX, kmsg + K_BITS); // msgh_bits &~ CIRCULAR
        cpu.alu(Reg.EAX, Reg.NONE);
        cpu.load(Reg.EDX, Reg.EBX, kmsg + K_REMOTE); // dest_name
        cpu.load(Reg.ECX, Reg.EBX, kmsg + K_REPLY); // reply_name
        cpu.alu(Reg.EDI, Reg.EDI); // notify == MACH_PORT_NULL
        cpu.jcc(false);
        cpu.alu(Reg.EAX, Reg.NONE); // switch (MACH_MSGH_BITS_PORTS(mbits))
        cpu.alu(Reg.EAX, Reg.NONE); // CMPL case
        cpu.jcc(!request);
        cpu.alu(Reg.EAX, Reg.NONE); // CMPL case
        cpu.jcc(false);
        cpu.load(Reg.EAX, Reg.ESI, space + E_REQUEST); // is_read_lock; space->is_active
        cpu.alu(Reg.EAX, Reg.EAX);
        cpu.jcc(false);
        int port = 0;
        cpu.alu(Reg.ESI, Reg.NONE); // the name is one word: the caller's ESI must be 0
        boolean twoWords = cpu.jcc(t.destHigh != 0);
        int entry = twoWords ? 0 : Spaces.lookupEntry(t, space, t.destLow, RIGHT_SEND | RIGHT_SEND_ONCE);
        boolean once = false;
        if (entry != 0) {
            port = cpu.load(Reg.EDI, Reg.ESI, Reg.EBX, entry + E_OBJECT);
            int bits = cpu.load(Reg.EAX, Reg.ESI, Reg.EBX, entry + E_BITS);
            cpu.alu(Reg.EAX, Reg.NONE); // TEST bits, send-once
            once = (bits & RIGHT_SEND_ONCE) != 0;
            if (!cpu.jcc(!once)) {
                Spaces.freeEntry(t, space, entry); // MOVE_SEND_ONCE: the name is gone, the right moves into the message
            }
            // ip_lock; ip_active: the receiving thread still lives
            int receiver = cpu.load(Reg.EAX, Reg.EDI, port + P_RECEIVER);
            int state = cpu.load(Reg.EDX, Reg.EAX, receiver + Tcb.STATE);
            int uid = cpu.load(Reg.EDX, Reg.EAX, receiver + Tcb.UID_HIGH);
            boolean alive = state != Tcb.FREE && cpu.compare(Reg.EDX, Reg.EDI, port + P_OWNER_UID) == uid;
            if (cpu.jcc(!alive)) {
                port = 0;
            }
        }
        cpu.alu(Reg.EDI, Reg.EDI);
        if (cpu.jcc(port == 0)) {
            t.leave(caller);
            return 0;
        }
        int reply = 0;
        if (request) {
            // optimised ipc_entry_lookup of reply_name: the caller's reply port, a receive right
            int name = cpu.load(Reg.EDX, Reg.NONE, t.thread + T_REPLY_NAME);
            int own = Spaces.lookupEntry(t, space, name, RIGHT_RECEIVE);
            reply = cpu.load(Reg.ECX, Reg.ESI, Reg.EBX, own + E_OBJECT);
            int rbits = cpu.load(Reg.EAX, Reg.ECX, reply + P_BITS); // ip_lock_try, ip_active(reply)
            cpu.alu(Reg.EAX, Reg.EAX);
            cpu.jcc(rbits == 0);
            int sorights = cpu.load(Reg.EAX, Reg.ECX, reply + P_SORIGHTS);
            cpu.store(Reg.ECX, reply + P_SORIGHTS, Reg.EAX, sorights + 1); // reply_port->ip_sorights++
            Spaces.reference(t, Reg.ECX, reply, 1); // ip_reference(reply_port)
        }
        if (!once) {
            int srights = cpu.load(Reg.EAX, Reg.EDI, port + P_SRIGHTS);
            cpu.store(Reg.EDI, port + P_SRIGHTS, Reg.EAX, srights + 1); // dest_port->ip_srights++
            Spaces.reference(t, Reg.EDI, port, 1); // ip_reference(dest_port)
        }
        // ip_unlock, is_read_unlock; the header rewritten
        cpu.store(Reg.EBX, kmsg + K_BITS, Reg.EAX, once ? BITS_DEST_SEND_ONCE : 0);
        cpu.store(Reg.EBX, kmsg + K_REMOTE, Reg.EDI, port);
        cpu.store(Reg.EBX, kmsg + K_REPLY, Reg.ECX, reply);
        t.leave(caller);
        return port;
    }

    /** ipc_mqueue_send: hand the kmsg to the waiting receiver and wake it, or queue it. */
    private static int mqueueSend(Trap t, int port, int kmsg) {
        CodeStep caller = t.enter(Routine.MQUEUE_SEND);
        int result = handOrQueue(t, port, kmsg);
        t.leave(caller);
        return result;
    }

    /** ipc_mqueue_send's body: the port's checks, then the waiting receiver or the queue. */
    private static int handOrQueue(Trap t, int port, int kmsg) {
        Processor cpu = t.cpu;
        cpu.load(Reg.EDI, Reg.EBX, kmsg + K_REMOTE); // port = msgh_remote_port; ip_lock
        int receiverSpace = cpu.load(Reg.EAX, Reg.EDI, port + P_SPACE); // port->ip_receiver == ipc_space_kernel?
        cpu.compare(Reg.EAX, Reg.NONE, t.globals + G_SPACE_KERNEL);
        cpu.jcc(receiverSpace == -1);
        cpu.load(Reg.EAX, Reg.EDI, port + P_BITS); // ip_active
        cpu.alu(Reg.EAX, Reg.EAX);
        cpu.jcc(false);
        int count = cpu.load(Reg.EAX, Reg.EDI, port + P_COUNT); // ip_msgcount < ip_qlimit
        cpu.compare(Reg.EAX, Reg.EDI, port + P_QLIMIT);
        boolean full = count >= QLIMIT;
        if (!cpu.jcc(!full)) {
            cpu.alu(Reg.ECX, Reg.NONE); // MACH_SEND_TIMEOUT with timeout 0: MACH_SEND_TIMED_OUT
            cpu.jcc(false);
            Kmsgs.free(t, kmsg);
            return ResultCode.SEND_TIMEOUT.code(); // Mach would block the sender; see readme
        }
        cpu.load(Reg.EDX, Reg.EBX, kmsg + K_BITS); // MACH_MSGH_BITS_CIRCULAR
        cpu.alu(Reg.EDX, Reg.NONE);
        cpu.jcc(false);
        cpu.store(Reg.EDI, port + P_COUNT, Reg.EAX, count + 1); // ip_msgcount++
        int pset = cpu.load(Reg.EAX, Reg.EDI, port + P_PSET); // mqueue = pset ? &pset->ips_messages : &port->ip_messages
        cpu.alu(Reg.EAX, Reg.EAX);
        cpu.jcc(pset == 0);
        cpu.alu(Reg.ESI, Reg.EDI); // LEA ip_messages; imq_lock; receivers = &mqueue->imq_threads; ip_unlock
        int waiter = cpu.load(Reg.ECX, Reg.ESI, port + P_WAITER); // ipc_thread_queue_first
        cpu.alu(Reg.ECX, Reg.ECX);
        if (!cpu.jcc(waiter == 0)) {
            // ipc_thread_rmqueue_first_macro: the only waiter leaves the queue
            int thread = SetUp.threadState(t.k, waiter);
            cpu.load(Reg.EAX, Reg.EDX, thread + T_SEQNO); // ith_next
            cpu.alu(Reg.EAX, Reg.EDX); // CMP with itself: the last one
            cpu.jcc(true);
            cpu.store(Reg.ESI, port + P_WAITER, Reg.NONE, 0);
            cpu.load(Reg.EAX, Reg.EDX, thread + T_MSIZE); // msgh_size <= receiver->ith_msize
            cpu.compare(Reg.EAX, Reg.EBX, kmsg + K_SIZE);
            cpu.jcc(false);
            cpu.store(Reg.EDX, thread + T_STATUS, Reg.NONE, ResultCode.OK.code()); // ith_state = MACH_MSG_SUCCESS
            cpu.store(Reg.EDX, thread + T_KMSG, Reg.EBX, kmsg); // ith_kmsg
            int seqno = cpu.load(Reg.EAX, Reg.EDI, port + P_SEQNO); // ith_seqno = ip_seqno++
            cpu.store(Reg.EDI, port + P_SEQNO, Reg.EAX, seqno + 1);
            cpu.store(Reg.EDX, thread + T_SEQNO, Reg.EAX, seqno);
            Scheduling.threadGo(t, waiter, thread); // imq_unlock; thread_go(receiver)
            return ResultCode.OK.code();
        }
        cpu.store(Reg.EBX, kmsg + K_NEXT, Reg.NONE, 0); // ipc_kmsg_enqueue_macro at the tail
        int last = cpu.load(Reg.EAX, Reg.ESI, port + P_LAST);
        cpu.alu(Reg.EAX, Reg.EAX);
        if (cpu.jcc(last == 0)) {
            cpu.store(Reg.ESI, port + P_MSGS, Reg.EBX, kmsg);
        } else {
            cpu.store(Reg.EAX, last + K_NEXT, Reg.EBX, kmsg);
        }
        cpu.store(Reg.ESI, port + P_LAST, Reg.EBX, kmsg);
        return ResultCode.OK.code();
    }
}

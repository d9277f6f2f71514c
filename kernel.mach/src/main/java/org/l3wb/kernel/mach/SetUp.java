package org.l3wb.kernel.mach;

import static org.l3wb.kernel.mach.MachData.ENTRIES;
import static org.l3wb.kernel.mach.MachData.ENTRY_SIZE;
import static org.l3wb.kernel.mach.MachData.E_BITS;
import static org.l3wb.kernel.mach.MachData.E_NEXT;
import static org.l3wb.kernel.mach.MachData.E_OBJECT;
import static org.l3wb.kernel.mach.MachData.E_REQUEST;
import static org.l3wb.kernel.mach.MachData.G_CURR_IPL;
import static org.l3wb.kernel.mach.MachData.G_SPACE_KERNEL;
import static org.l3wb.kernel.mach.MachData.G_TRAP_COUNT;
import static org.l3wb.kernel.mach.MachData.KMSGS;
import static org.l3wb.kernel.mach.MachData.KMSG_COUNT;
import static org.l3wb.kernel.mach.MachData.KMSG_SIZE;
import static org.l3wb.kernel.mach.MachData.K_NEXT;
import static org.l3wb.kernel.mach.MachData.MACH_MSG_ARGS;
import static org.l3wb.kernel.mach.MachData.MACH_MSG_TRAP;
import static org.l3wb.kernel.mach.MachData.MACH_THREAD_SELF;
import static org.l3wb.kernel.mach.MachData.PORTS;
import static org.l3wb.kernel.mach.MachData.PORT_SIZE;
import static org.l3wb.kernel.mach.MachData.P_BITS;
import static org.l3wb.kernel.mach.MachData.P_COUNT;
import static org.l3wb.kernel.mach.MachData.P_LAST;
import static org.l3wb.kernel.mach.MachData.P_MSGS;
import static org.l3wb.kernel.mach.MachData.P_OWNER_UID;
import static org.l3wb.kernel.mach.MachData.P_QLIMIT;
import static org.l3wb.kernel.mach.MachData.P_RECEIVER;
import static org.l3wb.kernel.mach.MachData.P_RECEIVER_NAME;
import static org.l3wb.kernel.mach.MachData.P_REFERENCES;
import static org.l3wb.kernel.mach.MachData.P_SPACE;
import static org.l3wb.kernel.mach.MachData.P_SRIGHTS;
import static org.l3wb.kernel.mach.MachData.P_WAITER;
import static org.l3wb.kernel.mach.MachData.QLIMIT;
import static org.l3wb.kernel.mach.MachData.RIGHT_RECEIVE;
import static org.l3wb.kernel.mach.MachData.RIGHT_SEND;
import static org.l3wb.kernel.mach.MachData.SELF_PORTS;
import static org.l3wb.kernel.mach.MachData.SPACES;
import static org.l3wb.kernel.mach.MachData.SPL0;
import static org.l3wb.kernel.mach.MachData.TASKS;
import static org.l3wb.kernel.mach.MachData.TASK_SIZE;
import static org.l3wb.kernel.mach.MachData.TEXT;
import static org.l3wb.kernel.mach.MachData.TEXT_PAGES;
import static org.l3wb.kernel.mach.MachData.THREADS;
import static org.l3wb.kernel.mach.MachData.THREAD_SIZE;
import static org.l3wb.kernel.mach.MachData.TK_EMUL;
import static org.l3wb.kernel.mach.MachData.TK_MAP;
import static org.l3wb.kernel.mach.MachData.TK_SPACE;
import static org.l3wb.kernel.mach.MachData.TRAP_ENTRY;
import static org.l3wb.kernel.mach.MachData.TRAP_TABLE;
import static org.l3wb.kernel.mach.MachData.T_REPLY_NAME;
import static org.l3wb.kernel.mach.MachData.T_SELF;
import static org.l3wb.kernel.mach.MachData.T_SERVICE_NAME;
import static org.l3wb.kernel.mach.MachData.T_SPACE;
import static org.l3wb.kernel.mach.MachData.T_SSELF;
import static org.l3wb.kernel.mach.MachData.T_TASK;
import static org.l3wb.kernel.mach.MachData.ZONE;
import static org.l3wb.kernel.mach.MachData.Z_FREE;
import static org.l3wb.kernel.mach.MachData.Z_READY;

import org.l3wb.hw.api.Mmu;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.Tcb;

/**
 * What exists in Mach before a thread's first trap: the kernel text and data, the zone of kmsgs, a
 * task's IPC space, a thread's Mach state and its two ports (service and reply) with their receive
 * rights. Made at first use here (Mach makes them at task and thread creation); its stores are the
 * set-up's, not the IPC path's.
 */
final class SetUp {
    private SetUp() {
    }

    /** @return the Mach thread state of the thread with TCB {@code tcb} (thread number from its uid) */
    static int threadState(KernelContext k, int tcb) {
        Processor cpu = k.cpu();
        int number = cpu.load(Reg.EDX, Reg.EDI, tcb + Tcb.UID_LOW) >>> 10;
        cpu.shift(Reg.EDX, number);
        int at = k.layout().mechanismData(MachIpc.MECHANISM) + THREADS + number * THREAD_SIZE;
        k.mapKernelPage(at); // the thread's state exists from its creation: allocated at first use here
        return at;
    }

    /** The thread's ports exist (its creation, or mach_reply_port on its first RPC). */
    static void ensureThread(Trap t, int tcb, int thread) {
        Processor cpu = t.cpu;
        int name = cpu.load(Reg.EAX, Reg.EDX, thread + T_SERVICE_NAME);
        cpu.alu(Reg.EAX, Reg.EAX);
        if (cpu.jcc(name == 0)) {
            createPorts(t, tcb, thread);
        }
    }

    private static void createPorts(Trap t, int tcb, int thread) {
        Processor cpu = t.cpu;
        KernelContext k = t.k;
        initialise(t);
        int number = cpu.load(Reg.EAX, Reg.EDI, tcb + Tcb.UID_LOW) >>> 10;
        int taskNumber = cpu.load(Reg.EAX, Reg.EDI, tcb + Tcb.TASK);
        int space = space(t, taskNumber);
        int task = t.data + TASKS + taskNumber * TASK_SIZE;
        k.mapKernelPage(task);
        cpu.store(Reg.EDX, task + TK_SPACE, Reg.ESI, space);
        cpu.store(Reg.EDX, task + TK_MAP, Reg.ESI, space);
        cpu.store(Reg.EDX, task + TK_EMUL, Reg.NONE, 0);
        int service = t.data + PORTS + number * 2 * PORT_SIZE;
        int reply = service + PORT_SIZE;
        k.mapKernelPage(service);
        int uid = cpu.load(Reg.ECX, Reg.EDI, tcb + Tcb.UID_HIGH);
        for (int port : new int[] {service, reply}) {
            cpu.store(Reg.EBX, port + P_RECEIVER, Reg.EDI, tcb);
            cpu.store(Reg.EBX, port + P_OWNER_UID, Reg.ECX, uid);
            cpu.store(Reg.EBX, port + P_MSGS, Reg.NONE, 0);
            cpu.store(Reg.EBX, port + P_LAST, Reg.NONE, 0);
            cpu.store(Reg.EBX, port + P_COUNT, Reg.NONE, 0);
            cpu.store(Reg.EBX, port + P_WAITER, Reg.NONE, 0);
            cpu.store(Reg.EBX, port + P_REFERENCES, Reg.NONE, 1);
            cpu.store(Reg.EBX, port + P_BITS, Reg.NONE, 1); // IO_BITS_ACTIVE
            cpu.store(Reg.EBX, port + P_QLIMIT, Reg.NONE, QLIMIT);
            cpu.store(Reg.EBX, port + P_SPACE, Reg.ESI, space);
        }
        cpu.store(Reg.EDI, thread + T_SPACE, Reg.ESI, space);
        cpu.store(Reg.EDI, thread + T_TASK, Reg.EDX, task);
        int serviceName = Spaces.allocateEntry(t, space, service, RIGHT_RECEIVE);
        int replyName = Spaces.allocateEntry(t, space, reply, RIGHT_RECEIVE);
        cpu.store(Reg.EBX, service + P_RECEIVER_NAME, Reg.EAX, serviceName);
        cpu.store(Reg.EBX, reply + P_RECEIVER_NAME, Reg.EAX, replyName);
        cpu.store(Reg.EDI, thread + T_SERVICE_NAME, Reg.EAX, serviceName);
        cpu.store(Reg.EDI, thread + T_REPLY_NAME, Reg.EAX, replyName);
    }

    /** @return task {@code task}'s entry table, made on first use with all entries free */
    private static int space(Trap t, int task) {
        Processor cpu = t.cpu;
        int space = t.data + SPACES + task * PageFlags.PAGE_SIZE;
        t.k.mapKernelPage(space);
        if (cpu.load(Reg.EAX, Reg.ESI, space + E_BITS) == 0) {
            for (int i = 1; i < ENTRIES; i++) {
                cpu.store(Reg.ESI, space + i * ENTRY_SIZE + E_NEXT, Reg.EAX, i + 1 < ENTRIES ? i + 1 : 0);
            }
            cpu.store(Reg.ESI, space + E_OBJECT, Reg.NONE, 1);
            cpu.store(Reg.ESI, space + E_BITS, Reg.NONE, ENTRIES);
            cpu.store(Reg.ESI, space + E_REQUEST, Reg.NONE, 1); // is_active
        }
        return space;
    }

    /** Kernel text, trap table, globals and kmsg zone, once per machine. */
    private static void initialise(Trap t) {
        Processor cpu = t.cpu;
        KernelContext k = t.k;
        int md = t.data;
        int g = md + ZONE;
        k.mapKernelPage(g);
        if (cpu.load(Reg.EAX, Reg.NONE, g + Z_READY) != 0) {
            return;
        }
        for (int i = 0; i < TEXT_PAGES; i++) {
            k.mapKernelPage(md + TEXT + i * PageFlags.PAGE_SIZE);
        }
        k.mapKernelPage(md + TRAP_TABLE);
        int entry = md + TRAP_TABLE + MACH_MSG_TRAP * TRAP_ENTRY;
        cpu.store(Reg.NONE, entry, Reg.NONE, MACH_MSG_ARGS);
        cpu.store(Reg.NONE, entry + 4, Reg.NONE, t.at(Routine.MSG_TRAP));
        // mach_thread_self's entry: mach_trap_table is initialised data of the kernel image, so it is
        // written without cycles, as the nucleus writes its IDT at boot (the entry above keeps its stores)
        int self = md + TRAP_TABLE + MACH_THREAD_SELF * TRAP_ENTRY;
        imageWord(k, self, 0);
        imageWord(k, self + 4, t.at(Routine.THREAD_SELF));
        cpu.store(Reg.NONE, g + G_TRAP_COUNT, Reg.NONE, MachData.TRAP_COUNT);
        cpu.store(Reg.NONE, g + G_SPACE_KERNEL, Reg.NONE, -1);
        cpu.store(Reg.NONE, g + G_CURR_IPL, Reg.NONE, SPL0);
        int free = 0;
        for (int i = KMSG_COUNT - 1; i >= 0; i--) {
            int kmsg = md + KMSGS + i * KMSG_SIZE;
            for (int p = 0; p < KMSG_SIZE; p += PageFlags.PAGE_SIZE) {
                k.mapKernelPage(kmsg + p);
            }
            cpu.store(Reg.EBX, kmsg + K_NEXT, Reg.EAX, free);
            free = kmsg;
        }
        cpu.store(Reg.NONE, g + Z_FREE, Reg.EAX, free);
        cpu.store(Reg.NONE, g + Z_READY, Reg.NONE, 1);
    }

    /** Writes a word of the kernel image's initialised data: the physical word behind {@code linear}, no cycles. */
    private static void imageWord(KernelContext k, int linear, int value) {
        Mmu mmu = k.machine().mmu();
        int pte = mmu.entry(mmu.cr3(), linear);
        k.machine().memory().writeWord((pte & PageFlags.FRAME_MASK) | (linear & ~PageFlags.FRAME_MASK), value);
    }

    /**
     * The current thread's kernel port (ith_self, ith_sself), which Mach makes at thread creation
     * (ipc_thread_init: ipc_port_alloc_kernel, ipc_port_make_send), made here at the thread's first
     * thread-self trap; and its task's reverse-hash words (ipc_hash.c's {@code ie_index}, kept beside the
     * entry table here).
     */
    static void selfPort(Trap t) {
        Processor cpu = t.cpu;
        int number = (t.thread - t.data - THREADS) / THREAD_SIZE;
        int port = t.data + SELF_PORTS + number * PORT_SIZE;
        t.k.mapKernelPage(port);
        int space = cpu.load(Reg.ESI, Reg.EBX, t.thread + T_SPACE);
        t.k.mapKernelPage(ThreadSelf.hashWord(t, space, 0));
        cpu.store(Reg.EDI, port + P_RECEIVER, Reg.NONE, 0); // a kernel object: no receiving thread
        cpu.store(Reg.EDI, port + P_SPACE, Reg.NONE, -1); // ip_receiver = ipc_space_kernel
        cpu.store(Reg.EDI, port + P_REFERENCES, Reg.NONE, 2); // the port's own and ith_sself's
        cpu.store(Reg.EDI, port + P_SRIGHTS, Reg.NONE, 1); // ith_sself
        cpu.store(Reg.EDI, port + P_BITS, Reg.NONE, 1); // IO_BITS_ACTIVE
        cpu.store(Reg.EBX, t.thread + T_SELF, Reg.EDI, port);
        cpu.store(Reg.EBX, t.thread + T_SSELF, Reg.EDI, port);
    }

    /**
     * A send right for thread {@code caller} to thread {@code target}'s service port (the nucleus's
     * endpoint): one name per port and space, as Mach's reverse hash keeps it. @return the name
     */
    static long sendRight(Trap t, int caller, int target) {
        Processor cpu = t.cpu;
        int targetThread = threadState(t.k, target);
        ensureThread(t, target, targetThread);
        int callerThread = threadState(t.k, caller);
        ensureThread(t, caller, callerThread);
        int service = cpu.load(Reg.ESI, Reg.EDI, targetThread + T_SPACE);
        int serviceName = cpu.load(Reg.EBX, Reg.EDI, targetThread + T_SERVICE_NAME);
        int port = cpu.load(Reg.EDI, Reg.ESI, Reg.EBX, service + (serviceName >>> 8) * ENTRY_SIZE);
        int space = cpu.load(Reg.ESI, Reg.EDX, callerThread + T_SPACE);
        // reuse a send right the caller holds
        for (int i = 1; i < ENTRIES; i++) {
            int e = space + i * ENTRY_SIZE;
            int bits = cpu.load(Reg.EAX, Reg.ESI, e + E_BITS);
            if ((bits & (RIGHT_SEND | RIGHT_RECEIVE)) != 0 && cpu.load(Reg.EAX, Reg.ESI, e + E_OBJECT) == port) {
                // a receive right's entry takes the send right too
                cpu.store(Reg.ESI, e + E_BITS, Reg.EAX, bits | RIGHT_SEND);
                return i << 8 | bits >>> 24;
            }
        }
        int name = Spaces.allocateEntry(t, space, port, RIGHT_SEND);
        if (name == 0) {
            throw new IllegalStateException("task's IPC space is full");
        }
        int srights = cpu.load(Reg.EAX, Reg.EDI, port + P_SRIGHTS);
        cpu.store(Reg.EDI, port + P_SRIGHTS, Reg.EAX, srights + 1);
        return name & 0xFFFF_FFFFL;
    }
}

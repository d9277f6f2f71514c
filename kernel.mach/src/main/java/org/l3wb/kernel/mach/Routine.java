package org.l3wb.kernel.mach;

import java.util.List;

import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.PageFlags;

/**
 * A routine of the CMU Mach 3.0 kernel on the IPC path: where it starts in the text, its compiled size
 * (0: assembler, not measured), the words its caller pushes, the register variables it saves (EBX, ESI,
 * EDI: at most 3, from its register locals in the source) and whether it builds an EBP frame (compiled
 * C does; the locore and spl assembler routines do not).
 *
 * <p>Mach's steps are its source routines: each routine's code marks itself on entry
 * ({@code CodeStep caller = cpu.step(routine)}) and restores its caller's on return, so that a trace
 * tags every instruction with the routine it belongs to, named as in the source ({@link #label()}) with
 * its module ({@link #source()}).
 *
 * <p>Offsets: ipc/ and kern/, the routine's address in its object file (gcc -m32 -O2 of the CMU Mach
 * 3.0 source, uniprocessor, no NORMA) plus the object's place when the objects are laid out in
 * conf/files order from +0x2000, each 16-byte aligned. locore.s and spl.s (assembler, not compiled
 * here): in source order, estimated from their instruction counts. See readme.md, "The text".
 */
record Routine(String name, String module, int offset, int size, int args, int saved, boolean frame)
        implements CodeStep {
    // locore.s
    static final Routine RETURN_FROM_TRAP = new Routine("_return_from_trap", "locore.s", 0x0000, 0, 0, 0, false);
    static final Routine SYSCALL_RETURN = new Routine("thread_syscall_return", "locore.s", 0x0040, 0, 1, 0, false);
    static final Routine CALL_CONTINUATION = new Routine("call_continuation", "locore.s", 0x0060, 0, 1, 0, false);
    static final Routine SYSCALL = new Routine("syscall, mach_call_call", "locore.s", 0x0080, 0, 0, 0, false);
    static final Routine COPYINMSG = new Routine("copyinmsg", "locore.s", 0x01C0, 0, 3, 2, false);
    static final Routine COPYOUTMSG = new Routine("copyoutmsg", "locore.s", 0x0210, 0, 3, 2, false);
    // spl.s
    static final Routine SPLSCHED = new Routine("splsched", "spl.s", 0x1060, 0, 0, 0, false);
    static final Routine SPLX = new Routine("splx", "spl.s", 0x10A0, 0, 1, 0, false);
    // ipc/ipc_entry.c
    static final Routine ENTRY_LOOKUP = new Routine("ipc_entry_lookup", "ipc_entry.c", 0x2060, 111, 2, 1, true);
    // ipc/ipc_hash.c, ipc/ipc_object.c, ipc/ipc_port.c, ipc/ipc_right.c, kern/ipc_tt.c: the thread-self
    // trap's routines; offsets ESTIMATED (not compiled): each placed in its object's gap in conf/files
    // order, clear of the compiled routines around it (readme, "The thread-self trap")
    static final Routine HASH_LOOKUP = new Routine("ipc_hash_lookup", "ipc_hash.c", 0x2C00, 0, 4, 0, true);
    static final Routine HASH_LOCAL_LOOKUP = new Routine("ipc_hash_local_lookup", "ipc_hash.c", 0x3000, 0, 4, 3, true);
    static final Routine HASH_LOCAL_INSERT = new Routine("ipc_hash_local_insert", "ipc_hash.c", 0x30C0, 0, 4, 3, true);
    static final Routine OBJECT_COPYOUT = new Routine("ipc_object_copyout", "ipc_object.c", 0x6E00, 0, 5, 3, true);
    static final Routine PORT_COPYOUT_SEND = new Routine("ipc_port_copyout_send", "ipc_port.c", 0x8300, 0, 2, 2, true);
    static final Routine RIGHT_REVERSE = new Routine("ipc_right_reverse", "ipc_right.c", 0x8C80, 0, 4, 3, true);
    static final Routine RIGHT_COPYOUT = new Routine("ipc_right_copyout", "ipc_right.c", 0x9800, 0, 6, 3, true);
    static final Routine RETRIEVE_THREAD_SELF = new Routine("retrieve_thread_self_fast", "ipc_tt.c", 0x10700, 0, 1, 2, true);
    static final Routine THREAD_SELF = new Routine("mach_thread_self", "ipc_tt.c", 0x107A0, 0, 0, 1, true);
    // ipc/ipc_kmsg.c
    static final Routine KMSG_GET = new Routine("ipc_kmsg_get", "ipc_kmsg.c", 0x36F0, 243, 3, 1, true);
    static final Routine KMSG_PUT = new Routine("ipc_kmsg_put", "ipc_kmsg.c", 0x3840, 132, 3, 1, true);
    static final Routine COPYIN_HEADER = new Routine("ipc_kmsg_copyin_header", "ipc_kmsg.c", 0x3920, 2253, 3, 3, true);
    static final Routine KMSG_COPYIN = new Routine("ipc_kmsg_copyin", "ipc_kmsg.c", 0x41F0, 1452, 4, 3, true);
    static final Routine COPYOUT_HEADER = new Routine("ipc_kmsg_copyout_header", "ipc_kmsg.c", 0x49B0, 1620, 3, 3, true);
    static final Routine KMSG_COPYOUT = new Routine("ipc_kmsg_copyout", "ipc_kmsg.c", 0x53A0, 113, 4, 3, true);
    // ipc/ipc_mqueue.c
    static final Routine MQUEUE_SEND = new Routine("ipc_mqueue_send", "ipc_mqueue.c", 0x5AF0, 667, 3, 3, true);
    static final Routine MQUEUE_COPYIN = new Routine("ipc_mqueue_copyin", "ipc_mqueue.c", 0x5D90, 182, 4, 3, true);
    static final Routine MQUEUE_RECEIVE = new Routine("ipc_mqueue_receive", "ipc_mqueue.c", 0x5E50, 665, 8, 3, true);
    // ipc/mach_msg.c
    static final Routine RECEIVE_CONTINUE = new Routine("mach_msg_receive_continue", "mach_msg.c", 0xA550, 553, 0, 3, true);
    static final Routine MSG_SEND = new Routine("mach_msg_send", "mach_msg.c", 0xA8E0, 404, 5, 3, true);
    static final Routine MSG_RECEIVE = new Routine("mach_msg_receive", "mach_msg.c", 0xAA80, 579, 6, 3, true);
    static final Routine MSG_TRAP = new Routine("mach_msg_trap", "mach_msg.c", 0xACD0, 3849, 7, 1, true);
    // kern/ipc_sched.c
    static final Routine THREAD_GO = new Routine("thread_go", "ipc_sched.c", 0x100C0, 175, 1, 2, true);
    static final Routine THREAD_WILL_WAIT = new Routine("thread_will_wait", "ipc_sched.c", 0x10170, 30, 1, 1, true);
    // kern/kalloc.c
    static final Routine KALLOC = new Routine("kalloc", "kalloc.c", 0x10E10, 129, 1, 2, true);
    static final Routine KFREE = new Routine("kfree", "kalloc.c", 0x10F10, 110, 2, 2, true);
    // kern/sched_prim.c
    static final Routine THREAD_SETRUN = new Routine("thread_setrun", "sched_prim.c", 0x13A30, 344, 2, 2, true);
    static final Routine THREAD_INVOKE = new Routine("thread_invoke", "sched_prim.c", 0x13F40, 529, 3, 3, true);
    static final Routine THREAD_SELECT = new Routine("thread_select", "sched_prim.c", 0x14470, 235, 1, 3, true);
    static final Routine THREAD_BLOCK = new Routine("thread_block", "sched_prim.c", 0x14560, 91, 1, 3, true);
    // kern/zalloc.c
    static final Routine ZFREE = new Routine("zfree", "zalloc.c", 0x180F0, 164, 2, 1, true);
    static final Routine ZALLOC = new Routine("zalloc", "zalloc.c", 0x18660, 997, 1, 1, true);
    // i386/pcb.c (the i386 objects follow the machine-independent ones; pcb.o placed at +0x1A000)
    static final Routine SWITCH_KTSS = new Routine("switch_ktss", "pcb.c", 0x1A060, 169, 1, 2, true);
    static final Routine STACK_HANDOFF = new Routine("stack_handoff", "pcb.c", 0x1A110, 137, 2, 3, true);

    /** Every modelled routine, in text order. */
    static final List<Routine> ALL = List.of(RETURN_FROM_TRAP, SYSCALL_RETURN, CALL_CONTINUATION, SYSCALL,
            COPYINMSG, COPYOUTMSG, SPLSCHED, SPLX, ENTRY_LOOKUP, HASH_LOOKUP, HASH_LOCAL_LOOKUP, HASH_LOCAL_INSERT,
            KMSG_GET, KMSG_PUT, COPYIN_HEADER, KMSG_COPYIN, COPYOUT_HEADER, KMSG_COPYOUT, MQUEUE_SEND, MQUEUE_COPYIN,
            MQUEUE_RECEIVE, OBJECT_COPYOUT, PORT_COPYOUT_SEND, RIGHT_REVERSE, RIGHT_COPYOUT, RECEIVE_CONTINUE,
            MSG_SEND, MSG_RECEIVE, MSG_TRAP, THREAD_GO, THREAD_WILL_WAIT, RETRIEVE_THREAD_SELF, THREAD_SELF, KALLOC,
            KFREE, THREAD_SETRUN, THREAD_INVOKE, THREAD_SELECT, THREAD_BLOCK, ZFREE, ZALLOC, SWITCH_KTSS,
            STACK_HANDOFF);

    /** Diagnostics: the most text any routine ran through before its RET; the least room left before the next. */
    static volatile int maxSlotUse;
    static volatile int minSlotRoom = Integer.MAX_VALUE;
    static volatile String tightest = "";

    @Override
    public String label() {
        return name;
    }

    @Override
    public String source() {
        return module;
    }

    /** @return the bytes from the routine's start to the next modelled routine's (or the text's end) */
    int room() {
        int next = MachData.TEXT_PAGES * PageFlags.PAGE_SIZE;
        for (Routine o : ALL) {
            if (o.offset > offset && o.offset < next) {
                next = o.offset;
            }
        }
        return next - offset;
    }

    /** @return the modelled routine whose text holds offset {@code offset} (the nearest start at or below it), or null */
    static Routine at(int offset) {
        Routine best = null;
        for (Routine r : ALL) {
            if (r.offset <= offset && (best == null || r.offset > best.offset)) {
                best = r;
            }
        }
        return best != null && offset - best.offset < best.room() ? best : null;
    }

    /** Records that the routine ran through {@code use} bytes of its text before returning (diagnostics). */
    void ranThrough(int use) {
        if (use > maxSlotUse) {
            maxSlotUse = use;
        }
        if (room() - use < minSlotRoom) {
            minSlotRoom = room() - use;
            tightest = name;
        }
    }
}

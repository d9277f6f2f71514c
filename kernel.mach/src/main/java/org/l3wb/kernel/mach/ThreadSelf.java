package org.l3wb.kernel.mach;

import static org.l3wb.kernel.mach.MachData.ENTRY_SIZE;
import static org.l3wb.kernel.mach.MachData.E_BITS;
import static org.l3wb.kernel.mach.MachData.E_OBJECT;
import static org.l3wb.kernel.mach.MachData.G_ACTIVE_THREADS;
import static org.l3wb.kernel.mach.MachData.HASHES;
import static org.l3wb.kernel.mach.MachData.HASH_TABLE_SIZE;
import static org.l3wb.kernel.mach.MachData.MSG_TYPE_PORT_SEND;
import static org.l3wb.kernel.mach.MachData.P_BITS;
import static org.l3wb.kernel.mach.MachData.P_REFERENCES;
import static org.l3wb.kernel.mach.MachData.P_SPACE;
import static org.l3wb.kernel.mach.MachData.P_SRIGHTS;
import static org.l3wb.kernel.mach.MachData.RIGHT_RECEIVE;
import static org.l3wb.kernel.mach.MachData.RIGHT_SEND;
import static org.l3wb.kernel.mach.MachData.SPACES;
import static org.l3wb.kernel.mach.MachData.TK_SPACE;
import static org.l3wb.kernel.mach.MachData.T_SELF;
import static org.l3wb.kernel.mach.MachData.T_SSELF;
import static org.l3wb.kernel.mach.MachData.T_TASK;
import static org.l3wb.kernel.mach.MachData.UREFS_MAX;
import static org.l3wb.kernel.mach.MachData.UREFS_SHIFT;

import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;

/**
 * Mach 3.0's {@code mach_thread_self} trap body, the "18 µs ... mach thread self call" of section 5.6,
 * as the CMU sources structure it (uniprocessor, no MACH_ASSERT): {@code kern/ipc_tt.c}
 * {@code mach_thread_self} takes {@code current_thread()} and calls {@code retrieve_thread_self_fast}
 * (a send right made from {@code ith_sself}: {@code ip_reference}, {@code ip_srights++}), then
 * {@code ipc_port_copyout_send(sright, current_space())} ({@code ipc/ipc_port.c}), which calls
 * {@code ipc_object_copyout} ({@code ipc/ipc_object.c}): the space's {@code is_active}, then
 * {@code ipc_right_reverse} ({@code ipc/ipc_right.c}: the port active, its receiver not this space, so
 * {@code ipc_hash_lookup} and {@code ipc_hash_local_lookup} in {@code ipc/ipc_hash.c}: the reverse hash
 * {@code (obj >> 6) % size} probed until the entry naming the port), and {@code ipc_right_copyout}
 * (case {@code MACH_MSG_TYPE_PORT_SEND} with a send right already there: {@code ip_srights--},
 * {@code ip_release}, one more user reference in {@code ie_bits}). The name goes back in EAX.
 *
 * <p>The locks on this path ({@code ith_lock}, {@code ip_lock}, {@code is_write_lock}) are simple locks,
 * which compile to nothing at {@code NCPUS} 1, and it takes no spl: none is issued. The first call of a
 * thread finds no entry ({@code ipc_entry_get}, the entry made, {@code ipc_hash_local_insert}); later
 * calls take the reverse hash. Registers as elsewhere in this mechanism: ESI the space, EDI the port, EBX
 * the entry, EAX, EDX, ECX temporaries.
 */
final class ThreadSelf {
    private ThreadSelf() {
    }

    /**
     * mach_thread_self: called by locore's {@code CALL *handler}; returns the name (its EAX).
     */
    static int threadSelf(Trap t) {
        Processor cpu = t.cpu;
        CodeStep caller = cpu.step(Routine.THREAD_SELF); // called by syscall's CALL *handler
        t.prologue(Routine.THREAD_SELF);
        cpu.load(Reg.EBX, Reg.NONE, t.globals + G_ACTIVE_THREADS); // current_thread(): active_threads[0]
        cpu.push(Reg.EBX, t.thread);
        int port = retrieveThreadSelfFast(t);
        cpu.alu(Reg.ESP, Reg.NONE, cpu.reg(Reg.ESP) + 4); // ADD ESP, 4
        // current_space(): current_task()->itk_space
        int task = cpu.load(Reg.EAX, Reg.EBX, t.thread + T_TASK);
        int space = cpu.load(Reg.EAX, Reg.EAX, task + TK_SPACE);
        cpu.push(Reg.EAX, space);
        cpu.push(Reg.EDI, port);
        int name = portCopyoutSend(t, port, space);
        cpu.alu(Reg.ESP, Reg.NONE, cpu.reg(Reg.ESP) + 8); // ADD ESP, 8
        t.leave(caller, false); // mach_call_call reloads ESP
        return name;
    }

    /** retrieve_thread_self_fast(thread): ith_sself is ith_self (no interposing): one more send right. */
    private static int retrieveThreadSelfFast(Trap t) {
        Processor cpu = t.cpu;
        cpu.call(t.at(Routine.RETRIEVE_THREAD_SELF));
        CodeStep caller = cpu.step(Routine.RETRIEVE_THREAD_SELF);
        t.prologue(Routine.RETRIEVE_THREAD_SELF);
        int port = cpu.load(Reg.EDI, Reg.EBX, t.thread + T_SSELF); // port = thread->ith_sself
        if (port == 0) {
            // the thread's kernel port, made at its creation in Mach (ipc_thread_init), here at its first
            // thread-self trap: set-up, not this path (readme)
            SetUp.selfPort(t);
            port = cpu.load(Reg.EDI, Reg.EBX, t.thread + T_SSELF);
        }
        int self = cpu.compare(Reg.EDI, Reg.EBX, t.thread + T_SELF); // == thread->ith_self
        cpu.jcc(port != self); // JNE ipc_port_copy_send (interposed: not modelled, never the case here)
        Spaces.reference(t, Reg.EDI, port, 1); // ip_reference(port)
        int srights = cpu.load(Reg.EAX, Reg.EDI, port + P_SRIGHTS); // port->ip_srights++
        cpu.alu(Reg.EAX, Reg.NONE);
        cpu.store(Reg.EDI, port + P_SRIGHTS, Reg.EAX, srights + 1);
        cpu.alu(Reg.EAX, Reg.EDI, port); // MOVL %edi, %eax: return port
        t.leave(caller, false);
        return port;
    }

    /** ipc_port_copyout_send(sright, space): a valid right is copied out as MACH_MSG_TYPE_PORT_SEND. */
    private static int portCopyoutSend(Trap t, int port, int space) {
        Processor cpu = t.cpu;
        cpu.call(t.at(Routine.PORT_COPYOUT_SEND));
        CodeStep caller = cpu.step(Routine.PORT_COPYOUT_SEND);
        t.prologue(Routine.PORT_COPYOUT_SEND);
        cpu.alu(Reg.EBX, Reg.EBX); // IP_VALID(sright): TESTL %ebx, %ebx; JE
        cpu.jcc(false);
        cpu.alu(Reg.EBX, Reg.NONE); // CMPL $IP_DEAD, %ebx; JE
        cpu.jcc(false);
        cpu.alu(Reg.EAX, Reg.EBP); // LEA -4(%ebp), %eax: &name
        cpu.push(Reg.EAX, 0); // &name
        cpu.push(Reg.NONE, 1); // overflow TRUE
        cpu.push(Reg.NONE, MSG_TYPE_PORT_SEND);
        cpu.push(Reg.EBX, port);
        cpu.push(Reg.ESI, space);
        int frame = cpu.reg(Reg.EBP);
        int name = objectCopyout(t, port, space, frame - 4);
        cpu.alu(Reg.ESP, Reg.NONE, cpu.reg(Reg.ESP) + 20); // ADD ESP, 20
        cpu.alu(Reg.EAX, Reg.EAX); // TESTL %eax, %eax (kr)
        cpu.jcc(name == 0); // JNE: release the right, MACH_PORT_NULL or MACH_PORT_DEAD (not taken)
        cpu.load(Reg.EAX, Reg.EBP, frame - 4); // MOVL -4(%ebp), %eax: return name
        t.leave(caller, false);
        return name;
    }

    /**
     * ipc_object_copyout(space, object, PORT_SEND, TRUE, &amp;name): the space active, the reverse lookup
     * (or, the first time, a new entry), ipc_right_copyout, the name stored.
     *
     * @return the name, 0 when the space is full (KERN_NO_SPACE)
     */
    private static int objectCopyout(Trap t, int port, int space, int nameSlot) {
        Processor cpu = t.cpu;
        cpu.call(t.at(Routine.OBJECT_COPYOUT));
        CodeStep caller = cpu.step(Routine.OBJECT_COPYOUT);
        t.prologue(Routine.OBJECT_COPYOUT); // space in EBX, object in ESI, msgt_name in EDI
        cpu.load(Reg.EAX, Reg.EBX, space + MachData.E_REQUEST); // space->is_active (is_write_lock: nothing)
        cpu.alu(Reg.EAX, Reg.EAX);
        cpu.jcc(false);
        cpu.alu(Reg.EDI, Reg.NONE); // CMPL $MACH_MSG_TYPE_PORT_SEND_ONCE, %edi; JE
        cpu.jcc(false);
        int frame = cpu.reg(Reg.EBP);
        cpu.alu(Reg.EAX, Reg.EBP); // LEA -8(%ebp): &entry
        cpu.push(Reg.EAX, 0);
        cpu.alu(Reg.EAX, Reg.EBP); // LEA -4(%ebp): &name
        cpu.push(Reg.EAX, 0);
        cpu.push(Reg.ESI, port);
        cpu.push(Reg.EBX, space);
        int entry = rightReverse(t, port, space, frame);
        cpu.alu(Reg.ESP, Reg.NONE, cpu.reg(Reg.ESP) + 16);
        cpu.alu(Reg.EAX, Reg.EAX); // TESTL %eax, %eax
        int name;
        if (!cpu.jcc(entry != 0)) {
            // ipc_entry_get: a free entry for the port (first thread-self of this thread)
            name = Spaces.allocateEntry(t, space, port, 0);
            if (name == 0) {
                t.leave(caller);
                return 0;
            }
            entry = space + (name >>> 8) * ENTRY_SIZE;
            cpu.store(Reg.EBP, frame - 4, Reg.EAX, name);
            cpu.store(Reg.EBP, frame - 8, Reg.EBX, entry);
        }
        name = cpu.load(Reg.EDX, Reg.EBP, frame - 4); // name
        cpu.load(Reg.ECX, Reg.EBP, frame - 8); // entry
        // ipc_right_copyout(space, name, entry, msgt_name, overflow, object)
        cpu.push(Reg.ESI, port);
        cpu.push(Reg.NONE, 1);
        cpu.push(Reg.EDI, MSG_TYPE_PORT_SEND);
        cpu.push(Reg.ECX, entry);
        cpu.push(Reg.EDX, name);
        cpu.push(Reg.EBX, space);
        rightCopyout(t, port, space, name, entry);
        cpu.alu(Reg.ESP, Reg.NONE, cpu.reg(Reg.ESP) + 24);
        cpu.alu(Reg.EAX, Reg.EAX); // TESTL %eax, %eax (kr); is_write_unlock: nothing
        cpu.jcc(false);
        cpu.load(Reg.EAX, Reg.EBP, frame + 8 + 16); // namep, the fifth argument
        cpu.load(Reg.EDX, Reg.EBP, frame - 4);
        cpu.store(Reg.EAX, nameSlot, Reg.EDX, name); // *namep = name
        cpu.alu(Reg.EAX, Reg.EAX, 0); // XORL %eax, %eax: KERN_SUCCESS
        t.leave(caller, false);
        return name;
    }

    /**
     * ipc_right_reverse(space, object, &amp;name, &amp;entry): the port active; its receiver (ipc_space_kernel
     * for a thread's kernel port) is not this space, so the reverse hash.
     *
     * @return the entry naming the port in the space (name and entry stored in the caller's frame), 0 if none
     */
    private static int rightReverse(Trap t, int port, int space, int callerFrame) {
        Processor cpu = t.cpu;
        cpu.call(t.at(Routine.RIGHT_REVERSE));
        CodeStep caller = cpu.step(Routine.RIGHT_REVERSE);
        t.prologue(Routine.RIGHT_REVERSE); // space in EBX, port in ESI, namep in EDI
        int bits = cpu.load(Reg.EAX, Reg.ESI, port + P_BITS); // ip_active(port) (ip_lock: nothing)
        cpu.alu(Reg.EAX, Reg.NONE);
        cpu.jcc((bits & 1) == 0);
        int receiver = cpu.compare(Reg.EBX, Reg.ESI, port + P_SPACE); // port->ip_receiver == space?
        if (!cpu.jcc(receiver != space)) {
            throw new IllegalStateException("a thread's kernel port is received in a task's space");
        }
        // ipc_hash_lookup(space, obj, namep, entryp)
        cpu.push(Reg.NONE, 0);
        cpu.push(Reg.EDI, 0);
        cpu.push(Reg.ESI, port);
        cpu.push(Reg.EBX, space);
        int entry = hashLookup(t, port, space, callerFrame);
        cpu.alu(Reg.ESP, Reg.NONE, cpu.reg(Reg.ESP) + 16);
        cpu.alu(Reg.EAX, Reg.EAX); // TESTL %eax, %eax
        cpu.jcc(entry == 0); // JE: not found (ip_unlock: nothing), return FALSE
        cpu.alu(Reg.EAX, Reg.NONE, entry == 0 ? 0 : 1); // MOVL $1, %eax
        t.leave(caller, false);
        return entry;
    }

    /** ipc_hash_lookup: the local (table) hash; the tree's only when the space has a tree (never here). */
    private static int hashLookup(Trap t, int port, int space, int callerFrame) {
        Processor cpu = t.cpu;
        cpu.call(t.at(Routine.HASH_LOOKUP));
        CodeStep caller = cpu.step(Routine.HASH_LOOKUP);
        t.prologue(Routine.HASH_LOOKUP);
        for (int i = 0; i < 4; i++) {
            cpu.push(Reg.NONE, 0); // the four arguments passed on
        }
        int entry = hashLocalLookup(t, port, space, callerFrame);
        cpu.alu(Reg.ESP, Reg.NONE, cpu.reg(Reg.ESP) + 16);
        cpu.alu(Reg.EAX, Reg.EAX); // TESTL %eax, %eax; JNE found
        if (!cpu.jcc(entry != 0)) {
            cpu.load(Reg.EAX, Reg.EDX, space + E_OBJECT); // space->is_tree_hash (kept beside the table head)
            cpu.alu(Reg.EAX, Reg.EAX);
            cpu.jcc(true); // none: return FALSE
        }
        t.leave(caller, false);
        return entry;
    }

    /** @return the linear address of the reverse-hash word of table index {@code index} in {@code space} */
    static int hashWord(Trap t, int space, int index) {
        int task = (space - t.data - SPACES) / PageFlags.PAGE_SIZE;
        return t.data + HASHES + task * HASH_TABLE_SIZE + index * 4;
    }

    /**
     * ipc_hash_local_lookup: hindex = IH_LOCAL_HASH(obj, size), then {@code table[hindex].ie_index} probed
     * until 0, each index's entry compared with the object; found: *entryp, *namep = MACH_PORT_MAKEB.
     */
    private static int hashLocalLookup(Trap t, int port, int space, int callerFrame) {
        Processor cpu = t.cpu;
        cpu.call(t.at(Routine.HASH_LOCAL_LOOKUP));
        CodeStep caller = cpu.step(Routine.HASH_LOCAL_LOOKUP);
        t.prologue(Routine.HASH_LOCAL_LOOKUP); // space in EBX, obj in ESI, namep in EDI
        // table = space->is_table (the model's space is its table: no load), size = space->is_table_size
        int size = cpu.load(Reg.ECX, Reg.EBX, space + E_BITS);
        int hindex = hindex(t, port, size);
        int loop = cpu.eip();
        while (true) {
            int index = cpu.load(Reg.EDX, Reg.EBX, Reg.EAX, hashWord(t, space, hindex)); // table[hindex].ie_index
            cpu.alu(Reg.EDX, Reg.EDX);
            if (cpu.jcc(index == 0)) {
                cpu.alu(Reg.EAX, Reg.EAX, 0); // return FALSE
                t.leave(caller, false);
                return 0;
            }
            int entry = space + index * ENTRY_SIZE;
            cpu.shift(Reg.EDX, index * ENTRY_SIZE); // SHLL $4, %edx: &table[index]
            int object = cpu.compare(Reg.ESI, Reg.EDX, entry + E_OBJECT); // entry->ie_object == obj?
            if (!cpu.jcc(object != port)) {
                int bits = cpu.load(Reg.ECX, Reg.EBX, Reg.EDX, entry + E_BITS);
                cpu.load(Reg.EAX, Reg.EBP, cpu.reg(Reg.EBP) + 20); // entryp
                cpu.store(Reg.EAX, callerFrame - 8, Reg.EDX, entry); // *entryp = entry
                cpu.shift(Reg.ECX, bits >>> 24); // MACH_PORT_MAKEB(index, bits): generation
                cpu.shift(Reg.EDX, index << 8);
                cpu.alu(Reg.EDX, Reg.ECX, index << 8 | bits >>> 24); // ORL
                cpu.store(Reg.EDI, callerFrame - 4, Reg.EDX, index << 8 | bits >>> 24); // *namep
                cpu.alu(Reg.EAX, Reg.NONE, 1); // return TRUE
                t.leave(caller, false);
                return entry;
            }
            hindex++;
            cpu.alu(Reg.EAX, Reg.NONE, hindex); // INCL hindex; CMPL size; JNE
            cpu.alu(Reg.EAX, Reg.ECX);
            if (!cpu.jcc(hindex != size)) {
                hindex = 0;
                cpu.alu(Reg.EAX, Reg.EAX, 0);
            }
            cpu.jmp(loop);
        }
    }

    /**
     * IH_LOCAL_HASH(obj, size): {@code ((obj >> 6) % size)}: MOVL; SHRL $6; XORL %edx; DIVL %ecx, the
     * remainder being the index. The DIV is issued as one (40 clocks on the i486): the modulo of a table
     * size that is not a power of two is what makes this hash dear, so its cost is the processor's.
     */
    private static int hindex(Trap t, int port, int size) {
        Processor cpu = t.cpu;
        int hindex = Integer.remainderUnsigned(port >>> 6, size);
        cpu.alu(Reg.EAX, Reg.ESI, port); // MOVL %esi, %eax
        cpu.shift(Reg.EAX, port >>> 6); // SHRL $6, %eax
        cpu.alu(Reg.EDX, Reg.EDX, 0); // XORL %edx, %edx
        cpu.div(Reg.ECX, Integer.divideUnsigned(port >>> 6, size), hindex); // DIVL %ecx: the remainder in EDX
        cpu.alu(Reg.EAX, Reg.EDX, hindex); // MOVL %edx, %eax
        return hindex;
    }

    /**
     * ipc_right_copyout(space, name, entry, PORT_SEND, TRUE, object): with a send right already in the
     * entry, the right brought in is merged into it (ip_srights--, ip_release, one more user reference;
     * pegged at MACH_PORT_UREFS_MAX with overflow); with none, the entry takes it and goes into the reverse
     * hash (ipc_hash_insert, ipc_hash_local_insert).
     */
    private static void rightCopyout(Trap t, int port, int space, int name, int entry) {
        Processor cpu = t.cpu;
        cpu.call(t.at(Routine.RIGHT_COPYOUT));
        CodeStep caller = cpu.step(Routine.RIGHT_COPYOUT);
        t.prologue(Routine.RIGHT_COPYOUT); // space in EBX, name in ESI, entry in EDI
        int bits = cpu.load(Reg.EAX, Reg.EDI, entry + E_BITS); // bits = entry->ie_bits
        cpu.load(Reg.EDX, Reg.EBP, cpu.reg(Reg.EBP) + 20); // msgt_name
        cpu.alu(Reg.EDX, Reg.NONE); // switch (msgt_name): CMPL $MACH_MSG_TYPE_PORT_SEND_ONCE; JE
        cpu.jcc(false);
        cpu.alu(Reg.EDX, Reg.NONE); // CMPL $MACH_MSG_TYPE_PORT_SEND; JNE
        cpu.jcc(false);
        cpu.load(Reg.ECX, Reg.EBP, cpu.reg(Reg.EBP) + 28); // port = (ipc_port_t) object
        cpu.alu(Reg.EAX, Reg.NONE); // TESTL $MACH_PORT_TYPE_SEND, %eax
        int newBits;
        if (!cpu.jcc((bits & RIGHT_SEND) == 0)) {
            int urefs = bits >>> UREFS_SHIFT & UREFS_MAX;
            cpu.alu(Reg.EDX, Reg.EAX, urefs); // MOVL %eax, %edx; ANDL $IE_BITS_UREFS_MASK, %edx
            cpu.alu(Reg.EDX, Reg.NONE); // INCL; CMPL $MACH_PORT_UREFS_MAX; JE
            cpu.jcc(urefs + 1 == UREFS_MAX);
            int srights = cpu.load(Reg.EDX, Reg.ECX, port + P_SRIGHTS); // port->ip_srights--
            cpu.alu(Reg.EDX, Reg.NONE);
            cpu.store(Reg.ECX, port + P_SRIGHTS, Reg.EDX, srights - 1);
            Spaces.reference(t, Reg.ECX, port, -1); // ip_release(port) (ip_unlock: nothing)
            if (urefs + 1 == UREFS_MAX) {
                t.leave(caller, false); // leave urefs pegged to maximum: KERN_SUCCESS
                return;
            }
            newBits = bits + (1 << UREFS_SHIFT);
        } else {
            cpu.alu(Reg.EAX, Reg.NONE); // TESTL $MACH_PORT_TYPE_RECEIVE (none here)
            cpu.jcc((bits & RIGHT_RECEIVE) != 0);
            hashLocalInsert(t, port, space, (entry - space) / ENTRY_SIZE);
            newBits = bits | RIGHT_SEND | 1 << UREFS_SHIFT;
        }
        cpu.alu(Reg.EAX, Reg.NONE); // ORL $MACH_PORT_TYPE_SEND; INCL: (bits | SEND) + 1 uref
        cpu.alu(Reg.EAX, Reg.NONE, newBits);
        cpu.store(Reg.EDI, entry + E_BITS, Reg.EAX, newBits); // entry->ie_bits = ...
        cpu.alu(Reg.EAX, Reg.EAX, 0); // XORL %eax, %eax: KERN_SUCCESS
        t.leave(caller, false);
    }

    /** ipc_hash_insert's local case, ipc_hash_local_insert: the first free probe takes the index. */
    private static void hashLocalInsert(Trap t, int port, int space, int index) {
        Processor cpu = t.cpu;
        CodeStep caller = t.enter(Routine.HASH_LOCAL_INSERT);
        int size = cpu.load(Reg.ECX, Reg.EBX, space + E_BITS);
        int hindex = hindex(t, port, size);
        int loop = cpu.eip();
        while (true) {
            int there = cpu.load(Reg.EDX, Reg.EBX, Reg.EAX, hashWord(t, space, hindex));
            cpu.alu(Reg.EDX, Reg.EDX);
            if (cpu.jcc(there == 0)) {
                break;
            }
            hindex = hindex + 1 == size ? 0 : hindex + 1;
            cpu.alu(Reg.EAX, Reg.NONE, hindex); // INCL; CMPL size; wrap to 0
            cpu.jmp(loop);
        }
        cpu.store(Reg.EBX, Reg.EAX, hashWord(t, space, hindex), Reg.ESI, index); // table[hindex].ie_index = index
        t.leave(caller);
    }
}

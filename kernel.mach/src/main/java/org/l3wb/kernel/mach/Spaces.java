package org.l3wb.kernel.mach;

import static org.l3wb.kernel.mach.MachData.ENTRY_SIZE;
import static org.l3wb.kernel.mach.MachData.E_BITS;
import static org.l3wb.kernel.mach.MachData.E_NEXT;
import static org.l3wb.kernel.mach.MachData.E_OBJECT;
import static org.l3wb.kernel.mach.MachData.E_REQUEST;
import static org.l3wb.kernel.mach.MachData.P_REFERENCES;

import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;

/**
 * IPC spaces ({@code ipc/ipc_entry.c}, {@code ipc/ipc_space.h}) and port references: a task's entry
 * table translates a port name (index and generation) to the port and the rights held. Throughout,
 * ESI holds the space (the entry table), EBX the entry's offset in it, EAX the bits, EDI the port.
 */
final class Spaces {
    private Spaces() {
    }

    /** A call of ipc_entry_lookup (ipc_entry.c) and the rights check. @return the entry, or 0 */
    static int entryLookup(Trap t, int space, int name, int rights) {
        CodeStep caller = t.enter(Routine.ENTRY_LOOKUP);
        int entry = lookupEntry(t, space, name, rights);
        t.leave(caller);
        return entry;
    }

    /**
     * The optimised ipc_entry_lookup and the rights check: index in range, generation matches, the right
     * is held.
     *
     * @return the entry, or 0
     */
    static int lookupEntry(Trap t, int space, int name, int rights) {
        Processor cpu = t.cpu;
        int index = name >>> 8;
        cpu.shift(Reg.EBX, index); // MACH_PORT_INDEX
        int size = cpu.load(Reg.EAX, Reg.ESI, space + E_BITS); // is_table_size
        cpu.alu(Reg.EBX, Reg.EAX); // CMPL %eax, %ebx
        boolean inRange = index > 0 && index < size;
        if (cpu.jcc(!inRange)) {
            return 0;
        }
        int entry = space + index * ENTRY_SIZE;
        cpu.shift(Reg.EBX, index * ENTRY_SIZE);
        int bits = cpu.load(Reg.EAX, Reg.ESI, Reg.EBX, entry + E_BITS);
        cpu.alu(Reg.EAX, Reg.NONE); // generation of the entry
        cpu.alu(Reg.EAX, Reg.EDX); // CMP with MACH_PORT_GEN(name)
        boolean generation = (bits >>> 24) == (name & 0xFF);
        if (cpu.jcc(!generation)) {
            return 0;
        }
        cpu.alu(Reg.EAX, Reg.NONE); // TEST bits, rights
        boolean held = (bits & rights) != 0;
        cpu.jcc(!held);
        return held ? entry : 0;
    }

    /** ipc_entry_alloc: the free list's first entry, generation advanced. @return its name, 0 if full */
    static int allocateEntry(Trap t, int space, int port, int right) {
        Processor cpu = t.cpu;
        int index = cpu.load(Reg.EBX, Reg.ESI, space + E_OBJECT); // free list head
        cpu.alu(Reg.EBX, Reg.EBX);
        if (cpu.jcc(index == 0)) {
            return 0;
        }
        int entry = space + index * ENTRY_SIZE;
        int next = cpu.load(Reg.EAX, Reg.ESI, Reg.EBX, entry + E_NEXT);
        cpu.store(Reg.ESI, space + E_OBJECT, Reg.EAX, next);
        cpu.store(Reg.ESI, Reg.EBX, entry + E_REQUEST, Reg.NONE, 0); // entry->ie_request = 0
        int bits = cpu.load(Reg.EAX, Reg.ESI, Reg.EBX, entry + E_BITS);
        int generation = (bits >>> 24) + 1 & 0xFF;
        if (generation == 0) {
            generation = 1;
        }
        cpu.alu(Reg.EAX, Reg.NONE); // advance the generation
        cpu.alu(Reg.EAX, Reg.NONE); // OR in the right
        cpu.store(Reg.ESI, Reg.EBX, entry + E_BITS, Reg.EAX, generation << 24 | right);
        cpu.store(Reg.ESI, Reg.EBX, entry + E_OBJECT, Reg.EDI, port);
        return index << 8 | generation;
    }

    /** ipc_entry_dealloc: no right left, entry back on the free list (the generation stays). */
    static void freeEntry(Trap t, int space, int entry) {
        Processor cpu = t.cpu;
        int bits = cpu.load(Reg.EAX, Reg.ESI, Reg.EBX, entry + E_BITS);
        cpu.alu(Reg.EAX, Reg.NONE); // ANDL $IE_BITS_GEN_MASK, %eax
        cpu.store(Reg.ESI, Reg.EBX, entry + E_BITS, Reg.EAX, bits & 0xFF00_0000);
        cpu.store(Reg.ESI, Reg.EBX, entry + E_OBJECT, Reg.NONE, 0);
        int head = cpu.load(Reg.EAX, Reg.ESI, space + E_OBJECT);
        cpu.store(Reg.ESI, Reg.EBX, entry + E_NEXT, Reg.EAX, head);
        cpu.store(Reg.ESI, space + E_OBJECT, Reg.EBX, (entry - space) / ENTRY_SIZE);
    }

    /** ip_reference / ip_release of the port whose address register {@code at} holds: LOAD, INC or DEC, STORE of ip_references. */
    static void reference(Trap t, Reg at, int port, int delta) {
        Processor cpu = t.cpu;
        int refs = cpu.load(Reg.EAX, at, port + P_REFERENCES);
        cpu.alu(Reg.EAX, Reg.NONE); // INCL or DECL %eax
        cpu.store(at, port + P_REFERENCES, Reg.EAX, refs + delta);
    }
}

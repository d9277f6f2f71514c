package org.l3wb.kernel.mach;

import static org.l3wb.kernel.mach.MachData.G_IKM_CACHE;
import static org.l3wb.kernel.mach.MachData.G_K_ZONE;
import static org.l3wb.kernel.mach.MachData.G_ZONE_CHECK;
import static org.l3wb.kernel.mach.MachData.G_ZONE_COUNT;
import static org.l3wb.kernel.mach.MachData.IKM_OVERHEAD;
import static org.l3wb.kernel.mach.MachData.IKM_SAVED_KMSG_SIZE;
import static org.l3wb.kernel.mach.MachData.IKM_SAVED_MSG_SIZE;
import static org.l3wb.kernel.mach.MachData.KALLOC_MINSIZE;
import static org.l3wb.kernel.mach.MachData.KMSG_BODY_BYTES;
import static org.l3wb.kernel.mach.MachData.KMSG_SIZE;
import static org.l3wb.kernel.mach.MachData.K_IKM_SIZE;
import static org.l3wb.kernel.mach.MachData.K_MAREQUEST;
import static org.l3wb.kernel.mach.MachData.K_NEXT;
import static org.l3wb.kernel.mach.MachData.MACH_HEADER_BYTES;
import static org.l3wb.kernel.mach.MachData.Z_FREE;

import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.PageFault;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.Dope;

/**
 * Where kmsgs come from and go back to ({@code ipc/ipc_kmsg.c}, {@code kern/kalloc.c},
 * {@code kern/zalloc.c}): the per-processor cached kmsg ({@code ikm_cache}) for a message up to
 * {@code IKM_SAVED_MSG_SIZE}, else {@code kalloc}'s power-of-two zone and {@code zalloc}; back through
 * the cache or {@code kfree}/{@code zfree} (readme, "The modelled path", 5 and 8). The kmsg is in EBX.
 */
final class Kmsgs {
    private Kmsgs() {
    }

    /**
     * Mach's msgh_size of the message (header, one type descriptor, the data), the size the user passes
     * to mach_msg: here computed from the message's dope and string lengths (their loads stand for the
     * send_size argument's). A malformed message counts as small: the copy-in rejects it.
     */
    static int messageSize(Trap t, int send) {
        Processor cpu = t.cpu;
        if (!Copies.isMemory(send) || (send & 3) != 0 || Integer.toUnsignedLong(send) + Dope.DIRECT
                > Integer.toUnsignedLong(t.k.layout().userTop())) {
            return MACH_HEADER_BYTES;
        }
        try {
            Dope d = Dope.decode(cpu.load(Reg.EAX, Reg.ESI, send + Dope.CURRENT));
            long size = MACH_HEADER_BYTES + d.messageBytes();
            for (int i = 0; i < d.indirectStrings(); i++) {
                int length = cpu.load(Reg.EAX, Reg.ESI, send + d.stringDescriptor(i) + Dope.STRING_LENGTH);
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
    static int allocate(Trap t, int size) {
        Processor cpu = t.cpu;
        int g = t.globals;
        cpu.alu(Reg.EDI, Reg.NONE); // CMPL $IKM_SAVED_MSG_SIZE, %edi
        boolean small = size <= IKM_SAVED_MSG_SIZE;
        if (!cpu.jcc(!small)) {
            int cached = cpu.load(Reg.EBX, Reg.NONE, g + G_IKM_CACHE); // ikm_cache()
            cpu.alu(Reg.EBX, Reg.EBX);
            if (!cpu.jcc(cached == 0)) {
                cpu.store(Reg.NONE, g + G_IKM_CACHE, Reg.NONE, 0);
                return cached;
            }
        }
        int allocation = small ? IKM_SAVED_KMSG_SIZE : size + IKM_OVERHEAD;
        int kmsg = kalloc(t, allocation);
        cpu.alu(Reg.EAX, Reg.EAX);
        if (!cpu.jcc(kmsg == 0)) {
            cpu.store(Reg.EAX, kmsg + K_IKM_SIZE, Reg.EDI, allocation); // ikm_init: ikm_size, ikm_marequest
            cpu.store(Reg.EAX, kmsg + K_MAREQUEST, Reg.NONE, 0);
        }
        return kmsg;
    }

    /** ipc_kmsg_put's end: back into the empty cache if it has the cached size, else ikm_free. */
    static void release(Trap t, int kmsg) {
        Processor cpu = t.cpu;
        int g = t.globals;
        int size = cpu.load(Reg.EAX, Reg.EBX, kmsg + K_IKM_SIZE);
        cpu.alu(Reg.EAX, Reg.NONE); // CMPL $IKM_SAVED_KMSG_SIZE, %eax
        if (!cpu.jcc(size != IKM_SAVED_KMSG_SIZE)) {
            int cached = cpu.load(Reg.EAX, Reg.NONE, g + G_IKM_CACHE);
            cpu.alu(Reg.EAX, Reg.EAX);
            if (!cpu.jcc(cached != 0)) {
                cpu.store(Reg.NONE, g + G_IKM_CACHE, Reg.EBX, kmsg);
                return;
            }
        }
        free(t, kmsg);
    }

    /** ikm_free: ikm_size loaded and tested, kfree(kmsg, size). */
    static void free(Trap t, int kmsg) {
        Processor cpu = t.cpu;
        int size = cpu.load(Reg.EAX, Reg.EBX, kmsg + K_IKM_SIZE);
        cpu.alu(Reg.EAX, Reg.EAX);
        cpu.jcc(false);
        kfree(t, kmsg, size);
    }

    /** The loop of kalloc/kfree finding the power-of-two zone for {@code size} (allocsize <<= 1; zindex++). */
    private static int zoneIndex(Processor cpu, int size) {
        cpu.alu(Reg.ESI, Reg.NONE); // CMPL kalloc_max, %esi
        cpu.jcc(false);
        cpu.movImm(Reg.EAX, KALLOC_MINSIZE);
        int allocsize = KALLOC_MINSIZE;
        int zindex = 0;
        while (true) {
            cpu.alu(Reg.EAX, Reg.ESI); // CMPL %esi, %eax
            if (cpu.jcc(allocsize >= size)) {
                return zindex;
            }
            cpu.shift(Reg.EAX, allocsize << 1);
            cpu.alu(Reg.EDX, Reg.NONE); // INCL %edx: zindex
            allocsize <<= 1;
            zindex++;
        }
    }

    /** kalloc(size): the zone index, then zalloc(k_zone[zindex]). @return a kmsg, 0 when the zone is empty */
    private static int kalloc(Trap t, int size) {
        Processor cpu = t.cpu;
        int g = t.globals;
        CodeStep caller = t.enter(Routine.KALLOC);
        int zindex = zoneIndex(cpu, size);
        cpu.alu(Reg.ESI, Reg.NONE); // CMPL kalloc_max, %esi
        cpu.jcc(false);
        cpu.load(Reg.EAX, Reg.NONE, Reg.EDX, g + G_K_ZONE + 4 * zindex); // k_zone[zindex]
        int head = zalloc(t);
        t.leave(caller);
        return head;
    }

    /** zalloc(zone): lock_zone, REMOVE_FROM_ZONE (the free list's head, the count). @return 0 when empty */
    private static int zalloc(Trap t) {
        Processor cpu = t.cpu;
        int g = t.globals;
        CodeStep caller = t.enter(Routine.ZALLOC);
        cpu.alu(Reg.EBX, Reg.EBX); // zone == ZONE_NULL?
        cpu.jcc(false);
        int head = cpu.load(Reg.EAX, Reg.NONE, g + Z_FREE); // lock_zone; REMOVE_FROM_ZONE
        cpu.alu(Reg.EAX, Reg.EAX);
        if (!cpu.jcc(head == 0)) {
            int count = cpu.load(Reg.EDX, Reg.NONE, g + G_ZONE_COUNT);
            cpu.store(Reg.NONE, g + G_ZONE_COUNT, Reg.EDX, count + 1);
            int next = cpu.load(Reg.EDX, Reg.EAX, head + K_NEXT);
            cpu.store(Reg.NONE, g + Z_FREE, Reg.EDX, next);
        }
        cpu.alu(Reg.EAX, Reg.EAX); // while (addr == 0)
        cpu.jcc(head != 0);
        t.leave(caller);
        return head;
    }

    /** kfree(data, size): the zone index, then zfree (zone_check, ADD_TO_ZONE). */
    private static void kfree(Trap t, int kmsg, int size) {
        Processor cpu = t.cpu;
        int g = t.globals;
        CodeStep caller = t.enter(Routine.KFREE);
        int zindex = zoneIndex(cpu, size);
        cpu.alu(Reg.ESI, Reg.NONE); // CMPL kalloc_max, %esi
        cpu.jcc(false);
        cpu.load(Reg.EAX, Reg.NONE, Reg.EDX, g + G_K_ZONE + 4 * zindex);
        zfree(t, kmsg);
        t.leave(caller);
    }

    /** zfree(zone, elem): zone_check tested, ADD_TO_ZONE (the element on the free list, the count). */
    private static void zfree(Trap t, int kmsg) {
        Processor cpu = t.cpu;
        int g = t.globals;
        CodeStep caller = t.enter(Routine.ZFREE);
        int check = cpu.load(Reg.EAX, Reg.NONE, g + G_ZONE_CHECK); // if (zone_check)
        cpu.alu(Reg.EAX, Reg.EAX);
        cpu.jcc(check == 0);
        int head = cpu.load(Reg.EAX, Reg.NONE, g + Z_FREE);
        cpu.store(Reg.EBX, kmsg + K_NEXT, Reg.EAX, head);
        cpu.store(Reg.NONE, g + Z_FREE, Reg.EBX, kmsg);
        int count = cpu.load(Reg.EAX, Reg.NONE, g + G_ZONE_COUNT);
        cpu.store(Reg.NONE, g + G_ZONE_COUNT, Reg.EAX, count - 1);
        t.leave(caller);
    }
}

package org.l3wb.kernel.sched;

import java.util.Arrays;

import static org.l3wb.kernel.sched.JumpTargets.ahead;

import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.KernelLayout;
import org.l3wb.kernel.api.Tcb;

/**
 * Timeouts (paper 5.3.3): n unordered wakeup lists plus a long-time list, all {@link TcbQueue} rings
 * through {@link Tcb#WAKEUP_NEXT}/{@link Tcb#WAKEUP_PREV} with their heads in kernel data
 * ({@link KernelLayout#wakeupLists()} + 4 x i, the long-time list's at index n).
 *
 * <p>Time is base + offset (5.3.3): {@link Tcb#WAKEUP_TIME} holds the wakeup point as a 32-bit
 * offset from the clock base and is compared unsigned, so 2^24 (largest clock offset) plus 2^31
 * (longest timeout) fits one register. {@link #NEVER} marks an entry whose wait ended without the
 * list being touched (lazy {@code wakeupCancelled}); it is unlinked when its list is next inspected.
 *
 * <p>Granularity is 4 ms: a thread waking at offset tau goes to list (tau / 4) mod n, and the tick that
 * ends 4-ms slot q (offset 4q + 3) inspects list q mod n. So a list is inspected every 4n ms, a
 * thread wakes at most 3 ms late, and the clock interrupt inspects k/n entries on average for k
 * waiting threads. A wakeup more than {@link #longTimeAhead} ms ahead goes to the long-time list,
 * walked every 64 ms; threads found within that distance are moved to their normal list then (the
 * distance is at least twice the walk period, so nobody is moved too late).
 *
 * <p>Registers: EDI (or ESI while walking a list) holds the thread, EBX its list's head address, EAX
 * the clock offset or a wakeup time, ECX the wakeup point being entered, EDX a list index or distance.
 */
final class WakeupLists {
    /** An entry that waits for no wakeup any more: never due (unsigned maximum). */
    static final int NEVER = 0xFFFF_FFFF;
    /** Slot granularity: 4 ms, as a shift. */
    static final int SLOT_SHIFT = 2;
    /** The long-time list is walked when the offset is a multiple of 64 ms. */
    static final int LONG_WALK_MASK = 63;

    private WakeupLists() {
    }

    /** @return the distance (ms) beyond which a wakeup goes to the long-time list: n x 4 x 4 */
    static int longTimeAhead(int n) {
        return n << (SLOT_SHIFT + 2);
    }

    /** @return n, checked: the list index is computed by masking */
    static int count(KernelLayout layout) {
        int n = layout.wakeupListCount();
        if (n <= 0 || Integer.bitCount(n) != 1) {
            throw new IllegalStateException("wakeupListCount must be a power of two, got " + n);
        }
        return n;
    }

    /** Enters {@code t} to be woken at {@code wakeupMs} (absolute); leaves a list it is still in first. */
    static void enter(KernelContext k, int t, long wakeupMs) {
        Processor cpu = k.cpu();
        KernelLayout layout = k.layout();
        int n = count(layout);
        unlinkIfLinked(k, t);
        // 32-bit arithmetic only: tau = wakeup - base, now = offset
        int base = cpu.load(Reg.EAX, Reg.NONE, layout.clockBase()); // MOV eax, [base]
        cpu.alu(Reg.ECX, Reg.EAX);                          // SUB ecx, eax
        long rel = wakeupMs - (base & 0xFFFF_FFFFL);
        int tau = rel < 0 ? 0 : rel >= 0xFFFF_FFFFL ? NEVER - 1 : (int) rel;
        int now = cpu.load(Reg.EAX, Reg.NONE, layout.clockOffset()); // MOV eax, [offset]
        cpu.alu(Reg.ECX, Reg.EAX);                          // CMP ecx, eax
        int list;
        if (!cpu.jcc(Integer.compareUnsigned(tau, now) <= 0, ahead(cpu))) { // JBE due
            cpu.alu(Reg.EDX, Reg.ECX);                      // MOV edx, ecx
            cpu.alu(Reg.EDX, Reg.EAX);                      // SUB edx, eax
            cpu.alu(Reg.EDX, Reg.NONE);                     // CMP edx, n*16
            boolean far = Integer.compareUnsigned(tau - now, longTimeAhead(n)) > 0;
            list = cpu.jcc(far, ahead(cpu)) ? n : slot(cpu, tau, n); // JA long
        } else {
            // already due (or due within the current ms): the next slot end still to come
            cpu.alu(Reg.EDX, Reg.EAX);                      // LEA edx, [eax+1]
            list = slot(cpu, now + 1, n);
        }
        cpu.store(Reg.EDI, t + Tcb.WAKEUP_TIME, Reg.ECX, tau);
        cpu.store(Reg.EDI, t + Tcb.WAKEUP_LIST, Reg.EDX, list);
        cpu.alu(Reg.EBX, Reg.EDX);                          // LEA ebx, [heads + 4*list]
        TcbQueue.WAKEUP.append(cpu, layout.wakeupLists() + 4 * list, t);
    }

    /** @return the normal list of offset {@code time}: SHR, AND */
    private static int slot(Processor cpu, int time, int n) {
        cpu.shift(Reg.EDX);                                 // SHR edx, 2
        cpu.alu(Reg.EDX, Reg.NONE);                         // AND edx, n-1
        return (time >>> SLOT_SHIFT) & (n - 1);
    }

    /**
     * Unlinks {@code t} from the wakeup list it is in, if any (one load and a Jcc when it is in none).
     * Linked-ness is read from the ring link, which is 0 in a fresh (zeroed) TCB as well;
     * {@link Tcb#WAKEUP_LIST} says which list's head to fix.
     */
    static void unlinkIfLinked(KernelContext k, int t) {
        Processor cpu = k.cpu();
        int n = cpu.load(Reg.EAX, Reg.EDI, t + Tcb.WAKEUP_NEXT); // MOV eax, [edi+wnext]
        cpu.alu(Reg.EAX, Reg.EAX);                          // TEST eax, eax
        if (!cpu.jcc(n == 0, ahead(cpu))) {                 // JZ done
            int list = cpu.load(Reg.EDX, Reg.EDI, t + Tcb.WAKEUP_LIST);
            cpu.alu(Reg.EBX, Reg.EDX);                      // LEA ebx, [heads + 4*list]
            drop(cpu, k.layout().wakeupLists() + 4 * list, t, n);
        }
    }

    /** Unlinks a linked entry whose next link is in a register; marks it in no list. */
    private static void drop(Processor cpu, int head, int t, int n) {
        TcbQueue.WAKEUP.unlink(cpu, head, t, n);
        cpu.store(Reg.EDI, t + Tcb.WAKEUP_LIST, Reg.NONE, -1);
    }

    /** @return whether a thread in {@code state} waits for a message with a timeout */
    private static boolean waiting(Processor cpu, int state) {
        cpu.alu(Reg.EDX, Reg.NONE);                         // CMP edx, RECEIVING
        if (cpu.jcc(state == Tcb.RECEIVING, ahead(cpu))) {  // JE waiting
            return true;
        }
        cpu.alu(Reg.EDX, Reg.NONE);                         // CMP edx, POLLING
        return cpu.jcc(state == Tcb.POLLING, ahead(cpu));   // JE waiting
    }

    /**
     * Inspects normal list {@code list} at clock offset {@code now} (the end of its slot): unlinks
     * threads no longer waiting (lazy cleanup, 5.3.4) or marked {@link #NEVER}, and unlinks and
     * collects threads whose wakeup time has come. An empty list costs one load, TEST, Jcc.
     */
    static Found inspect(KernelContext k, int now, int list, Found found) {
        Processor cpu = k.cpu();
        int head = k.layout().wakeupLists() + 4 * list;
        cpu.alu(Reg.EBX, Reg.EDX);                          // LEA ebx, [heads + 4*list]
        int h = cpu.load(Reg.ESI, Reg.EBX, head);           // MOV esi, [ebx]
        cpu.alu(Reg.ESI, Reg.ESI);                          // TEST esi, esi
        if (cpu.jcc(h == 0, ahead(cpu))) {                  // JZ done
            return found;
        }
        int tail = cpu.load(Reg.EBP, Reg.ESI, h + Tcb.WAKEUP_PREV); // the walk ends after the tail
        int cur = h;
        int top = cpu.eip();
        while (true) {
            int n = cpu.load(Reg.EDI, Reg.ESI, cur + Tcb.WAKEUP_NEXT);
            int state = cpu.load(Reg.EDX, Reg.ESI, cur + Tcb.STATE);
            if (!waiting(cpu, state)) {
                drop(cpu, head, cur, n);                    // got its message, or gone: lazy cleanup
            } else {
                int time = cpu.load(Reg.EDX, Reg.ESI, cur + Tcb.WAKEUP_TIME);
                cpu.alu(Reg.EDX, Reg.EAX);                  // CMP edx, eax (now)
                if (cpu.jcc(Integer.compareUnsigned(time, now) <= 0, ahead(cpu))) { // JBE expired
                    drop(cpu, head, cur, n);
                    found = Found.add(found, cur);
                } else {
                    cpu.alu(Reg.EDX, Reg.NONE);             // CMP edx, NEVER
                    if (cpu.jcc(time == NEVER, ahead(cpu))) {
                        drop(cpu, head, cur, n);            // its wait ended (lazy cancel)
                    }
                }
            }
            cpu.alu(Reg.ESI, Reg.EBP);                      // CMP esi, ebp (tail)
            cpu.alu(Reg.ESI, Reg.EDI);                      // MOV esi, edi (next)
            if (!cpu.jcc(cur != tail, top)) {               // JNE loop
                return found;
            }
            cur = n;
        }
    }

    /**
     * Walks the long-time list (every 64 ms): cleans it like {@link #inspect}, collects threads already
     * due, and moves those due within {@link #longTimeAhead} ms into their normal list.
     */
    static Found walkLong(KernelContext k, int now, Found found) {
        Processor cpu = k.cpu();
        KernelLayout layout = k.layout();
        int n = count(layout);
        int heads = layout.wakeupLists();
        int head = heads + 4 * n;
        int h = cpu.load(Reg.ESI, Reg.NONE, head);          // MOV esi, [long list]
        cpu.alu(Reg.ESI, Reg.ESI);                          // TEST esi, esi
        if (cpu.jcc(h == 0, ahead(cpu))) {                  // JZ done
            return found;
        }
        int tail = cpu.load(Reg.EBP, Reg.ESI, h + Tcb.WAKEUP_PREV);
        int cur = h;
        int top = cpu.eip();
        while (true) {
            int next = cpu.load(Reg.EDI, Reg.ESI, cur + Tcb.WAKEUP_NEXT);
            int state = cpu.load(Reg.EDX, Reg.ESI, cur + Tcb.STATE);
            if (!waiting(cpu, state)) {
                drop(cpu, head, cur, next);
            } else {
                int time = cpu.load(Reg.EDX, Reg.ESI, cur + Tcb.WAKEUP_TIME);
                cpu.alu(Reg.EDX, Reg.EAX);                  // CMP edx, eax (now)
                if (cpu.jcc(Integer.compareUnsigned(time, now) <= 0, ahead(cpu))) { // JBE expired
                    drop(cpu, head, cur, next);
                    found = Found.add(found, cur);
                } else {
                    cpu.alu(Reg.EDX, Reg.NONE);             // CMP edx, NEVER
                    if (cpu.jcc(time == NEVER, ahead(cpu))) {
                        drop(cpu, head, cur, next);
                    } else {
                        cpu.alu(Reg.ECX, Reg.EDX);          // MOV ecx, edx
                        cpu.alu(Reg.ECX, Reg.EAX);          // SUB ecx, eax (now)
                        cpu.alu(Reg.ECX, Reg.NONE);         // CMP ecx, n*16
                        boolean near = Integer.compareUnsigned(time - now, longTimeAhead(n)) <= 0;
                        if (!cpu.jcc(!near, ahead(cpu))) {  // JA keep
                            TcbQueue.WAKEUP.unlink(cpu, head, cur, next);
                            int list = slot(cpu, time, n);
                            cpu.store(Reg.ESI, cur + Tcb.WAKEUP_LIST, Reg.EDX, list);
                            cpu.alu(Reg.EBX, Reg.EDX);      // LEA ebx, [heads + 4*list]
                            TcbQueue.WAKEUP.append(cpu, heads + 4 * list, cur);
                        }
                    }
                }
            }
            cpu.alu(Reg.ESI, Reg.EBP);                      // CMP esi, ebp (tail)
            cpu.alu(Reg.ESI, Reg.EDI);                      // MOV esi, edi (next)
            if (!cpu.jcc(cur != tail, top)) {               // JNE loop
                return found;
            }
            cur = next;
        }
    }

    /**
     * Rebasing (5.3.3): the clock offset reached {@code 2^24}: base += 2^23, offset -= 2^23, and every
     * wakeup time in every list (long-time list included) moves down by 2^23. A time already below
     * 2^23 (due long ago, not yet inspected) becomes 0, due at once.
     *
     * @return the new offset
     */
    static int rebase(KernelContext k, int offset) {
        Processor cpu = k.cpu();
        KernelLayout layout = k.layout();
        int n = count(layout);
        int base = cpu.load(Reg.EDX, Reg.NONE, layout.clockBase()); // MOV edx, [base]
        cpu.alu(Reg.EDX, Reg.NONE);                         // ADD edx, 2^23
        cpu.store(Reg.NONE, layout.clockBase(), Reg.EDX, base + Clock.REBASE_STEP);
        int off = offset - Clock.REBASE_STEP;
        cpu.alu(Reg.EAX, Reg.NONE);                         // SUB eax, 2^23
        cpu.store(Reg.NONE, layout.clockOffset(), Reg.EAX, off);
        int heads = layout.wakeupLists();
        cpu.alu(Reg.EBX, Reg.NONE);                         // MOV ebx, heads
        int listTop = cpu.eip();
        for (int i = 0; i <= n; i++) {
            int h = cpu.load(Reg.ESI, Reg.EBX, heads + 4 * i); // MOV esi, [ebx]
            cpu.alu(Reg.ESI, Reg.ESI);                      // TEST esi, esi
            if (!cpu.jcc(h == 0, ahead(cpu))) {             // JZ next_list
                int cur = h;
                int top = cpu.eip();
                while (true) {
                    int time = cpu.load(Reg.EDX, Reg.EDI, cur + Tcb.WAKEUP_TIME);
                    cpu.alu(Reg.EDX, Reg.NONE);             // CMP edx, NEVER
                    if (!cpu.jcc(time == NEVER, ahead(cpu))) {
                        cpu.alu(Reg.EDX, Reg.NONE);         // SUB edx, 2^23
                        boolean old = Integer.compareUnsigned(time, Clock.REBASE_STEP) < 0;
                        if (!cpu.jcc(!old, ahead(cpu))) {   // JNC store (no borrow)
                            cpu.alu(Reg.EDX, Reg.EDX);      // XOR edx, edx
                        }
                        cpu.store(Reg.EDI, cur + Tcb.WAKEUP_TIME, Reg.EDX, old ? 0 : time - Clock.REBASE_STEP);
                    }
                    int next = cpu.load(Reg.EDI, Reg.EDI, cur + Tcb.WAKEUP_NEXT);
                    cpu.alu(Reg.EDI, Reg.ESI);              // CMP edi, esi (head)
                    if (!cpu.jcc(next != h, top)) {
                        break;
                    }
                    cur = next;
                }
            }
            cpu.alu(Reg.EBX, Reg.NONE);                     // ADD ebx, 4
            cpu.alu(Reg.EBX, Reg.NONE);                     // CMP ebx, heads + 4*(n+1)
            cpu.jcc(i < n, listTop);
        }
        return off;
    }

    /** Threads whose timeout expired in one tick; allocated only when there is one. */
    static final class Found {
        private int[] tcbs = new int[4];
        private int count;

        static Found add(Found f, int tcb) {
            Found found = f == null ? new Found() : f;
            if (found.count == found.tcbs.length) {
                found.tcbs = Arrays.copyOf(found.tcbs, 2 * found.count);
            }
            found.tcbs[found.count++] = tcb;
            return found;
        }

        int[] toArray() {
            return Arrays.copyOf(tcbs, count);
        }
    }
}

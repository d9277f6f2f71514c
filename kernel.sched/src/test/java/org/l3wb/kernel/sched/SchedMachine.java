package org.l3wb.kernel.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.Mode;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Statistics;
import org.l3wb.hw.cache.CacheFactoryComponent;
import org.l3wb.hw.cpu486.MachineFactoryComponent;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.hw.mmu.MmuFactoryComponent;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.KernelLayout;
import org.l3wb.kernel.api.Tcb;

/**
 * A real simulated i486 DX-50 with just enough kernel for the scheduler: kernel code pages, one page
 * of hot kernel data (clock, queue heads, time slice) and TCB pages, all mapped supervisor-writable.
 * The {@link KernelContext} and {@link KernelLayout} are proxies that answer what a scheduler uses
 * and throw {@link UnsupportedOperationException} for the rest. {@link #peek}/{@link #poke} read and
 * write kernel memory through the page tables without cycles (a debugger's view).
 */
final class SchedMachine {
    static final int CODE = 0xE004_0000;
    static final int CODE_PAGES = 2;
    static final int DATA_PAGE = 0xE004_2000;
    static final int DATA = DATA_PAGE + 0x300;
    static final int CLOCK_BASE = DATA;
    static final int CLOCK_OFFSET = DATA + 4;
    static final int TIMESLICE = DATA + 8;
    static final int READY = DATA + 12;
    static final int WAITING = DATA + 16;
    static final int CURRENT = DATA + 20;
    static final int WAKEUP = DATA + 32;
    static final int LISTS = 8;
    static final int TCBS = 0xF000_0000;
    static final int TCB_PAGES = 8;
    static final int THREADS = TCB_PAGES * PageFlags.PAGE_SIZE / Tcb.SIZE;

    final Machine machine = new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent())
            .create(StandardModels.i486dx50());
    final Processor cpu = machine.cpu();
    final int directory = machine.memory().allocateFrame();
    final KernelLayout layout = proxy(KernelLayout.class, (p, m, a) -> switch (m.getName()) {
        case "readyQueue" -> READY;
        case "waitingQueue" -> WAITING;
        case "wakeupLists" -> WAKEUP;
        case "wakeupListCount" -> LISTS;
        case "clockBase" -> CLOCK_BASE;
        case "clockOffset" -> CLOCK_OFFSET;
        case "timesliceLeft" -> TIMESLICE;
        case "currentThread" -> CURRENT;
        case "kernelData" -> DATA;
        case "tcbArray" -> TCBS;
        case "kernelCode" -> CODE;
        default -> throw new UnsupportedOperationException(m.getName());
    });
    final KernelContext k = proxy(KernelContext.class, (p, m, a) -> switch (m.getName()) {
        case "cpu" -> cpu;
        case "machine" -> machine;
        case "layout" -> layout;
        default -> throw new UnsupportedOperationException(m.getName());
    });

    SchedMachine() {
        for (int i = 0; i < CODE_PAGES; i++) {
            map(CODE + i * PageFlags.PAGE_SIZE);
        }
        map(DATA_PAGE);
        for (int i = 0; i < TCB_PAGES; i++) {
            map(TCBS + i * PageFlags.PAGE_SIZE);
        }
        machine.mmu().loadCr3(directory);
        cpu.setMode(Mode.KERNEL);
        enter();
    }

    private void map(int linear) {
        machine.mmu().map(directory, linear, machine.memory().allocateFrame(), PageFlags.WRITABLE);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> {
            if (m.getDeclaringClass() == Object.class) {
                return switch (m.getName()) {
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == a[0];
                    default -> type.getSimpleName() + " for scheduler tests";
                };
            }
            return handler.invoke(p, m, a);
        });
    }

    /** A kernel entry: continue at the start of kernel code (as the IDT gate would). */
    void enter() {
        cpu.jumpTo(CODE);
    }

    /** @return the counters of {@code work}, run from a fresh kernel entry */
    Statistics measure(Runnable work) {
        enter();
        Statistics before = machine.statistics().copy();
        work.run();
        return machine.statistics().since(before);
    }

    static int tcb(int thread) {
        return TCBS + thread * Tcb.SIZE;
    }

    static int page(int linear) {
        return linear & PageFlags.FRAME_MASK;
    }

    int peek(int linear) {
        int pte = machine.mmu().entry(directory, linear);
        return machine.memory().readWord((pte & PageFlags.FRAME_MASK) | (linear & 0xFFF));
    }

    void poke(int linear, int value) {
        int pte = machine.mmu().entry(directory, linear);
        machine.memory().writeWord((pte & PageFlags.FRAME_MASK) | (linear & 0xFFF), value);
    }

    /** Creates thread {@code n} (as the nucleus would: uid, state, in no wakeup list) and @return its TCB. */
    int thread(int n, int state) {
        int t = tcb(n);
        poke(t + Tcb.UID_LOW, n * Tcb.SIZE);
        poke(t + Tcb.UID_HIGH, 1 << 16);
        poke(t + Tcb.STATE, state);
        poke(t + Tcb.WAKEUP_LIST, -1);
        return t;
    }

    void state(int t, int state) {
        poke(t + Tcb.STATE, state);
    }

    /** Sets {@code sender} polling {@code receiver} (state and partner, as the IPC path would). */
    void polls(int sender, int receiver) {
        poke(sender + Tcb.STATE, Tcb.POLLING);
        poke(sender + Tcb.PARTNER_LOW, peek(receiver + Tcb.UID_LOW));
        poke(sender + Tcb.PARTNER_HIGH, peek(receiver + Tcb.UID_HIGH));
    }

    long now() {
        return (peek(CLOCK_BASE) & 0xFFFF_FFFFL) + peek(CLOCK_OFFSET);
    }

    /**
     * Walks a ring queue and checks it: prev links mirror next links, no element twice, every element
     * has a non-zero next link, and every TCB of the machine outside it has a zero next link.
     *
     * @return its elements from the head
     */
    List<Integer> ring(int head, int next, int prev) {
        List<Integer> out = new ArrayList<>();
        int h = peek(head);
        if (h != 0) {
            int cur = h;
            do {
                assertTrue(out.size() <= THREADS, "ring does not close");
                assertTrue(!out.contains(cur), "element twice in ring");
                out.add(cur);
                int n = peek(cur + next);
                assertTrue(n != 0, "queued TCB with next link 0");
                assertEquals(cur, peek(n + prev), "prev link of successor");
                cur = n;
            } while (cur != h);
        }
        for (int i = 0; i < THREADS; i++) {
            if (!out.contains(tcb(i))) {
                assertEquals(0, peek(tcb(i) + next), "next link of a TCB outside the ring");
            }
        }
        return out;
    }

    List<Integer> readyQueue() {
        return ring(READY, Tcb.READY_NEXT, Tcb.READY_PREV);
    }

    List<Integer> waitingQueue() {
        return ring(WAITING, Tcb.WAIT_NEXT, Tcb.WAIT_PREV);
    }

    /** @return wakeup list {@code i} (n = the long-time list), checked, each entry's WAKEUP_LIST = i */
    List<Integer> wakeupList(int i) {
        List<Integer> out = new ArrayList<>();
        int h = peek(WAKEUP + 4 * i);
        if (h != 0) {
            int cur = h;
            do {
                assertTrue(out.size() <= THREADS && !out.contains(cur), "wakeup ring broken");
                out.add(cur);
                assertEquals(i, peek(cur + Tcb.WAKEUP_LIST), "WAKEUP_LIST of an entry");
                int n = peek(cur + Tcb.WAKEUP_NEXT);
                assertEquals(cur, peek(n + Tcb.WAKEUP_PREV));
                cur = n;
            } while (cur != h);
        }
        return out;
    }

    /** Checks all wakeup lists together: each TCB in at most one, exactly when its link is non-zero. */
    void checkWakeupLists() {
        Set<Integer> all = new HashSet<>();
        for (int i = 0; i <= LISTS; i++) {
            for (int t : wakeupList(i)) {
                assertTrue(all.add(t), "TCB in two wakeup lists");
            }
        }
        for (int i = 0; i < THREADS; i++) {
            int t = tcb(i);
            assertEquals(all.contains(t), peek(t + Tcb.WAKEUP_NEXT) != 0, "WAKEUP_NEXT says linked");
            if (!all.contains(t)) {
                int list = peek(t + Tcb.WAKEUP_LIST);
                assertTrue(list == -1 || list == 0 && peek(t + Tcb.UID_HIGH) == 0, "WAKEUP_LIST of unlinked TCB");
            }
        }
    }

    /**
     * Walks {@code receiver}'s polling-me queue: forward links end in 0, back links mirror them with
     * the first pointing at the receiver, POLLING_LAST is the last.
     */
    List<Integer> pollingQueue(int receiver) {
        List<Integer> out = new ArrayList<>();
        int cur = peek(receiver + Tcb.POLLING_FIRST);
        int prev = receiver;
        while (cur != 0) {
            assertTrue(out.size() <= THREADS && !out.contains(cur), "polling queue loops");
            assertEquals(prev, peek(cur + Tcb.POLL_PREV), "back link");
            out.add(cur);
            prev = cur;
            cur = peek(cur + Tcb.POLL_NEXT);
        }
        assertEquals(out.isEmpty() ? 0 : out.get(out.size() - 1), peek(receiver + Tcb.POLLING_LAST), "last");
        return out;
    }
}

package org.l3wb.lab.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.Mode;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.api.TraceListener;
import org.l3wb.kernel.api.KernelLayout;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.lab.ipc.PingPong;

/**
 * Names what a traced ping-pong touches, from the kernel's own layout ({@link KernelLayout}, {@link Tcb})
 * and the ping-pong's threads, spaces and areas: "TCB of B", "pdir of A", "kernel code", "GDT/IDT/TSS",
 * "kernel stack of A", "user code of A", "receive buffer of B", and through the communication window
 * "receive buffer of B (window)". No address is copied from the kernel:
 * every region is asked of its layout, or read from its TCBs (their stack tops), once, when the trace
 * starts. Thread A is the client (it calls), B the server.
 *
 * <p>{@link #thread} tells whose code runs: in user mode the thread of the current address space; in
 * kernel mode, for an L3-style kernel, the thread whose kernel stack ESP lies in (with virtual TCBs
 * the TCB is ESP masked, 5.2.4); for mach, whose kernel stacks are handed from thread to thread
 * (stack_handoff) and so name no thread, the thread of the current address space: its stack_handoff
 * activates the next thread's pmap where it hands the stack over, so the address space changes
 * where Mach's current thread does.
 */
final class Pages {
    /** Bytes of a TCB's fields; the rest of a virtual TCB is its kernel stack (5.2.4). */
    private static final int TCB_FIELDS = Tcb.IDENTIFY_HIGH + 4;

    private record Region(int start, long end, String name) {
        boolean holds(int linear) {
            long a = linear & 0xFFFF_FFFFL;
            return a >= (start & 0xFFFF_FFFFL) && a < end;
        }
    }

    private record Space(int cr3, int task, String thread) {
    }

    private final Machine machine;
    private final KernelLayout layout;
    private final boolean stackNamesThread;
    private final boolean virtualTcb;
    private final List<Region> kernel = new ArrayList<>();
    private final List<Space> spaces = new ArrayList<>();
    private final List<PingPong.Area> areas;
    /** Per thread name: its kernel stack as [low, top]. */
    private final Map<String, long[]> stacks = new LinkedHashMap<>();
    /** Per thread name: its TCB. */
    private final Map<String, Integer> tcbs = new LinkedHashMap<>();

    Pages(PingPong.Session session, String mechanism) {
        Nucleus nucleus = session.nucleus();
        this.machine = session.machine();
        this.layout = nucleus.layout();
        this.virtualTcb = nucleus.switches().isOn(Switch.VIRTUAL_TCB);
        this.stackNamesThread = !"mach".equals(mechanism);
        this.areas = session.areas();
        thread("A", session.client(), session.clientTask());
        thread("B", session.server(), session.serverTask());
        descriptorTables();
        long threads = (long) layout.threadMask() + 1;
        region(layout.kernelCode(), PageFlags.PAGE_SIZE, "kernel code");
        region(layout.tcbArray(), threads * Tcb.SIZE, "TCB of another thread");
        region(layout.tcbTable(), threads * 4, "TCB table");
        region(layout.pageDirectories(), threads / layout.threadsPerTask() * PageFlags.PAGE_SIZE,
                "pdir of another space");
        region(layout.ownPageDirectory(), PageFlags.PAGE_SIZE, "own pdir");
        region(layout.kernelBuffer(), layout.kernelBufferBytes(), "kernel buffer");
        try {
            // the region the mechanism was given for its tables (a mechanism that never asked gets one
            // now: host bookkeeping of this trace's own nucleus, no instruction)
            region(layout.mechanismData(mechanism), KernelLayout.MECHANISM_DATA_BYTES, mechanism + " data");
        } catch (IllegalStateException everyRegionTaken) {
            // its accesses, if any, are named by their page
        }
        region(layout.physicalMap(), machine.memory().size(), "physical map");
    }

    /** A ping-pong thread: its TCB, kernel stack, page directory and address space. */
    private void thread(String name, ThreadId id, int task) {
        int n = id.threadNumber();
        int tcb = virtualTcb ? layout.tcbArray() + n * Tcb.SIZE : peek(layout.tcbTable() + 4 * n);
        int top = peek(tcb + Tcb.STACK_TOP);
        long low = virtualTcb ? tcb + TCB_FIELDS : (top - 1) & PageFlags.FRAME_MASK;
        region(tcb, TCB_FIELDS, "TCB of " + name);
        region((int) low, (top & 0xFFFF_FFFFL) - (low & 0xFFFF_FFFFL), "kernel stack of " + name);
        stacks.put(name, new long[] {low & 0xFFFF_FFFFL, top & 0xFFFF_FFFFL});
        tcbs.put(name, tcb);
        int pdir = layout.pageDirectories() + task * PageFlags.PAGE_SIZE;
        region(pdir, PageFlags.PAGE_SIZE, "pdir of " + name);
        spaces.add(new Space(physical(pdir) & PageFlags.FRAME_MASK, task, name));
    }

    /** GDT, IDT, TSS and the hot kernel data, named together where they share a page (condensed, 5.5.1). */
    private void descriptorTables() {
        Map<Integer, String> byPage = new LinkedHashMap<>();
        int[] at = {layout.gdt(), layout.idt(), layout.tss(), layout.kernelData()};
        String[] names = {"GDT", "IDT", "TSS", "kernel data"};
        for (int i = 0; i < at.length; i++) {
            byPage.merge(at[i] & PageFlags.FRAME_MASK, names[i], (a, b) -> a + "/" + b);
        }
        byPage.forEach((page, name) -> region(page, PageFlags.PAGE_SIZE, name));
    }

    private void region(int start, long bytes, String name) {
        kernel.add(new Region(start, (start & 0xFFFF_FFFFL) + bytes, name));
    }

    /** @return the physical address of kernel address {@code linear} (a debugger's look at the page tables) */
    private int physical(int linear) {
        int pte = machine.mmu().entry(machine.mmu().cr3(), linear);
        return (pte & PageFlags.FRAME_MASK) | (linear & ~PageFlags.FRAME_MASK);
    }

    /** @return a kernel dword, read as a debugger would (free) */
    private int peek(int linear) {
        return machine.memory().readWord(physical(linear));
    }

    /** @return the thread ("A", "B") of the current address space, or "space at CR3" */
    String space() {
        int cr3 = machine.mmu().cr3() & PageFlags.FRAME_MASK;
        for (Space s : spaces) {
            if (s.cr3 == cr3) {
                return s.thread;
            }
        }
        return "space at " + hex(cr3);
    }

    private int task() {
        int cr3 = machine.mmu().cr3() & PageFlags.FRAME_MASK;
        for (Space s : spaces) {
            if (s.cr3 == cr3) {
                return s.task;
            }
        }
        return -1;
    }

    /** @return whose code runs now (see the class comment) */
    String thread() {
        if (machine.cpu().mode() == Mode.USER || !stackNamesThread) {
            return space();
        }
        long esp = machine.cpu().reg(Reg.ESP) & 0xFFFF_FFFFL;
        for (Map.Entry<String, long[]> e : stacks.entrySet()) {
            long[] s = e.getValue();
            // ESP at the top is an empty stack, still this thread's (ESP - 1 masked is its TCB)
            if (esp > s[0] && esp <= s[1]) {
                return e.getKey();
            }
        }
        return "kernel";
    }

    /** @return the name of the page {@code linear} lies in, for an access of {@code kind} now */
    String name(int linear, int kind) {
        if (Integer.compareUnsigned(linear, layout.userTop()) < 0) {
            return user(linear, task(), space(), kind);
        }
        if (Integer.compareUnsigned(linear - layout.communicationWindow(), 2 * PageFlags.REGION_SIZE) < 0) {
            return windowed(linear);
        }
        for (Region r : kernel) {
            if (r.holds(linear)) {
                return r.name;
            }
        }
        return kind == TraceListener.FETCH ? "kernel code" : "kernel page " + hex(linear & PageFlags.FRAME_MASK);
    }

    /**
     * @return what the communication window shows at {@code linear}: the area of the other space its
     * current thread's TCB says it maps ({@link Tcb#WINDOW_TASK}, {@link Tcb#WINDOW_REGION}, 5.2.3), e.g.
     * "receive buffer of B (window)"
     */
    private String windowed(int linear) {
        Integer tcb = tcbs.get(thread());
        int task = tcb == null ? 0 : peek(tcb + Tcb.WINDOW_TASK);
        if (task == 0) {
            return "communication window";
        }
        int aliased = peek(tcb + Tcb.WINDOW_REGION) * PageFlags.REGION_SIZE + (linear - layout.communicationWindow());
        for (Space s : spaces) {
            if (s.task == task) {
                return user(aliased, task, s.thread, TraceListener.READ) + " (window)";
            }
        }
        return "communication window";
    }

    /** @return the name of user address {@code linear} of {@code task}, whose thread is {@code owner} */
    private String user(int linear, int task, String owner, int kind) {
        for (PingPong.Area a : areas) {
            if (a.task() == task && Integer.compareUnsigned(linear - a.start(), a.bytes()) < 0) {
                return a.name() + " of " + owner;
            }
        }
        return (kind == TraceListener.FETCH ? "user code of " : "user data of ") + owner;
    }

    static String hex(int v) {
        return String.format("%08X", v);
    }
}

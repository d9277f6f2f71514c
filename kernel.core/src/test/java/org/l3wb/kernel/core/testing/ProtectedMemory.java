package org.l3wb.kernel.core.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.l3wb.hw.api.Mmu;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.PhysicalMemory;
import org.l3wb.hw.api.Processor;
import org.l3wb.kernel.api.KernelLayout;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.kernel.api.ThreadId;

/**
 * Memory that no IPC may change, copied word by word from simulated physical memory and compared
 * after an operation: what a kernel that leaks would overwrite (its code, descriptor tables, page
 * tables, the TCBs of threads not in the IPC, other spaces' frames, the copy buffer).
 *
 * <p>Regions are named by what they are, so a failure says which structure a stray copy hit. Words
 * the operation may legitimately write (the window entries of each page directory, the receiver's
 * buffer) are named with {@link #except}. The copy is of physical frames, found through the page
 * tables, so a write through any alias (the kernel's physical-memory map, the communication window,
 * another directory) shows.
 *
 * <p>Shared by the isolation tests of every mechanism through kernel.core's test-jar: it needs only
 * the API bundles, and every mechanism module already has kernel.core on its test classpath, so no
 * implementation depends on another.
 */
public final class ProtectedMemory {
    private record Region(String name, int phys, int bytes) {
    }

    private final PhysicalMemory memory;
    private final Mmu mmu;
    private final KernelLayout layout;
    /** Regions by frame-aligned key, so that a frame shared by several spaces is copied once. */
    private final Map<Long, Region> regions = new LinkedHashMap<>();
    private final Set<Integer> except = new HashSet<>();
    private final Map<Long, int[]> before = new LinkedHashMap<>();
    private boolean tcbPageTables = true;

    public ProtectedMemory(Nucleus nucleus) {
        this.memory = nucleus.machine().memory();
        this.mmu = nucleus.machine().mmu();
        this.layout = nucleus.layout();
    }

    /** @return the physical address of a kernel-area address (same in every space), or -1 if unmapped */
    public int kernelPhysical(int linear) {
        int pte = mmu.entry(directory(0), linear);
        return (pte & PageFlags.PRESENT) == 0 ? -1 : (pte & PageFlags.FRAME_MASK) | (linear & 0xFFF);
    }

    /** @return the physical address of {@code task}'s page directory (task 0: the kernel's) */
    public int directory(int task) {
        int linear = layout.pageDirectories() + task * PageFlags.PAGE_SIZE;
        int pte = mmu.entry(mmu.cr3(), linear);
        return (pte & PageFlags.PRESENT) == 0 ? -1 : pte & PageFlags.FRAME_MASK;
    }

    /** @return the physical address of user address {@code linear} in {@code task}, or -1 if unmapped */
    public int userPhysical(int task, int linear) {
        int pte = mmu.entry(directory(task), linear);
        return (pte & PageFlags.PRESENT) == 0 ? -1 : (pte & PageFlags.FRAME_MASK) | (linear & 0xFFF);
    }

    /** @return the physical frame of the page table {@code task}'s directory names for {@code linear} */
    public int pageTable(int task, int linear) {
        return memory.readWord(directory(task) + (linear >>> 22) * 4) & PageFlags.FRAME_MASK;
    }

    /** @return the linear address of a thread's TCB (virtual TCB array) */
    public int tcb(ThreadId thread) {
        return layout.tcbArray() + thread.threadNumber() * Tcb.SIZE;
    }

    private void add(String name, int phys, int bytes) {
        regions.putIfAbsent((long) phys << 32 | bytes, new Region(name, phys, bytes));
    }

    /** Protects {@code bytes} of kernel memory from {@code linear}, through the kernel's page tables. */
    public ProtectedMemory kernelRange(String name, int linear, int bytes) {
        addKernel(name, linear, bytes);
        return this;
    }

    private void addKernel(String name, int linear, int bytes) {
        for (int at = 0; at < bytes; ) {
            int chunk = Math.min(bytes - at, PageFlags.PAGE_SIZE - ((linear + at) & 0xFFF));
            int phys = kernelPhysical(linear + at);
            if (phys >= 0) {
                add(name, phys, chunk);
            }
            at += chunk;
        }
    }

    /**
     * Leaves out the kernel page tables of the TCB array, which change when a lookup of a thread
     * that never existed maps the empty TCB (5.2.5) or a deletion frees a TCB page.
     */
    public ProtectedMemory withoutTcbPageTables() {
        tcbPageTables = false;
        return this;
    }

    /**
     * Kernel code, GDT, IDT, TSS (but its ESP0, which every thread switch sets), every space's page
     * directory (but its two communication-window entries, which each transfer sets, 5.2.3) and
     * every page table any directory names.
     */
    public ProtectedMemory kernel() {
        Set<Integer> tablePages = new HashSet<>(List.of(layout.gdt() & ~0xFFF, layout.idt() & ~0xFFF, layout.tss() & ~0xFFF,
                layout.kernelData() & ~0xFFF));
        for (int page = 0; page < 16 && kernelPhysical(layout.kernelCode() + page * PageFlags.PAGE_SIZE) >= 0; page++) {
            int linear = layout.kernelCode() + page * PageFlags.PAGE_SIZE;
            if (!tablePages.contains(linear)) { // the condensed tables' page lies inside the code's range
                addKernel("kernel code", linear, PageFlags.PAGE_SIZE);
            }
        }
        addKernel("GDT", layout.gdt(), 5 * 8);
        addKernel("IDT", layout.idt(), 256 * 8);
        addKernel("TSS", layout.tss(), 104);
        except.add(kernelPhysical(layout.tss() + Processor.TSS_ESP0));
        int window = layout.communicationWindow() >>> 22;
        for (int task = 0; directory(task) >= 0; task++) {
            int dir = directory(task);
            add("page directory of task " + task, dir, PageFlags.PAGE_SIZE);
            except.add(dir + window * 4);
            except.add(dir + (window + 1) * 4);
            for (int pde = 0; pde < 1024; pde++) {
                int entry = memory.readWord(dir + pde * 4);
                boolean tcbArea = Integer.compareUnsigned(pde << 22, layout.tcbArray()) >= 0;
                if ((entry & PageFlags.PRESENT) != 0 && pde != window && pde != window + 1
                        && (tcbPageTables || !tcbArea)) {
                    String what = pde < (layout.userTop() >>> 22) ? "page table of task " + task : "kernel page table";
                    add(what + " for " + hex(pde << 22), entry & PageFlags.FRAME_MASK, PageFlags.PAGE_SIZE);
                }
            }
        }
        return this;
    }

    /** The kernel's copy buffer (twofold copy, figure 3): untouched while direct transfer is on. */
    public ProtectedMemory copyBuffer() {
        addKernel("copy buffer", layout.kernelBuffer(), layout.kernelBufferBytes());
        return this;
    }

    /** The TCB (with its kernel stack) of a thread that takes no part in the operation. */
    public ProtectedMemory tcbOf(ThreadId thread) {
        addKernel("TCB of " + thread, tcb(thread), Tcb.SIZE);
        return this;
    }

    /**
     * Lets the links of the scheduler's queues in {@code thread}'s TCB change: a waiting thread sits in
     * queues (the strict scheduler's waiting queue, a wakeup list) whose links change as other threads
     * join and leave them. Its registers, state, uid and partner stay protected.
     */
    public ProtectedMemory exceptQueueLinks(ThreadId thread) {
        for (int link : new int[] {Tcb.READY_NEXT, Tcb.READY_PREV, Tcb.POLL_NEXT, Tcb.POLL_PREV, Tcb.WAKEUP_NEXT,
            Tcb.WAKEUP_PREV, Tcb.WAIT_NEXT, Tcb.WAIT_PREV}) {
            int phys = kernelPhysical(tcb(thread) + link);
            if (phys >= 0) {
                except.add(phys);
            }
        }
        return this;
    }

    /** Every user page {@code task} has mapped. */
    public ProtectedMemory space(int task) {
        int dir = directory(task);
        for (int pde = 0; pde < layout.userTop() >>> 22; pde++) {
            int entry = memory.readWord(dir + pde * 4);
            if ((entry & PageFlags.PRESENT) == 0) {
                continue;
            }
            for (int i = 0; i < 1024; i++) {
                int pte = memory.readWord((entry & PageFlags.FRAME_MASK) + i * 4);
                if ((pte & PageFlags.PRESENT) != 0) {
                    add("frame of task " + task + " at " + hex(pde << 22 | i << 12), pte & PageFlags.FRAME_MASK,
                            PageFlags.PAGE_SIZE);
                }
            }
        }
        return this;
    }

    /** Lets the operation write {@code bytes} at user address {@code linear} of {@code task}. */
    public ProtectedMemory except(int task, int linear, int bytes) {
        long end = Integer.toUnsignedLong(linear) + bytes;
        end = Math.min(end, Integer.toUnsignedLong(layout.userTop())); // never a kernel word
        for (long at = Integer.toUnsignedLong(linear) & ~3L; at < end; at += 4) {
            int phys = userPhysical(task, (int) at);
            if (phys >= 0) {
                except.add(phys);
            }
        }
        return this;
    }

    /** Lets the operation enter a page table for user address {@code linear} in {@code task}'s directory. */
    public ProtectedMemory exceptDirectoryEntry(int task, int linear) {
        except.add(directory(task) + (linear >>> 22) * 4);
        return this;
    }

    /** Lets the operation enter {@code pages} page-table entries from user address {@code linear} in {@code task}. */
    public ProtectedMemory exceptPageTableEntries(int task, int linear, int pages) {
        for (int i = 0; i < pages; i++) {
            int page = linear + i * PageFlags.PAGE_SIZE;
            int pde = memory.readWord(directory(task) + (page >>> 22) * 4);
            if ((pde & PageFlags.PRESENT) != 0) {
                except.add((pde & PageFlags.FRAME_MASK) + ((page >>> 12) & 0x3FF) * 4);
            }
        }
        return this;
    }

    /** Copies every protected word now. */
    public ProtectedMemory snapshot() {
        before.clear();
        for (Map.Entry<Long, Region> e : regions.entrySet()) {
            Region r = e.getValue();
            int[] words = new int[r.bytes() >>> 2];
            for (int i = 0; i < words.length; i++) {
                words[i] = memory.readWord(r.phys() + 4 * i);
            }
            before.put(e.getKey(), words);
        }
        return this;
    }

    /** @return the protected words that changed since {@link #snapshot}, at most {@code limit} of them */
    public List<String> changes(int limit) {
        List<String> changed = new ArrayList<>();
        for (Map.Entry<Long, Region> e : regions.entrySet()) {
            Region r = e.getValue();
            int[] words = before.get(e.getKey());
            for (int i = 0; i < words.length; i++) {
                int phys = r.phys() + 4 * i;
                int now = memory.readWord(phys);
                if (now != words[i] && !except.contains(phys) && changed.size() < limit) {
                    changed.add(r.name() + " +" + hex(4 * i) + " (physical " + hex(phys) + "): " + hex(words[i])
                            + " -> " + hex(now));
                }
            }
        }
        return changed;
    }

    /** @return how many bytes are protected, for a sanity check that the snapshot covers something */
    public int bytes() {
        return regions.values().stream().mapToInt(Region::bytes).sum();
    }

    public static String hex(int v) {
        return String.format("0x%08x", v);
    }
}

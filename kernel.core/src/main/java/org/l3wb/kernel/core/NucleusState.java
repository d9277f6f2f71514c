package org.l3wb.kernel.core;

import java.util.function.IntConsumer;

import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.Mmu;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.PhysicalMemory;
import org.l3wb.hw.api.Processor;
import org.l3wb.kernel.api.ProcessorFeatures;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.api.UserProgram;

/**
 * What the parts of one nucleus share: the machine, the switches and the processor's capabilities
 * read once at boot, and what a debugger or the user level would know (which program a thread runs,
 * which task has which page directory frame) and the current thread, which the hardware knows as
 * ESP. All kernel data proper lives in simulated memory; nothing here is read by simulated code.
 */
final class NucleusState {
    final Machine machine;
    final Processor cpu;
    final Mmu mmu;
    final PhysicalMemory memory;
    final Switches switches;
    final Layout layout;
    final boolean virtualTcb;
    /** The processor's capabilities, read once at boot; each is asked in one place. */
    final ProcessorFeatures features;
    /** The 386 segment system: INT takes the kernel stack from the TSS's ESP0. */
    final boolean segments;
    /** With segments and the switch on: check DS and ES on entry (5.5.3). */
    final boolean checkSegments;
    /** With segments and the switch off: save the user's segment registers, load the kernel's. */
    final boolean reloadSegments;
    /** A CR3 load does not flush the TLB: the window is flushed by tag (5.2.3). */
    final boolean taggedTlb;
    /** {@link PageFlags#GLOBAL} where the TLB honours it, for every kernel-area page; else 0. */
    final int kernelGlobal;
    final int kernelDirectory;
    /** The frame of the empty TCB page an unused thread's TCB maps to (5.2.5). */
    final int nullTcbFrame;
    /** The idle thread's TCB and the top of its stack (set at boot). */
    int idle;
    int idleStackTop;

    final UserProgram[] programs = new UserProgram[Layout.THREAD_MASK + 1];
    final int[] generations = new int[Layout.THREAD_MASK + 1];
    final int[] tcbByNumber = new int[Layout.THREAD_MASK + 1];
    final int[] taskDirectory = new int[Layout.MAX_TASKS];
    final int[] nextLocal = new int[Layout.MAX_TASKS];
    int tasks = 1; // task 0 is the kernel's
    int heapSlots;
    /** The running thread's TCB. */
    int current;
    long ipcs;

    /*
     * The host's per-IPC look-ups of the running thread (its program in run, its stub's address in
     * UserThread) read the uid in its TCB. A TCB's page keeps its frame once the TCB is allocated, so
     * the physical address is remembered per TCB (direct mapped by TCB number) instead of walking
     * the kernel's page tables each time; the uid itself is still read from simulated memory.
     */
    private final int[] physicalTcb = new int[64];
    private final int[] physicalTcbAt = new int[64];

    NucleusState(Machine machine, Switches switches, IntConsumer newMechanismRegion) {
        this.machine = machine;
        this.cpu = machine.cpu();
        this.mmu = machine.mmu();
        this.memory = machine.memory();
        this.switches = switches;
        this.layout = new Layout(switches, newMechanismRegion);
        this.virtualTcb = switches.isOn(Switch.VIRTUAL_TCB);
        // 7.4, a different processor: what the kernel does follows what the processor declares
        this.features = ProcessorFeatures.of(machine.model());
        this.segments = features.segments();
        this.checkSegments = segments && switches.isOn(Switch.SEGMENT_REGISTERS);
        this.reloadSegments = segments && !switches.isOn(Switch.SEGMENT_REGISTERS);
        this.taggedTlb = features.taggedTlb();
        this.kernelGlobal = features.globalPages() ? PageFlags.GLOBAL : 0;
        if (memory.size() > Layout.TCB_HEAP - Layout.PHYSICAL_MAP) {
            throw new IllegalArgumentException("memory of " + memory.size() + " bytes does not fit the kernel's physical map");
        }
        kernelDirectory = memory.allocateFrame();
        taskDirectory[0] = kernelDirectory;
        nullTcbFrame = memory.allocateFrame();
    }

    /** @return physical address of a kernel-area linear address, through the kernel's page tables (free) */
    int physical(int linear) {
        int pte = mmu.entry(kernelDirectory, linear);
        if ((pte & PageFlags.PRESENT) == 0) {
            throw new IllegalStateException(String.format("kernel address 0x%08x is not mapped", linear));
        }
        return (pte & PageFlags.FRAME_MASK) | (linear & 0xFFF);
    }

    /** Writes a kernel dword without an instruction (set-up). */
    void writeKernelWord(int linear, int value) {
        memory.writeWord(physical(linear), value);
    }

    /** @return a kernel dword, read without an instruction (debugger view) */
    int readKernelWord(int linear) {
        return memory.readWord(physical(linear));
    }

    /** @return the low word of the uid in the TCB at {@code tcb} (free, like {@link #readKernelWord}) */
    int uidLow(int tcb) {
        int i = (tcb >>> 10) & 63;
        if (physicalTcb[i] != tcb || tcb == 0) {
            physicalTcbAt[i] = physical(tcb);
            physicalTcb[i] = tcb;
        }
        return memory.readWord(physicalTcbAt[i] + Tcb.UID_LOW);
    }

    /** @return the TCB of a live thread (free look-up) or fails naming it */
    int tcbOfUid(ThreadId thread) {
        int number = thread.threadNumber();
        int tcb = number > 0 && number <= Layout.THREAD_MASK ? tcbByNumber[number] : 0;
        if (tcb == 0 || readKernelWord(tcb + Tcb.UID_LOW) != thread.low()
                || readKernelWord(tcb + Tcb.UID_HIGH) != thread.high()
                || readKernelWord(tcb + Tcb.STATE) == Tcb.FREE) {
            throw new IllegalArgumentException("no thread " + thread);
        }
        return tcb;
    }
}

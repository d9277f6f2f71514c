package org.l3wb.kernel.api;

import org.l3wb.hw.api.CodeStep;

/**
 * The steps of an L3-style kernel's path, named as the paper names them (Table 3's actions, the
 * subsections of section 5, section 7's alternatives). One name serves twice: the kernel's methods are
 * named after these steps, and each such method marks its start with
 * {@code cpu.step(KernelStep.CHECK_PARTNER)} so that a trace tags every instruction with the step it
 * belongs to. Nothing infers a step from an address. A kernel of another design names its own steps
 * (Mach's are the routines of its sources) by implementing {@link CodeStep} itself.
 *
 * @since 2.2
 */
public enum KernelStep implements CodeStep {
    /** The user program, before its INT and after the kernel's IRET. */
    USER("user code", ""),
    /** INT from user mode, the trap entry, saving what the path needs (5.2.1). */
    ENTER_KERNEL("enter kernel", "5.2.1"),
    /** Checking (or reloading) the user's segment registers (5.5.3). */
    SEGMENT_CHECK("segment check", "5.5.3"),
    /** A thread id to its TCB: mask and add on the virtual TCB array, and the uid compared (5.3.1, 5.2.5). */
    UID_TO_TCB("uid \u2192 TCB", "5.3.1"),
    /** Is the partner there and waiting for us: its state and its partner word (5.3.2). */
    CHECK_PARTNER("check partner", "5.3.2"),
    /** Port to thread through the port and port link tables (7.1). */
    PORT_LOOKUP("port lookup", "7.1"),
    /** The message's registers, then any long message or strings copied (5.2.2, 5.3.6). */
    TRANSFER_MESSAGE("transfer message", "5.2.2"),
    /** Mapping the receiver's buffer into the communication window (5.2.3). */
    TEMPORARY_MAPPING("temporary mapping", "5.2.3"),
    /** Dash-style page remapping of the message region (7.2). */
    REMAP_PAGES("remap pages", "7.2"),
    /** Timeouts: the wakeup lists (5.3.3). */
    TIMEOUTS("timeouts and wakeups", "5.3.3"),
    /** Ready and busy queues, lazily or strictly maintained (5.3.4). */
    SCHEDULE("scheduling queues", "5.3.4"),
    /** Switching to the partner's kernel stack: direct process switch (5.3.5). */
    SWITCH_THREAD("switch thread", "5.3.5"),
    /** Loading the partner's page directory, cleaning the window (5.2.3, 5.5.2). */
    SWITCH_ADDRESS_SPACE("switch address space", "5.2.3"),
    /** Results into the registers, IRET to the user (5.2.1). */
    RETURN_TO_USER("return to user", "5.2.1"),
    /** A page fault in the kernel: the empty TCB page, the window re-established (5.2.3, 5.2.5). */
    PAGE_FAULT("page fault", "5.2.3"),
    /** The clock interrupt: time, wakeups, preemption (5.3.3). */
    CLOCK("clock interrupt", "5.3.3"),
    /** Creating threads and spaces, booting: not an IPC path. */
    SET_UP("set-up", "");

    private final String label;
    private final String source;

    KernelStep(String label, String source) {
        this.label = label;
        this.source = source;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public String source() {
        return source;
    }
}

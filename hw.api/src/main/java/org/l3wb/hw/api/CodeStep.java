package org.l3wb.hw.api;

/**
 * A named part of the program the processor runs: a step of the kernel's IPC path as the paper names
 * it, a routine of a kernel's source, or the user program. Code marks where a step begins with
 * {@link Processor#step(CodeStep)}; a {@link TraceListener} tags every instruction after it with the
 * step. The processor keeps the mark only for the trace: it costs nothing and changes no cycle.
 *
 * <p>Typically an enum implements it, so a step is a constant that names both a method of the kernel
 * and the lines of its trace:
 *
 * <pre>{@code
 * enum IpcStep implements CodeStep { ENTER_KERNEL, CHECK_PARTNER; public String label() { ... } }
 * cpu.step(IpcStep.CHECK_PARTNER);
 * }</pre>
 *
 * @since 2.0
 */
public interface CodeStep {
    /** @return the step's name as a trace prints it, e.g. "check partner" */
    String label();

    /** @return where the step comes from, e.g. "5.3.1" or "ipc_mqueue.c"; "" when nowhere in particular */
    default String source() {
        return "";
    }
}

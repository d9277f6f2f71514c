package org.l3wb.lab.shell;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.l3wb.lab.format.Format;
import org.l3wb.lab.ipc.Syscall;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo command {@code lab:syscall}: section 5.6's bare user → kernel → user round trip and Mach's
 * {@code mach_thread_self} trap on the selected processor, beside the paper's 2 µs and 18 µs
 * ({@code --steps}: per step of each path). Needs kernel.mach for the thread-self row.
 */
@Component(service = SyscallCommands.class, property = {
    "osgi.command.scope=lab",
    "osgi.command.function=syscall"
})
public class SyscallCommands {
    @Reference
    private Workbench workbench;

    @Descriptor("section 5.6: the bare user-kernel-user trip (INT, IRET) and Mach's mach_thread_self trap on the "
            + "selected processor, cycles and us per warm call beside the paper's 2 and 18 us")
    public String syscall(
            @Descriptor("calls measured, after 20 warm-up calls")
            @Parameter(names = "--rounds", absentValue = Syscall.DEFAULT_ROUNDS) int rounds,
            @Descriptor("per step of each path: cycles, instructions, TLB and cache misses per call")
            @Parameter(names = "--steps", absentValue = "false", presentValue = "true") boolean steps,
            @Descriptor("output format: text, csv or json")
            @Parameter(names = "--format", absentValue = "text") String format) {
        Format f = Format.parse(format);
        Syscall s = new Syscall(workbench.machines(), workbench.kernel());
        return (steps ? s.steps(workbench.processor(), rounds) : s.table(workbench.processor(), rounds)).render(f);
    }
}

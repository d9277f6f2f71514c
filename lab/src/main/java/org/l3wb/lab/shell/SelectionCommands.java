package org.l3wb.lab.shell;

import java.util.StringJoiner;

import org.apache.felix.service.command.Descriptor;
import org.l3wb.kernel.api.Switch;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo command {@code wb:reset}: back to the paper's configuration (issue 14, item 3). Scope {@code wb},
 * the workbench's own, beside the launcher's {@code wb:help}: it resets what {@code hw:use},
 * {@code ipc:use}, {@code ipc:scheduler} and {@code ipc:switches} select, across both scopes.
 */
@Component(service = SelectionCommands.class, property = {
    "osgi.command.scope=wb",
    "osgi.command.function=reset"
})
public class SelectionCommands {
    @Reference
    private Workbench workbench;

    @Descriptor("return to the paper's configuration: i486dx50, l3, lazy scheduling, every switch on (kept across restarts)")
    public String reset() {
        workbench.reset();
        StringJoiner off = new StringJoiner(",");
        for (Switch s : Switch.values()) {
            if (!workbench.switches().isOn(s)) {
                off.add(s.key());
            }
        }
        return "selections reset: processor " + workbench.selectedName() + ", mechanism " + workbench.mechanism()
                + ", scheduler " + workbench.scheduler() + ", switches off: "
                + (off.length() == 0 ? "none" : off.toString());
    }
}

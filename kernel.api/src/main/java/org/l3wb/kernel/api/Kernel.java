package org.l3wb.kernel.api;

import java.util.List;

import org.l3wb.hw.api.Machine;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Service of the nucleus bundle: boots nuclei on simulated machines. The IPC mechanism and the
 * scheduler are services too, bound dynamically: a nucleus looks its mechanism and scheduler up by
 * name at every kernel entry, so a swap takes effect at the next IPC, and when the requested mechanism
 * is not registered it binds the next available one ({@link Nucleus}, "Mechanism binding and hot swap").
 *
 * <pre>
 * Nucleus n = kernel.boot(machineFactory.create(model), Switches.ALL_ON, "l3", "lazy");
 * int client = n.createTask(), server = n.createTask();
 * ThreadId s = n.createThread(server, serverProgram);
 * n.createThread(client, clientProgram(s));
 * n.run(() -&gt; clientDone, 100_000_000L);
 * </pre>
 */
@ProviderType
public interface Kernel {
    /**
     * @param mechanism the requested IPC mechanism: bound when registered, else the next available
     *                  one (the lowest {@link Nucleus#FALLBACK_RANK}, then by name); with none
     *                  registered IPC returns {@link ResultCode#NO_MECHANISM}
     * @return a nucleus booted on a fresh {@code machine}: kernel area mapped, descriptor tables,
     * clock started, no tasks yet
     */
    Nucleus boot(Machine machine, Switches switches, String mechanism, String scheduler);

    /** @return names of the IPC mechanisms currently registered */
    List<String> mechanisms();

    /** @return names of the schedulers currently registered */
    List<String> schedulers();
}

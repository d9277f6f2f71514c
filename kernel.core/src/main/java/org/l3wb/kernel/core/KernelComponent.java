package org.l3wb.kernel.core;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.l3wb.hw.api.Machine;
import org.l3wb.kernel.api.IpcMechanism;
import org.l3wb.kernel.api.Kernel;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.Scheduler;
import org.l3wb.kernel.api.Switches;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The {@link Kernel} service. IPC mechanisms and schedulers are dynamic, greedy references: a nucleus
 * looks its mechanism and scheduler up here by name at every kernel entry, so a bundle that comes or
 * goes changes the next IPC, and threads blocked in IPC carry over (their state is in simulated memory).
 * When the mechanism a nucleus asks for is not registered, it gets the first registered one in
 * {@link Nucleus#MECHANISM_PREFERENCE}, then any other by name ({@link #available}).
 */
@Component(service = Kernel.class)
public class KernelComponent implements Kernel {
    private final Map<String, IpcMechanism> mechanisms = new ConcurrentSkipListMap<>();
    private final Map<String, Scheduler> schedulers = new ConcurrentSkipListMap<>();
    /** Counts binds and unbinds, so a nucleus re-resolves its names only after a change. */
    private final AtomicInteger changes = new AtomicInteger();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addMechanism(IpcMechanism m) {
        mechanisms.put(m.name(), m);
        changes.incrementAndGet();
    }

    public void removeMechanism(IpcMechanism m) {
        mechanisms.remove(m.name(), m);
        changes.incrementAndGet();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addScheduler(Scheduler s) {
        schedulers.put(s.name(), s);
        changes.incrementAndGet();
    }

    public void removeScheduler(Scheduler s) {
        schedulers.remove(s.name(), s);
        changes.incrementAndGet();
    }

    int changes() {
        return changes.get();
    }

    IpcMechanism mechanism(String name) {
        return mechanisms.get(name);
    }

    /**
     * @return the mechanism named {@code preferred} if it is registered, else the next available one:
     * the first registered in {@link Nucleus#MECHANISM_PREFERENCE}, then the first other by name;
     * null when none is registered
     */
    IpcMechanism available(String preferred) {
        IpcMechanism m = preferred == null ? null : mechanisms.get(preferred);
        if (m != null) {
            return m;
        }
        for (String name : Nucleus.MECHANISM_PREFERENCE) {
            m = mechanisms.get(name);
            if (m != null) {
                return m;
            }
        }
        for (IpcMechanism other : mechanisms.values()) { // sorted by name
            return other;
        }
        return null;
    }

    /** @return a copy of the registered mechanisms, by name */
    Map<String, IpcMechanism> registered() {
        return Map.copyOf(mechanisms);
    }

    Scheduler scheduler(String name) {
        return schedulers.get(name);
    }

    @Override
    public Nucleus boot(Machine machine, Switches switches, String mechanism, String scheduler) {
        if (!schedulers.containsKey(scheduler)) {
            throw new IllegalArgumentException("unknown scheduler '" + scheduler + "': installed are " + schedulers());
        }
        return new L3Nucleus(this, machine, switches, mechanism, scheduler);
    }

    @Override
    public List<String> mechanisms() {
        return List.copyOf(mechanisms.keySet());
    }

    @Override
    public List<String> schedulers() {
        return List.copyOf(schedulers.keySet());
    }
}

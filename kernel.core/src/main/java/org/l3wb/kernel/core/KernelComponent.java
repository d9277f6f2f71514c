package org.l3wb.kernel.core;

import java.util.HashMap;
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
 * When the mechanism a nucleus asks for is not registered, it gets the registered one with the best
 * {@link Nucleus#FALLBACK_RANK} service property, then by name ({@link #available}): the order is
 * the mechanisms' own declaration, not a list of names here.
 */
@Component(service = Kernel.class)
public class KernelComponent implements Kernel {
    /** A registered mechanism and its fallback rank (lower first; unranked last). */
    private record Ranked(IpcMechanism mechanism, int rank) {
    }

    private final Map<String, Ranked> mechanisms = new ConcurrentSkipListMap<>();
    private final Map<String, Scheduler> schedulers = new ConcurrentSkipListMap<>();
    /** Counts binds and unbinds, so a nucleus re-resolves its names only after a change. */
    private final AtomicInteger changes = new AtomicInteger();

    /**
     * Binds a mechanism service with its properties: its {@link Nucleus#FALLBACK_RANK} (an integer;
     * absent or not a number: after every ranked mechanism) places it in the fallback order.
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeMechanism")
    public void bindMechanism(IpcMechanism m, Map<String, Object> properties) {
        mechanisms.put(m.name(), new Ranked(m, rank(properties.get(Nucleus.FALLBACK_RANK))));
        changes.incrementAndGet();
    }

    /** Adds a mechanism without properties (plain Java, tests): it falls back after every ranked one. */
    public void addMechanism(IpcMechanism m) {
        bindMechanism(m, Map.of());
    }

    public void removeMechanism(IpcMechanism m) {
        mechanisms.computeIfPresent(m.name(), (name, r) -> r.mechanism() == m ? null : r);
        changes.incrementAndGet();
    }

    private static int rank(Object property) {
        if (property instanceof Number number) {
            return number.intValue();
        }
        if (property instanceof String text) {
            try {
                return Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                return Integer.MAX_VALUE;
            }
        }
        return Integer.MAX_VALUE;
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
        Ranked r = mechanisms.get(name);
        return r == null ? null : r.mechanism();
    }

    /**
     * @return the mechanism named {@code preferred} if it is registered, else the next available one:
     * the registered one with the lowest {@link Nucleus#FALLBACK_RANK}, equal ranks (and unranked
     * ones, last) by name; null when none is registered
     */
    IpcMechanism available(String preferred) {
        Ranked requested = preferred == null ? null : mechanisms.get(preferred);
        if (requested != null) {
            return requested.mechanism();
        }
        Ranked best = null;
        for (Ranked r : mechanisms.values()) { // sorted by name: the first of equal rank stays
            if (best == null || r.rank() < best.rank()) {
                best = r;
            }
        }
        return best == null ? null : best.mechanism();
    }

    /** @return a copy of the registered mechanisms, by name */
    Map<String, IpcMechanism> registered() {
        Map<String, IpcMechanism> copy = new HashMap<>();
        mechanisms.forEach((name, r) -> copy.put(name, r.mechanism()));
        return Map.copyOf(copy);
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

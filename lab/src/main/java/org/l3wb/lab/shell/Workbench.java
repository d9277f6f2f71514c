package org.l3wb.lab.shell;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.kernel.api.IpcMechanism;
import org.l3wb.kernel.api.Kernel;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * What the commands share: the installed processor models (as they come and go), the machine
 * factory, the kernel, and the user's selection — processor, IPC mechanism, scheduler and Table 1
 * switches. Experiments build a fresh machine per run from it.
 * <p>
 * The selection is the configuration {@value WorkbenchConfig#PID} ({@link WorkbenchConfig}): this
 * component only reflects what Declarative Services delivers from Config Admin, and the selecting
 * methods write that configuration, so a selection persists across restarts and a {@code .cfg} file
 * or any Config Admin client can make it too.
 * <p>
 * Read after write: Config Admin delivers an update asynchronously. A selecting method validates,
 * applies its change to the stored configuration (not to this component's view, which lags it while
 * a delivery is under way), stores it, then waits (at most {@value #APPLY_TIMEOUT_MILLIS} ms) until
 * DS has delivered it to {@link #configure}. Waiting, rather than taking the written value as current at
 * once, keeps this component's state equal to the last configuration delivered: otherwise a
 * delivery of an EARLIER write still under way would arrive after the later write and put the older
 * value back until the later delivery follows (a command run in between would use it). Deliveries of
 * one PID come in order, so once ours has arrived no older one can follow. The wait ends early when
 * the stored configuration no longer holds our write (a later writer, e.g. a {@code .cfg} file, won:
 * its delivery is the one to reflect). Without Config Admin, or when the delivery does not come in
 * time (DS is not configuring this component from that configuration), the selection is applied
 * directly, for this session.
 */
@Component(service = Workbench.class, configurationPid = WorkbenchConfig.PID)
@Designate(ocd = WorkbenchConfig.class)
public class Workbench {
    /** Longest wait for Config Admin and DS to deliver a configuration this component wrote. */
    static final long APPLY_TIMEOUT_MILLIS = 5_000;
    /** How often the wait checks whether a later write superseded ours. */
    static final long SUPERSEDED_POLL_MILLIS = 20;

    /** The host's clock; the unit tests pass a virtual one (no real waiting for the timeout). */
    DeliveryClock clock = DeliveryClock.HOST;

    private final Map<String, ProcessorModel> processors = new ConcurrentSkipListMap<>();

    /** Guards {@link #selection} changes and the read-after-write wait. */
    private final Object selectionLock = new Object();
    private volatile Selection selection = Selection.DEFAULT;

    // References are package-private, not private, so the unit tests can wire the component by hand.

    /** The selected processor model: DS binds it by the target the configuration carries. */
    @Reference(name = WorkbenchConfig.PROCESSOR_REFERENCE, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(" + ProcessorModel.NAME + "=" + WorkbenchConfig.DEFAULT_PROCESSOR + ")")
    volatile ProcessorModel selectedProcessor;

    /**
     * The selected IPC mechanism's service, bound by the configuration's target: shows (e.g. in
     * {@code scr:info}) whether the selection is installed; the kernel itself looks mechanisms up by name.
     */
    @Reference(name = WorkbenchConfig.MECHANISM_REFERENCE, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(" + IpcMechanism.NAME + "=" + WorkbenchConfig.DEFAULT_MECHANISM + ")")
    volatile IpcMechanism selectedMechanism;

    /** Optional so the workbench still works (selections then last one session) without Config Admin. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ConfigurationAdmin configurationAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Kernel kernel;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile MachineFactory machineFactory;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    /**
     * A processor service arrives. A model describing an impossible processor
     * ({@link ProcessorModel#validate}) is refused with its one message naming the setting, which DS
     * logs; nothing of it is registered, so {@code hw:processors} does not list it and {@code hw:use}
     * cannot select it.
     */
    void addProcessor(ProcessorModel model) {
        ProcessorModel.validate(model);
        processors.put(model.name(), model);
    }

    void removeProcessor(ProcessorModel model) {
        processors.remove(model.name(), model);
    }

    /** DS delivers the configuration (or its defaults when there is none) on activation and on each change. */
    @Activate
    @Modified
    void configure(WorkbenchConfig config) {
        apply(Selection.from(config));
    }

    private void apply(Selection s) {
        synchronized (selectionLock) {
            selection = s;
            selectionLock.notifyAll();
        }
    }

    /** @return installed processors by name */
    public List<ProcessorModel> processors() {
        return List.copyOf(processors.values());
    }

    /** @return the selected processor's name */
    public String selectedName() {
        return selection.processor();
    }

    /** Selects a processor; fails naming the unknown one and listing the installed ones. */
    public ProcessorModel select(String name) {
        ProcessorModel m = processor(name);
        change(s -> s.withProcessor(m.name()));
        return m;
    }

    /** @return the selected processor, or fails when it is not installed */
    public ProcessorModel processor() {
        String name = selection.processor();
        ProcessorModel bound = selectedProcessor;
        // the bound service lags a new selection until DS has re-targeted the reference
        return bound != null && bound.name().equals(name) ? bound : processor(name);
    }

    /** @return the named processor, or fails with a one-line message */
    public ProcessorModel processor(String name) {
        ProcessorModel m = name == null ? null : processors.get(name);
        if (m == null) {
            throw new IllegalArgumentException("unknown processor '" + name + "': installed are "
                    + (processors.isEmpty() ? "none" : String.join(", ", processors.keySet())));
        }
        return m;
    }

    /** @return the kernel service, or fails when bundle kernel.core is not active */
    public Kernel kernel() {
        Kernel k = kernel;
        if (k == null) {
            throw new IllegalStateException("no kernel: is bundle kernel.core active?");
        }
        return k;
    }

    /** @return the selected IPC mechanism's name */
    public String mechanism() {
        return selection.mechanism();
    }

    /** @return the selected IPC mechanism's service while one of that name is registered */
    public Optional<IpcMechanism> mechanismService() {
        IpcMechanism m = selectedMechanism;
        return m != null && m.name().equals(selection.mechanism()) ? Optional.of(m) : Optional.empty();
    }

    /** @return {@code name} when that IPC mechanism is installed; fails naming it and listing the installed ones */
    public String requireMechanism(String name) {
        List<String> installed = kernel().mechanisms();
        if (name == null || !installed.contains(name)) {
            throw new IllegalArgumentException("unknown mechanism '" + name + "': installed are "
                    + (installed.isEmpty() ? "none" : String.join(", ", installed)));
        }
        return name;
    }

    /** Selects the IPC mechanism; fails naming the unknown one and listing the installed ones. */
    public void useMechanism(String name) {
        requireMechanism(name);
        change(s -> s.withMechanism(name));
    }

    /** @return the scheduler: lazy while the lazy-scheduling switch is on, strict otherwise (Table 1) */
    public String scheduler() {
        return selection.scheduler();
    }

    /** Selects the scheduler, which is the lazy-scheduling switch by another name. */
    public void useScheduler(String name) {
        List<String> installed = kernel().schedulers();
        if (name == null || !installed.contains(name)) {
            throw new IllegalArgumentException("unknown scheduler '" + name + "': installed are "
                    + (installed.isEmpty() ? "none" : String.join(", ", installed)));
        }
        if (!name.equals(Selection.LAZY) && !name.equals(Selection.STRICT)) {
            throw new IllegalArgumentException("scheduler '" + name + "' is neither lazy nor strict");
        }
        boolean lazy = name.equals(Selection.LAZY);
        change(s -> s.withSwitches(s.switches().with(Switch.LAZY_SCHEDULING, lazy)));
    }

    /** @return the Table 1 switches, lazy scheduling included */
    public Switches switches() {
        return selection.switches();
    }

    /** Sets every Table 1 switch at once (the lazy switch is the scheduler). */
    public void useSwitches(Switches switches) {
        if (switches == null) {
            throw new IllegalArgumentException("no switches given");
        }
        change(s -> s.withSwitches(switches));
    }

    /**
     * Changes some switches, leaving the others as the stored configuration has them (which may be
     * newer than {@link #switches()} while a delivery is under way); validate before calling.
     *
     * @return the switches now selected
     */
    public Switches changeSwitches(UnaryOperator<Switches> edit) {
        change(s -> s.withSwitches(edit.apply(s.switches())));
        return switches();
    }

    /**
     * Returns to the paper's configuration: {@link WorkbenchConfig}'s defaults (i486dx50, l3, lazy, every
     * switch on), stored like any selection, so it holds across restarts and other processes' merges.
     */
    public void reset() {
        change(s -> Selection.DEFAULT);
    }

    /** @return the machine factory, or fails when bundle hw.cpu486 is not active */
    public MachineFactory machines() {
        MachineFactory f = machineFactory;
        if (f == null) {
            throw new IllegalStateException("no machine factory: is bundle hw.cpu486 active?");
        }
        return f;
    }

    /**
     * Applies {@code edit} to the STORED selection — not to {@link #selection}, which lags it while a
     * delivery is under way (e.g. a {@code .cfg} file FileInstall just read), so one command never
     * writes back another's stale values — stores the result and returns once this component reflects it.
     */
    /** Serialises the read-edit-store of {@link #change} (not held while waiting for the delivery). */
    private final Object storeLock = new Object();

    private void change(UnaryOperator<Selection> edit) {
        ConfigurationAdmin cm = configurationAdmin;
        if (cm == null) {
            synchronized (selectionLock) {
                apply(edit.apply(selection));
            }
            return;
        }
        Configuration configuration;
        Selection wanted;
        // read, edit and store as one step: two shell sessions selecting at once must not drop a change
        synchronized (storeLock) {
            try {
                // "?": a multi-location binding, so whichever bundle DS configures this component for receives it
                configuration = cm.getConfiguration(WorkbenchConfig.PID, "?");
                Dictionary<String, Object> stored = configuration.getProperties();
                Selection before = stored == null ? selection : Selection.from(stored);
                wanted = edit.apply(before);
                configuration.updateIfDifferent(merged(stored, before, wanted));
            } catch (IOException | IllegalStateException e) {
                throw new IllegalStateException("cannot store configuration " + WorkbenchConfig.PID + ": "
                        + e.getMessage(), e);
            }
        }
        awaitDelivery(wanted, configuration);
    }

    /**
     * @return the stored properties (some may be a .cfg file's or another tool's) with the selection's
     * properties that differ from {@code before} over them. Only those: when nothing is stored yet, the
     * others stay absent (absent reads as the default) instead of being written as defaults, so that the
     * store, which merges each write into what other workbench processes stored meanwhile (the launcher's
     * {@code SelectionStore}), sees only what this command changed.
     */
    private static Dictionary<String, Object> merged(Dictionary<String, Object> stored, Selection before,
            Selection wanted) {
        Hashtable<String, Object> p = new Hashtable<>();
        if (stored != null) {
            for (Enumeration<String> keys = stored.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                p.put(key, stored.get(key));
            }
        }
        Dictionary<String, Object> was = before.toProperties();
        Dictionary<String, Object> mine = wanted.toProperties();
        for (Enumeration<String> keys = mine.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (!Objects.deepEquals(was.get(key), mine.get(key))) {
                p.put(key, mine.get(key));
            }
        }
        return p;
    }

    /** See the class comment: waits until DS delivered {@code wanted}, a later write replaced it, or time is up. */
    private void awaitDelivery(Selection wanted, Configuration configuration) {
        DeliveryClock clock = this.clock;
        long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(APPLY_TIMEOUT_MILLIS);
        while (true) {
            synchronized (selectionLock) {
                if (selection.equals(wanted)) {
                    return;
                }
                long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - clock.nanoTime());
                if (leftMillis <= 0) {
                    selection = wanted; // stored but not delivered: hold it for this session at least
                    return;
                }
                try {
                    clock.await(selectionLock, Math.min(leftMillis, SUPERSEDED_POLL_MILLIS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (!wanted.isStoredIn(storedProperties(configuration))) {
                return; // a later write replaced ours; its own delivery is what to reflect
            }
        }
    }

    private static Dictionary<String, Object> storedProperties(Configuration configuration) {
        try {
            return configuration.getProperties();
        } catch (IllegalStateException deleted) {
            return null;
        }
    }
}

package org.l3wb.lab.shell;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.kernel.api.Kernel;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * What the commands share: the installed processor models (as they come and go), the machine
 * factory, and the processor the user selected. Experiments build a fresh machine per run from it.
 */
@Component(service = Workbench.class)
public class Workbench {
    /** The paper's machine, selected until the user picks another. */
    static final String DEFAULT_PROCESSOR = "i486dx50";

    /** L3 IPC, lazy scheduling, every optimisation on: the paper's kernel. */
    static final String DEFAULT_MECHANISM = "l3";

    private final Map<String, ProcessorModel> processors = new ConcurrentSkipListMap<>();
    private volatile String selected = DEFAULT_PROCESSOR;
    private volatile String mechanism = DEFAULT_MECHANISM;
    private volatile Switches switches = Switches.ALL_ON;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Kernel kernel;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MachineFactory machineFactory;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addProcessor(ProcessorModel model) {
        processors.put(model.name(), model);
    }

    void removeProcessor(ProcessorModel model) {
        processors.remove(model.name(), model);
    }

    /** @return installed processors by name */
    public List<ProcessorModel> processors() {
        return List.copyOf(processors.values());
    }

    /** @return the selected processor's name */
    public String selectedName() {
        return selected;
    }

    /** Selects a processor; fails naming the unknown one and listing the installed ones. */
    public ProcessorModel select(String name) {
        ProcessorModel m = processor(name);
        selected = m.name();
        return m;
    }

    /** @return the selected processor */
    public ProcessorModel processor() {
        return processor(selected);
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

    public String mechanism() {
        return mechanism;
    }

    /** Selects the IPC mechanism; fails naming the unknown one and listing the installed ones. */
    public void useMechanism(String name) {
        if (!kernel().mechanisms().contains(name)) {
            throw new IllegalArgumentException("unknown mechanism '" + name + "': installed are "
                    + String.join(", ", kernel().mechanisms()));
        }
        mechanism = name;
    }

    /** @return the scheduler: lazy while the lazy-scheduling switch is on, strict otherwise (Table 1) */
    public String scheduler() {
        return switches.isOn(Switch.LAZY_SCHEDULING) ? "lazy" : "strict";
    }

    /** Selects the scheduler, which is the lazy-scheduling switch by another name. */
    public void useScheduler(String name) {
        if (!kernel().schedulers().contains(name)) {
            throw new IllegalArgumentException("unknown scheduler '" + name + "': installed are "
                    + String.join(", ", kernel().schedulers()));
        }
        if (!name.equals("lazy") && !name.equals("strict")) {
            throw new IllegalArgumentException("scheduler '" + name + "' is neither lazy nor strict");
        }
        switches = switches.with(Switch.LAZY_SCHEDULING, name.equals("lazy"));
    }

    public Switches switches() {
        return switches;
    }

    public void useSwitches(Switches s) {
        switches = s;
    }

    /** @return the machine factory, or fails when bundle hw.cpu486 is not active */
    public MachineFactory machines() {
        MachineFactory f = machineFactory;
        if (f == null) {
            throw new IllegalStateException("no machine factory: is bundle hw.cpu486 active?");
        }
        return f;
    }
}

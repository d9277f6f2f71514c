package org.l3wb.lab.report;

import java.util.List;

import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.kernel.api.Kernel;
import org.l3wb.kernel.api.Switches;

/**
 * What an experiment runs on: the machine factory and kernel, the selected processor, mechanism,
 * scheduler and switches, and every installed processor (Table 2 runs on each). The shell builds one
 * from its {@code Workbench}; tests wire one by hand.
 */
public record Setup(MachineFactory machines, Kernel kernel, ProcessorModel processor, String mechanism,
        String scheduler, Switches switches, List<ProcessorModel> processors) {
    public Setup {
        processors = List.copyOf(processors);
    }

    /** @return whether IPC mechanism {@code name} is installed */
    public boolean has(String name) {
        return kernel.mechanisms().contains(name);
    }
}

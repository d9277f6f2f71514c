package org.l3wb.lab.sweep;

import java.util.ArrayList;
import java.util.List;

import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.kernel.api.Kernel;

/**
 * What a sweep's points are resolved against and run on: the installed processor models, the machine
 * factory and the kernel (its mechanisms and schedulers). The command takes them from the workbench's
 * services; nothing of the user's selection takes part.
 */
public record Installed(List<ProcessorModel> processors, MachineFactory machines, Kernel kernel) {
    public Installed {
        processors = List.copyOf(processors);
    }

    /** @return the named processor model, or fails naming it and the installed ones */
    ProcessorModel processor(String name) {
        List<String> names = new ArrayList<>();
        for (ProcessorModel m : processors) {
            if (m.name().equals(name)) {
                return m;
            }
            names.add(m.name());
        }
        throw new IllegalArgumentException("unknown processor '" + name + "' in the grid: installed are "
                + (names.isEmpty() ? "none" : String.join(", ", names)));
    }

    void requireMechanism(String name) {
        List<String> installed = kernel.mechanisms();
        if (!installed.contains(name)) {
            throw new IllegalArgumentException("unknown mechanism '" + name + "' in the grid: installed are "
                    + (installed.isEmpty() ? "none" : String.join(", ", installed)));
        }
    }

    void requireScheduler(String name) {
        List<String> installed = kernel.schedulers();
        if (!installed.contains(name)) {
            throw new IllegalArgumentException("unknown scheduler '" + name + "' in the grid: installed are "
                    + (installed.isEmpty() ? "none" : String.join(", ", installed)));
        }
    }
}

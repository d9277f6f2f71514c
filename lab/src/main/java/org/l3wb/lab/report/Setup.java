package org.l3wb.lab.report;

import java.util.List;

import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.kernel.api.Kernel;
import org.l3wb.kernel.api.Switches;

/**
 * What an experiment runs on: the machine factory and kernel, the selected processor, mechanism,
 * scheduler and switches, and every installed processor (Table 2 runs on each); and the board
 * sensitivity lab:report was asked for ({@code --sensitivity}), or null. The shell builds one from its
 * {@code Workbench}; tests wire one by hand.
 */
public record Setup(MachineFactory machines, Kernel kernel, ProcessorModel processor, String mechanism,
        String scheduler, Switches switches, List<ProcessorModel> processors, BoardSensitivity sensitivity) {
    public Setup {
        processors = List.copyOf(processors);
    }

    /** A setup without a board sensitivity (every experiment but {@link Experiment#SENSITIVITY}). */
    public Setup(MachineFactory machines, Kernel kernel, ProcessorModel processor, String mechanism,
            String scheduler, Switches switches, List<ProcessorModel> processors) {
        this(machines, kernel, processor, mechanism, scheduler, switches, processors, null);
    }

    /** @return this setup with {@code sensitivity} asked for */
    public Setup with(BoardSensitivity sensitivity) {
        return new Setup(machines, kernel, processor, mechanism, scheduler, switches, processors, sensitivity);
    }

    /** @return whether IPC mechanism {@code name} is installed */
    public boolean has(String name) {
        return kernel.mechanisms().contains(name);
    }
}

package org.l3wb.it.hw;

import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.test.junit5.service.ServiceExtension;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.kernel.api.Kernel;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.Switches;
import org.osgi.test.common.annotation.InjectService;

/** The kernel bundles wire up through Declarative Services, and a booted nucleus runs IPC. */
@ExtendWith(ServiceExtension.class)
class KernelServicesTest {
    @Test
    void theKernelFindsTheMechanismsAndBothSchedulers(@InjectService(timeout = Await.MILLIS) Kernel kernel) throws Exception {
        Await.until(() -> kernel.mechanisms().size() >= 4 && kernel.schedulers().size() >= 2,
                "four mechanisms and two schedulers");
        assertEquals(List.of("dash", "l3", "mach", "ports"), kernel.mechanisms());
        assertEquals(List.of("lazy", "strict"), kernel.schedulers());
    }

    @Test
    void aCallIsAnsweredInsideTheFramework(@InjectService(timeout = Await.MILLIS) Kernel kernel,
                                           @InjectService(timeout = Await.MILLIS) MachineFactory machines,
                                           @InjectService(timeout = Await.MILLIS, filter = "(name=i486dx50)") ProcessorModel dx50)
            throws Exception {
        Await.until(() -> kernel.mechanisms().contains("l3"), "l3 offered");
        Nucleus n = kernel.boot(machines.create(dx50), Switches.ALL_ON, "l3", "lazy");
        EchoCalls.run(n);
    }
}

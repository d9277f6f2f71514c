package org.l3wb.it.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.ProcessorModel;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

/** A processor model from another bundle (this one), built only on hw.api, runs like the i486. */
@ExtendWith(ServiceExtension.class)
class ThirdPartyProcessorTest {

    @Test
    void testBundleModelIsRegistered(
            @InjectService(filter = "(name=" + I486Dx66TestModel.NAME + ")") ProcessorModel model) {
        assertEquals(I486Dx66TestModel.NAME, model.name());
        assertEquals(66, model.clockMHz());
    }

    @Test
    void machineFactoryBuildsAWorkingMachineFromIt(
            @InjectService(filter = "(name=" + I486Dx66TestModel.NAME + ")") ProcessorModel model,
            @InjectService MachineFactory machines) {
        Machine m = machines.create(model);
        assertSame(model, m.model());
        assertSame(model, m.cpu().model());
        assertEquals(0, m.statistics().now(), "a fresh machine's clock");
        // charges this model's (made-up) costs, not the i486's
        Programs.assertWarmRunCostsTable(m);
        assertEquals(1.0, m.micros(66), 1e-9, "66 cycles at 66 MHz");
    }
}

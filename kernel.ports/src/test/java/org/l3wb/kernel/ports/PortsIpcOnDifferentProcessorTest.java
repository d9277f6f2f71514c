package org.l3wb.kernel.ports;

import org.l3wb.kernel.core.testing.DifferentProcessor;
import org.l3wb.hw.api.ProcessorModel;

/**
 * Every test of {@link PortsIpcTest} on paper 7.4's different processor: tagged TLB, no segments, no
 * INVLPG, no supervisor write protection ({@link DifferentProcessor}).
 */
class PortsIpcOnDifferentProcessorTest extends PortsIpcTest {
    @Override
    ProcessorModel model() {
        return DifferentProcessor.taggedFlatNoInvlpg();
    }
}

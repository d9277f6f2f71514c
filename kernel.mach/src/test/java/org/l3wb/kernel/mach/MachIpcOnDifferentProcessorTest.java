package org.l3wb.kernel.mach;

import org.l3wb.kernel.core.testing.DifferentProcessor;
import org.l3wb.hw.api.ProcessorModel;

/**
 * Every test of {@link MachIpcTest} on paper 7.4's different processor: tagged TLB, no segments, no
 * INVLPG, no supervisor write protection ({@link DifferentProcessor}).
 */
class MachIpcOnDifferentProcessorTest extends MachIpcTest {
    @Override
    ProcessorModel model() {
        return DifferentProcessor.taggedFlatNoInvlpg();
    }
}

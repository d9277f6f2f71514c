package org.l3wb.hw.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Service building machines from processor models, from the MMU and cache factories registered in
 * the framework.
 *
 * <pre>
 * Machine m = machineFactory.create(model);
 * m.cpu().movImm(Reg.EAX, 0);          // one cycle on an i486
 * long cycles = m.statistics().now();
 * </pre>
 */
@ProviderType
public interface MachineFactory {
    /**
     * @return a freshly powered-on machine: paging enabled with CR3 = 0 until the kernel loads one,
     * kernel mode, empty caches and TLB, memory zeroed
     * @throws IllegalArgumentException naming the setting when the model's configuration is invalid
     */
    Machine create(ProcessorModel model);
}

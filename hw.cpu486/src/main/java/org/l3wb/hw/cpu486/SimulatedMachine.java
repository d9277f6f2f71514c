package org.l3wb.hw.cpu486;

import org.l3wb.hw.api.Cache;
import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.Mmu;
import org.l3wb.hw.api.PhysicalMemory;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.Statistics;

/** One simulated PC: the parts share one {@link Statistics}, whose cycle counter is the clock. */
record SimulatedMachine(ProcessorModel model, Processor cpu, Mmu mmu, Cache cache, PhysicalMemory memory,
                        Statistics statistics) implements Machine {
}

/**
 * The machine SPI of the L3 Workbench: what a simulated i486-class PC offers to a kernel.
 *
 * <p>A {@link org.l3wb.hw.api.Machine} is one processor built from a {@link org.l3wb.hw.api.ProcessorModel},
 * with its {@link org.l3wb.hw.api.Mmu} (two-level paging, TLB), its {@link org.l3wb.hw.api.Cache} hierarchy
 * (on-chip cache, external cache, DRAM, write buffer) and its {@link org.l3wb.hw.api.PhysicalMemory}.
 * Kernel code drives the {@link org.l3wb.hw.api.Processor} one instruction at a time; every instruction
 * is charged its cost from the model's {@link org.l3wb.hw.api.InstructionCosts}, its bytes are fetched
 * through the TLB and cache at its code address, and every memory operand is translated and cached at
 * its real simulated address. Nothing in a figure is written down: cycles come from mechanism.
 */
@Version("2.3.0")
@Export
package org.l3wb.hw.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

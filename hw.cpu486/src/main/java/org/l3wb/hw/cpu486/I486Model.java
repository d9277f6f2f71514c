package org.l3wb.hw.cpu486;

import org.l3wb.hw.api.CacheGeometry;
import org.l3wb.hw.api.InstructionCosts;
import org.l3wb.hw.api.MemoryTiming;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.TlbGeometry;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * An Intel 486 DX model. The cost table holds the i486 manual's cycle counts for operands that hit
 * cache and TLB (see PAPER-FIGURES.md, "i486 costs from public sources"): INT to inner privilege 71,
 * IRET to outer 36, MOV CR3 4, MOV Sreg 9, REP MOVS 12 + 3 per item, INVLPG 12, a TLB miss 9 as the
 * paper counts it.
 *
 * <p>The components register the {@link ProcessorModel} service themselves, after checking their
 * configuration: a bad value fails the activation with a message naming the setting and nothing is
 * registered (a DS-registered service would stay registered while its activation fails). A
 * configuration change deactivates and reactivates the component, so each registration carries one
 * checked configuration.
 */
abstract class I486Model implements ProcessorModel {
    /** The i486's cycle counts; the same core runs at 33 and 50 MHz. */
    static final InstructionCosts I486_COSTS = new InstructionCosts(
            1, // MOV r32, imm32
            1, // ALU r, r
            2, // SHL/SHR r32, imm8
            1, // index register in a memory operand
            1, // MOV r32, m32
            1, // MOV m32, r32
            2, // CMP r32, m32
            3, // Jcc taken
            1, // Jcc not taken
            3, // JMP near
            3, // CALL near
            5, // RET near
            1, // PUSH r32
            1, // POP r32
            71, // INT n to inner privilege
            44, // INT n, same privilege
            36, // IRET to outer privilege
            20, // IRET, same privilege
            4, // MOV CR3, r32
            12, // INVLPG
            9, // MOV Sreg, r/m (protected mode)
            3, // MOV r32, Sreg
            12, // REP MOVS start-up
            3, // REP MOVS per item
            9, // TLB miss with cached page-table entries (paper, Table 3)
            5, // WBINVD
            11); // LGDT/LIDT

    private final String name;
    private final String description;
    private volatile int clockMHz;
    private volatile TlbGeometry tlb;
    private volatile CacheGeometry cache;
    private volatile MemoryTiming timing;

    I486Model(String name, String description) {
        this.name = name;
        this.description = description;
    }

    private ServiceRegistration<ProcessorModel> registration;

    /** Checks and applies the configuration, then registers this model under its name. */
    final void register(BundleContext context, I486Config config) {
        configure(config);
        java.util.Hashtable<String, Object> properties = new java.util.Hashtable<>();
        properties.put(ProcessorModel.NAME, name);
        properties.put("clockMHz", clockMHz);
        registration = context.registerService(ProcessorModel.class, this, properties);
    }

    final void unregister() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
    }

    /** Applies and checks a configuration; throws naming the bad setting. */
    final void configure(I486Config c) {
        if (c.clockMHz() <= 0) {
            throw new IllegalArgumentException(name + ": clockMHz must be positive, got " + c.clockMHz());
        }
        try {
            TlbGeometry t = new TlbGeometry(c.tlbEntries(), c.tlbWays());
            CacheGeometry g = new CacheGeometry(c.cacheBytes(), c.cacheWays(), c.cacheLineBytes());
            MemoryTiming m = new MemoryTiming(c.memoryBytes(), c.externalCacheBytes(),
                    cycles("externalFillNs", c.externalFillNs(), c.clockMHz()),
                    cycles("dramFillNs", c.dramFillNs(), c.clockMHz()),
                    c.writeBufferEntries(),
                    cycles("externalWriteNs", c.externalWriteNs(), c.clockMHz()),
                    cycles("dramWriteNs", c.dramWriteNs(), c.clockMHz()));
            clockMHz = c.clockMHz();
            tlb = t;
            cache = g;
            timing = m;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    /** @return whole cycles covering {@code ns} at {@code mhz} (a bus transfer ends on a clock edge) */
    static int cycles(String setting, int ns, int mhz) {
        if (ns <= 0) {
            throw new IllegalArgumentException(setting + " must be positive, got " + ns);
        }
        return (int) ((ns * (long) mhz + 999) / 1000);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public int clockMHz() {
        return clockMHz;
    }

    @Override
    public InstructionCosts costs() {
        return I486_COSTS;
    }

    @Override
    public TlbGeometry tlb() {
        return tlb;
    }

    @Override
    public CacheGeometry onChipCache() {
        return cache;
    }

    @Override
    public MemoryTiming memoryTiming() {
        return timing;
    }

    @Override
    public boolean hasSegments() {
        return true;
    }

    @Override
    public boolean taggedTlb() {
        return false;
    }
}

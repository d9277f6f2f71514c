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
 * configuration (a DS-registered service would stay registered while its activation fails). A bad
 * value (out of range, or not a number in a {@code .cfg} file) registers nothing and is reported in
 * ONE line naming the configuration's PID and the setting ({@link #register}); the activation itself
 * succeeds, so SCR prints no stack trace. A configuration change deactivates and reactivates the
 * component, so each registration carries one checked configuration, and a valid configuration
 * brings the model back.
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
            11, // LGDT/LIDT
            InstructionCosts.I486_DIVIDE); // DIV r32: 40 (i486 Programmer's Reference Manual, DIV)

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

    /**
     * Checks and applies the configuration, then registers this model under its name. An invalid
     * configuration registers nothing: one line on the standard error stream says so (the runtime has
     * no LogService implementation; SCR's own logging would print the whole stack trace).
     */
    final void register(BundleContext context, I486Config config) {
        register(context, config, System.err::println);
    }

    /**
     * As {@link #register(BundleContext, I486Config)}, reporting an invalid configuration to
     * {@code report}: exactly one line, naming the PID and what was wrong.
     *
     * @return whether the model is registered
     */
    final boolean register(BundleContext context, I486Config config, java.util.function.Consumer<String> report) {
        try {
            configure(config);
        } catch (IllegalArgumentException e) {
            report.accept("configuration " + pid() + " rejected (" + e.getMessage() + "); " + name
                    + " is not offered until it is fixed");
            return false;
        }
        java.util.Hashtable<String, Object> properties = new java.util.Hashtable<>();
        properties.put(ProcessorModel.NAME, name);
        properties.put("clockMHz", clockMHz);
        registration = context.registerService(ProcessorModel.class, this, properties);
        return true;
    }

    /** @return the Config Admin PID of this model's component ({@code hw.cpu486.NAME}, as I486Dx33/50 declare) */
    final String pid() {
        return "hw.cpu486." + name;
    }

    /** @return whether this model is registered as a service now */
    final boolean registered() {
        return registration != null;
    }

    final void unregister() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
    }

    /** Applies and checks a configuration; throws naming the bad setting. */
    final void configure(I486Config c) {
        try {
            int clock = read("clockMHz", c::clockMHz);
            if (clock <= 0) {
                throw new IllegalArgumentException("clockMHz must be positive, got " + clock);
            }
            TlbGeometry t = new TlbGeometry(read("tlbEntries", c::tlbEntries), read("tlbWays", c::tlbWays));
            CacheGeometry g = new CacheGeometry(read("cacheBytes", c::cacheBytes), read("cacheWays", c::cacheWays),
                    read("cacheLineBytes", c::cacheLineBytes));
            if (g.lineBytes() > org.l3wb.hw.api.PageFlags.PAGE_SIZE) {
                throw new IllegalArgumentException("cacheLineBytes must not exceed the 4096-byte page, got "
                        + g.lineBytes());
            }
            MemoryTiming m = new MemoryTiming(read("memoryBytes", c::memoryBytes),
                    read("externalCacheBytes", c::externalCacheBytes),
                    cycles("externalFillNs", read("externalFillNs", c::externalFillNs), clock),
                    cycles("dramFillNs", read("dramFillNs", c::dramFillNs), clock),
                    read("writeBufferEntries", c::writeBufferEntries),
                    cycles("externalWriteNs", read("externalWriteNs", c::externalWriteNs), clock),
                    cycles("dramWriteNs", read("dramWriteNs", c::dramWriteNs), clock));
            clockMHz = clock;
            tlb = t;
            cache = g;
            timing = m;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    /**
     * @return the setting's value; a value Config Admin cannot give as an int (SCR throws when the
     * method is called, e.g. {@code clockMHz=abc} in a .cfg file) fails naming the setting
     */
    private static int read(String setting, java.util.function.IntSupplier value) {
        try {
            return value.getAsInt();
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            // SCR's ComponentException, e.g. "java.lang.NumberFormatException: For input string: "abc""
            String why = String.valueOf(e.getMessage()).replaceFirst("^java\\.lang\\.NumberFormatException: ", "");
            throw new IllegalArgumentException(setting + " is not an integer (" + why + ")", e);
        }
    }

    /** @return whole cycles covering {@code ns} at {@code mhz} (a bus transfer ends on a clock edge) */
    static int cycles(String setting, int ns, int mhz) {
        if (ns <= 0) {
            throw new IllegalArgumentException(setting + " must be positive, got " + ns);
        }
        return MemoryTiming.cycles(ns, mhz); // the one rounding rule, also lab:sensitivity's
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

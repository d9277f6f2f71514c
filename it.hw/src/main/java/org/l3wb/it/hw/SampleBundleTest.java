package org.l3wb.it.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.MemoryTiming;
import org.l3wb.hw.api.ProcessorModel;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * The example processor bundle, examples/processor-i486dx66, built from its source at run time
 * (javac + bnd, {@link SampleBundleBuilder}), installed into the running framework: its model
 * appears, machines built from it charge its costs and its board timing, and it is gone once the
 * bundle is uninstalled.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class SampleBundleTest {
    static final String EXAMPLE = "processor-i486dx66";
    static final String NAME = "i486dx66";
    static final String BSN = "com.example.cpu.i486dx66";

    @InjectBundleContext
    BundleContext context;

    @Test
    void exampleProcessorBuiltAtRunTimeRegistersRunsAndGoes(@InjectService MachineFactory machines,
            @InjectService(filter = "(name=i486dx50)") ProcessorModel dx50, @TempDir Path tmp) throws Exception {
        PluginWait.gone(context, NAME);
        Path jar = SampleBundleBuilder.build(context, EXAMPLE, tmp.resolve(EXAMPLE + ".jar"));

        Bundle bundle;
        try (InputStream in = Files.newInputStream(jar)) {
            bundle = context.installBundle(jar.toUri().toString(), in);
        }
        try {
            // what bnd made of the source and its bnd.bnd
            Dictionary<String, String> headers = bundle.getHeaders();
            assertEquals(BSN, bundle.getSymbolicName());
            assertEquals("OSGI-INF/com.example.cpu.I486Dx66.xml", headers.get("Service-Component"),
                    "DS component XML generated from @Component");
            assertNotNull(bundle.getEntry("OSGI-INF/com.example.cpu.I486Dx66.xml"));
            assertEquals("org.l3wb.hw.api;version=\"" + consumerRange(ProcessorModel.class) + "\"",
                    headers.get("Import-Package"), "imports hw.api only, with the range of its export");

            bundle.start();
            ProcessorModel model = PluginWait.service(context, "(name=" + NAME + ")");
            assertEquals(NAME, model.name());
            assertEquals(66, model.clockMHz());
            assertEquals(dx50.costs(), model.costs(), "a DX2's core is the i486's: the same cost table");
            assertEquals(new MemoryTiming(16 << 20, 256 << 10, 12, 27, 4, 6, 6), model.memoryTiming(),
                    "the board's 180/400/80 ns in whole cycles at 66 MHz");

            Machine m = machines.create(model);
            Programs.assertWarmRunCostsTable(m);
            assertEquals(1.0, m.micros(66), 1e-9, "66 cycles at 66 MHz");
            long dx66Cold = coldRun(machines.create(model));
            long dx50Cold = coldRun(machines.create(dx50));
            assertTrue(dx66Cold > dx50Cold, "line fills take more core cycles at 66 MHz: cold run "
                    + dx66Cold + " cycles on the DX2-66, " + dx50Cold + " on the DX-50");
        } finally {
            bundle.uninstall();
        }
        assertEquals(Bundle.UNINSTALLED, bundle.getState());
        PluginWait.gone(context, NAME);
        assertFalse(PluginWait.references(context, "(name=i486dx50)").isEmpty(), "the workbench's own models stay");
    }

    /** Cycles of the test program on a fresh machine: TLB misses and line fills from DRAM. */
    private static long coldRun(Machine m) {
        Programs.mapCodeAndData(m);
        long before = m.statistics().now();
        Programs.run(m.cpu());
        return m.statistics().now() - before;
    }

    /** @return the import range bnd gives a consumer of {@code type}'s package: [major.minor, next major) of its export */
    static String consumerRange(Class<?> type) {
        String pkg = type.getPackageName();
        Version v = FrameworkUtil.getBundle(type).adapt(BundleWiring.class)
                .getCapabilities(BundleRevision.PACKAGE_NAMESPACE).stream()
                .filter(c -> pkg.equals(c.getAttributes().get(BundleRevision.PACKAGE_NAMESPACE)))
                .map(c -> (Version) c.getAttributes().get("version")).findFirst().orElseThrow();
        return "[" + v.getMajor() + "." + v.getMinor() + "," + (v.getMajor() + 1) + ")";
    }
}

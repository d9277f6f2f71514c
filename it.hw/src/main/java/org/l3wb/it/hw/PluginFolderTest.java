package org.l3wb.it.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.kernel.api.Kernel;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * The plugins folder, as the workbench runs it: Felix FileInstall watches a folder
 * ({@code felix.fileinstall.dir} in it.hw.bndrun, here target/plugins-it). The example processor
 * bundle, built from its source at run time, is dropped in and appears; a {@code .cfg} file
 * configures its component through Config Admin; deleting the files undoes both. The example IPC
 * mechanism bundle (examples/mechanism-relay), dropped in the same way, is offered by the kernel
 * until its jar is deleted.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class PluginFolderTest {
    static final String PID = "com.example.cpu.i486dx66";
    static final String MECHANISM_BSN = "com.example.ipc.relay";

    @InjectBundleContext
    BundleContext context;

    Path plugins;

    @BeforeEach
    void emptyFolder() throws Exception {
        String dir = context.getProperty("felix.fileinstall.dir");
        assertNotNull(dir, "felix.fileinstall.dir is not set (it.hw.bndrun)");
        plugins = Path.of(dir);
        Files.createDirectories(plugins);
        clear(); // leftovers of an interrupted run
    }

    @AfterEach
    void clear() throws Exception {
        try (Stream<Path> files = Files.list(plugins)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        PluginWait.gone(context, SampleBundleTest.NAME);
        PluginWait.until(() -> bundle().isEmpty(), "the example bundle uninstalled");
        PluginWait.until(() -> bundle(MECHANISM_BSN).isEmpty(), "the example mechanism bundle uninstalled");
    }

    @Test
    void processorBundleDroppedInAppearsAndGoesWhenDeleted(@InjectService MachineFactory machines) throws Exception {
        Path jar = SampleBundleBuilder.build(context, SampleBundleTest.EXAMPLE,
                plugins.resolve(SampleBundleTest.EXAMPLE + ".jar"));

        ProcessorModel model = PluginWait.service(context, "(name=" + SampleBundleTest.NAME + ")");
        assertEquals(66, model.clockMHz());
        Bundle b = bundle().orElseThrow();
        PluginWait.until(() -> b.getState() == Bundle.ACTIVE, "the example bundle active"); // its model may come first
        assertTrue(b.getLocation().endsWith(jar.getFileName().toString()), "installed from the folder: " + b.getLocation());
        Programs.assertWarmRunCostsTable(machines.create(model));

        Files.delete(jar);
        PluginWait.gone(context, SampleBundleTest.NAME);
        // the bundle's own state as well as its absence from the bundle list: Felix drops it from the
        // list before it sets UNINSTALLED, and a loaded machine shows the gap
        PluginWait.until(() -> b.getState() == Bundle.UNINSTALLED && bundle().isEmpty(),
                "the example bundle uninstalled and no longer listed");
    }

    @Test
    void cfgFileConfiguresTheComponent() throws Exception {
        SampleBundleBuilder.build(context, SampleBundleTest.EXAMPLE, plugins.resolve(SampleBundleTest.EXAMPLE + ".jar"));
        assertEquals(66, PluginWait.service(context, "(name=" + SampleBundleTest.NAME + ")").clockMHz());

        Path cfg = plugins.resolve(PID + ".cfg");
        write(cfg, "# the example processor at 100 MHz\nclockMHz=100\n");
        ProcessorModel at100 = PluginWait.service(context, "(&(name=" + SampleBundleTest.NAME + ")(clockMHz=100))");
        assertEquals(100, at100.clockMHz(), "configured through " + cfg.getFileName());
        assertEquals(1, PluginWait.references(context, "(name=" + SampleBundleTest.NAME + ")").size(),
                "one model: DS replaced the component, it did not add one");

        Files.delete(cfg);
        ProcessorModel back = PluginWait.service(context, "(&(name=" + SampleBundleTest.NAME + ")(clockMHz=66))");
        assertEquals(66, back.clockMHz(), "the default again once the .cfg is gone");
    }

    @Test
    void mechanismBundleDroppedInIsOfferedAndGoesWhenDeleted(@InjectService(timeout = Await.MILLIS) Kernel kernel)
            throws Exception {
        String name = SampleBundleMechanismTest.NAME;
        PluginWait.until(() -> kernel.mechanisms().contains("l3") && !kernel.mechanisms().contains(name),
                "l3 offered, " + name + " not yet");
        Path jar = SampleBundleBuilder.build(context, SampleBundleMechanismTest.EXAMPLE,
                plugins.resolve(SampleBundleMechanismTest.EXAMPLE + ".jar"));

        PluginWait.until(() -> kernel.mechanisms().contains(name), "the kernel to offer " + name);
        Bundle b = bundle(MECHANISM_BSN).orElseThrow();
        PluginWait.until(() -> b.getState() == Bundle.ACTIVE, "the example mechanism bundle active");
        assertTrue(b.getLocation().endsWith(jar.getFileName().toString()), "installed from the folder: " + b.getLocation());

        Files.delete(jar);
        PluginWait.until(() -> !kernel.mechanisms().contains(name), "the kernel to drop " + name);
        PluginWait.until(() -> b.getState() == Bundle.UNINSTALLED && bundle(MECHANISM_BSN).isEmpty(),
                "the example mechanism bundle uninstalled and no longer listed");
        assertTrue(kernel.mechanisms().contains("l3"), "the others stay: " + kernel.mechanisms());
    }

    /** Writes next to {@code file} and renames, so the watcher never reads half a file. */
    private static void write(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.getParent().getParent(), "cfg", ".tmp");
        Files.writeString(tmp, text, StandardCharsets.ISO_8859_1);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private Optional<Bundle> bundle() {
        return bundle(SampleBundleTest.BSN);
    }

    private Optional<Bundle> bundle(String bsn) {
        return Arrays.stream(context.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).findFirst();
    }
}

package org.l3wb.it.hw;

import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.kernel.api.Kernel;
import org.l3wb.kernel.api.Switches;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * The example IPC mechanism bundle, examples/mechanism-relay, built from its source at run time and
 * installed: the kernel offers {@code relay}, a nucleus booted with it answers calls with the right
 * content, at a few cycles more than {@code l3} (its hand-over to L3's thread IPC), and the kernel
 * no longer offers it once the bundle is uninstalled.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class SampleBundleMechanismTest {
    static final String EXAMPLE = "mechanism-relay";
    static final String NAME = "relay";

    @InjectBundleContext
    BundleContext context;

    @Test
    void exampleMechanismBuiltAtRunTimeAnswersCallsAndGoes(@InjectService(timeout = Await.MILLIS) Kernel kernel,
            @InjectService MachineFactory machines,
            @InjectService(filter = "(name=i486dx50)") ProcessorModel dx50, @TempDir Path tmp) throws Exception {
        PluginWait.until(() -> kernel.mechanisms().contains("l3") && !kernel.mechanisms().contains(NAME),
                "l3 offered, relay not yet");
        Path jar = SampleBundleBuilder.build(context, EXAMPLE, tmp.resolve(EXAMPLE + ".jar"));
        Bundle bundle;
        try (InputStream in = Files.newInputStream(jar)) {
            bundle = context.installBundle(jar.toUri().toString(), in);
        }
        try {
            assertEquals("com.example.ipc.relay", bundle.getSymbolicName());
            assertEquals("OSGI-INF/com.example.ipc.RelayIpc.xml", bundle.getHeaders().get("Service-Component"));
            bundle.start();
            PluginWait.until(() -> kernel.mechanisms().contains(NAME), "the kernel to offer " + NAME);

            long relay = EchoCalls.run(kernel.boot(machines.create(dx50), Switches.ALL_ON, NAME, "lazy"));
            long l3 = EchoCalls.run(kernel.boot(machines.create(dx50), Switches.ALL_ON, "l3", "lazy"));
            assertTrue(relay > l3 && relay < l3 + 7 * 50, "relay = l3 + its hand-over on each of the 6 sends: "
                    + relay + " cycles against l3's " + l3);
        } finally {
            bundle.uninstall();
        }
        PluginWait.until(() -> !kernel.mechanisms().contains(NAME), "the kernel to drop " + NAME);
        assertTrue(kernel.mechanisms().contains("l3"));
    }
}

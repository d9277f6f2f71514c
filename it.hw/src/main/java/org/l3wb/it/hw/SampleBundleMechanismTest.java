package org.l3wb.it.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.Kernel;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.api.Timeout;
import org.l3wb.kernel.api.UserContext;
import org.l3wb.kernel.api.UserProgram;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

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
    void exampleMechanismBuiltAtRunTimeAnswersCallsAndGoes(@InjectService(timeout = 5000) Kernel kernel,
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

            long relay = threeCalls(kernel.boot(machines.create(dx50), Switches.ALL_ON, NAME, "lazy"));
            long l3 = threeCalls(kernel.boot(machines.create(dx50), Switches.ALL_ON, "l3", "lazy"));
            assertTrue(relay > l3 && relay < l3 + 7 * 50, "relay = l3 + its hand-over on each of the 6 sends: "
                    + relay + " cycles against l3's " + l3);
        } finally {
            bundle.uninstall();
        }
        PluginWait.until(() -> !kernel.mechanisms().contains(NAME), "the kernel to drop " + NAME);
        assertTrue(kernel.mechanisms().contains("l3"));
    }

    /** A client calls a server three times; the server answers word0 + 1. @return the cycles it took */
    private static long threeCalls(Nucleus n) {
        int never = Timeout.pair(Timeout.NEVER, Timeout.NEVER);
        int[] replies = new int[3];
        ThreadId server = n.createThread(n.createTask(), new UserProgram() {
            boolean started;

            @Override
            public void run(UserContext u) {
                if (!started) {
                    started = true;
                    u.ipc(IpcOperation.RECEIVE, ThreadId.NIL, 0, 1, 0, 0, never);
                } else {
                    u.ipc(IpcOperation.REPLY_AND_RECEIVE_NEXT, u.source(), 1, 1, u.word0() + 1, 0, never);
                }
            }
        });
        n.createThread(n.createTask(), new UserProgram() {
            int calls;

            @Override
            public void run(UserContext u) {
                if (calls > 0) {
                    assertEquals(ResultCode.OK, u.result());
                    replies[calls - 1] = u.word0();
                }
                if (calls++ == 3) {
                    u.exit();
                } else {
                    u.ipc(IpcOperation.CALL, server, 1, 1, 100 * calls, 0, never);
                }
            }
        });
        long start = n.machine().statistics().now();
        assertTrue(n.run(() -> replies[2] != 0, 10_000_000L), "three calls answered");
        long cycles = n.machine().statistics().now() - start;
        assertEquals(101, replies[0]);
        assertEquals(201, replies[1]);
        assertEquals(301, replies[2]);
        n.checkInvariants();
        assertEquals(7, n.ipcCount(), "the server's first receive, three calls, three replies");
        assertFalse(n.mechanismName().isEmpty());
        return cycles;
    }
}

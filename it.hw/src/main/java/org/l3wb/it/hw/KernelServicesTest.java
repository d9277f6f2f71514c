package org.l3wb.it.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
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
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

/** The kernel bundles wire up through Declarative Services, and a booted nucleus runs IPC. */
@ExtendWith(ServiceExtension.class)
class KernelServicesTest {
    @Test
    void theKernelFindsTheMechanismsAndBothSchedulers(@InjectService(timeout = 5000) Kernel kernel) throws Exception {
        long deadline = System.currentTimeMillis() + 5000;
        while ((kernel.mechanisms().size() < 4 || kernel.schedulers().size() < 2)
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(List.of("dash", "l3", "mach", "ports"), kernel.mechanisms());
        assertEquals(List.of("lazy", "strict"), kernel.schedulers());
    }

    @Test
    void aCallIsAnsweredInsideTheFramework(@InjectService(timeout = 5000) Kernel kernel,
                                           @InjectService(timeout = 5000) MachineFactory machines,
                                           @InjectService(timeout = 5000, filter = "(name=i486dx50)") ProcessorModel dx50)
            throws Exception {
        long deadline = System.currentTimeMillis() + 5000;
        while (kernel.mechanisms().isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        Nucleus n = kernel.boot(machines.create(dx50), Switches.ALL_ON, "l3", "lazy");
        int never = Timeout.pair(Timeout.NEVER, Timeout.NEVER);
        int[] replies = new int[1];
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
                    replies[0] = u.word0();
                }
                if (calls++ == 3) {
                    u.exit();
                } else {
                    u.ipc(IpcOperation.CALL, server, 1, 1, 100 * calls, 0, never);
                }
            }
        });
        assertTrue(n.run(() -> replies[0] == 301, 10_000_000L));
        n.checkInvariants();
        assertEquals(7, n.ipcCount(), "the server's first receive, three calls, three replies");
    }
}

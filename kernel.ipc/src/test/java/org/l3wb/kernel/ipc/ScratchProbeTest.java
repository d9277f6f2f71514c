package org.l3wb.kernel.ipc;

import static org.l3wb.kernel.ipc.KernelFixture.NEVER;

import org.junit.jupiter.api.Test;
import org.l3wb.kernel.api.Dope;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.ipc.KernelFixture.Script;

class ScratchProbeTest {
    static synchronized void log(String m) { try { java.nio.file.Files.writeString(java.nio.file.Path.of("/tmp/scratch/probe.txt"), m + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND); } catch (Exception e) { throw new RuntimeException(e); } }
    @Test
    void unmappedTargetInMappedRegion() throws Exception {
        KernelFixture k = new KernelFixture();
        int a = k.nucleus.createTask();
        int b = k.nucleus.createTask();
        int MESSAGE = 0x1000_0000, STRING = 0x1200_0000, BUFFER = 0x1100_0000;
        Dope dope = new Dope(0, 1, 0);
        k.nucleus.mapUser(a, MESSAGE, 1, true);
        k.nucleus.mapUser(a, STRING, 1, true);
        k.nucleus.poke(a, MESSAGE, dope.encode());
        k.nucleus.poke(a, MESSAGE + dope.stringDescriptor(0), STRING);
        k.nucleus.poke(a, MESSAGE + dope.stringDescriptor(0) + 4, 100);
        k.nucleus.mapUser(b, BUFFER, 1, true);
        k.nucleus.poke(b, BUFFER + 4, dope.encode());
        k.nucleus.poke(b, BUFFER + dope.stringDescriptor(0) + 8, BUFFER + 0x8000);
        k.nucleus.poke(b, BUFFER + dope.stringDescriptor(0) + 12, 100);
        Script r = new Script().call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, BUFFER, 0, 0, NEVER);
        ThreadId rid = k.nucleus.createThread(b, r);
        Script s = new Script().call(IpcOperation.SEND, () -> rid, MESSAGE, 0, 1, 2, NEVER);
        k.nucleus.createThread(a, s);
        Thread t = new Thread(() -> {
            try {
                boolean ok = k.nucleus.run(() -> s.finished(), 50_000_000L);
                log("PROBE run -> " + ok + " sender " + s.outcomes + " receiver " + r.outcomes);
            } catch (Throwable e) {
                java.io.StringWriter sw = new java.io.StringWriter(); e.printStackTrace(new java.io.PrintWriter(sw)); log("PROBE exc " + sw);
            }
        });
        t.setDaemon(true);
        t.start();
        t.join(5000);
        log("PROBE alive after 5s: " + t.isAlive() + " cycles " + k.machine.cpu().cycles());
    }
}

package org.l3wb.lab.ipc;

import java.util.ArrayList;
import java.util.List;

import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.Statistics;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.Kernel;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.api.Timeout;
import org.l3wb.kernel.api.UserContext;
import org.l3wb.kernel.api.UserProgram;
import org.l3wb.lab.format.Table;
import org.l3wb.lab.reference.PaperFigures;

/**
 * Section 7.2's page transfer: "L3 (Dash-like) ipc takes 8+n µs transferring n pages (including
 * access to each page in the receiver's address space)". A client and a server in two address spaces
 * play ping-pong with n-page Dash messages under the {@code dash} mechanism: the client calls the
 * server with n pages of its ipc region; the pages leave the client and appear at the same addresses
 * in the server, which reads one word of each (MOV at user level, so each page costs the receiver its
 * TLB miss) and sends them back with reply-and-receive-next; the client reads one word of each page
 * it got back. Every round trip thus moves the same n frames there and back, and time per transfer is
 * the total over the measured round trips divided by twice their number, like section 6's time per
 * IPC. Every word read is checked against what the client wrote into the page at set-up, and every
 * reply must carry the page descriptor back, so a run that moves wrong pages fails instead of timing.
 *
 * <p>Register convention of {@code dash} (kernel.dash's DashIpc): ECX of a send is the first page's
 * address ORed with the page count; the receiver gets that descriptor in ECX.
 */
public final class DashTransfer {
    /**
     * The ipc region, 1 MB at the same address in every space: a copy of kernel.dash's
     * {@code IpcRegion.BASE}, which the lab may not import (it depends on the API bundles only).
     * Keep the two equal.
     */
    static final int IPC_REGION = 0x7F00_0000;
    static final int IPC_REGION_PAGES = 256;
    /** The series of section 7.2 we print: n = 1 .. 16 pages. */
    public static final int SERIES_PAGES = 16;
    static final int WARM_UP_ROUNDS = 20;
    /** The word each side reads in a page: its first (the message's header, say). */
    static final int TOUCH_OFFSET = 0;

    /** What to run. */
    public record Config(ProcessorModel model, String scheduler, Switches switches, int pages, int rounds) {
        public Config {
            if (pages < 1 || pages > IPC_REGION_PAGES) {
                throw new IllegalArgumentException("pages must be 1.." + IPC_REGION_PAGES + ", got " + pages);
            }
            if (rounds <= 0) {
                throw new IllegalArgumentException("rounds must be positive, got " + rounds);
            }
        }
    }

    /** What one run measured; per-transfer figures are over 2 x rounds one-way transfers. */
    public record Result(Config config, long cycles, long transfers, double cyclesPerTransfer,
                         double microsPerTransfer, double tlbMissesPerTransfer, double cacheMissesPerTransfer) {
    }

    private final MachineFactory machines;
    private final Kernel kernel;

    public DashTransfer(MachineFactory machines, Kernel kernel) {
        this.machines = machines;
        this.kernel = kernel;
    }

    /** @return the measurement; fails if a page arrived wrong or a transfer failed */
    public Result run(Config c) {
        if (!kernel.mechanisms().contains("dash")) {
            throw new IllegalStateException("no IPC mechanism 'dash': is bundle kernel.dash active? installed are "
                    + String.join(", ", kernel.mechanisms()));
        }
        Setup s = new Setup(c);
        s.rounds(WARM_UP_ROUNDS);
        Statistics before = s.machine.statistics().copy();
        s.rounds(c.rounds());
        Statistics d = s.machine.statistics().since(before);
        double transfers = 2.0 * c.rounds();
        return new Result(c, d.now(), (long) transfers, d.now() / transfers, s.machine.micros(d.now()) / transfers,
                d.tlbMisses() / transfers, d.cacheMisses() / transfers);
    }

    /**
     * Section 7.2's series: µs per n-page transfer for n = 1 .. {@code maxPages}, beside 8 + n µs.
     * Runs go to separate machines on the host's cores; each machine is deterministic.
     */
    public Table series(ProcessorModel model, String scheduler, Switches switches, int rounds, int maxPages) {
        return table(measure(model, scheduler, switches, rounds, maxPages), model);
    }

    /** @return one run per page count 1 .. {@code maxPages}, in order */
    public List<Result> measure(ProcessorModel model, String scheduler, Switches switches, int rounds, int maxPages) {
        List<Config> configs = new ArrayList<>();
        for (int n = 1; n <= maxPages; n++) {
            configs.add(new Config(model, scheduler, switches, n, rounds));
        }
        return runAll(configs);
    }

    /** @return the series table of {@link #measure}'s results */
    public static Table table(List<Result> results, ProcessorModel model) {
        Table t = new Table("pages", "simulated", "paper", "deviation", "unit");
        for (Result r : results) {
            int n = r.config().pages();
            // the paper's figure is for its 486 DX-50; other processors get none
            Double paper = model.name().equals("i486dx50") ? PaperFigures.dashMicros(n) : null;
            t.row(n, Experiments.round(r.microsPerTransfer(), 2), paper,
                    Experiments.deviation(r.microsPerTransfer(), paper), "us");
        }
        return t;
    }

    private List<Result> runAll(List<Config> configs) {
        return Parallel.map(configs, this::run);
    }

    /** A booted nucleus with the client owning n pages of its ipc region, the server none. */
    private final class Setup {
        final Machine machine;
        final Nucleus nucleus;
        final Config c;
        final int descriptor;
        final ThreadId server;
        int target;
        int completed;
        int sequence;

        Setup(Config c) {
            this.c = c;
            this.machine = machines.create(c.model());
            this.nucleus = kernel.boot(machine, c.switches(), "dash", c.scheduler());
            int clientTask = nucleus.createTask();
            int serverTask = nucleus.createTask();
            nucleus.mapUser(clientTask, IPC_REGION, c.pages(), true);
            for (int i = 0; i < c.pages(); i++) {
                nucleus.poke(clientTask, page(i) + TOUCH_OFFSET, tag(i));
            }
            descriptor = IPC_REGION | c.pages();
            server = nucleus.createThread(serverTask, new Server());
            nucleus.createThread(clientTask, new Client());
        }

        int page(int i) {
            return IPC_REGION + i * PageFlags.PAGE_SIZE;
        }

        int tag(int i) {
            return 0xDA50_0000 | i;
        }

        void rounds(int n) {
            target = completed + n;
            if (!nucleus.run(() -> completed >= target, 2_000_000_000L)) {
                throw new IllegalStateException("page transfer stalled after " + completed + " rounds");
            }
        }

        /**
         * The receiver's access to each page: MOV EAX, [ESI]; ADD ESI, 4096; DEC ECX; JNZ. Checks each
         * word read (free: the workload's bookkeeping, not its cost).
         */
        void touchPages(UserContext u, String who) {
            Processor cpu = u.cpu();
            cpu.alu(); // MOV ESI, ECX: the descriptor's first page
            cpu.alu(); // AND ECX, 0FFFh: count
            int loop = cpu.eip();
            for (int i = 0; i < c.pages(); i++) {
                int word = cpu.load(page(i) + TOUCH_OFFSET);
                if (word != tag(i)) {
                    throw new IllegalStateException(who + " read " + Integer.toHexString(word) + " in page " + i
                            + ", expected " + Integer.toHexString(tag(i)));
                }
                cpu.alu(); // ADD ESI, 4096
                cpu.alu(); // DEC ECX
                cpu.jcc(i < c.pages() - 1, loop); // JNZ
            }
        }

        void check(UserContext u, String what) {
            u.cpu().alu(); // TEST EAX, EAX
            u.cpu().jcc(false);
            if (u.result() != ResultCode.OK) {
                throw new IllegalStateException(what + " failed: " + u.result());
            }
            if (u.word1() != descriptor) {
                throw new IllegalStateException(what + " carried descriptor " + Integer.toHexString(u.word1())
                        + ", expected " + Integer.toHexString(descriptor));
            }
        }

        /** The client: call the server with the pages, read each page of the reply. */
        final class Client implements UserProgram {
            boolean started;

            @Override
            public void run(UserContext u) {
                if (started) {
                    check(u, "reply");
                    touchPages(u, "client");
                    u.cpu().alu(); // DEC the loop counter (the loop's JMP is the stub's)
                    completed++;
                }
                started = true;
                sequence++;
                u.ipc(IpcOperation.CALL, server, descriptor, 1, sequence, 0,
                        Timeout.pair(Timeout.NEVER, Timeout.NEVER));
            }
        }

        /** The server: receive from anyone, read each page, send the pages back and receive the next. */
        final class Server implements UserProgram {
            boolean started;

            @Override
            public void run(UserContext u) {
                if (!started) {
                    started = true;
                    u.ipc(IpcOperation.RECEIVE, ThreadId.NIL, 0, 1, 0, 0, Timeout.pair(Timeout.NEVER, Timeout.NEVER));
                    return;
                }
                check(u, "request");
                touchPages(u, "server");
                u.ipc(IpcOperation.REPLY_AND_RECEIVE_NEXT, u.source(), u.word1(), 1, u.word0(), 0,
                        Timeout.pair(Timeout.NEVER, Timeout.NEVER));
            }
        }
    }
}

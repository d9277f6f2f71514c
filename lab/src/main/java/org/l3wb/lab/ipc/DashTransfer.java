package org.l3wb.lab.ipc;

import java.util.ArrayList;
import java.util.List;

import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.api.Statistics;
import org.l3wb.kernel.api.Dope;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.Kernel;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Switch;
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
 *
 * <p>Beside it, the same n-page ping-pong with L3's own page messages, memory objects (5.2.2) under
 * {@code l3}: the kernel maps the sender's pages read-only into the receiver's buffer region instead of
 * moving them, so both sides keep them. A region must be unmapped in the receiver before a memory
 * object lands there, and L3's workloads would unmap (flush) it after use; this series has no unmap in
 * the kernel API, so each receiver names a fresh region of its receive area for every message (one
 * user store into its buffer's object descriptor) and the pages of earlier rounds stay mapped. Fresh
 * regions cost their page-table lines a cache miss when the receiver's TLB miss walks them, where Dash
 * reuses its ipc region's; the difference is part of what the column shows.
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

    /** Where each side of the memory-object series receives: 256 MB each, a fresh region per message. */
    static final int SERVER_RECEIVE_AREA = 0x2000_0000;
    static final int CLIENT_RECEIVE_AREA = 0x3000_0000;
    static final int RECEIVE_AREA_PAGES = 65536;
    /** Message and buffer of each side for memory objects (dope and one object descriptor), as PingPong places them. */
    static final int CLIENT_MESSAGE = 0x1400_4610;
    static final int CLIENT_BUFFER = 0x1402_5E30;
    static final int SERVER_MESSAGE = 0x1404_66A0;
    static final int SERVER_BUFFER = 0x1406_7EB0;

    /** How the pages travel. */
    public enum PageMessage {
        /** Dash-like (7.2): removed from the sender, mapped at the same address in the receiver ({@code dash}). */
        DASH("dash"),
        /** L3 memory objects (5.2.2): mapped read-only into the receiver's buffer region, kept by the sender ({@code l3}). */
        L3_MEMORY_OBJECT("l3");

        private final String mechanism;

        PageMessage(String mechanism) {
            this.mechanism = mechanism;
        }

        /** @return the IPC mechanism that carries this kind of page message */
        public String mechanism() {
            return mechanism;
        }
    }

    /** What to run. */
    public record Config(ProcessorModel model, String scheduler, Switches switches, int pages, int rounds,
                         PageMessage kind) {
        public Config {
            if (pages < 1 || pages > IPC_REGION_PAGES) {
                throw new IllegalArgumentException("pages must be 1.." + IPC_REGION_PAGES + ", got " + pages);
            }
            if (rounds <= 0) {
                throw new IllegalArgumentException("rounds must be positive, got " + rounds);
            }
            PingPong.Limit limit = maxRounds(model, pages, kind);
            if (rounds > limit.rounds()) {
                throw new IllegalArgumentException(limit.message(kind == PageMessage.DASH
                        ? "Dash-like transfers of " + pages + " pages" : "memory objects of " + pages + " pages", rounds));
            }
        }

        /** @return the most round trips of {@code pages}-page transfers: the clock, and a memory object's fresh pages */
        public static PingPong.Limit maxRounds(ProcessorModel model, int pages, PageMessage kind) {
            PingPong.Limit limit = PingPong.maxRounds(model, (long) pages * PageFlags.PAGE_SIZE);
            if (kind == PageMessage.L3_MEMORY_OBJECT) {
                limit = limit.min(new PingPong.Limit(maxObjectRounds(pages), "each message lands in fresh pages of a "
                        + RECEIVE_AREA_PAGES + "-page receive area"));
            }
            return limit;
        }

        /** @return the most round trips a memory-object run of {@code pages} pages fits in its receive areas */
        static int maxObjectRounds(int pages) {
            return RECEIVE_AREA_PAGES / pages - WARM_UP_ROUNDS - 1;
        }

        /** A Dash-like transfer. */
        public Config(ProcessorModel model, String scheduler, Switches switches, int pages, int rounds) {
            this(model, scheduler, switches, pages, rounds, PageMessage.DASH);
        }
    }

    /**
     * What one run measured; per-transfer figures are over 2 x rounds one-way transfers. {@code segments}:
     * cycles per transfer in each slice of the run, measured as {@link PingPong.Result#segments()} are.
     */
    public record Result(Config config, long cycles, long transfers, double cyclesPerTransfer,
                         double microsPerTransfer, double tlbMissesPerTransfer, double cacheMissesPerTransfer,
                         List<Double> segments) {
        public Result {
            segments = List.copyOf(segments);
        }
    }

    private final MachineFactory machines;
    private final Kernel kernel;

    public DashTransfer(MachineFactory machines, Kernel kernel) {
        this.machines = machines;
        this.kernel = kernel;
    }

    /** @return the measurement; fails if a page arrived wrong or a transfer failed */
    public Result run(Config c) {
        String mechanism = c.kind().mechanism();
        if (!kernel.mechanisms().contains(mechanism)) {
            throw new IllegalStateException("no IPC mechanism '" + mechanism + "': installed are "
                    + String.join(", ", kernel.mechanisms()));
        }
        Setup s = c.kind() == PageMessage.DASH ? new Setup(c) : new MemoryObjectSetup(c);
        s.rounds(WARM_UP_ROUNDS);
        Statistics before = s.machine.statistics().copy();
        // in slices, as PingPong measures: the segments' statistics
        List<Double> segments = PingPong.slices(s.machine, before, c.rounds(), s::rounds, Experiments.Progress.NONE);
        Statistics d = s.machine.statistics().since(before);
        PingPong.requireBound(s.nucleus, mechanism);
        double transfers = 2.0 * c.rounds();
        return new Result(c, d.now(), (long) transfers, d.now() / transfers, s.machine.micros(d.now()) / transfers,
                d.tlbMisses() / transfers, d.cacheMisses() / transfers, segments);
    }

    /**
     * Section 7.2's series: µs per n-page transfer for n = 1 .. {@code maxPages}, beside 8 + n µs, and
     * the same transfers as L3 memory objects when {@code l3} is installed. Runs go to separate machines
     * on the host's cores; each machine is deterministic.
     */
    public Table series(ProcessorModel model, String scheduler, Switches switches, int rounds, int maxPages) {
        boolean withObjects = withObjects(switches);
        if (withObjects) {
            new Config(model, scheduler, switches, maxPages, rounds, PageMessage.L3_MEMORY_OBJECT); // bad rounds: fail now
        }
        List<Result> dash = measure(model, scheduler, switches, rounds, maxPages);
        List<Result> objects = withObjects
                ? measure(model, scheduler, switches, rounds, maxPages, PageMessage.L3_MEMORY_OBJECT)
                : List.of();
        return table(dash, objects, model);
    }

    /**
     * @return whether the series has the memory-object column: {@code l3} must be installed, and direct
     * transfer on (with it off, the model's twofold-copy kernel copies strings through its buffer and
     * carries no memory objects, so there is nothing of L3's to compare)
     */
    public boolean withObjects(Switches switches) {
        return kernel.mechanisms().contains(PageMessage.L3_MEMORY_OBJECT.mechanism())
                && switches.isOn(Switch.DIRECT_TRANSFER);
    }

    /** @return one Dash-like run per page count 1 .. {@code maxPages}, in order */
    public List<Result> measure(ProcessorModel model, String scheduler, Switches switches, int rounds, int maxPages) {
        return measure(model, scheduler, switches, rounds, maxPages, PageMessage.DASH);
    }

    /** @return one run per page count 1 .. {@code maxPages}, in order, with pages travelling as {@code kind} */
    public List<Result> measure(ProcessorModel model, String scheduler, Switches switches, int rounds, int maxPages,
            PageMessage kind) {
        List<Config> configs = new ArrayList<>();
        for (int n = 1; n <= maxPages; n++) {
            configs.add(new Config(model, scheduler, switches, n, rounds, kind));
        }
        return runAll(configs);
    }

    /** @return the series table of {@link #measure}'s Dash-like results */
    public static Table table(List<Result> results, ProcessorModel model) {
        return table(results, List.of(), model);
    }

    /**
     * @param dash    Dash-like results, one per page count
     * @param objects memory-object results for the same page counts, or empty (column left out)
     * @return pages, the Dash-like time beside 8 + n µs, then the memory-object time if measured
     */
    public static Table table(List<Result> dash, List<Result> objects, ProcessorModel model) {
        boolean withObjects = !objects.isEmpty();
        if (withObjects && objects.size() != dash.size()) {
            throw new IllegalArgumentException(objects.size() + " memory-object results for " + dash.size() + " Dash ones");
        }
        Table t = withObjects
                ? new Table("pages", "simulated", "paper", "deviation", "l3_memory_objects", "unit")
                : new Table("pages", "simulated", "paper", "deviation", "unit");
        for (int i = 0; i < dash.size(); i++) {
            Result r = dash.get(i);
            int n = r.config().pages();
            // the paper's figure is for its 486 DX-50; other processors get none
            Double paper = model.name().equals("i486dx50") ? PaperFigures.dashMicros(n) : null;
            double simulated = Experiments.round(r.microsPerTransfer(), 2);
            Double deviation = Experiments.deviation(r.microsPerTransfer(), paper);
            if (withObjects) {
                t.row(n, simulated, paper, deviation, Experiments.round(objects.get(i).microsPerTransfer(), 2), "us");
            } else {
                t.row(n, simulated, paper, deviation, "us");
            }
            t.samples(r.segments().stream().map(v -> v / model.clockMHz()).toList());
        }
        return t;
    }

    private List<Result> runAll(List<Config> configs) {
        // the dearest first on a shared pool: round trips times pages (an order, not a figure)
        return Parallel.map(configs, this::run, c -> (long) c.rounds() * (4 + c.pages()));
    }

    /** A booted nucleus with the client owning n pages of its ipc region, the server none. */
    private class Setup {
        final Machine machine;
        final Nucleus nucleus;
        final Config c;
        final int descriptor;
        final int clientTask;
        final int serverTask;
        ThreadId server;
        int target;
        int completed;
        int sequence;

        Setup(Config c) {
            this.c = c;
            this.machine = machines.create(c.model());
            this.nucleus = kernel.boot(machine, c.switches(), c.kind().mechanism(), c.scheduler());
            clientTask = nucleus.createTask();
            serverTask = nucleus.createTask();
            nucleus.mapUser(clientTask, IPC_REGION, c.pages(), true);
            for (int i = 0; i < c.pages(); i++) {
                nucleus.poke(clientTask, page(i) + TOUCH_OFFSET, tag(i));
            }
            descriptor = IPC_REGION | c.pages();
            createThreads();
        }

        void createThreads() {
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
            int before = completed;
            // only a step without one completed round trip is a stall (see PingPong's rounds)
            while (!nucleus.run(() -> completed >= target, PingPong.STALL_CYCLES)) {
                if (completed == before) {
                    throw new IllegalStateException("page transfer stalled: no round trip completed in "
                            + PingPong.STALL_CYCLES + " cycles, after " + completed + " rounds");
                }
                before = completed;
            }
        }

        /**
         * The receiver's access to each page: MOV EAX, [ESI]; ADD ESI, 4096; DEC ECX; JNZ. Checks each
         * word read (free: the workload's bookkeeping, not its cost).
         */
        void touchPages(UserContext u, String who) {
            touchPages(u, IPC_REGION, who);
        }

        /** The receiver's access to each page of the n pages at {@code base}; see {@link #touchPages(UserContext, String)}. */
        void touchPages(UserContext u, int base, String who) {
            Processor cpu = u.cpu();
            cpu.alu(Reg.ESI, Reg.ECX); // MOV ESI, ECX: the descriptor's first page
            cpu.alu(Reg.ECX, Reg.NONE); // AND ECX, 0FFFh: count
            int loop = cpu.eip();
            for (int i = 0; i < c.pages(); i++) {
                int word = cpu.load(Reg.EAX, Reg.ESI, base + i * PageFlags.PAGE_SIZE + TOUCH_OFFSET);
                if (word != tag(i)) {
                    throw new IllegalStateException(who + " read " + Integer.toHexString(word) + " in page " + i
                            + ", expected " + Integer.toHexString(tag(i)));
                }
                cpu.alu(Reg.ESI, Reg.NONE); // ADD ESI, 4096
                cpu.alu(Reg.ECX, Reg.NONE); // DEC ECX
                cpu.jcc(i < c.pages() - 1, loop); // JNZ
            }
        }

        void check(UserContext u, String what) {
            u.cpu().alu(Reg.EAX, Reg.EAX); // TEST EAX, EAX
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
                    u.cpu().alu(Reg.NONE, Reg.NONE); // DEC the loop counter (the loop's JMP is the stub's)
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
                u.ipc(IpcOperation.REPLY_AND_RECEIVE_NEXT, u.sourceUid(), u.word1(), 1, u.word0(), 0,
                        Timeout.pair(Timeout.NEVER, Timeout.NEVER));
            }
        }
    }

    /**
     * The same ping-pong with memory objects under {@code l3}: the client sends its n pages as one memory
     * object; the server receives them in a fresh region of its receive area, reads each page and sends
     * them back as a memory object of its own; the client receives them in a fresh region of its area and
     * reads each page. Before each IPC with a receive part the receiving side names its next region with
     * one store into its buffer's object descriptor.
     */
    private final class MemoryObjectSetup extends Setup {
        private static final Dope ONE_OBJECT = new Dope(0, 0, 1);
        private static final int OBJECT = ONE_OBJECT.objectDescriptor(0);
        /** Next page of each side's receive area. */
        int clientNext = CLIENT_RECEIVE_AREA;
        int serverNext = SERVER_RECEIVE_AREA;
        /** Where the server got the pages of the request it is serving. */
        int serverGot;
        int clientGot;

        MemoryObjectSetup(Config c) {
            super(c);
        }

        @Override
        void createThreads() {
            prepare(clientTask, CLIENT_MESSAGE, CLIENT_BUFFER);
            prepare(serverTask, SERVER_MESSAGE, SERVER_BUFFER);
            // the client always sends its own pages; the server sends back the region it got them in
            nucleus.poke(clientTask, CLIENT_MESSAGE + OBJECT + Dope.OBJECT_ADDRESS, IPC_REGION);
            server = nucleus.createThread(serverTask, new ObjectServer());
            nucleus.createThread(clientTask, new ObjectClient());
        }

        private void prepare(int task, int message, int buffer) {
            int first = message & PageFlags.FRAME_MASK;
            nucleus.mapUser(task, first, 1, true);
            int bufferPage = buffer & PageFlags.FRAME_MASK;
            if (bufferPage != first) {
                nucleus.mapUser(task, bufferPage, 1, true);
            }
            nucleus.poke(task, message + Dope.CURRENT, ONE_OBJECT.encode());
            nucleus.poke(task, message + OBJECT + Dope.OBJECT_PAGES, c.pages());
            nucleus.poke(task, buffer + Dope.MAXIMUM, ONE_OBJECT.encode());
            nucleus.poke(task, buffer + OBJECT + Dope.OBJECT_PAGES, c.pages());
        }

        /** MOV [buffer's object descriptor], region: the receiver names where the next object lands. */
        private int nextRegion(UserContext u, int buffer, int next) {
            u.cpu().store(Reg.NONE, buffer + OBJECT + Dope.OBJECT_ADDRESS, Reg.NONE, next);
            return next;
        }

        private void checkObject(UserContext u, int buffer, int expectedWord, String what) {
            u.cpu().alu(Reg.EAX, Reg.EAX); // TEST EAX, EAX
            u.cpu().jcc(false);
            if (u.result() != ResultCode.OK) {
                throw new IllegalStateException(what + " failed: " + u.result());
            }
            if (u.word0() != expectedWord) {
                throw new IllegalStateException(what + " carried " + u.word0() + ", expected " + expectedWord);
            }
            int got = u.peek(buffer + Dope.CURRENT);
            if (got != ONE_OBJECT.encode()) {
                throw new IllegalStateException(what + " arrived with dope " + Integer.toHexString(got)
                        + ", expected one memory object");
            }
        }

        final class ObjectClient implements UserProgram {
            boolean started;

            @Override
            public void run(UserContext u) {
                if (started) {
                    checkObject(u, CLIENT_BUFFER, sequence ^ 0x0B1E, "reply");
                    touchPages(u, clientGot, "client");
                    u.cpu().alu(Reg.NONE, Reg.NONE); // DEC the loop counter
                    completed++;
                }
                started = true;
                sequence++;
                clientGot = nextRegion(u, CLIENT_BUFFER, clientNext);
                clientNext += c.pages() * PageFlags.PAGE_SIZE;
                u.ipc(IpcOperation.CALL, server, CLIENT_MESSAGE, CLIENT_BUFFER, sequence, 0,
                        Timeout.pair(Timeout.NEVER, Timeout.NEVER));
            }
        }

        final class ObjectServer implements UserProgram {
            boolean started;

            @Override
            public void run(UserContext u) {
                if (started) {
                    int request = u.word0();
                    checkObject(u, SERVER_BUFFER, sequence, "request");
                    touchPages(u, serverGot, "server");
                    // reply with the pages where they arrived; receive the next request in a fresh region
                    u.cpu().store(Reg.NONE, SERVER_MESSAGE + OBJECT + Dope.OBJECT_ADDRESS, Reg.NONE, serverGot);
                    long client = u.sourceUid();
                    serverGot = nextRegion(u, SERVER_BUFFER, serverNext);
                    serverNext += c.pages() * PageFlags.PAGE_SIZE;
                    u.ipc(IpcOperation.REPLY_AND_RECEIVE_NEXT, client, SERVER_MESSAGE, SERVER_BUFFER,
                            request ^ 0x0B1E, 0, Timeout.pair(Timeout.NEVER, Timeout.NEVER));
                    return;
                }
                started = true;
                serverGot = nextRegion(u, SERVER_BUFFER, serverNext);
                serverNext += c.pages() * PageFlags.PAGE_SIZE;
                u.ipc(IpcOperation.RECEIVE, ThreadId.NIL, 0, SERVER_BUFFER, 0, 0,
                        Timeout.pair(Timeout.NEVER, Timeout.NEVER));
            }
        }
    }
}

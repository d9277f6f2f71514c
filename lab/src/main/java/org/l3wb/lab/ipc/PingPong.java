package org.l3wb.lab.ipc;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

import org.l3wb.hw.api.Reg;

import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.ProcessorModel;
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

/**
 * The paper's measurement (section 6): two threads in different address spaces play ping-pong with
 * n-byte messages; the client uses call, the server reply-and-receive-next; time per IPC is the
 * total over the measured round trips divided by twice their number.
 *
 * <p>Messages of up to 8 bytes travel in registers (when that switch is on); up to 1020 bytes as a
 * direct string; larger ones as one indirect string. Every received message is checked against what
 * was sent, so a run that moves wrong bytes fails instead of reporting a time.
 */
public final class PingPong {
    /*
     * Buffer placement: above 320 MB, so the directory entries of their region lie beside, not in, the
     * cache sets of the TCBs' first lines; pages in TLB sets 4..7 and lines in cache sets 97..114, away
     * from the kernel's hot lines (as a careful benchmark author, or 5.5.1, would place them).
     */
    static final int CLIENT_MESSAGE = 0x1400_4610;
    static final int CLIENT_BUFFER = 0x1402_5E30;
    static final int SERVER_MESSAGE = 0x1404_66A0;
    static final int SERVER_BUFFER = 0x1406_7EB0;
    static final int CLIENT_STRING = 0x1420_0200;
    static final int CLIENT_STRING_BUFFER = 0x1430_0300;
    static final int SERVER_STRING = 0x1440_0400;
    static final int SERVER_STRING_BUFFER = 0x1450_0500;
    /** Round trips run before any measurement, so that caches and TLB hold what the loop touches. */
    public static final int WARM_UP_ROUNDS = 20;
    static final int MAX_SIZE = 4 << 20;
    /** Progress reports per run (see {@link #run(Config, Experiments.Progress)}). */
    static final int PROGRESS_SLICES = 20;
    /**
     * A stall is this many cycles (40 s at 50 MHz) without one round trip completing: a round trip of
     * the largest message takes under 20 million.
     */
    static final long STALL_CYCLES = 2_000_000_000L;
    /** The run counts round trips in an int: the measured ones, the warm-up and the footprint's one. */
    static final int MAX_COUNTED_ROUNDS = Integer.MAX_VALUE - WARM_UP_ROUNDS - 1;
    /** The kernel's clock: milliseconds in one 32-bit word (5.3.3's base), about 49.7 days. */
    static final long CLOCK_MS = 1L << 32;
    /**
     * What one IPC may cost at most, for the clock's limit before a run: a fixed part and a part per
     * byte, each several times the dearest measured (mach's 8-byte IPC about 4,200 cycles, an IPC of
     * 4 MB about 2 cycles per byte, cache-flushed ones included).
     */
    static final long IPC_CYCLES_FIXED = 100_000;
    static final long IPC_CYCLES_PER_BYTE = 16;

    /** The most round trips a run supports, and what sets it. */
    public record Limit(int rounds, String why) {
        /** @return one line: {@code --rounds must be 1..N for WHAT (limit: WHY), got R} */
        public String message(String what, long got) {
            return "--rounds must be 1.." + rounds + " for " + what + " (limit: " + why + "), got " + got;
        }

        /** @return the tighter of this and {@code other} */
        public Limit min(Limit other) {
            return other.rounds < rounds ? other : this;
        }
    }

    /**
     * @return why {@code mechanism} cannot carry the ping-pong's {@code size}-byte messages under
     * {@code switches}, or null: {@code dash} reads a long message's address in ECX as a page
     * descriptor (kernel.dash), so it carries only messages of up to 8 bytes in registers
     */
    public static String unsupported(String mechanism, Switches switches, int size) {
        if ("dash".equals(mechanism) && (size > 8 || !switches.isOn(Switch.SHORT_MESSAGES_IN_REGISTERS))) {
            return "IPC mechanism 'dash' carries pages and messages of up to 8 bytes in registers only, not "
                    + (size > 8 ? size + "-byte messages" : "messages in memory (registers=off)")
                    + ": select another (ipc:use l3)";
        }
        return null;
    }

    /**
     * @return the most round trips of {@code bytes}-byte IPCs on {@code model}: the round-trip counter,
     * or the kernel's clock, whose 2^32 ms must not run out during the run
     */
    public static Limit maxRounds(ProcessorModel model, long bytes) {
        long roundCycles = 2 * (IPC_CYCLES_FIXED + IPC_CYCLES_PER_BYTE * bytes);
        long clockCycles = CLOCK_MS * model.clockMHz() * 1000L;
        long byClock = clockCycles / roundCycles - WARM_UP_ROUNDS - 1;
        if (byClock < MAX_COUNTED_ROUNDS) {
            return new Limit((int) Math.max(0, byClock), "the kernel's clock counts 2^32 ms, and a round trip of "
                    + bytes + " bytes may take up to " + roundCycles / (model.clockMHz() * 1000L) + " ms on "
                    + model.name());
        }
        return new Limit(MAX_COUNTED_ROUNDS, "round trips are counted in 32 bits");
    }

    /** What to run. */
    public record Config(ProcessorModel model, String mechanism, String scheduler, Switches switches, int size,
                         int rounds, boolean cold) {
        public Config {
            if (size < 0 || size > MAX_SIZE) {
                throw new IllegalArgumentException("message size must be 0.." + MAX_SIZE + " bytes, got " + size);
            }
            if (rounds <= 0) {
                throw new IllegalArgumentException("rounds must be positive, got " + rounds);
            }
            String unsupported = unsupported(mechanism, switches, size);
            if (unsupported != null) {
                throw new IllegalArgumentException(unsupported);
            }
            Limit limit = maxRounds(model, size);
            if (rounds > limit.rounds()) {
                throw new IllegalArgumentException(limit.message(size + "-byte messages", rounds));
            }
        }
    }

    /**
     * @return a rough estimate of {@code c}'s host time, only to start the dearest runs first on a shared
     * pool ({@link Parallel}): round trips times a cost per round trip growing with the size, the
     * Mach-style kernel's path some 35 times L3's (measured on this host: 2026-12-02, benchmarks/readme.md).
     * It orders runs; it enters no figure.
     */
    static long hostCost(Config c) {
        long perRound = "mach".equals(c.mechanism()) ? 300 + c.size() / 16 : 8 + c.size() / 64;
        return c.rounds() * perRound * (c.cold() ? 2 : 1);
    }

    /**
     * What one run measured; per-IPC figures are over 2 x rounds IPCs. {@code segments}: cycles per IPC in each
     * measured slice of the run (rounds / {@value #PROGRESS_SLICES} round trips each, the last one may be
     * shorter), in order: how steady the state is (their weighted mean is {@code cyclesPerIpc}); empty where
     * a run is not sliced.
     */
    public record Result(Config config, long cycles, long ipcs, double cyclesPerIpc, double microsPerIpc,
                         double tlbMissesPerIpc, double cacheMissesPerIpc, int footprintBytes, List<Double> segments) {
        public Result {
            segments = List.copyOf(segments);
        }
    }

    private final MachineFactory machines;
    private final Kernel kernel;
    private final long stallCycles;

    public PingPong(MachineFactory machines, Kernel kernel) {
        this(machines, kernel, STALL_CYCLES);
    }

    /** @param stallCycles cycles without a completed round trip that make a stall (tests make it small) */
    PingPong(MachineFactory machines, Kernel kernel, long stallCycles) {
        this.machines = machines;
        this.kernel = kernel;
        this.stallCycles = stallCycles;
    }

    /** @return the measurement; fails if a message arrived wrong or an IPC failed */
    public Result run(Config c) {
        return run(c, Experiments.Progress.NONE);
    }

    /**
     * As {@link #run(Config)}, telling {@code progress} the measured round trips done, twenty times per
     * run. (Pausing the simulation between slices changes nothing it computes: the figures are the
     * same bit for bit.)
     */
    public Result run(Config c, Experiments.Progress progress) {
        Setup s = new Setup(c);
        s.rounds(WARM_UP_ROUNDS);
        Statistics before = s.machine.statistics().copy();
        requireBound(s.nucleus, c.mechanism());
        List<Double> segments = slices(s.machine, before, c.rounds(), s::rounds, progress);
        Statistics d = s.machine.statistics().since(before);
        requireBound(s.nucleus, c.mechanism());
        double ipcs = 2.0 * c.rounds();
        // cache footprint (section 6): flush, one ping-pong, count the valid lines
        s.machine.cache().flush();
        boolean cold = s.cold;
        s.cold = false;
        s.rounds(1);
        s.cold = cold;
        int footprint = s.machine.cache().validLines() * s.machine.cache().geometry().lineBytes();
        return new Result(c, d.now(), (long) ipcs, d.now() / ipcs, s.machine.micros(d.now()) / ipcs,
                d.tlbMisses() / ipcs, d.cacheMisses() / ipcs, footprint, segments);
    }

    /**
     * Runs {@code rounds} measured round trips ({@code run} runs n of them) in {@link #PROGRESS_SLICES}
     * slices, telling {@code progress} after each; stopping between slices changes no figure.
     *
     * @return each slice's cycles per transfer (two per round trip), counted from {@code before}: the
     * segments whose statistics the report gives beside the mean
     */
    static List<Double> slices(Machine machine, Statistics before, int rounds, IntConsumer run,
            Experiments.Progress progress) {
        int slice = Math.max(1, rounds / PROGRESS_SLICES);
        List<Double> segments = new ArrayList<>();
        Statistics sliceStart = before;
        for (int done = 0; done < rounds; ) {
            int n = Math.min(slice, rounds - done);
            run.accept(n);
            done += n;
            Statistics now = machine.statistics().copy();
            segments.add(now.since(sliceStart).now() / (2.0 * n));
            sliceStart = now;
            progress.runs(done, rounds);
        }
        return segments;
    }

    /**
     * A figure is only the named mechanism's if that mechanism ran it: the kernel carries a running
     * workload on with the next available mechanism when the bound one's bundle stops (or boots with
     * it when the named one is missing), which is right for a workload and wrong for a measurement.
     */
    static void requireBound(Nucleus nucleus, String mechanism) {
        String bound = nucleus.boundMechanism();
        if (!mechanism.equals(bound)) {
            throw new IllegalStateException("IPC mechanism '" + mechanism + "' is not installed"
                    + (bound == null ? " (none is)" : ": the kernel ran '" + bound + "' instead")
                    + "; no figure reported");
        }
    }

    /**
     * A booted ping-pong driven round by round, for benchmarks that time the host: the same machine,
     * kernel and programs {@link #run} measures, without its warm-up.
     */
    public final class Session {
        private final Setup setup;

        private Session(Config c) {
            setup = new Setup(c);
        }

        /** Runs {@code n} more round trips (2n IPCs); fails if a message arrives wrong. */
        public void rounds(int n) {
            setup.rounds(n);
        }

        /** @return round trips completed so far */
        public int completed() {
            return setup.completed;
        }

        public Machine machine() {
            return setup.machine;
        }

        public Nucleus nucleus() {
            return setup.nucleus;
        }

        /** @return the client, the paper's thread A: it calls */
        public ThreadId client() {
            return setup.client;
        }

        /** @return the server, thread B: it replies and receives the next request */
        public ThreadId server() {
            return setup.server;
        }

        /** @return the client's task (address space) */
        public int clientTask() {
            return setup.clientTask;
        }

        /** @return the server's task */
        public int serverTask() {
            return setup.serverTask;
        }

        /**
         * @return the user areas the ping-pong mapped for its messages, each with the task it lies in
         * (for naming the pages a trace touches)
         */
        public java.util.List<Area> areas() {
            return setup.areas;
        }
    }

    /** A user area the ping-pong mapped: its name ("message", "receive buffer", ...), task, start and length. */
    public record Area(String name, int task, int start, int bytes) {
    }

    /** @return a booted ping-pong, not yet run */
    public Session start(Config c) {
        return new Session(c);
    }

    /** A booted nucleus with the two threads, driven round by round. */
    private final class Setup {
        final Machine machine;
        final Nucleus nucleus;
        final Config c;
        final boolean registers;
        final boolean replyAndWait;
        final ThreadId server;
        final ThreadId client;
        final int clientTask;
        final int serverTask;
        final java.util.List<Area> areas = new java.util.ArrayList<>();
        /** How the client names the server under the mechanism: its uid (l3), a port index (ports). */
        final ThreadId serverEndpoint;
        boolean cold;
        int target;
        int completed;
        /** Whether the rounds asked for are done: one object, not a lambda per {@link #rounds} call. */
        private final BooleanSupplier done = () -> completed >= target;
        int sequence;

        Setup(Config c) {
            this.c = c;
            this.cold = c.cold();
            this.machine = machines.create(c.model());
            this.nucleus = kernel.boot(machine, c.switches(), c.mechanism(), c.scheduler());
            this.registers = c.size() <= 8 && c.switches().isOn(Switch.SHORT_MESSAGES_IN_REGISTERS);
            this.replyAndWait = c.switches().isOn(Switch.REPLY_AND_WAIT);
            clientTask = nucleus.createTask();
            serverTask = nucleus.createTask();
            prepare(clientTask, CLIENT_MESSAGE, CLIENT_BUFFER, CLIENT_STRING, CLIENT_STRING_BUFFER);
            prepare(serverTask, SERVER_MESSAGE, SERVER_BUFFER, SERVER_STRING, SERVER_STRING_BUFFER);
            server = nucleus.createThread(serverTask, new Server());
            client = nucleus.createThread(clientTask, new Client());
            serverEndpoint = nucleus.endpoint(client, server);
        }

        private int directBytes() {
            return c.size() <= 1020 ? c.size() : 0;
        }

        private int stringBytes() {
            return c.size() > 1020 ? c.size() : 0;
        }

        /** Maps the message, the receive buffer and the string areas, and writes their dopes. */
        private void prepare(int task, int message, int buffer, int string, int stringBuffer) {
            int directDwords = (directBytes() + 3) / 4;
            int strings = stringBytes() > 0 ? 1 : 0;
            Dope dope = new Dope(directDwords, strings, 0);
            map(task, message, dope.messageBytes());
            map(task, buffer, dope.messageBytes());
            areas.add(new Area("message", task, message, Math.max(dope.messageBytes(), 4)));
            areas.add(new Area("receive buffer", task, buffer, Math.max(dope.messageBytes(), 4)));
            if (registers) {
                return;
            }
            nucleus.poke(task, message + Dope.CURRENT, dope.encode());
            nucleus.poke(task, buffer + Dope.MAXIMUM, dope.encode());
            if (strings > 0) {
                map(task, string, stringBytes());
                map(task, stringBuffer, stringBytes());
                areas.add(new Area("string", task, string, stringBytes()));
                areas.add(new Area("string buffer", task, stringBuffer, stringBytes()));
                int sd = message + dope.stringDescriptor(0);
                nucleus.poke(task, sd + Dope.STRING_ADDRESS, string);
                nucleus.poke(task, sd + Dope.STRING_LENGTH, stringBytes());
                int rd = buffer + dope.stringDescriptor(0);
                nucleus.poke(task, rd + Dope.STRING_BUFFER, stringBuffer);
                nucleus.poke(task, rd + Dope.STRING_BUFFER_SIZE, stringBytes());
            }
        }

        private void map(int task, int address, int bytes) {
            int first = address & PageFlags.FRAME_MASK;
            int pages = (int) (((long) address + Math.max(bytes, 4) - 1 - first) / PageFlags.PAGE_SIZE) + 1;
            nucleus.mapUser(task, first, pages, true);
        }

        /**
         * Runs until {@code n} more round trips are done. The kernel is run in bounded steps, and only a
         * step in which no round trip completed is a stall: a cap on the whole slice would take a long
         * run for a stalled one. Stopping and resuming the kernel between steps changes nothing it
         * computes.
         */
        void rounds(int n) {
            target = completed + n;
            int before = completed;
            while (!nucleus.run(done, stallCycles)) {
                if (completed == before) {
                    throw new IllegalStateException("ping-pong stalled: no round trip completed in " + stallCycles
                            + " cycles, after " + completed + " rounds");
                }
                before = completed;
            }
        }

        int send(UserContext u, int message) {
            return registers ? 1 : message;
        }

        /** The client: call the server with sequence number and size, check the reply. */
        final class Client implements UserProgram {
            boolean started;

            @Override
            public void run(UserContext u) {
                    if (started) {
                    u.cpu().alu(Reg.EAX, Reg.EAX); // TEST EAX, EAX: did the call succeed?
                    u.cpu().jcc(false);
                    u.cpu().alu(Reg.NONE, Reg.NONE); // DEC the loop counter (the loop's JMP is the stub's)
                    check(u, CLIENT_BUFFER, CLIENT_STRING_BUFFER, sequence ^ 0x5EED, "reply");
                    completed++;
                }
                started = true;
                sequence++;
                fill(u, CLIENT_MESSAGE, CLIENT_STRING, sequence);
                if (cold) {
                    machine.cache().flush();
                }
                u.ipc(IpcOperation.CALL, serverEndpoint, send(u, CLIENT_MESSAGE), registers ? 1 : CLIENT_BUFFER, sequence,
                        c.size(), Timeout.pair(Timeout.NEVER, Timeout.NEVER));
            }
        }

        /**
         * The server: receive from anyone first, then reply and receive the next request in one
         * system call, or, with reply-and-wait switched off, send the reply and then receive.
         */
        final class Server implements UserProgram {
            boolean started;
            boolean replied;

            @Override
            public void run(UserContext u) {
                if (!started || replied) {
                    if (replied) {
                        u.cpu().alu(Reg.EAX, Reg.EAX); // TEST EAX, EAX: the reply went out
                        u.cpu().jcc(false);
                    }
                    started = true;
                    replied = false;
                    u.ipc(IpcOperation.RECEIVE, ThreadId.NIL, 0, registers ? 1 : SERVER_BUFFER, 0, 0,
                            Timeout.pair(Timeout.NEVER, Timeout.NEVER));
                    return;
                }
                u.cpu().alu(Reg.EAX, Reg.EAX); // TEST EAX, EAX
                u.cpu().jcc(false);
                int request = u.word0();
                check(u, SERVER_BUFFER, SERVER_STRING_BUFFER, request, "request");
                long client = u.sourceUid(); // passed back as it came: no ThreadId per round trip
                fill(u, SERVER_MESSAGE, SERVER_STRING, request ^ 0x5EED);
                if (cold) {
                    machine.cache().flush();
                }
                if (!replyAndWait) {
                    replied = true;
                    u.ipc(IpcOperation.SEND, client, send(u, SERVER_MESSAGE), 0, request ^ 0x5EED, c.size(),
                            Timeout.pair(Timeout.NEVER, Timeout.NEVER));
                    return;
                }
                u.ipc(IpcOperation.REPLY_AND_RECEIVE_NEXT, client, send(u, SERVER_MESSAGE),
                        registers ? 1 : SERVER_BUFFER, request ^ 0x5EED, c.size(),
                        Timeout.pair(Timeout.NEVER, Timeout.NEVER));
            }
        }

        /** Writes the message's first and last dword (free: the workload's data, not the IPC's cost). */
        private void fill(UserContext u, int message, int string, int value) {
            if (registers) {
                return;
            }
            if (directBytes() >= 4) {
                u.poke(message + Dope.DIRECT, value);
                u.poke(message + Dope.DIRECT + ((directBytes() - 4) & ~3), value);
            }
            if (stringBytes() > 0) {
                u.poke(string, value);
                u.poke(string + ((stringBytes() - 4) & ~3), value);
            }
        }

        private void check(UserContext u, int buffer, int stringBuffer, int expected, String what) {
            if (u.result() != ResultCode.OK) {
                throw new IllegalStateException(what + " failed: " + u.result());
            }
            if (u.word0() != expected) {
                throw new IllegalStateException(what + " carried " + u.word0() + ", expected " + expected);
            }
            if (registers) {
                return;
            }
            if (directBytes() >= 4) {
                int last = buffer + Dope.DIRECT + ((directBytes() - 4) & ~3);
                if (u.peek(buffer + Dope.DIRECT) != expected || u.peek(last) != expected) {
                    throw new IllegalStateException(what + "'s direct string arrived wrong");
                }
            }
            if (stringBytes() > 0) {
                if (u.peek(stringBuffer) != expected || u.peek(stringBuffer + ((stringBytes() - 4) & ~3)) != expected) {
                    throw new IllegalStateException(what + "'s indirect string arrived wrong");
                }
            }
        }
    }
}

package org.l3wb.kernel.ipc;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.l3wb.hw.api.Reg;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.kernel.api.Dope;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.KernelLayout;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.api.Timeout;
import org.l3wb.kernel.api.UserContext;
import org.l3wb.kernel.api.UserProgram;
import org.l3wb.kernel.core.testing.ProtectedMemory;

/**
 * One random IPC workload on a booted nucleus, built from a seed, run in slices, and checked
 * against what the IPC interface promises. {@link #run()} returns the violations found (empty when
 * the kernel behaved); {@link #report()} prints them with the whole scenario, each system call with
 * its outcome; {@code new IpcScenario(seed, options).run()} replays a scenario exactly (for the
 * same kernel), and {@link #tracer} prints each call as it is made, with every TCB's state and
 * queue links.
 *
 * <p>Set-up: 2-4 tasks, 2-6 threads (at least two sharing a task), each running a script of 1-8
 * IPC system calls (send, receive, call, reply-and-receive-next) with random partners (threads,
 * mostly in pairs so that calls meet replies; itself; nil; a stale uid; a uid that never existed),
 * random timeouts (0, never, 1-8 ms), short messages in registers or messages in memory (a direct
 * string of 0..40 dwords, 0..2 indirect strings of 0..6000 bytes, some up to 64 KB, a few with an
 * invalid length) and receive buffers (none, registers only, or memory with random maximum dopes
 * and string buffer sizes, half of them roomy, so that messages are cut or fit). Now and then an
 * address is bad: in the kernel (0xE000_0000), or, with {@link Options#unmappedAddresses}, a user
 * address with nothing mapped. Every sending call has its own message area and every receiving call
 * its own receive buffer, each in freshly mapped pages whose other words hold an address-dependent
 * guard pattern; every message is tagged (word 0, word 1, each direct dword and each string dword
 * carry its number). Threads compute at user level before some calls; one in twelve sends is a
 * 48-64 KB message after 12-24 ms of computing, so the clock ticks that fell due are taken between
 * its pages and can end the time slice in the middle of the copy, and with three threads or more
 * the last is now and then a background thread making a cheap call every 0.1-0.25 ms, so a
 * preempted transfer really yields. A third of the runs delete a thread between two slices,
 * preferably one whose long transfer is preempted (sender or locked receiver).
 *
 * <p>Run: slices of 0.2-4 ms of {@code nucleus.run}, until every script has ended, or nothing has
 * happened for 40 ms (quiescent: the rest wait for ever), or 400 ms have passed; a watchdog ends a
 * kernel that does not return to user level within {@link #HANG_MILLIS} of wall-clock time.
 *
 * <p>Checks: {@code checkInvariants} after every slice; no exception out of {@code nucleus.run};
 * every result code defined and possible for the operation, partner and timeouts (NO_PARTNER for
 * nil, stale and never-existing destinations, SEND_TO_SELF for itself, SEND_TIMEOUT or
 * RECEIVE_TIMEOUT only for finite timeouts and never before they passed by the kernel's clock,
 * CANCELLED only when the partner has ended); every received message (OK or MESSAGE_CUT) comes from
 * a thread that sent it to the receiver, matching the source the receiver asked for (a caller's
 * reply from the callee), with the sender's words and uid, the result the message and buffer imply
 * (OK, MESSAGE_CUT, or an INVALID_* the bad address or length calls for), and, in memory, the
 * current dope, the direct string, the string lengths and the string bytes up to the cut; no
 * message delivered twice; every send its sender was told succeeded delivered exactly once (unless
 * the receiver was deleted); the sender's result consistent with the delivery; no user byte
 * changed outside the writable parts (current dope, direct string, string lengths, string buffers)
 * of the receive buffers of the calls made, so messages, maximum dopes, descriptors and guards are
 * intact; a deleted thread stays deleted; and, once quiescent, every unfinished thread waits the
 * way it asked to (receiving or sending with an infinite timeout), none ready, locked or
 * transferring.
 */
final class IpcScenario {
    static final int KERNEL_ADDRESS = 0xE000_0000;
    /** A 4 MB region no scenario maps: no page table. */
    static final int FAR_UNMAPPED = 0x3F00_0000;
    static final int DATA_BASE = 0x1000_0000;
    static final long CYCLES_PER_MS = 50_000; // the i486 DX-50
    static final int BIG_STRING = 64 * 1024;
    static final int INVALID_LENGTH_HUGE = Dope.MAX_STRING_BYTES + 4;

    /** What a scenario may use. */
    record Options(String name, Switches switches, String scheduler, boolean unmappedAddresses,
                   boolean bigStrings, boolean deletions, ProcessorModel model) {
        /** On the i486 DX-50. */
        Options(String name, Switches switches, String scheduler, boolean unmappedAddresses, boolean bigStrings,
                boolean deletions) {
            this(name, switches, scheduler, unmappedAddresses, bigStrings, deletions, StandardModels.i486dx50());
        }

        Options withSwitches(Switches s, String sched) {
            return new Options(name, s, sched, unmappedAddresses, bigStrings, deletions, model);
        }

        Options named(String n) {
            return new Options(n, switches, scheduler, unmappedAddresses, bigStrings, deletions, model);
        }

        /** The same scenario on another processor (simulated time scales with its clock). */
        Options on(ProcessorModel m) {
            return new Options(name + " on " + m.name(), switches, scheduler, unmappedAddresses, bigStrings,
                    deletions, m);
        }
    }

    /**
     * How an address is bad, if it is: unmapped user memory, or outside user space, where all but
     * {@link #KERNEL} are mapped, so that only the kernel's range check stands between the message
     * and the memory (the kernel's code, descriptor tables, copy buffer, a bystander's TCB, page
     * directories, the communication window, the bystander's secret page through the kernel's
     * physical-memory map), a range crossing the top of user space, or one wrapping past 4 GB.
     */
    enum Bad {
        NONE, KERNEL, UNMAPPED, KERNEL_CODE, DESCRIPTOR_TABLES, COPY_BUFFER, TCB, PAGE_DIRECTORY, WINDOW,
        PHYSICAL_ALIAS, STRADDLING_USER_TOP, WRAPPING_PAST_4GB;

        /** The kinds outside user space, refused whatever the length (a straddling one is made long enough). */
        static final Bad[] OUTSIDE = {KERNEL, KERNEL_CODE, DESCRIPTOR_TABLES, COPY_BUFFER, TCB, PAGE_DIRECTORY,
            WINDOW, PHYSICAL_ALIAS, STRADDLING_USER_TOP, WRAPPING_PAST_4GB};

        boolean outside() {
            return this != NONE && this != UNMAPPED;
        }
    }

    enum PartnerKind { THREAD, SELF, NIL, STALE, NEVER_EXISTED }

    /** A message some step sends. */
    static final class Message {
        final int id;
        final int sender;
        final int step;
        final int word0;
        final int word1;
        boolean memory;
        int descriptor = 1;
        Bad header = Bad.NONE;
        int directs;
        int strings;
        int[] length = new int[0];
        int[] address = new int[0];
        Bad[] addressBad = new Bad[0];

        Message(int id, int sender, int step) {
            this.id = id;
            this.sender = sender;
            this.step = step;
            this.word0 = 0xA000_005A | id << 8;
            this.word1 = 0xB000_00A5 | id << 8;
        }

        int dope() {
            return new Dope(directs, strings, 0).encode();
        }

        int directWord(int i) {
            return 0xD000_0000 | (id & 0xFFFF) << 8 | i;
        }

        /** @return the dword at byte offset {@code off} (a multiple of 4) of string {@code s} */
        int stringWord(int s, int off) {
            return (id & 0xFF) << 24 | s << 22 | ((off >>> 2) & 0x3F_FFFF);
        }

        int stringByte(int s, int off) {
            return (stringWord(s, off & ~3) >>> (8 * (off & 3))) & 0xFF;
        }

        static boolean lengthValid(int len) {
            return len >= 0 && len <= Dope.MAX_STRING_BYTES;
        }

        @Override
        public String toString() {
            if (!memory) {
                return "#" + id + " short";
            }
            StringBuilder sb = new StringBuilder("#" + id + " mem@" + hex(descriptor));
            if (header != Bad.NONE) {
                return sb.append(" (").append(header).append(')').toString();
            }
            sb.append(" d=").append(directs);
            for (int s = 0; s < strings; s++) {
                sb.append(" s").append(s).append('=').append(length[s]).append('@').append(hex(address[s]));
                if (addressBad[s] != Bad.NONE) {
                    sb.append('(').append(addressBad[s]).append(')');
                }
            }
            return sb.toString();
        }
    }

    /** A receive buffer some step offers. */
    static final class Buffer {
        int descriptor = 1;
        boolean memory;
        Bad header = Bad.NONE;
        int maxDirects;
        int maxStrings;
        int[] size = new int[0];
        int[] target = new int[0];
        Bad[] targetBad = new Bad[0];
        int currentBefore;

        boolean usable() {
            return memory && header == Bad.NONE;
        }

        int descriptorAt(int i) {
            return descriptor + new Dope(maxDirects, maxStrings, 0).stringDescriptor(i);
        }

        @Override
        public String toString() {
            if (!memory) {
                return descriptor == 0 ? "none" : "regs";
            }
            StringBuilder sb = new StringBuilder("buf@" + hex(descriptor));
            if (header != Bad.NONE) {
                return sb.append(" (").append(header).append(')').toString();
            }
            sb.append(" maxd=").append(maxDirects);
            for (int s = 0; s < maxStrings; s++) {
                sb.append(" s").append(s).append('=').append(size[s]).append('@').append(hex(target[s]));
                if (targetBad[s] != Bad.NONE) {
                    sb.append('(').append(targetBad[s]).append(')');
                }
            }
            return sb.toString();
        }
    }

    /** One system call of a script. */
    static final class Step {
        final int actor;
        final int index;
        final IpcOperation op;
        final PartnerKind kind;
        final int partner; // thread index for THREAD
        final Message message; // null for RECEIVE
        final Buffer buffer; // null for SEND
        final Timeout send;
        final Timeout receive;
        /** User-level instructions executed before the system call (uses up time slices). */
        int think;

        Step(int actor, int index, IpcOperation op, PartnerKind kind, int partner, Message message, Buffer buffer,
             Timeout send, Timeout receive) {
            this.actor = actor;
            this.index = index;
            this.op = op;
            this.kind = kind;
            this.partner = partner;
            this.message = message;
            this.buffer = buffer;
            this.send = send;
            this.receive = receive;
        }

        boolean sends() {
            return op != IpcOperation.RECEIVE;
        }

        boolean receives() {
            return op != IpcOperation.SEND;
        }

        String partnerName() {
            return kind == PartnerKind.THREAD ? "T" + partner : kind.name().toLowerCase();
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(op.name()).append(' ').append(partnerName());
            if (message != null) {
                sb.append(" send[").append(message).append(']');
            }
            if (buffer != null) {
                sb.append(" recv[").append(buffer).append(']');
            }
            return sb.append(" timeouts ").append(send).append('/').append(receive).toString();
        }
    }

    /** What a system call returned: the registers of Table 6 and how long it took. */
    record Outcome(int eax, int ebx, int ecx, int edx, int esi, long cycles, long clockMs) {
        ResultCode result() {
            return eax >= 0 && eax < ResultCode.values().length ? ResultCode.of(eax) : null;
        }

        ThreadId source() {
            return new ThreadId(edx, esi);
        }

        @Override
        public String toString() {
            ResultCode r = result();
            return (r == null ? "EAX=" + eax : r.name()) + " w0=" + hex(ebx) + " src=" + source()
                    + " after " + String.format("%.2f ms", cycles / (double) CYCLES_PER_MS) + " (" + clockMs
                    + " clock ticks)";
        }
    }

    /** A thread's program: its steps, one system call each, then exit; records every outcome. */
    final class Actor implements UserProgram {
        final int index;
        final int task;
        final List<Step> steps = new ArrayList<>();
        final List<Outcome> outcomes = new ArrayList<>();
        ThreadId id;
        int next;
        long issuedAt;
        long issuedAtClock;
        boolean deleted;
        String deletedWhile;

        Actor(int index, int task) {
            this.index = index;
            this.task = task;
        }

        @Override
        public void run(UserContext u) {
            long now = nucleus.machine().cpu().cycles();
            heartbeat++;
            if (transferring() != null) {
                count("a thread ran while a long transfer was preempted");
            }
            if (deleted) {
                violation("deleted-ran", "T" + index + " runs after it was deleted");
            }
            if (next > 0) {
                outcomes.add(new Outcome(u.cpu().reg(Reg.EAX), u.cpu().reg(Reg.EBX), u.cpu().reg(Reg.ECX),
                        u.cpu().reg(Reg.EDX), u.cpu().reg(Reg.ESI), now - issuedAt, clockMs() - issuedAtClock));
            }
            if (tracer != null) {
                tracer.accept(String.format("%9.3f ms T%d %s%s", (now - startCycles) / (double) cyclesPerMs,
                        index, next > 0 ? "got " + outcomes.get(next - 1) + "; " : "",
                        next < steps.size() ? "issues " + steps.get(next).index + ": " + steps.get(next) : "exits")
                        + "\n      " + kernelView());
            }
            if (next < steps.size()) {
                Step s = steps.get(next++);
                think(u, s.think);
                issuedAt = nucleus.machine().cpu().cycles();
                issuedAtClock = clockMs();
                u.ipc(s.op, partnerId(s), s.message == null ? 0 : s.message.descriptor,
                        s.buffer == null ? 0 : s.buffer.descriptor,
                        s.message == null ? 0 : s.message.word0, s.message == null ? 0 : s.message.word1,
                        Timeout.pair(s.send, s.receive));
            } else {
                next++;
                u.exit();
            }
        }

        boolean finished() {
            return next > steps.size();
        }

        /** @return the step issued whose outcome is not recorded yet, or null */
        Step inFlight() {
            return next > 0 && next <= steps.size() && outcomes.size() < next ? steps.get(next - 1) : null;
        }

        boolean done() {
            return finished() || deleted;
        }
    }

    /** A user-level loop of {@code n} iterations (ALU, taken Jcc back), as a computing thread would run. */
    private static void think(UserContext u, int n) {
        var cpu = u.cpu();
        int top = cpu.eip();
        for (int i = 0; i < n; i++) {
            cpu.alu(Reg.NONE, Reg.NONE);
            cpu.jcc(i < n - 1, top);
        }
    }

    private ThreadId partnerId(Step s) {
        return switch (s.kind) {
            case THREAD -> actors.get(s.partner).id;
            case SELF -> actors.get(s.actor).id;
            case NIL -> ThreadId.NIL;
            case STALE -> stale;
            case NEVER_EXISTED -> neverExisted;
        };
    }

    /** An address space's allocator and the data pages it mapped. */
    private final class Space {
        final int task;
        int next = DATA_BASE;

        Space(int task) {
            this.task = task;
        }

        /**
         * @return the start of a fresh area of {@code bytes} in pages of its own, at a random dword
         * offset, with at least 16 guard bytes before and after it in the same mapped pages
         */
        int area(int bytes) {
            if (random.nextInt(12) == 0) {
                // straddle a 4 MB boundary now and then: two page directory entries, two window halves
                int boundary = ((next >>> 22) + 1) << 22;
                int candidate = boundary - 4096 * (1 + random.nextInt(2));
                if (Integer.compareUnsigned(candidate, next) >= 0) {
                    next = candidate;
                }
            }
            int start = next + 16 + 4 * random.nextInt((4096 - 32) / 4);
            int top = (start + Math.max(bytes, 0) + 16 + 4095) & ~4095;
            int pages = (top - next) >>> 12;
            nucleus.mapUser(task, next, pages, true);
            for (int p = next; p != top; p += 4096) {
                dataPages.add(new long[] {task, p});
                for (int off = 0; off < 4096; off += 4) {
                    nucleus.poke(task, p + off, guard(task, p + off));
                }
            }
            next = top + (random.nextInt(3) == 0 ? 4096 : 0);
            return start;
        }

        /** @return a user address with nothing mapped, near (page table present) or far (none) */
        int unmapped() {
            if (random.nextBoolean()) {
                return FAR_UNMAPPED + 4 * random.nextInt(4096);
            }
            int a = next + 4 * random.nextInt(1024);
            next += 4096;
            return a;
        }
    }

    static int guard(int task, int address) {
        return 0x6B00_0000 ^ task << 20 ^ (address >>> 2 & 0xF_FFFF);
    }

    // ------------------------------------------------------------------ state

    final long seed;
    final Options options;
    /** The processor's cycles per simulated ms ({@link #CYCLES_PER_MS} on the DX-50). */
    final long cyclesPerMs;
    final Random random;
    /** Picks the kind of an outside address, apart from {@link #random}. */
    final Random hostile;
    final KernelFixture fixture;
    final Nucleus nucleus;
    final List<Actor> actors = new ArrayList<>();
    final Map<Integer, Space> spaces = new LinkedHashMap<>();
    final List<long[]> dataPages = new ArrayList<>();
    final Map<Long, int[]> before = new HashMap<>();
    final Map<Integer, Message> messages = new LinkedHashMap<>();
    final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<String> log = new ArrayList<>();
    /** What the run exercised, for judging coverage: outcome kinds, deliveries, deletions. */
    final Map<String, Integer> coverage = new java.util.TreeMap<>();
    ThreadId stale;
    int bystanderTask;
    ThreadId bystander;
    int bystanderSecret;
    int bystanderTcb;
    ProtectedMemory protectedMemory;
    boolean protectedTaken;
    ThreadId neverExisted;
    boolean quiescent;
    boolean crashed;
    long startCycles;
    int slices;
    private int nextMessageId = 1;

    IpcScenario(long seed, Options options) {
        this.seed = seed;
        this.options = options;
        this.random = new Random(seed);
        this.hostile = new Random(~seed);
        this.fixture = new KernelFixture(options.switches(), options.scheduler(), options.model());
        this.cyclesPerMs = options.model().clockMHz() * 1000L;
        this.nucleus = fixture.nucleus;
        build();
    }

    void violation(String kind, String what) {
        violations.add(kind + ": " + what);
    }

    // ------------------------------------------------------------------ building

    private void build() {
        int tasks = 2 + random.nextInt(3);
        List<Integer> taskIds = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            int task = nucleus.createTask();
            taskIds.add(task);
            spaces.put(task, new Space(task));
        }
        buildBystander();
        int threads = 2 + random.nextInt(5);
        int[] taskOf = new int[threads];
        for (int i = 0; i < threads; i++) {
            taskOf[i] = taskIds.get(random.nextInt(tasks));
        }
        boolean shared = false;
        for (int i = 0; i < threads; i++) {
            for (int j = 0; j < i; j++) {
                shared |= taskOf[i] == taskOf[j];
            }
        }
        if (!shared) {
            taskOf[threads - 1] = taskOf[random.nextInt(threads - 1)]; // several threads in one space
        }
        for (int i = 0; i < threads; i++) {
            actors.add(new Actor(i, taskOf[i]));
        }
        // favourite partners in pairs, so that calls meet replies now and then
        int[] favourite = new int[threads];
        for (int i = 0; i < threads; i++) {
            favourite[i] = (i ^ 1) < threads ? i ^ 1 : random.nextInt(threads - 1);
        }
        // with three threads or more, the last one is now and then a computing thread that makes a
        // cheap system call every 0.1 ms or so: a ready thread to switch to when a long transfer is
        // preempted (else the preempted sender is the only one ready and continues at once)
        boolean background = threads >= 3 && options.bigStrings() && random.nextBoolean();
        for (Actor a : actors) {
            if (background && a.index == threads - 1) {
                for (int s = 0; s < 300; s++) {
                    Step step = new Step(a.index, s, IpcOperation.SEND, PartnerKind.NIL, -1,
                            new Message(nextMessageId++, a.index, s), null, Timeout.NEVER, Timeout.NEVER);
                    messages.put(step.message.id, step.message);
                    step.think = 1000 + random.nextInt(2000);
                    a.steps.add(step);
                }
                continue;
            }
            int n = 1 + random.nextInt(8);
            for (int s = 0; s < n; s++) {
                a.steps.add(randomStep(a, s, favourite[a.index]));
            }
        }
        // a stale uid: a thread created and deleted before anything runs
        int staleTask = taskIds.get(random.nextInt(tasks));
        stale = nucleus.createThread(staleTask, u -> u.exit());
        nucleus.deleteThread(stale);
        int nTask = taskIds.get(random.nextInt(tasks));
        neverExisted = ThreadId.of(nTask * 128 + 77, 1, nTask);
        for (Actor a : actors) {
            a.id = nucleus.createThread(a.task, a);
        }
        for (long[] p : dataPages) {
            int[] words = new int[1024];
            for (int i = 0; i < 1024; i++) {
                words[i] = nucleus.peek((int) p[0], (int) p[1] + 4 * i);
            }
            before.put(p[0] << 32 | p[1], words);
        }
    }

    /**
     * A space and thread that take part in no IPC: a secret page, a thread receiving from nobody for
     * ever, and a page just below the top of user space in every actor's space (for straddling
     * ranges). Nothing here draws from {@link #random}.
     */
    private void buildBystander() {
        bystanderTask = nucleus.createTask();
        int secret = 0x2000_0000;
        nucleus.mapUser(bystanderTask, secret, 1, true);
        for (int off = 0; off < 4096; off += 4) {
            nucleus.poke(bystanderTask, secret + off, 0x5EC0_0000 | off);
        }
        bystander = nucleus.createThread(bystanderTask, u -> u.ipc(IpcOperation.RECEIVE,
                ThreadId.of(bystanderTask * 128 + 99, 1, bystanderTask), 0, 1, 0, 0, Timeout.pair(Timeout.NEVER,
                        Timeout.NEVER)));
        protectedMemory = new ProtectedMemory(nucleus);
        bystanderSecret = protectedMemory.userPhysical(bystanderTask, secret);
        bystanderTcb = protectedMemory.tcb(bystander);
        int top = nucleus.layout().userTop() - 4096;
        for (Space space : spaces.values()) {
            nucleus.mapUser(space.task, top, 1, true);
            dataPages.add(new long[] {space.task, Integer.toUnsignedLong(top)}); // unsigned: a key of before
            for (int off = 0; off < 4096; off += 4) {
                nucleus.poke(space.task, top + off, guard(space.task, top + off));
            }
        }
    }

    /** Protected memory, copied once the bystander waits: from then on no IPC may change a byte of it. */
    private void protectOnceTheBystanderWaits() {
        if (protectedTaken || nucleus.state(bystander) != Tcb.RECEIVING) {
            return;
        }
        protectedMemory.withoutTcbPageTables().kernel().space(bystanderTask).tcbOf(bystander);
        if (options.switches().isOn(org.l3wb.kernel.api.Switch.DIRECT_TRANSFER)) {
            protectedMemory.copyBuffer();
        }
        protectedMemory.snapshot();
        protectedTaken = true;
    }

    private Step randomStep(Actor a, int index, int favourite) {
        int roll = random.nextInt(100);
        IpcOperation op = roll < 30 ? IpcOperation.SEND
                : roll < 55 ? IpcOperation.RECEIVE
                : roll < 80 ? IpcOperation.CALL : IpcOperation.REPLY_AND_RECEIVE_NEXT;
        PartnerKind kind;
        int partner = -1;
        int p = random.nextInt(100);
        if (op == IpcOperation.RECEIVE) {
            kind = p < 45 ? PartnerKind.NIL : p < 90 ? PartnerKind.THREAD
                    : p < 94 ? PartnerKind.SELF : p < 97 ? PartnerKind.STALE : PartnerKind.NEVER_EXISTED;
        } else {
            kind = p < 85 ? PartnerKind.THREAD : p < 89 ? PartnerKind.SELF
                    : p < 93 ? PartnerKind.NIL : p < 97 ? PartnerKind.STALE : PartnerKind.NEVER_EXISTED;
        }
        if (kind == PartnerKind.THREAD) {
            partner = random.nextInt(100) < 65 ? favourite : random.nextInt(actors.size());
            if (partner == a.index) {
                kind = PartnerKind.SELF;
                partner = -1;
            }
        }
        Message m = null;
        // now and then a thread computes for 12-24 ms and then sends a long message: the clock ticks
        // that fell due meanwhile are taken between the pages of the copy and may end the time slice
        // in the middle of it (the transfer is preempted, its receiver locked)
        boolean longSend = options.bigStrings() && op != IpcOperation.RECEIVE && random.nextInt(100) < 12
                && roomForBigStrings();
        if (op != IpcOperation.RECEIVE) {
            m = longSend ? longMessage(a, index) : randomMessage(a, index);
        }
        Buffer b = null;
        if (op != IpcOperation.SEND) {
            b = randomBuffer(a);
        }
        Step step = new Step(a.index, index, op, kind, partner, m, b, randomTimeout(), randomTimeout());
        int thinking = random.nextInt(100);
        if (longSend) {
            step.think = 150_000 + random.nextInt(150_000);
        } else if (thinking < 30) {
            step.think = random.nextInt(60_000); // up to 5 ms (4 cycles an iteration)
        }
        return step;
    }

    private Timeout randomTimeout() {
        int r = random.nextInt(100);
        return r < 15 ? Timeout.ZERO : r < 55 ? Timeout.NEVER : Timeout.ms(1 + random.nextInt(8));
    }

    private Bad randomBad() {
        int r = random.nextInt(100);
        if (r < 3) {
            // a stream of its own picks the kind, so that the scenario of a seed is otherwise as before
            return Bad.OUTSIDE[hostile.nextInt(Bad.OUTSIDE.length)];
        }
        if (options.unmappedAddresses() && r < 7) {
            return Bad.UNMAPPED;
        }
        return Bad.NONE;
    }

    private int randomLength() {
        int r = random.nextInt(100);
        if (r < 3) {
            return random.nextBoolean() ? -4 : INVALID_LENGTH_HUGE;
        }
        if (r < 15) {
            return random.nextInt(9);
        }
        if (options.bigStrings() && r < 30 && roomForBigStrings()) {
            return 6001 + random.nextInt(BIG_STRING - 6000);
        }
        return random.nextInt(6001);
    }

    /** Keeps a scenario's data within a few MB of the machine's 16 MB. */
    private boolean roomForBigStrings() {
        return dataPages.size() < 1200;
    }

    private int badAddress(Space space, Bad bad) {
        if (bad == Bad.UNMAPPED) {
            return space.unmapped();
        }
        int word = 4 * random.nextInt(1024); // drawn as before, for every kind
        KernelLayout l = nucleus.layout();
        return switch (bad) {
            case KERNEL -> KERNEL_ADDRESS + word;
            case KERNEL_CODE -> l.kernelCode() + word;
            case DESCRIPTOR_TABLES -> new int[] {l.gdt(), l.idt(), l.tss()}[hostile.nextInt(3)];
            case COPY_BUFFER -> l.kernelBuffer() + word;
            case TCB -> bystanderTcb + (word & (Tcb.SIZE - 1));
            case PAGE_DIRECTORY -> l.pageDirectories() + 4096 * hostile.nextInt(1 + spaces.size() + 1) + word;
            case WINDOW -> l.communicationWindow() + word;
            case PHYSICAL_ALIAS -> l.physicalMap() + bystanderSecret + word;
            case STRADDLING_USER_TOP -> l.userTop() - 4;
            case WRAPPING_PAST_4GB -> 0xFFFF_FFFC - word;
            default -> throw new IllegalArgumentException(bad.name());
        };
    }

    /** A straddling string or buffer needs more than the 4 bytes below the top to straddle. */
    private int lengthFor(Bad bad, int length) {
        return bad == Bad.STRADDLING_USER_TOP && (!Message.lengthValid(length) || length <= 4) ? 64 : length;
    }

    private Message randomMessage(Actor a, int step) {
        Message m = new Message(nextMessageId++, a.index, step);
        messages.put(m.id, m);
        if (random.nextInt(100) < 40) {
            return m; // short: registers only
        }
        return memoryMessage(a, m, false);
    }

    /** @return a memory message whose first string is 48-64 KB */
    private Message longMessage(Actor a, int step) {
        Message m = new Message(nextMessageId++, a.index, step);
        messages.put(m.id, m);
        return memoryMessage(a, m, true);
    }

    private Message memoryMessage(Actor a, Message m, boolean longString) {
        Space space = spaces.get(a.task);
        m.memory = true;
        m.header = longString ? Bad.NONE : randomBad();
        m.directs = random.nextInt(100) < 30 ? 0 : 1 + random.nextInt(40);
        m.strings = longString ? 1 + random.nextInt(2) : random.nextInt(3);
        if (m.header != Bad.NONE) {
            m.descriptor = badAddress(space, m.header);
            return m;
        }
        m.length = new int[m.strings];
        m.address = new int[m.strings];
        m.addressBad = new Bad[m.strings];
        for (int s = 0; s < m.strings; s++) {
            m.length[s] = longString && s == 0 ? BIG_STRING - random.nextInt(BIG_STRING / 4) : randomLength();
            m.addressBad[s] = randomBad();
            m.length[s] = lengthFor(m.addressBad[s], m.length[s]);
            m.address[s] = m.addressBad[s] != Bad.NONE ? badAddress(space, m.addressBad[s])
                    : space.area(Message.lengthValid(m.length[s]) ? m.length[s] : 64);
        }
        Dope dope = new Dope(m.directs, m.strings, 0);
        m.descriptor = space.area(dope.messageBytes());
        int h = m.descriptor;
        nucleus.poke(a.task, h + Dope.CURRENT, dope.encode());
        nucleus.poke(a.task, h + Dope.MAXIMUM, 0);
        for (int i = 0; i < m.directs; i++) {
            nucleus.poke(a.task, h + Dope.DIRECT + 4 * i, m.directWord(i));
        }
        for (int s = 0; s < m.strings; s++) {
            int sd = h + dope.stringDescriptor(s);
            nucleus.poke(a.task, sd + Dope.STRING_ADDRESS, m.address[s]);
            nucleus.poke(a.task, sd + Dope.STRING_LENGTH, m.length[s]);
            nucleus.poke(a.task, sd + Dope.STRING_BUFFER, 0);
            nucleus.poke(a.task, sd + Dope.STRING_BUFFER_SIZE, 0);
            if (m.addressBad[s] == Bad.NONE && Message.lengthValid(m.length[s])) {
                for (int off = 0; off < m.length[s]; off += 4) {
                    nucleus.poke(a.task, m.address[s] + off, m.stringWord(s, off));
                }
            }
        }
        return m;
    }

    private Buffer randomBuffer(Actor a) {
        Buffer b = new Buffer();
        int r = random.nextInt(100);
        if (r < 5) {
            b.descriptor = 0;
            return b;
        }
        if (r < 35) {
            return b; // registers only
        }
        Space space = spaces.get(a.task);
        b.memory = true;
        b.header = randomBad();
        boolean roomy = random.nextBoolean(); // half the buffers take most messages whole
        b.maxDirects = roomy ? 40 + random.nextInt(9) : random.nextInt(49);
        b.maxStrings = roomy ? 2 + random.nextInt(2) : random.nextInt(4);
        if (b.header != Bad.NONE) {
            b.descriptor = badAddress(space, b.header);
            return b;
        }
        b.size = new int[b.maxStrings];
        b.target = new int[b.maxStrings];
        b.targetBad = new Bad[b.maxStrings];
        for (int s = 0; s < b.maxStrings; s++) {
            b.size[s] = roomy && random.nextInt(10) < 9
                    ? (options.bigStrings() && random.nextBoolean() && roomForBigStrings() ? BIG_STRING
                            : 6000 + random.nextInt(100))
                    : randomLength();
            b.targetBad[s] = randomBad();
            b.size[s] = lengthFor(b.targetBad[s], b.size[s]);
            b.target[s] = b.targetBad[s] != Bad.NONE ? badAddress(space, b.targetBad[s])
                    : space.area(Message.lengthValid(b.size[s]) ? b.size[s] : 64);
        }
        Dope max = new Dope(b.maxDirects, b.maxStrings, 0);
        b.descriptor = space.area(max.messageBytes());
        b.currentBefore = nucleus.peek(a.task, b.descriptor + Dope.CURRENT);
        nucleus.poke(a.task, b.descriptor + Dope.MAXIMUM, max.encode());
        for (int s = 0; s < b.maxStrings; s++) {
            int rd = b.descriptorAt(s);
            nucleus.poke(a.task, rd + Dope.STRING_BUFFER, b.target[s]);
            nucleus.poke(a.task, rd + Dope.STRING_BUFFER_SIZE, b.size[s]);
        }
        return b;
    }

    // ------------------------------------------------------------------ running

    private boolean allDone() {
        for (Actor a : actors) {
            if (!a.done()) {
                return false;
            }
        }
        return true;
    }

    private long progress() {
        long p = nucleus.ipcCount();
        for (Actor a : actors) {
            p += a.outcomes.size();
        }
        return p;
    }

    private long cycles() {
        return nucleus.machine().cpu().cycles();
    }

    /** Bumped whenever a user program runs or a slice ends: the watchdog's sign of life. */
    private volatile long heartbeat;
    /**
     * Wall-clock time without a sign of life after which the kernel counts as hung in one entry: a hang
     * guard, minutes, far above a sound entry's microseconds even on a machine shared with other builds
     * (garbage collection and descheduling pause the worker too), so only a real livelock reaches it.
     */
    static final long HANG_MILLIS = Long.getLong("ipc.hangMillis", 180_000);

    /**
     * Runs the scenario and checks it, in a worker thread watched for kernel livelock (a kernel loop
     * that never returns to user level: no scenario takes more than a second or two).
     *
     * @return the violations, empty when all is well
     */
    @SuppressWarnings({"deprecation", "removal"})
    List<String> run() {
        Throwable[] thrown = new Throwable[1];
        Thread worker = new Thread(() -> {
            try {
                runSlices();
            } catch (Throwable t) {
                thrown[0] = t;
            }
        }, "ipc-scenario-" + seed);
        worker.setDaemon(true);
        worker.start();
        long seen = heartbeat;
        long since = System.currentTimeMillis();
        while (worker.isAlive()) {
            try {
                worker.join(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            long h = heartbeat;
            if (h != seen) {
                seen = h;
                since = System.currentTimeMillis();
            } else if (System.currentTimeMillis() - since > HANG_MILLIS && worker.isAlive()) {
                StackTraceElement[] where = worker.getStackTrace();
                StringBuilder trace = new StringBuilder();
                for (int i = 0; i < Math.min(14, where.length); i++) {
                    trace.append("\n      at ").append(where[i]);
                }
                worker.stop(); // a simulation spinning in kernel code holds nothing anyone else needs
                crashed = true;
                violation("hang", "hang guard: the kernel has not returned to user level for " + HANG_MILLIS / 1000
                        + " s of wall-clock time (simulated " + ms(cycles() - startCycles) + ", slice " + slices
                        + ")" + trace);
                return violations;
            }
        }
        if (thrown[0] != null) {
            crashed = true;
            violation("exception", "the scenario threw " + thrown[0]);
        }
        return violations;
    }

    private void runSlices() {
        startCycles = cycles();
        long budget = 400 * cyclesPerMs;
        long quiet = 40 * cyclesPerMs;
        int deleteAt = options.deletions() && random.nextInt(100) < 35 ? 1 + random.nextInt(12) : -1;
        boolean deletedOne = false;
        long lastProgress = progress();
        long quietSince = cycles();
        int stalled = 0;
        while (true) {
            long slice = 10_000 + random.nextInt(190_000);
            long sliceStart = cycles();
            boolean catchTransfer = options.deletions() && !deletedOne && random.nextInt(4) == 0;
            try {
                nucleus.run(() -> allDone() || catchTransfer && transferring() != null, slice);
            } catch (RuntimeException | StackOverflowError e) {
                crashed = true;
                violation("exception", "nucleus.run threw " + e + " after " + ms(cycles() - startCycles)
                        + " in slice " + slices + (e.getStackTrace().length > 0 ? " at " + e.getStackTrace()[0] : ""));
                return;
            }
            slices++;
            heartbeat++;
            if (cycles() == sliceStart && !allDone() && ++stalled > 100) {
                crashed = true;
                violation("stalled", "nucleus.run makes no progress in cycles" + states());
                return;
            }
            if (protectedTaken) {
                for (String change : protectedMemory.changes(5)) {
                    violation("protected memory", change + " after slice " + slices);
                }
            }
            protectOnceTheBystanderWaits();
            try {
                nucleus.checkInvariants();
            } catch (IllegalStateException e) {
                crashed = true;
                violation("invariant", e.getMessage() + " after slice " + slices + " (" + ms(cycles() - startCycles)
                        + ")" + states());
                return;
            }
            if (!violations.isEmpty()) {
                crashed = true;
                return;
            }
            if (allDone()) {
                break;
            }
            if (options.deletions() && !deletedOne) {
                Actor busy = transferring();
                if (busy != null) {
                    count("slice ended during a long transfer");
                }
                if (slices == deleteAt || (busy != null && random.nextBoolean())) {
                    deletedOne = deleteSomeone(busy);
                }
            }
            long p = progress();
            if (p != lastProgress) {
                lastProgress = p;
                quietSince = cycles();
            } else if (cycles() - quietSince >= quiet) {
                quiescent = true;
                break;
            }
            if (cycles() - startCycles >= budget) {
                break;
            }
        }
        check();
        return;
    }

    /** @return a thread whose long transfer is in progress (sending or locked receiving), or null */
    private Actor transferring() {
        for (Actor a : actors) {
            if (!a.done()) {
                int s = nucleus.state(a.id);
                if (s == Tcb.TRANSFERRING || s == Tcb.LOCKED) {
                    return a;
                }
            }
        }
        return null;
    }

    private boolean deleteSomeone(Actor preferred) {
        List<Actor> candidates = new ArrayList<>();
        if (preferred != null) {
            candidates.add(preferred);
        }
        List<Actor> others = new ArrayList<>();
        for (Actor a : actors) {
            if (!a.done() && a != preferred && nucleus.state(a.id) != Tcb.FREE) {
                others.add(a);
            }
        }
        java.util.Collections.shuffle(others, random);
        candidates.addAll(others);
        for (Actor a : candidates) {
            int state = nucleus.state(a.id);
            if (state == Tcb.FREE) {
                continue;
            }
            try {
                nucleus.deleteThread(a.id);
            } catch (IllegalArgumentException running) {
                continue; // the thread about to run cannot be deleted
            }
            a.deleted = true;
            a.deletedWhile = Tcb.stateName(state);
            count("deleted while " + a.deletedWhile);
            log.add("deleted T" + a.index + " while " + a.deletedWhile + " after slice " + slices + " ("
                    + ms(cycles() - startCycles) + "), in step " + (a.next - 1));
            return true;
        }
        return false;
    }

    // ------------------------------------------------------------------ checking

    private static final Set<ResultCode> SEND_RESULTS = EnumSet.of(ResultCode.OK, ResultCode.MESSAGE_CUT,
            ResultCode.NO_PARTNER, ResultCode.SEND_TIMEOUT, ResultCode.CANCELLED, ResultCode.SEND_TO_SELF,
            ResultCode.INVALID_DOPE, ResultCode.INVALID_BUFFER);
    private static final Set<ResultCode> RECEIVE_RESULTS = EnumSet.of(ResultCode.OK, ResultCode.MESSAGE_CUT,
            ResultCode.NO_PARTNER, ResultCode.RECEIVE_TIMEOUT, ResultCode.CANCELLED, ResultCode.INVALID_DOPE,
            ResultCode.INVALID_BUFFER);
    private static final Set<ResultCode> SEND_PHASE_ONLY = EnumSet.of(ResultCode.NO_PARTNER,
            ResultCode.SEND_TIMEOUT, ResultCode.SEND_TO_SELF);

    /** What a transfer of {@code m} into {@code b} may return and, when it succeeds, deliver. */
    static final class Expect {
        final Set<ResultCode> accepted = EnumSet.noneOf(ResultCode.class);
        ResultCode success;
        int directs;
        int strings;
        int[] got = new int[0];

        @Override
        public String toString() {
            return accepted + (success == null ? "" : " (delivering d=" + directs + " s=" + strings + ")");
        }
    }

    static Expect expect(Message m, Buffer b) {
        Expect e = new Expect();
        if (!m.memory) {
            e.success = ResultCode.OK;
            e.accepted.add(ResultCode.OK);
            return e;
        }
        if (m.header != Bad.NONE) {
            e.accepted.add(ResultCode.INVALID_BUFFER);
            return e;
        }
        // errors of sender strings a copy may meet even when the receiver cannot take them
        // (a twofold copy moves the whole message into the kernel buffer first)
        Set<ResultCode> senderErrors = EnumSet.noneOf(ResultCode.class);
        for (int s = 0; s < m.strings; s++) {
            if (!Message.lengthValid(m.length[s])) {
                senderErrors.add(ResultCode.INVALID_DOPE);
            } else if (m.addressBad[s].outside() || (m.addressBad[s] == Bad.UNMAPPED && m.length[s] > 0)) {
                senderErrors.add(ResultCode.INVALID_BUFFER);
            }
        }
        if (!b.memory) {
            e.success = m.dope() == 0 ? ResultCode.OK : ResultCode.MESSAGE_CUT;
            e.accepted.add(e.success);
            e.accepted.addAll(senderErrors);
            return e;
        }
        if (b.header != Bad.NONE) {
            e.accepted.add(ResultCode.INVALID_BUFFER);
            e.accepted.addAll(senderErrors);
            return e;
        }
        boolean cut = m.directs > b.maxDirects || m.strings > b.maxStrings;
        e.directs = Math.min(m.directs, b.maxDirects);
        e.strings = Math.min(m.strings, b.maxStrings);
        e.got = new int[e.strings];
        Set<ResultCode> definite = EnumSet.noneOf(ResultCode.class);
        Set<ResultCode> possible = EnumSet.noneOf(ResultCode.class);
        for (int s = 0; s < e.strings; s++) {
            int len = m.length[s];
            int size = b.size[s];
            if (!Message.lengthValid(len) || !Message.lengthValid(size)) {
                definite.add(ResultCode.INVALID_DOPE);
                continue;
            }
            int got = Math.min(len, size);
            e.got[s] = got;
            cut |= len > size;
            if (m.addressBad[s].outside() || b.targetBad[s].outside()) {
                definite.add(ResultCode.INVALID_BUFFER); // outside user space, whatever the length
            } else if ((m.addressBad[s] == Bad.UNMAPPED || b.targetBad[s] == Bad.UNMAPPED)) {
                if (got > 0) {
                    definite.add(ResultCode.INVALID_BUFFER);
                } else if (m.addressBad[s] == Bad.UNMAPPED && len > 0 || b.targetBad[s] == Bad.UNMAPPED && size > 0) {
                    possible.add(ResultCode.INVALID_BUFFER); // nothing to move, but a copy may touch it
                }
            }
        }
        e.accepted.addAll(senderErrors);
        e.accepted.addAll(possible);
        if (!definite.isEmpty()) {
            e.accepted.addAll(definite);
            e.success = null;
            return e;
        }
        e.success = cut ? ResultCode.MESSAGE_CUT : ResultCode.OK;
        e.accepted.add(e.success);
        return e;
    }

    private void check() {
        Map<Integer, List<String>> deliveries = new HashMap<>();
        for (Actor a : actors) {
            for (int i = 0; i < a.outcomes.size(); i++) {
                checkOutcome(a, a.steps.get(i), a.outcomes.get(i), deliveries);
            }
        }
        // exactly once
        for (Message m : messages.values()) {
            List<String> got = deliveries.getOrDefault(m.id, List.of());
            if (got.size() > 1) {
                violation("duplicate", "message " + m + " of T" + m.sender + " step " + m.step + " delivered "
                        + got.size() + " times: " + got);
            }
            Actor sender = actors.get(m.sender);
            Step step = sender.steps.get(m.step);
            if (m.step >= sender.outcomes.size() || step.kind != PartnerKind.THREAD) {
                continue;
            }
            ResultCode r = sender.outcomes.get(m.step).result();
            boolean sent = switch (step.op) {
                case SEND -> r == ResultCode.OK || r == ResultCode.MESSAGE_CUT;
                default -> r == ResultCode.OK || r == ResultCode.MESSAGE_CUT || r == ResultCode.RECEIVE_TIMEOUT;
            };
            Actor dest = actors.get(step.partner);
            boolean mayBeUnrecorded = dest.deleted || (!quiescent && dest.inFlight() != null);
            if (sent && got.isEmpty() && !mayBeUnrecorded) {
                violation("lost", "T" + m.sender + " step " + m.step + " (" + step.op + ") got " + r + " for message "
                        + m + " to T" + step.partner + ", which never received it (its state "
                        + Tcb.stateName(nucleus.state(dest.id)) + ")");
            }
        }
        checkMemory();
        if (quiescent) {
            checkLiveness();
        }
        for (Actor a : actors) {
            if (a.deleted && nucleus.state(a.id) != Tcb.FREE) {
                violation("resurrected", "T" + a.index + " was deleted but is " + Tcb.stateName(nucleus.state(a.id)));
            }
        }
    }

    private void count(String what) {
        coverage.merge(what, 1, Integer::sum);
    }

    private void checkOutcome(Actor a, Step s, Outcome o, Map<Integer, List<String>> deliveries) {
        String where = "T" + a.index + " step " + s.index + " " + s + " -> " + o;
        ResultCode r = o.result();
        count(s.op + " " + r);
        if (r == null || r == ResultCode.NO_MECHANISM) {
            violation("result-code", where + ": undefined result code " + o.eax());
            return;
        }
        Set<ResultCode> possible = switch (s.op) {
            case SEND -> SEND_RESULTS;
            case RECEIVE -> RECEIVE_RESULTS;
            default -> EnumSet.complementOf(EnumSet.of(ResultCode.NO_MECHANISM));
        };
        if (!possible.contains(r)) {
            violation("result-code", where + ": impossible for " + s.op);
        }
        if (s.sends()) {
            switch (s.kind) {
                case NIL, STALE, NEVER_EXISTED -> {
                    if (r != ResultCode.NO_PARTNER) {
                        violation("no-partner", where + ": destination " + s.partnerName() + " does not exist");
                    }
                }
                case SELF -> {
                    if (r != ResultCode.SEND_TO_SELF) {
                        violation("send-to-self", where + ": sent to itself");
                    }
                }
                default -> {
                }
            }
        } else if (s.kind == PartnerKind.STALE || s.kind == PartnerKind.NEVER_EXISTED) {
            if (r != ResultCode.NO_PARTNER) {
                violation("no-partner", where + ": source " + s.partnerName() + " does not exist");
            }
        }
        if (r == ResultCode.SEND_TIMEOUT) {
            if (!s.sends() || s.send.isInfinite()) {
                violation("timeout", where + ": send timeout with send timeout " + s.send);
            } else if (o.clockMs() < s.send.ms()) {
                violation("timeout-early", where + ": send timeout " + s.send + " expired early by the kernel's clock");
            }
        }
        if (r == ResultCode.RECEIVE_TIMEOUT) {
            if (!s.receives() || s.receive.isInfinite()) {
                violation("timeout", where + ": receive timeout with receive timeout " + s.receive);
            } else if (o.clockMs() < s.receive.ms()) {
                violation("timeout-early", where + ": receive timeout " + s.receive
                        + " expired early by the kernel's clock");
            }
        }
        if (r == ResultCode.CANCELLED) {
            // only a partner's end cancels: deleted, or exited (receiving from anyone is never cancelled)
            Actor p = s.kind == PartnerKind.THREAD ? actors.get(s.partner) : null;
            if (p == null || !p.deleted && !p.finished()) {
                violation("cancelled", where + ": cancelled, but " + s.partnerName() + " has not ended");
            }
        }
        if (s.receives() && (r == ResultCode.OK || r == ResultCode.MESSAGE_CUT)) {
            checkDelivery(a, s, o, where, deliveries);
        }
    }

    private void checkDelivery(Actor a, Step s, Outcome o, String where, Map<Integer, List<String>> deliveries) {
        Message m = (o.ebx() & 0xF000_00FF) == 0xA000_005A ? messages.get(o.ebx() >>> 8 & 0xF_FFFF) : null;
        if (m == null) {
            violation("delivery", where + ": word 0 is no message's");
            return;
        }
        deliveries.computeIfAbsent(m.id, x -> new ArrayList<>()).add("T" + a.index + " step " + s.index);
        Actor sender = actors.get(m.sender);
        Step ss = sender.steps.get(m.step);
        where += " [message " + m + " of T" + m.sender + " step " + m.step + ": " + ss + "]";
        if (ss.kind != PartnerKind.THREAD || ss.partner != a.index) {
            violation("delivery", where + ": sent to " + ss.partnerName() + ", not to T" + a.index);
        }
        if (!o.source().equals(sender.id)) {
            violation("delivery", where + ": source " + o.source() + " is not the sender " + sender.id);
        }
        if (o.ecx() != m.word1) {
            violation("delivery", where + ": word 1 " + hex(o.ecx()) + " is not " + hex(m.word1));
        }
        if (s.op == IpcOperation.RECEIVE && s.kind != PartnerKind.NIL
                || s.op == IpcOperation.CALL) {
            if (s.kind != PartnerKind.THREAD || s.partner != m.sender) {
                violation("delivery", where + ": receiver waited for " + s.partnerName() + " only");
            }
        }
        Expect e = expect(m, s.buffer);
        ResultCode r = o.result();
        count("delivered " + (!m.memory ? "short" : m.strings > 0 ? "with strings" : "direct only")
                + (a.task == sender.task ? " intra-space" : " inter-space") + " " + r);
        if (!e.accepted.contains(r) || e.success == null) {
            violation("result", where + ": expected " + e);
        }
        if (sender.outcomes.size() > m.step) {
            ResultCode sr = sender.outcomes.get(m.step).result();
            boolean consistent = switch (ss.op) {
                case SEND -> sr == r;
                case CALL -> !SEND_PHASE_ONLY.contains(sr);
                default -> !SEND_PHASE_ONLY.contains(sr) && sr != ResultCode.CANCELLED;
            };
            if (!consistent) {
                violation("sender-result", where + ": the sender was told " + sr);
            }
        }
        Buffer b = s.buffer;
        if (!b.usable()) {
            return;
        }
        int task = a.task;
        int current = nucleus.peek(task, b.descriptor + Dope.CURRENT);
        if (!m.memory) {
            if (current != b.currentBefore && current != 0) {
                violation("dope", where + ": short message, but current dope " + hex(current));
            }
            return;
        }
        if (e.success == null) {
            return;
        }
        int want = new Dope(e.directs, e.strings, 0).encode();
        if (current != want) {
            violation("dope", where + ": current dope " + hex(current) + " should be " + hex(want));
        }
        for (int i = 0; i < e.directs; i++) {
            int w = nucleus.peek(task, b.descriptor + Dope.DIRECT + 4 * i);
            if (w != m.directWord(i)) {
                violation("data", where + ": direct dword " + i + " is " + hex(w) + ", sent " + hex(m.directWord(i)));
                break;
            }
        }
        for (int st = 0; st < e.strings; st++) {
            int len = nucleus.peek(task, b.descriptorAt(st) + Dope.STRING_LENGTH);
            if (len != e.got[st]) {
                violation("data", where + ": string " + st + " length " + len + ", expected " + e.got[st]);
            }
            for (int off = 0; off < e.got[st]; off++) {
                int addr = b.target[st] + off;
                int have = (nucleus.peek(task, addr & ~3) >>> (8 * (addr & 3))) & 0xFF;
                if (have != m.stringByte(st, off)) {
                    violation("data", where + ": string " + st + " byte " + off + " is " + hex(have) + ", sent "
                            + hex(m.stringByte(st, off)));
                    break;
                }
            }
        }
    }

    /**
     * No user word outside the writable parts of the receive buffers of the system calls made has
     * changed: current dope, direct string, string lengths, string buffers.
     */
    private void checkMemory() {
        Map<Integer, List<int[]>> writable = new HashMap<>();
        for (Actor a : actors) {
            for (Step s : a.steps.subList(0, Math.min(a.next, a.steps.size()))) { // the calls made
                Buffer b = s.buffer;
                if (b == null || !b.usable()) {
                    continue;
                }
                List<int[]> w = writable.computeIfAbsent(a.task, x -> new ArrayList<>());
                w.add(new int[] {b.descriptor + Dope.CURRENT, 4});
                w.add(new int[] {b.descriptor + Dope.DIRECT, 4 * b.maxDirects});
                for (int i = 0; i < b.maxStrings; i++) {
                    w.add(new int[] {b.descriptorAt(i) + Dope.STRING_LENGTH, 4});
                    if (b.targetBad[i] == Bad.NONE && Message.lengthValid(b.size[i])) {
                        w.add(new int[] {b.target[i], b.size[i]});
                    }
                }
            }
        }
        int reported = 0;
        for (long[] p : dataPages) {
            int task = (int) p[0];
            int page = (int) p[1];
            int[] old = before.get(p[0] << 32 | p[1]);
            List<int[]> w = writable.getOrDefault(task, List.of());
            for (int i = 0; i < 1024; i++) {
                int now = nucleus.peek(task, page + 4 * i);
                if (now == old[i]) {
                    continue;
                }
                for (int by = 0; by < 4; by++) {
                    if (((now ^ old[i]) >>> (8 * by) & 0xFF) == 0) {
                        continue;
                    }
                    int addr = page + 4 * i + by;
                    boolean ok = false;
                    for (int[] r : w) {
                        if (Integer.compareUnsigned(addr - r[0], r[1]) < 0) {
                            ok = true;
                            break;
                        }
                    }
                    if (!ok && reported++ < 5) {
                        violation("memory", "task " + task + " byte at " + hex(addr) + " changed from "
                                + hex(old[i]) + " to " + hex(now) + " (dword), outside every receive buffer"
                                + owner(task, addr));
                    }
                    if (!ok) {
                        break;
                    }
                }
            }
        }
    }

    private String owner(int task, int addr) {
        String best = "";
        int bestDistance = Integer.MAX_VALUE;
        for (Actor a : actors) {
            if (a.task != task) {
                continue;
            }
            for (Step s : a.steps) {
                List<int[]> parts = new ArrayList<>();
                if (s.message != null && s.message.memory && s.message.header == Bad.NONE) {
                    parts.add(new int[] {s.message.descriptor, 0});
                    for (int i = 0; i < s.message.strings; i++) {
                        parts.add(new int[] {s.message.address[i], 1});
                    }
                }
                if (s.buffer != null && s.buffer.usable()) {
                    parts.add(new int[] {s.buffer.descriptor, 2});
                    for (int i = 0; i < s.buffer.maxStrings; i++) {
                        parts.add(new int[] {s.buffer.target[i], 3});
                    }
                }
                for (int[] part : parts) {
                    int d = addr - part[0];
                    if (d >= 0 && d < bestDistance) {
                        bestDistance = d;
                        best = " (" + d + " bytes after the " + new String[] {"message", "send string",
                            "receive buffer", "string buffer"}[part[1]] + " at " + hex(part[0]) + " of T" + a.index
                                + " step " + s.index + ")";
                    }
                }
            }
        }
        return best;
    }

    /** Quiet for long: every unfinished thread waits as it asked to, without end. */
    private void checkLiveness() {
        for (Actor a : actors) {
            if (a.done()) {
                continue;
            }
            int state = nucleus.state(a.id);
            Step s = a.inFlight();
            String where = "T" + a.index + " " + Tcb.stateName(state) + " for >= 40 ms in step "
                    + (s == null ? "?" : s.index + " " + s);
            if (s == null) {
                violation("liveness", where + ": no system call in flight");
            } else if (state == Tcb.RECEIVING) {
                if (!s.receives() || !s.receive.isInfinite()) {
                    violation("liveness", where + ": still receiving although its receive timeout is " + s.receive);
                }
            } else if (state == Tcb.POLLING) {
                if (!s.sends() || !s.send.isInfinite()) {
                    violation("liveness", where + ": still sending although its send timeout is " + s.send);
                }
            } else {
                violation("liveness", where + ": stuck");
            }
        }
    }

    // ------------------------------------------------------------------ reporting

    /** When set, receives a line per system call with every TCB's state and queue links (debugging). */
    java.util.function.Consumer<String> tracer;

    /** @return a kernel word, read through the current page directory (debugger view, free) */
    int kernelWord(int linear) {
        var mmu = nucleus.machine().mmu();
        int pte = mmu.entry(mmu.cr3(), linear);
        return (pte & 1) == 0 ? 0xDEAD_DEAD : nucleus.machine().memory().readWord((pte & ~0xFFF) | (linear & 0xFFF));
    }

    /** @return the kernel's clock in ms, base + offset (debugger view, free) */
    long clockMs() {
        return (kernelWord(nucleus.layout().clockBase()) & 0xFFFF_FFFFL) + kernelWord(nucleus.layout().clockOffset());
    }

    /** @return each thread's state and queue links (virtual TCBs only), TCBs named T0.. */
    String kernelView() {
        if (!options.switches().isOn(org.l3wb.kernel.api.Switch.VIRTUAL_TCB)) {
            return "";
        }
        Map<Integer, String> names = new HashMap<>();
        names.put(0, "0");
        for (Actor a : actors) {
            names.put(nucleus.layout().tcbArray() + a.id.threadNumber() * Tcb.SIZE, "T" + a.index);
        }
        StringBuilder sb = new StringBuilder();
        for (Actor a : actors) {
            int t = nucleus.layout().tcbArray() + a.id.threadNumber() * Tcb.SIZE;
            java.util.function.IntFunction<String> n = v -> names.getOrDefault(v, hex(v));
            sb.append("T").append(a.index).append('{').append(Tcb.stateName(kernelWord(t + Tcb.STATE)))
                    .append(" partner=").append(n.apply(kernelWord(t + Tcb.PARTNER_LOW) == 0 ? 0
                            : nucleus.layout().tcbArray() + (kernelWord(t + Tcb.PARTNER_LOW) & ~0x3FF)))
                    .append(" first=").append(n.apply(kernelWord(t + Tcb.POLLING_FIRST)))
                    .append(" last=").append(n.apply(kernelWord(t + Tcb.POLLING_LAST)))
                    .append(" next=").append(n.apply(kernelWord(t + Tcb.POLL_NEXT)))
                    .append(" prev=").append(n.apply(kernelWord(t + Tcb.POLL_PREV))).append("} ");
        }
        return sb.toString();
    }

    private String states() {
        StringBuilder sb = new StringBuilder("; states:");
        for (Actor a : actors) {
            sb.append(" T").append(a.index).append('=').append(Tcb.stateName(nucleus.state(a.id)));
        }
        return sb.toString();
    }

    String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("scenario seed ").append(seed).append(" [").append(options.name()).append(": ")
                .append(options.switches()).append(", ").append(options.scheduler()).append(" scheduling]\n");
        sb.append("  stale uid ").append(stale).append(", never-existed uid ").append(neverExisted)
                .append(", ran ").append(ms(cycles() - startCycles)).append(" in ").append(slices).append(" slices, ")
                .append(quiescent ? "quiescent" : crashed ? "stopped by the failure" : "all done or budget used")
                .append('\n');
        for (Actor a : actors) {
            sb.append("  T").append(a.index).append(" = ").append(a.id).append(" in task ").append(a.task)
                    .append(", ends ").append(Tcb.stateName(nucleus.state(a.id)))
                    .append(a.deleted ? " (deleted while " + a.deletedWhile + ")" : "").append('\n');
            for (Step s : a.steps) {
                sb.append("    ").append(s.index).append(": ").append(s);
                if (s.index < a.outcomes.size()) {
                    sb.append("\n         -> ").append(a.outcomes.get(s.index));
                } else if (s == a.inFlight()) {
                    sb.append("\n         -> (in flight)");
                }
                sb.append('\n');
            }
        }
        for (String l : log) {
            sb.append("  ").append(l).append('\n');
        }
        return sb.toString();
    }

    String report() {
        StringBuilder sb = new StringBuilder();
        sb.append(violations.size()).append(" violation(s), seed ").append(seed).append(" (").append(options.name())
                .append("):\n");
        for (String v : violations.subList(0, Math.min(20, violations.size()))) {
            sb.append("  - ").append(v).append('\n');
        }
        return sb.append(describe()).toString();
    }

    static String hex(int v) {
        return String.format("0x%08x", v);
    }

    static String ms(long cycles) {
        return String.format("%.2f ms", cycles / (double) CYCLES_PER_MS);
    }
}

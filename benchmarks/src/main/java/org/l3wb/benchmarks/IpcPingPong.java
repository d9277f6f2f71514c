package org.l3wb.benchmarks;

import java.util.function.BooleanSupplier;

import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.cache.CacheFactoryComponent;
import org.l3wb.hw.cpu486.MachineFactoryComponent;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.hw.mmu.MmuFactoryComponent;
import org.l3wb.kernel.api.Dope;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.api.Timeout;
import org.l3wb.kernel.api.UserContext;
import org.l3wb.kernel.api.UserProgram;
import org.l3wb.kernel.core.KernelComponent;
import org.l3wb.kernel.ipc.L3Ipc;
import org.l3wb.kernel.sched.LazyScheduler;
import org.l3wb.kernel.sched.StrictScheduler;

/**
 * The paper's ping-pong (section 6) on one booted machine that stays up, driven round trip by round
 * trip: an i486 DX-50 with the L3 nucleus, the {@code l3} mechanism, lazy scheduling and every
 * optimisation on; a client thread and a server thread in two tasks. The client calls, the server
 * answers with reply-and-receive-next; messages of up to 8 bytes travel in registers, up to 1020
 * bytes as a direct string, larger ones as one indirect string.
 *
 * <p>The user programs issue exactly the instructions of {@code lab}'s {@code PingPong} (same
 * buffers at the same addresses, same dopes, same TEST/Jcc/DEC around each call), so a round trip
 * here costs the simulated machine what one there does; unlike {@code PingPong.run}, which builds a
 * machine per measurement, {@link #rounds} can be called again and again on the same machine. Every
 * reply and request is checked (result code, the sequence number in EBX, the first and last dword of
 * a memory message), so a run that moves wrong bytes fails rather than reporting a speed.
 *
 * <p>Host side: the Java per round trip allocates nothing of its own (the kernel's code may).
 */
final class IpcPingPong {
    // the buffers' placement of lab's PingPong (see there): same pages, TLB sets and cache sets
    static final int CLIENT_MESSAGE = 0x1400_4610;
    static final int CLIENT_BUFFER = 0x1402_5E30;
    static final int SERVER_MESSAGE = 0x1404_66A0;
    static final int SERVER_BUFFER = 0x1406_7EB0;
    static final int CLIENT_STRING = 0x1420_0200;
    static final int CLIENT_STRING_BUFFER = 0x1430_0300;
    static final int SERVER_STRING = 0x1440_0400;
    static final int SERVER_STRING_BUFFER = 0x1450_0500;
    /** Largest direct string; longer messages go as one indirect string. */
    static final int MAX_DIRECT = 1020;
    private static final int NEVER = Timeout.pair(Timeout.NEVER, Timeout.NEVER);
    private static final long MAX_CYCLES_PER_ROUND = 10_000_000L;

    final Machine machine;
    final Nucleus nucleus;
    final int size;
    private final boolean registers;
    private final int directBytes;
    private final int stringBytes;
    private final ThreadId server;
    private final ThreadId client;
    private long target;
    private long completed;
    private final BooleanSupplier reachedTarget = () -> completed >= target;
    private int sequence;

    /** Boots the machine and creates the two threads; nothing runs yet. */
    IpcPingPong(int size) {
        if (size < 0 || size > 4 << 20) {
            throw new IllegalArgumentException("message size must be 0..4194304 bytes, got " + size);
        }
        this.size = size;
        KernelComponent kernel = new KernelComponent();
        kernel.addMechanism(new L3Ipc());
        kernel.addScheduler(new LazyScheduler());
        kernel.addScheduler(new StrictScheduler());
        machine = new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent())
                .create(StandardModels.i486dx50());
        nucleus = kernel.boot(machine, Switches.ALL_ON, "l3", "lazy");
        registers = size <= 8; // SHORT_MESSAGES_IN_REGISTERS is on
        directBytes = size <= MAX_DIRECT ? size : 0;
        stringBytes = size > MAX_DIRECT ? size : 0;
        int clientTask = nucleus.createTask();
        int serverTask = nucleus.createTask();
        prepare(clientTask, CLIENT_MESSAGE, CLIENT_BUFFER, CLIENT_STRING, CLIENT_STRING_BUFFER);
        prepare(serverTask, SERVER_MESSAGE, SERVER_BUFFER, SERVER_STRING, SERVER_STRING_BUFFER);
        server = nucleus.createThread(serverTask, new Server());
        client = nucleus.createThread(clientTask, new Client());
    }

    /** @return round trips completed so far (each two IPCs) */
    long completed() {
        return completed;
    }

    /** Runs {@code n} more round trips; fails if one stalls, an IPC fails or a message arrives wrong. */
    void rounds(int n) {
        target = completed + n;
        if (!nucleus.run(reachedTarget, n * MAX_CYCLES_PER_ROUND)) {
            throw new IllegalStateException("ping-pong stalled after " + completed + " round trips");
        }
    }

    /** Maps message, receive buffer and string areas of one task and writes their dopes (free). */
    private void prepare(int task, int message, int buffer, int string, int stringBuffer) {
        int directDwords = (directBytes + 3) / 4;
        int strings = stringBytes > 0 ? 1 : 0;
        Dope dope = new Dope(directDwords, strings, 0);
        map(task, message, dope.messageBytes());
        map(task, buffer, dope.messageBytes());
        if (registers) {
            return;
        }
        nucleus.poke(task, message + Dope.CURRENT, dope.encode());
        nucleus.poke(task, buffer + Dope.MAXIMUM, dope.encode());
        if (strings > 0) {
            map(task, string, stringBytes);
            map(task, stringBuffer, stringBytes);
            int sd = message + dope.stringDescriptor(0);
            nucleus.poke(task, sd + Dope.STRING_ADDRESS, string);
            nucleus.poke(task, sd + Dope.STRING_LENGTH, stringBytes);
            int rd = buffer + dope.stringDescriptor(0);
            nucleus.poke(task, rd + Dope.STRING_BUFFER, stringBuffer);
            nucleus.poke(task, rd + Dope.STRING_BUFFER_SIZE, stringBytes);
        }
    }

    private void map(int task, int address, int bytes) {
        int first = address & PageFlags.FRAME_MASK;
        int pages = (int) (((long) address + Math.max(bytes, 4) - 1 - first) / PageFlags.PAGE_SIZE) + 1;
        nucleus.mapUser(task, first, pages, true);
    }

    /** The client: checks the reply, then calls the server with the next sequence number. */
    private final class Client implements UserProgram {
        private boolean started;

        @Override
        public void run(UserContext u) {
            if (started) {
                u.cpu().alu(); // TEST EAX, EAX: did the call succeed?
                u.cpu().jcc(false);
                u.cpu().alu(); // DEC the loop counter (the loop's JMP is the stub's)
                check(u, CLIENT_BUFFER, CLIENT_STRING_BUFFER, sequence ^ 0x5EED, "reply");
                completed++;
            }
            started = true;
            sequence++;
            fill(u, CLIENT_MESSAGE, CLIENT_STRING, sequence);
            u.ipc(IpcOperation.CALL, server, registers ? 1 : CLIENT_MESSAGE, registers ? 1 : CLIENT_BUFFER,
                    sequence, size, NEVER);
        }
    }

    /** The server: receives from anyone first, then replies and receives the next request in one call. */
    private final class Server implements UserProgram {
        private boolean started;

        @Override
        public void run(UserContext u) {
            if (!started) {
                started = true;
                u.ipc(IpcOperation.RECEIVE, ThreadId.NIL, 0, registers ? 1 : SERVER_BUFFER, 0, 0, NEVER);
                return;
            }
            u.cpu().alu(); // TEST EAX, EAX
            u.cpu().jcc(false);
            int request = u.word0();
            check(u, SERVER_BUFFER, SERVER_STRING_BUFFER, request, "request");
            // the sender is always the client: compare its uid (EDX, ESI) instead of allocating u.source()
            if (u.cpu().reg(Reg.EDX) != client.low() || u.cpu().reg(Reg.ESI) != client.high()) {
                throw new IllegalStateException("request from " + u.source() + ", expected " + client);
            }
            fill(u, SERVER_MESSAGE, SERVER_STRING, request ^ 0x5EED);
            u.ipc(IpcOperation.REPLY_AND_RECEIVE_NEXT, client, registers ? 1 : SERVER_MESSAGE,
                    registers ? 1 : SERVER_BUFFER, request ^ 0x5EED, size, NEVER);
        }
    }

    /** Writes the message's first and last dword (free: the workload's data, not the IPC's cost). */
    private void fill(UserContext u, int message, int string, int value) {
        if (registers) {
            return;
        }
        if (directBytes >= 4) {
            u.poke(message + Dope.DIRECT, value);
            u.poke(message + Dope.DIRECT + ((directBytes - 4) & ~3), value);
        }
        if (stringBytes > 0) {
            u.poke(string, value);
            u.poke(string + ((stringBytes - 4) & ~3), value);
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
        if (directBytes >= 4) {
            int last = buffer + Dope.DIRECT + ((directBytes - 4) & ~3);
            if (u.peek(buffer + Dope.DIRECT) != expected || u.peek(last) != expected) {
                throw new IllegalStateException(what + "'s direct string arrived wrong");
            }
        }
        if (stringBytes > 0) {
            if (u.peek(stringBuffer) != expected || u.peek(stringBuffer + ((stringBytes - 4) & ~3)) != expected) {
                throw new IllegalStateException(what + "'s indirect string arrived wrong");
            }
        }
    }
}

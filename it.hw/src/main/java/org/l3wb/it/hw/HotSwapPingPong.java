package org.l3wb.it.hw;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntConsumer;

import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.api.Timeout;
import org.l3wb.kernel.api.UserContext;
import org.l3wb.kernel.api.UserProgram;

/**
 * An 8-byte ping-pong (client {@code call}, server {@code reply & receive next}) that keeps running
 * while the kernel's IPC mechanism changes under it, and checks exactly-once delivery.
 *
 * <p>Destinations are the bound mechanism's names (a uid under {@code l3} and {@code dash}, a port index
 * under {@code ports}): after a swap a program may pass a name of the previous mechanism, which the new
 * one rejects with {@link ResultCode#NO_PARTNER} without delivering anything. Each program then takes
 * the endpoint for the mechanism the failed call ran under ({@link Nucleus#boundMechanism}, fetched
 * once per mechanism with {@link Nucleus#endpoint} and kept) and sends again. The server first answers
 * through the request's {@code source()}, as the paper's server does, and through its own endpoint
 * for its (only) client when that source is stale. Under a mechanism outside L3's family (mach keeps its
 * own waits, so the partner blocked in L3's thread IPC would never see a message) the programs park:
 * they send again to the partner's uid, which such a mechanism rejects (ESI is not 0), until a
 * mechanism of the family is bound again. {@link ResultCode#NO_MECHANISM} means nothing was done:
 * the program sends the same message again.
 *
 * <p>Messages: call {@code n} carries {@code (n, n ^ KEY)}, its reply {@code (reply(n), ~n)}. The server
 * checks that requests arrive in order without gaps or repeats; the client that each reply answers its
 * own call. Any deviation is recorded in {@link #errors}.
 */
final class HotSwapPingPong {
    /**
     * The workbench's mechanisms that keep every IPC's state in the TCBs (L3's thread IPC, they declare
     * IpcMechanism.keepsItsStateInThreadIpc): this workload's waits carry over among them, and it parks
     * under any other.
     */
    static final Set<String> L3_FAMILY = Set.of("l3", "ports", "dash");
    static final int KEY = 0x5A5A_A5A5;
    static final int NEVER = Timeout.pair(Timeout.NEVER, Timeout.NEVER);

    final Nucleus nucleus;
    final int rounds;
    final Server server = new Server();
    final Client client = new Client();
    final ThreadId serverId;
    final ThreadId clientId;
    final List<String> errors = new ArrayList<>();
    /** Called by the client with the number of completed rounds, before its next call (also before the first). */
    IntConsumer clientHook = done -> { };
    /** Called by the server with the number of requests served, holding the latest one, before it replies. */
    IntConsumer serverHook = served -> { };

    HotSwapPingPong(Nucleus nucleus, int rounds) {
        this.nucleus = nucleus;
        this.rounds = rounds;
        serverId = nucleus.createThread(nucleus.createTask(), server);
        clientId = nucleus.createThread(nucleus.createTask(), client);
    }

    static int reply(int seq) {
        return seq * 7 + 3;
    }

    private void error(String what) {
        if (errors.size() < 20) {
            errors.add(what);
        }
    }

    /** What both programs share: their partner's names per mechanism and how they react to a failed send. */
    abstract class Side implements UserProgram {
        final Map<String, ThreadId> endpoints = new HashMap<>();
        /** Completed rounds per mechanism bound when they completed. */
        final Map<String, Integer> roundsUnder = new TreeMap<>();
        ThreadId dest;
        /** The mechanism {@link #dest} is a name of; null when unknown (a request's source). */
        String destMechanism;
        long syscalls;
        long refreshes;
        long parked;
        long noMechanism;
        boolean started;

        abstract ThreadId self();

        abstract ThreadId peer();

        /** The endpoint of the peer under mechanism {@code m}, fetched once (under ports it allocates a link). */
        ThreadId endpointUnder(String m) {
            ThreadId e = endpoints.get(m);
            if (e == null) {
                e = nucleus.endpoint(self(), peer());
                // endpoint binds the mechanism in effect first: file the name under the one it came from
                String under = nucleus.boundMechanism();
                endpoints.put(under, e);
                destMechanism = under;
                return e;
            }
            destMechanism = m;
            return e;
        }

        /** The name to send to now: the one for the mechanism bound at the latest kernel entry. */
        ThreadId current() {
            String m = nucleus.boundMechanism();
            if (m == null || !L3_FAMILY.contains(m)) {
                destMechanism = null;
                return peer(); // parked (see the class comment); rejected by any other mechanism
            }
            return endpointUnder(m);
        }

        /** The send part failed with NO_PARTNER (nothing was delivered): choose the name to send again to. */
        void afterNoPartner() {
            String m = nucleus.boundMechanism(); // the mechanism the failed call ran under
            if (m == null || !L3_FAMILY.contains(m)) {
                parked++;
                dest = peer();
                destMechanism = null;
                return;
            }
            if (m.equals(destMechanism)) {
                error(getClass().getSimpleName() + ": NO_PARTNER under " + m + " with its own endpoint " + dest);
            }
            refreshes++;
            dest = endpointUnder(m);
        }

        void count() {
            roundsUnder.merge(String.valueOf(nucleus.boundMechanism()), 1, Integer::sum);
        }
    }

    final class Client extends Side {
        int done;
        int seq;
        int observedSwaps;
        String lastBound;

        @Override
        ThreadId self() {
            return clientId;
        }

        @Override
        ThreadId peer() {
            return serverId;
        }

        @Override
        public void run(UserContext u) {
            boolean next = !started;
            if (started) {
                ResultCode r = u.result();
                switch (r) {
                    case OK -> {
                        if (u.word0() != reply(seq) || u.word1() != ~seq) {
                            error("call " + seq + " got reply (" + u.word0() + ", " + u.word1() + ")");
                        }
                        done++;
                        count();
                        String bound = nucleus.boundMechanism();
                        if (lastBound != null && !lastBound.equals(bound)) {
                            observedSwaps++;
                        }
                        lastBound = bound;
                        next = true;
                    }
                    case NO_PARTNER -> afterNoPartner();
                    case NO_MECHANISM -> noMechanism++;
                    default -> error("call " + seq + " ended " + r);
                }
            }
            started = true;
            if (next) {
                clientHook.accept(done);
                if (done == rounds) {
                    u.exit();
                    return;
                }
                seq = done + 1;
                dest = current();
            }
            syscalls++;
            u.ipc(IpcOperation.CALL, dest, 1, 1, seq, seq ^ KEY, NEVER);
        }
    }

    final class Server extends Side {
        int served;
        int pending;

        @Override
        ThreadId self() {
            return serverId;
        }

        @Override
        ThreadId peer() {
            return clientId;
        }

        @Override
        public void run(UserContext u) {
            if (!started) {
                started = true;
                syscalls++;
                u.ipc(IpcOperation.RECEIVE, ThreadId.NIL, 0, 1, 0, 0, NEVER);
                return;
            }
            ResultCode r = u.result();
            switch (r) {
                case OK -> {
                    int seq = u.word0();
                    if (seq != served + 1 || u.word1() != (seq ^ KEY)) {
                        error("request " + (served + 1) + " expected, got (" + seq + ", " + u.word1() + ")");
                    }
                    served++;
                    count();
                    pending = seq;
                    dest = u.source(); // a name of the mechanism that delivered the request
                    destMechanism = null;
                    serverHook.accept(served);
                }
                case NO_PARTNER -> afterNoPartner();
                case NO_MECHANISM -> noMechanism++;
                default -> error("reply " + pending + " ended " + r);
            }
            syscalls++;
            u.ipc(IpcOperation.REPLY_AND_RECEIVE_NEXT, dest, 1, 1, reply(pending), ~pending, NEVER);
        }
    }

    /** @return whether the client finished all rounds */
    boolean finished() {
        return client.done == rounds;
    }

    String summary() {
        return "rounds " + client.done + "/" + rounds + ", served " + server.served + ", swaps seen "
                + client.observedSwaps + ", client refreshes " + client.refreshes + ", server refreshes "
                + server.refreshes + ", parked " + client.parked + "/" + server.parked + ", no mechanism "
                + client.noMechanism + "/" + server.noMechanism + ", rounds under " + client.roundsUnder
                + ", errors " + errors;
    }
}

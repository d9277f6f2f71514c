package org.l3wb.kernel.core;

import java.util.HashSet;
import java.util.Set;

import org.l3wb.kernel.api.Tcb;

/**
 * Checks the nucleus's data in simulated memory without cycles: every live thread has exactly one
 * valid state; queue links are symmetric and acyclic; with lazy scheduling a queue may hold threads
 * that no longer belong there (5.3.4), but every ready thread except the running one is in the ready
 * queue; a thread waiting for a partner names a live one.
 */
final class InvariantChecker {
    private InvariantChecker() {
    }

    static void check(NucleusState n) {
        Set<Integer> live = new HashSet<>();
        for (int number = 2; number <= Layout.THREAD_MASK; number++) {
            int tcb = n.tcbByNumber[number];
            if (tcb == 0) {
                continue;
            }
            int state = n.readKernelWord(tcb + Tcb.STATE);
            if (state < Tcb.FREE || state > Tcb.LOCKED) {
                fail(tcb, "has no valid state: " + state);
            }
            if (state != Tcb.FREE) {
                live.add(tcb);
            }
        }
        // the ready queue is circular: the head's predecessor is the tail
        Set<Integer> ready = walk(n, n.readKernelWord(n.layout.readyQueue()), Tcb.READY_NEXT, Tcb.READY_PREV, "ready queue");
        for (int tcb : live) {
            int state = n.readKernelWord(tcb + Tcb.STATE);
            if ((state == Tcb.READY || state == Tcb.TRANSFERRING) && tcb != n.current && !ready.contains(tcb)) {
                fail(tcb, "is " + Tcb.stateName(state) + " but neither running nor in the ready queue");
            }
            if (state == Tcb.POLLING) {
                int partner = partnerTcb(n, tcb);
                if (partner == 0) {
                    fail(tcb, "polls a thread that does not exist");
                }
                Set<Integer> polling = walk(n, n.readKernelWord(partner + Tcb.POLLING_FIRST), Tcb.POLL_NEXT, Tcb.POLL_PREV,
                        "polling-me queue");
                if (!polling.contains(tcb)) {
                    fail(tcb, "polls a thread whose polling-me queue does not hold it");
                }
            }
            if (state == Tcb.RECEIVING && n.readKernelWord(tcb + Tcb.PARTNER_LOW) != 0 && partnerTcb(n, tcb) == 0) {
                fail(tcb, "waits for a thread that does not exist");
            }
            if (state != Tcb.FREE && tcb == n.current && state != Tcb.READY && state != Tcb.TRANSFERRING) {
                fail(tcb, "runs while " + Tcb.stateName(state));
            }
        }
    }

    private static int partnerTcb(NucleusState n, int tcb) {
        int low = n.readKernelWord(tcb + Tcb.PARTNER_LOW);
        int high = n.readKernelWord(tcb + Tcb.PARTNER_HIGH);
        int number = (low >>> 10) & Layout.THREAD_MASK;
        int partner = n.tcbByNumber[number];
        if (partner == 0 || n.readKernelWord(partner + Tcb.UID_HIGH) != high || n.readKernelWord(partner + Tcb.STATE) == Tcb.FREE) {
            return 0;
        }
        return partner;
    }

    /**
     * Walks a doubly linked list from {@code head}, checking back links and that it ends: at 0, or, for
     * a circular list (the ready queue), back at the head.
     */
    private static Set<Integer> walk(NucleusState n, int head, int next, int prev, String what) {
        Set<Integer> seen = new HashSet<>();
        int previous = 0;
        for (int t = head; t != 0; ) {
            if (!seen.add(t)) {
                throw new IllegalStateException(what + " has a cycle at TCB " + Integer.toHexString(t));
            }
            int back = n.readKernelWord(t + prev);
            if (previous != 0 && back != previous) {
                throw new IllegalStateException(what + ": TCB " + Integer.toHexString(t) + " links back to "
                        + Integer.toHexString(back) + ", not " + Integer.toHexString(previous));
            }
            previous = t;
            int following = n.readKernelWord(t + next);
            t = following == head ? 0 : following;
        }
        return seen;
    }

    private static void fail(int tcb, String message) {
        throw new IllegalStateException("TCB " + Integer.toHexString(tcb) + " " + message);
    }
}

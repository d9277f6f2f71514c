package org.l3wb.kernel.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.l3wb.kernel.api.Scheduler;
import org.l3wb.kernel.api.Tcb;

class PollingQueuesTest {
    final SchedMachine m = new SchedMachine();
    final Scheduler s = new LazyScheduler();
    final int r = m.thread(1, Tcb.RECEIVING);
    final int s1 = m.thread(4, Tcb.READY);
    final int s2 = m.thread(8, Tcb.READY);
    final int s3 = m.thread(12, Tcb.READY);

    void poll(int sender, int receiver) {
        m.polls(sender, receiver);
        m.enter();
        s.enqueuePolling(m.k, receiver, sender);
    }

    int first(int receiver, int fromLow, int fromHigh) {
        m.enter();
        return s.firstPolling(m.k, receiver, fromLow, fromHigh);
    }

    @Test
    void sendersAreServedInTheOrderTheyInvokedTheirIpc() {
        poll(s2, r);
        poll(s1, r);
        poll(s3, r);
        assertEquals(List.of(s2, s1, s3), m.pollingQueue(r));
        for (int expected : new int[] {s2, s1, s3}) {
            int next = first(r, 0, 0);
            assertEquals(expected, next);
            s.dequeuePolling(m.k, r, next);
            m.state(next, Tcb.READY);
        }
        assertEquals(0, first(r, 0, 0));
        assertEquals(List.of(), m.pollingQueue(r));
        for (int t : new int[] {s1, s2, s3}) {
            assertEquals(0, m.peek(t + Tcb.POLL_PREV), "in no queue");
        }
    }

    @Test
    void staleEntriesAreUnlinkedOnTheWay() {
        poll(s1, r);
        poll(s2, r);
        poll(s3, r);
        m.state(s1, Tcb.READY); // gave up (send timeout) without leaving the queue
        m.poke(s2 + Tcb.PARTNER_HIGH, 0x7777_0000); // polls a thread of another generation
        assertEquals(s3, first(r, 0, 0));
        assertEquals(List.of(s3), m.pollingQueue(r));
        assertEquals(0, m.peek(s1 + Tcb.POLL_PREV));
        assertEquals(0, m.peek(s2 + Tcb.POLL_PREV));
        m.state(s3, Tcb.RECEIVING);
        assertEquals(0, first(r, 0, 0));
        assertEquals(List.of(), m.pollingQueue(r));
    }

    @Test
    void aReceiveFromOneSenderSkipsTheOthersWithoutUnlinkingThem() {
        poll(s1, r);
        poll(s2, r);
        poll(s3, r);
        int low = m.peek(s2 + Tcb.UID_LOW);
        int high = m.peek(s2 + Tcb.UID_HIGH);
        assertEquals(s2, first(r, low, high));
        assertEquals(List.of(s1, s2, s3), m.pollingQueue(r));
        s.dequeuePolling(m.k, r, s2);
        assertEquals(List.of(s1, s3), m.pollingQueue(r));
        assertEquals(0, first(r, low, high), "s2 polls no more");
        assertEquals(0, first(r, low, high + (1 << 16)), "a later generation of s3's number");
        assertEquals(List.of(s1, s3), m.pollingQueue(r));
        assertEquals(s1, first(r, 0, 0));
    }

    @Test
    void aSenderStillLinkedInAQueueItLeftIsMovedWhenItPollsAgain() {
        int r2 = m.thread(16, Tcb.RECEIVING);
        poll(s1, r);
        poll(s2, r);
        poll(s3, r);
        m.state(s2, Tcb.READY); // gave up lazily, still linked in r's queue
        poll(s2, r2); // now polls r2
        assertEquals(List.of(s1, s3), m.pollingQueue(r));
        assertEquals(List.of(s2), m.pollingQueue(r2));
        m.state(s1, Tcb.READY);
        poll(s1, r2); // it was r's first
        assertEquals(List.of(s3), m.pollingQueue(r));
        assertEquals(List.of(s2, s1), m.pollingQueue(r2));
        m.state(s3, Tcb.READY);
        poll(s3, r); // again to the same receiver: to the tail (a new invocation)
        assertEquals(List.of(s3), m.pollingQueue(r));
        assertEquals(s2, first(r2, 0, 0));
        assertEquals(s3, first(r, 0, 0));
    }

    @Test
    void dequeuingASenderInNoQueueChangesNothing() {
        poll(s1, r);
        m.enter();
        s.dequeuePolling(m.k, r, s2);
        assertEquals(List.of(s1), m.pollingQueue(r));
        s.dequeuePolling(m.k, r, s1);
        s.dequeuePolling(m.k, r, s1);
        assertEquals(List.of(), m.pollingQueue(r));
    }
}

package org.l3wb.kernel.sched;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.Statistics;
import org.l3wb.kernel.api.Scheduler;
import org.l3wb.kernel.api.Tcb;

class WakeupListsTest {
    final SchedMachine m = new SchedMachine();

    static Scheduler scheduler(String name) {
        return name.equals("lazy") ? new LazyScheduler() : new StrictScheduler();
    }

    int[] tick(Scheduler s) {
        m.enter();
        return s.tick(m.k);
    }

    /** Ticks until the clock reads {@code ms}; fails if anything expires on the way. */
    void tickQuietlyTo(Scheduler s, long ms) {
        while (m.now() < ms) {
            int[] expired = tick(s);
            assertEquals(0, expired.length, "nothing expires before " + ms + ", at " + m.now());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lazy", "strict"})
    void aTenMsTimeoutExpiresOnceTheClockPassesTenMs(String name) {
        Scheduler s = scheduler(name);
        int t = m.thread(1, Tcb.RECEIVING);
        m.enter();
        s.wakeupAt(m.k, t, m.now() + 10);
        assertEquals(List.of(t), m.wakeupList(2), "10 ms: slot 10/4 = 2");
        assertEquals(10, m.peek(t + Tcb.WAKEUP_TIME));
        tickQuietlyTo(s, 10);
        assertArrayEquals(new int[] {t}, tick(s), "the tick ending slot 2 (11 ms)");
        assertEquals(11, m.now());
        assertEquals(-1, m.peek(t + Tcb.WAKEUP_LIST));
        m.checkWakeupLists();
        assertEquals(Tcb.RECEIVING, m.peek(t + Tcb.STATE), "the nucleus aborts it, not the scheduler");
        tickQuietlyTo(s, 100);
    }

    @Test
    void lazilyAThreadThatGotItsMessageIsUnlinkedAtInspectionAndNotReturned() {
        Scheduler s = new LazyScheduler();
        int t = m.thread(1, Tcb.RECEIVING);
        m.enter();
        s.wakeupAt(m.k, t, 10);
        m.state(t, Tcb.READY); // the message came; lazy IPC leaves the wakeup list alone
        s.wakeupCancelled(m.k, t);
        assertEquals(List.of(t), m.wakeupList(2), "still linked");
        tickQuietlyTo(s, 11);
        assertEquals(List.of(), m.wakeupList(2), "cleaned up when its list was inspected");
        m.checkWakeupLists();
    }

    @Test
    void lazilyAThreadThatWaitsAgainWithoutTimeoutIsNotWokenByItsOldEntry() {
        Scheduler s = new LazyScheduler();
        int t = m.thread(1, Tcb.RECEIVING);
        m.enter();
        s.wakeupAt(m.k, t, 10);
        m.state(t, Tcb.READY);
        s.wakeupCancelled(m.k, t); // one store
        m.state(t, Tcb.RECEIVING); // receives again, infinite timeout: no wakeupAt
        tickQuietlyTo(s, 40);
        m.checkWakeupLists();
        assertEquals(-1, m.peek(t + Tcb.WAKEUP_LIST));
    }

    @Test
    void lazyCancelIsOneStore() {
        Scheduler s = new LazyScheduler();
        int t = m.thread(1, Tcb.RECEIVING);
        s.wakeupAt(m.k, t, 10);
        Statistics st = m.measure(() -> s.wakeupCancelled(m.k, t));
        assertEquals(1, st.instructions());
        assertEquals(1, st.writes(org.l3wb.hw.api.Mode.KERNEL));
    }

    @Test
    void strictCancelUnlinksAtOnce() {
        Scheduler s = new StrictScheduler();
        int t = m.thread(1, Tcb.RECEIVING);
        int u = m.thread(2, Tcb.RECEIVING);
        m.enter();
        s.wakeupAt(m.k, t, 10);
        s.wakeupAt(m.k, u, 9);
        assertEquals(List.of(t, u), m.wakeupList(2));
        m.state(t, Tcb.READY);
        s.wakeupCancelled(m.k, t);
        assertEquals(List.of(u), m.wakeupList(2));
        m.checkWakeupLists();
        s.wakeupCancelled(m.k, t); // twice: nothing
        m.checkWakeupLists();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lazy", "strict"})
    void aNewTimeoutReplacesTheOldEntry(String name) {
        Scheduler s = scheduler(name);
        int t = m.thread(1, Tcb.RECEIVING);
        m.enter();
        s.wakeupAt(m.k, t, 10);
        s.wakeupAt(m.k, t, 21);
        assertEquals(List.of(), m.wakeupList(2));
        assertEquals(List.of(t), m.wakeupList(5));
        m.checkWakeupLists();
        tickQuietlyTo(s, 22);
        assertArrayEquals(new int[] {t}, tick(s), "at the end of slot 21/4 = 5: 23 ms");
        assertEquals(23, m.now());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lazy", "strict"})
    void aFarTimeoutWaitsInTheLongTimeListAndIsMovedBackInTime(String name) {
        Scheduler s = scheduler(name);
        int t = m.thread(1, Tcb.POLLING);
        m.enter();
        s.wakeupAt(m.k, t, 1000);
        assertEquals(List.of(t), m.wakeupList(SchedMachine.LISTS), "more than 8 x 4 x 4 ms ahead");
        long movedAt = -1;
        while (m.now() < 1000) {
            assertEquals(0, tick(s).length, "not before 1000 ms, at " + m.now());
            if (movedAt < 0 && m.peek(t + Tcb.WAKEUP_LIST) != SchedMachine.LISTS) {
                movedAt = m.now();
                assertEquals((1000 / 4) % 8, m.peek(t + Tcb.WAKEUP_LIST));
            }
        }
        assertTrue(movedAt > 1000 - 128 && movedAt < 1000, "moved to its normal list at " + movedAt);
        int[] expired = tick(s);
        while (expired.length == 0) {
            expired = tick(s);
        }
        assertArrayEquals(new int[] {t}, expired);
        assertTrue(m.now() >= 1000 && m.now() <= 1003, "4 ms granularity, woken at " + m.now());
        m.checkWakeupLists();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lazy", "strict"})
    void rebasingAt2To24KeepsWakeupTimesRight(String name) {
        Scheduler s = scheduler(name);
        int base = 0x1234_0000;
        m.poke(SchedMachine.CLOCK_BASE, base);
        m.poke(SchedMachine.CLOCK_OFFSET, (1 << 24) - 6);
        long start = m.now();
        int near = m.thread(1, Tcb.RECEIVING);
        int far = m.thread(2, Tcb.RECEIVING);
        int never = m.thread(3, Tcb.RECEIVING);
        m.enter();
        s.wakeupAt(m.k, near, start + 10);
        s.wakeupAt(m.k, far, start + 500);
        s.wakeupAt(m.k, never, start + 20);
        m.state(never, Tcb.READY);
        s.wakeupCancelled(m.k, never);
        m.state(never, Tcb.RECEIVING);
        assertEquals((1 << 24) + 4, m.peek(near + Tcb.WAKEUP_TIME), "beyond 2^24 before rebasing");
        tickQuietlyTo(s, start + 6);
        assertEquals(base + (1 << 23), m.peek(SchedMachine.CLOCK_BASE), "base += 2^23");
        assertEquals(1 << 23, m.peek(SchedMachine.CLOCK_OFFSET), "offset -= 2^23");
        assertEquals(start + 6, m.now(), "the time itself is unchanged");
        assertEquals((1 << 23) + 4, m.peek(near + Tcb.WAKEUP_TIME));
        assertEquals((1 << 23) - 6 + 500, m.peek(far + Tcb.WAKEUP_TIME));
        Map<Integer, Long> woken = new HashMap<>();
        while (m.now() < start + 600) {
            for (int t : tick(s)) {
                woken.put(t, m.now());
            }
        }
        assertEquals(2, woken.size(), "near and far, not the cancelled one: " + woken);
        assertTrue(woken.get(near) >= start + 10 && woken.get(near) <= start + 13, "near at " + (woken.get(near) - start));
        assertTrue(woken.get(far) >= start + 500 && woken.get(far) <= start + 503, "far at " + (woken.get(far) - start));
        m.checkWakeupLists();
    }

    @Test
    void aQuietTickIsCheapAndAllocatesNothing() {
        Scheduler s = new LazyScheduler();
        m.poke(SchedMachine.CLOCK_OFFSET, 100);
        for (int i = 0; i < 6; i++) {
            tick(s); // 101 .. 106, with a slot end at 103: warm
        }
        Statistics slotEnd = m.measure(() -> assertSame(Clock.NONE, s.tick(m.k))); // 107: slot end
        Statistics quiet = m.measure(() -> assertSame(Clock.NONE, s.tick(m.k))); // 108
        System.out.printf("tick with empty lists: %d cycles (%d instructions); at a 4-ms slot end: %d cycles%n",
                quiet.now(), quiet.instructions(), slotEnd.now());
        assertTrue(quiet.now() <= 20, "quiet tick " + quiet.now());
        assertTrue(slotEnd.now() <= 30, "slot end with an empty list " + slotEnd.now());
        assertEquals(0, quiet.tlbMisses() + quiet.cacheMisses());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lazy", "strict"})
    void manyThreadsEachWakeWithinFourMsOfTheirTime(String name) {
        Scheduler s = scheduler(name);
        Random random = new Random(7);
        m.poke(SchedMachine.CLOCK_OFFSET, random.nextInt(1000));
        Map<Integer, Long> due = new HashMap<>();
        for (int i = 1; i < SchedMachine.THREADS; i++) {
            int t = m.thread(i, i % 2 == 0 ? Tcb.RECEIVING : Tcb.POLLING);
            long when = m.now() + 1 + random.nextInt(i % 3 == 0 ? 2000 : 120);
            m.enter();
            s.wakeupAt(m.k, t, when);
            due.put(t, when);
        }
        m.checkWakeupLists();
        long end = m.now() + 2100;
        while (m.now() < end) {
            for (int t : tick(s)) {
                long when = due.remove(t);
                assertTrue(m.now() >= when && m.now() <= when + 3,
                        "due at " + when + ", woken at " + m.now());
            }
            m.checkWakeupLists();
        }
        assertTrue(due.isEmpty(), "all woken");
    }

    @Test
    void timeSliceIsCountedDownByTheTickAndRenewed() {
        Scheduler s = new LazyScheduler();
        m.enter();
        s.newTimeslice(m.k);
        assertEquals(Clock.TIMESLICE_TICKS, m.peek(SchedMachine.TIMESLICE));
        for (int i = 0; i < Clock.TIMESLICE_TICKS - 1; i++) {
            tick(s);
            m.enter();
            assertTrue(!s.timesliceExhausted(m.k));
        }
        tick(s);
        m.enter();
        assertTrue(s.timesliceExhausted(m.k));
    }
}

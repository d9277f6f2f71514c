package org.l3wb.lab.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.l3wb.hw.api.Mnemonic;
import org.l3wb.hw.api.Mode;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.cpu386.I386Dx20;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;
import org.l3wb.lab.ipc.Lab;
import org.l3wb.lab.ipc.PingPong;
import org.l3wb.lab.report.Json;

/**
 * {@code --format chrome}: JSON that parses, every slice with a duration of at least 0, slices nesting
 * per track (never overlapping partly), every flow's start paired with one end, each inside a slice of
 * its own track; for every mechanism on the 486s (7.4's hypothetical one too) and the 386, and for a trace whose steps nest and
 * recur across a thread switch (the kernels' step marks, arriving).
 */
class ChromeTraceTest {
    static List<Arguments> configs() {
        List<Arguments> a = new ArrayList<>();
        for (ProcessorModel model : List.of(StandardModels.i486dx50(), StandardModels.i486dx33(), new I386Dx20(),
                StandardModels.h486dx50())) {
            for (String mechanism : List.of("l3", "ports", "dash", "mach")) {
                a.add(Arguments.of(model, mechanism, Switches.ALL_ON));
            }
        }
        // the reply sent, then a receive of its own: the server's thread runs twice in one round trip
        a.add(Arguments.of(StandardModels.i486dx50(), "l3", Switches.ALL_ON.with(Switch.REPLY_AND_WAIT, false)));
        a.add(Arguments.of(StandardModels.i486dx50(), "l3", Switches.ALL_ON.with(Switch.VIRTUAL_TCB, false)));
        return a;
    }

    @ParameterizedTest(name = "{1} on {0}, {2}")
    @MethodSource("configs")
    void aTimelineOfRoundTripsIsWellFormed(ProcessorModel model, String mechanism, Switches switches) {
        PingPong.Config c = new PingPong.Config(model, mechanism, "lazy", switches, 8, 1, false);
        String json = TraceCommand.run(Lab.MACHINES, Lab.KERNEL, c, "both", "3", "chrome");
        List<Map<String, Object>> slices = check(json);
        assertEquals(6 * 2, slices.stream().filter(e -> "ipc".equals(e.get("cat"))).count(),
                "three round trips: six IPCs, each a part on the sender's and one on the receiver's track");
        assertTrue(json.contains("\"thread A (client)\"") && json.contains("\"thread B (server)\""));
        assertFalse(json.contains("\"tid\": 3"), "every instruction on A's or B's track");
    }

    @Test
    void stepsThatNestAndRecurAcrossAThreadSwitchMakeSlicesThatNest() {
        PingPong.Config c = new PingPong.Config(StandardModels.i486dx50(), "l3", "lazy", Switches.ALL_ON, 8, 1, false);
        List<TracedInstruction> call = new ArrayList<>();
        long t = 0;
        String[][] path = {{"user code", "A"}, {"enter kernel", "A"}, {"check partner", "A"}, {"uid \u2192 TCB", "A"},
            {"check partner", "A"}, {"switch thread", "A"}, {"switch thread", "B"}, {"switch address space", "B"},
            {"switch thread", "B"}, {"return to user", "B"}};
        for (String[] s : path) {
            for (int k = 0; k < 3; k++) {
                call.add(new TracedInstruction(s[0], "", Mnemonic.ALU, 0, Reg.EAX, Reg.NONE, Reg.NONE, t, 2, 0, 0, 0,
                        Mode.KERNEL, s[1], "kernel code", List.of()));
                t += 2;
            }
        }
        call.set(3, new TracedInstruction("enter kernel", "", Mnemonic.INT, 0, Reg.NONE, Reg.ESP, Reg.NONE, 6, 2, 1,
                1, 0, Mode.KERNEL, "A", "user code of A", List.of()));
        StepProfile p = new StepProfile(c, StepProfile.Ipc.CALL, call);
        assertEquals(List.of("user code", "enter kernel", "check partner", "uid \u2192 TCB", "switch thread",
                "switch address space", "return to user"), p.steps().stream().map(StepProfile.Step::label).toList());
        assertEquals(t, p.cycles());
        List<Map<String, Object>> slices = check(ChromeTrace.render(c, List.of(p)));
        assertEquals(2, slices.stream().filter(e -> "ipc".equals(e.get("cat"))).count());
        // six runs of one step on A (check partner twice: it recurs after uid -> TCB), four on B
        assertEquals(10, slices.stream().filter(e -> "step".equals(e.get("cat"))).count());
    }

    /** @return the slices, after checking durations, nesting per track and flows */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> check(String json) {
        Map<String, Object> root = (Map<String, Object>) Json.parse(json);
        List<Map<String, Object>> events = (List<Map<String, Object>>) root.get("traceEvents");
        Map<Object, List<long[]>> byTrack = new HashMap<>();
        List<Map<String, Object>> slices = new ArrayList<>();
        Map<Object, List<Map<String, Object>>> flows = new HashMap<>();
        for (Map<String, Object> e : events) {
            switch ((String) e.get("ph")) {
                case "X" -> {
                    long ts = ns(e.get("ts"));
                    long dur = ns(e.get("dur"));
                    assertTrue(dur >= 0, "slice with a negative duration: " + e);
                    byTrack.computeIfAbsent(e.get("tid"), k -> new ArrayList<>()).add(new long[] {ts, ts + dur});
                    slices.add(e);
                }
                case "s", "f" -> flows.computeIfAbsent(e.get("id"), k -> new ArrayList<>()).add(e);
                case "C", "M" -> assertTrue(e.containsKey("name"));
                default -> throw new AssertionError("unexpected event " + e);
            }
        }
        assertFalse(slices.isEmpty());
        byTrack.forEach((tid, list) -> nest(tid, list));
        assertFalse(flows.isEmpty());
        flows.forEach((id, pair) -> {
            assertEquals(2, pair.size(), "flow " + id + " pairs a start with an end: " + pair);
            Map<String, Object> s = pair.get(0).get("ph").equals("s") ? pair.get(0) : pair.get(1);
            Map<String, Object> f = s == pair.get(0) ? pair.get(1) : pair.get(0);
            assertEquals("f", f.get("ph"));
            assertTrue(ns(s.get("ts")) <= ns(f.get("ts")), "a message arrives after it is sent: " + pair);
            assertTrue(inSlice(byTrack.get(s.get("tid")), ns(s.get("ts"))), "flow start inside a slice: " + s);
            assertTrue(inSlice(byTrack.get(f.get("tid")), ns(f.get("ts"))), "flow end inside a slice: " + f);
        });
        return slices;
    }

    /** Slices of one track, by start (the longer first): each ends within every slice still open at its start. */
    private static void nest(Object tid, List<long[]> list) {
        list.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(b[1], a[1]));
        List<long[]> open = new ArrayList<>();
        for (long[] s : list) {
            while (!open.isEmpty() && open.get(open.size() - 1)[1] <= s[0] && s[1] > s[0]) {
                open.remove(open.size() - 1);
            }
            if (!open.isEmpty()) {
                long[] parent = open.get(open.size() - 1);
                assertTrue(s[1] <= parent[1], "track " + tid + ": slice [" + s[0] + ", " + s[1] + "] ns overlaps ["
                        + parent[0] + ", " + parent[1] + "] partly");
            }
            open.add(s);
        }
    }

    private static boolean inSlice(List<long[]> slices, long ts) {
        return slices != null && slices.stream().anyMatch(s -> s[0] <= ts && ts <= s[1]);
    }

    private static long ns(Object micros) {
        return Math.round(((Number) micros).doubleValue() * 1000);
    }
}

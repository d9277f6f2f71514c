package org.l3wb.kernel.dash;

import org.l3wb.hw.api.Reg;

import org.l3wb.kernel.core.testing.DifferentProcessor;
import static org.junit.jupiter.api.Assertions.fail;
import static org.l3wb.kernel.dash.DashFixture.NEVER;
import static org.l3wb.kernel.dash.DashFixture.PAGE;
import static org.l3wb.kernel.dash.DashFixture.page;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.KernelLayout;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.api.UserContext;
import org.l3wb.kernel.api.UserProgram;
import org.l3wb.kernel.core.testing.ProtectedMemory;

/**
 * Random Dash traffic among four worker threads in three tasks (two threads share a task), each task
 * starting with a random set of pages in its ipc region, including pages at the same address in
 * several tasks. A conductor thread in a fourth task calls one worker per step; the worker sends a
 * random page range (in, partly out of, or outside the region; owned, partly owned, occupied at the
 * receiver, or empty) to another worker, which reads each page it receives at user level, then
 * replies the send's result to the conductor.
 *
 * <p>After every step, with the kernel stopped in the conductor: the result is the one the page
 * ownership implies; the page tables of every task's ipc region (walked with {@code Mmu.entry} from
 * each task's page directory) show exactly the pages a model of the moves predicts, in the same
 * frames; no frame is mapped in two spaces and none is lost; every delivered page holds what was
 * written into its frame at the start; the kernel's invariants hold. Some steps send a hostile page
 * descriptor (kernel code, the TCBs, the page directories, the physical map, the last user page,
 * wrapping past 4 GB), refused like any range outside the region; a bystander task with a region page
 * and a waiting thread takes no part, and its TCB, page directory, page table and frames, the GDT, the
 * IDT and the copy buffer are unchanged, byte for byte, after every step. Each try draws a seed;
 * a failure prints it with the script.
 */
class DashTrafficPropertiesTest {
    static final int WORKERS = 4;
    /** Worker w lives in task TASK_OF[w] (an index into the worker tasks). */
    static final int[] TASK_OF = {0, 0, 1, 2};

    record Step(int sender, int receiver, int first, int count) {
        int descriptor() {
            return (page(first) & ~0xFFF) | (count & 0xFFF);
        }
    }

    record Delivery(int step, int worker, int descriptor, List<Integer> firstWords, List<Integer> lastWords) {
    }

    @Property(tries = 60, shrinking = ShrinkingMode.OFF, seed = "20261127")
    void pagesAreNeitherLostNorDuplicatedAndArriveIntact(@ForAll long seed) {
        Random r = new Random(seed);
        Switches switches = Switches.ALL_ON;
        String scheduler = "lazy";
        if (r.nextBoolean()) {
            switches = switches.with(Switch.VIRTUAL_TCB, r.nextBoolean());
            if (r.nextBoolean()) {
                switches = switches.with(Switch.LAZY_SCHEDULING, false);
                scheduler = "strict";
            }
        }
        new Scenario(seed, r, switches, scheduler).run();
    }

    /** The same on paper 7.4's different processor: tagged TLB, no segments, no INVLPG (fewer tries). */
    @Property(tries = 15, shrinking = ShrinkingMode.OFF, seed = "20261202")
    void onATaggedFlatProcessorWithoutInvlpgToo(@ForAll long seed) {
        Random r = new Random(seed);
        new Scenario(seed, r, Switches.ALL_ON, "lazy", DifferentProcessor.taggedFlatNoInvlpg()).run();
    }

    static final class Scenario {
        final long seed;
        final Switches switches;
        final String scheduler;
        final DashFixture f;
        final int[] tasks = new int[3];
        final ThreadId[] workers = new ThreadId[WORKERS];
        ThreadId conductor;
        final List<Step> steps = new ArrayList<>();
        final List<Delivery> deliveries = new ArrayList<>();
        final List<String> violations = new ArrayList<>();
        final List<String> log = new ArrayList<>();
        /** The model: per worker task, region page to frame; and each frame's tag (first word). */
        final List<TreeMap<Integer, Integer>> owned = new ArrayList<>();
        final Map<Integer, Integer> tagOfFrame = new HashMap<>();
        final Set<Integer> allFrames = new HashSet<>();
        boolean finished;
        final int bystanderTask;
        final ThreadId bystander;
        final ProtectedMemory mem;
        boolean snapshot;

        Scenario(long seed, Random r, Switches switches, String scheduler) {
            this(seed, r, switches, scheduler, org.l3wb.hw.cpu486.StandardModels.i486dx50());
        }

        Scenario(long seed, Random r, Switches switches, String scheduler, org.l3wb.hw.api.ProcessorModel model) {
            this.seed = seed;
            this.switches = switches;
            this.scheduler = scheduler;
            this.f = new DashFixture(switches, scheduler, model);
            int conductorTask = f.n.createTask();
            for (int t = 0; t < tasks.length; t++) {
                tasks[t] = f.n.createTask();
                for (int p : candidatePages()) {
                    if (r.nextInt(10) < 4) {
                        f.give(tasks[t], p, 1, 0x5A00_0000 | t << 16 | p);
                    }
                }
                TreeMap<Integer, Integer> frames = f.regionFrames(tasks[t]);
                owned.add(frames);
                for (Map.Entry<Integer, Integer> e : frames.entrySet()) {
                    tagOfFrame.put(e.getValue(), 0x5A00_0000 | t << 16 | e.getKey());
                    allFrames.add(e.getValue());
                }
            }
            // the bystander: created first, so that it waits in receive before any step
            bystanderTask = f.n.createTask();
            f.give(bystanderTask, 3, 1, 0x5EC0_0000);
            bystander = f.n.createThread(bystanderTask, new DashIpcTest.Receiver());
            KernelLayout layout = f.n.layout();
            mem = new ProtectedMemory(f.n).space(bystanderTask).copyBuffer()
                    .kernelRange("GDT", layout.gdt(), 5 * 8).kernelRange("IDT", layout.idt(), 256 * 8)
                    .kernelRange("the bystander's page directory", layout.pageDirectories() + bystanderTask * PAGE, PAGE)
                    .kernelRange("the bystander's region page table",
                            layout.physicalMap() + new ProtectedMemory(f.n).pageTable(bystanderTask, page(3)), PAGE);
            int[] hostile = {layout.kernelCode(), layout.tcbArray(), layout.pageDirectories(),
                layout.physicalMap() + new ProtectedMemory(f.n).userPhysical(bystanderTask, page(3)),
                layout.userTop() - PAGE, 0xFFFF_F000, IpcRegion.BASE - PAGE, IpcRegion.END};
            int n = 1 + r.nextInt(30);
            for (int i = 0; i < n; i++) {
                int s = r.nextInt(WORKERS);
                int d = (s + 1 + r.nextInt(WORKERS - 1)) % WORKERS;
                int first = r.nextInt(8) == 0 ? 248 + r.nextInt(10) : -2 + r.nextInt(16);
                if (r.nextInt(8) == 0) { // hostile: the page index that puts the descriptor's address there
                    first = (hostile[r.nextInt(hostile.length)] - IpcRegion.BASE) >> 12;
                }
                int count = r.nextInt(12) == 0 ? 0 : 1 + r.nextInt(5);
                steps.add(new Step(s, d, first, count));
            }
            // workers first, so that they wait in receive when the conductor starts
            for (int w = 0; w < WORKERS; w++) {
                workers[w] = f.n.createThread(tasks[TASK_OF[w]], new Worker(w));
            }
            conductor = f.n.createThread(conductorTask, new Conductor());
        }

        static int[] candidatePages() {
            int[] pages = new int[12 + 6];
            for (int i = 0; i < 12; i++) {
                pages[i] = i;
            }
            for (int i = 0; i < 6; i++) {
                pages[12 + i] = 250 + i;
            }
            return pages;
        }

        void run() {
            boolean done;
            try {
                done = f.n.run(() -> finished || !violations.isEmpty(), 500_000_000L);
            } catch (RuntimeException e) {
                violations.add("exception: " + e);
                done = true;
            }
            if (!done) {
                violations.add("the script did not finish");
            }
            if (!violations.isEmpty()) {
                fail(report());
            }
        }

        String report() {
            StringBuilder sb = new StringBuilder("seed " + seed + ", " + switches + ", " + scheduler + "\n");
            violations.forEach(v -> sb.append("  VIOLATION ").append(v).append('\n'));
            for (int t = 0; t < tasks.length; t++) {
                sb.append("  task ").append(tasks[t]).append(" started with pages ").append(owned.get(t).keySet())
                        .append('\n');
            }
            for (int i = 0; i < steps.size(); i++) {
                sb.append("  step ").append(i).append(' ').append(steps.get(i))
                        .append(i < log.size() ? " -> " + log.get(i) : "").append('\n');
            }
            return sb.toString();
        }

        /** What the kernel must answer, from the model's page ownership. */
        ResultCode expected(Step s) {
            if (s.count() == 0 || s.first() < 0 || s.first() + s.count() > IpcRegion.PAGES) {
                return ResultCode.INVALID_BUFFER;
            }
            TreeMap<Integer, Integer> from = owned.get(TASK_OF[s.sender()]);
            TreeMap<Integer, Integer> to = owned.get(TASK_OF[s.receiver()]);
            boolean sameTask = TASK_OF[s.sender()] == TASK_OF[s.receiver()];
            for (int p = s.first(); p < s.first() + s.count(); p++) {
                if (!from.containsKey(p) || (!sameTask && to.containsKey(p))) {
                    return ResultCode.INVALID_BUFFER;
                }
            }
            return ResultCode.OK;
        }

        /** Checks step {@code i}'s outcome and the whole machine's page ownership; updates the model. */
        void check(int i, ResultCode result) {
            Step s = steps.get(i);
            ResultCode want = expected(s);
            log.add(result.toString());
            if (result != want) {
                violations.add("step " + i + " returned " + result + ", expected " + want);
                return;
            }
            List<Delivery> got = deliveries.stream().filter(d -> d.step() == i).toList();
            if (want == ResultCode.OK) {
                List<Integer> tags = new ArrayList<>();
                List<Integer> complements = new ArrayList<>();
                TreeMap<Integer, Integer> from = owned.get(TASK_OF[s.sender()]);
                for (int p = s.first(); p < s.first() + s.count(); p++) {
                    tags.add(tagOfFrame.get(from.get(p)));
                    complements.add(~tagOfFrame.get(from.get(p)));
                }
                Delivery expect = new Delivery(i, s.receiver(), s.descriptor(), tags, complements);
                if (!got.equals(List.of(expect))) {
                    violations.add("step " + i + " delivered " + got + ", expected " + expect);
                }
                if (TASK_OF[s.sender()] != TASK_OF[s.receiver()]) {
                    TreeMap<Integer, Integer> to = owned.get(TASK_OF[s.receiver()]);
                    for (int p = s.first(); p < s.first() + s.count(); p++) {
                        to.put(p, from.remove(p));
                    }
                }
            } else if (!got.isEmpty()) {
                violations.add("step " + i + " failed but delivered " + got);
            }
            Set<Integer> seen = new HashSet<>();
            for (int t = 0; t < tasks.length; t++) {
                TreeMap<Integer, Integer> actual = f.regionFrames(tasks[t]);
                if (!actual.equals(owned.get(t))) {
                    violations.add("after step " + i + " task " + tasks[t] + " maps " + actual + ", expected "
                            + owned.get(t));
                }
                for (int frame : actual.values()) {
                    if (!seen.add(frame)) {
                        violations.add("after step " + i + " frame " + Integer.toHexString(frame)
                                + " is mapped in two spaces");
                    }
                }
            }
            if (!seen.equals(allFrames)) {
                Set<Integer> lost = new HashSet<>(allFrames);
                lost.removeAll(seen);
                Set<Integer> extra = new HashSet<>(seen);
                extra.removeAll(allFrames);
                violations.add("after step " + i + " frames lost " + lost + ", unknown " + extra);
            }
            try {
                f.n.checkInvariants();
            } catch (IllegalStateException e) {
                violations.add("after step " + i + ": " + e.getMessage());
            }
            if (snapshot) {
                for (String change : mem.changes(4)) {
                    violations.add("after step " + i + " protected memory changed: " + change);
                }
            } else if (f.n.state(bystander) == Tcb.RECEIVING) {
                mem.tcbOf(bystander).exceptQueueLinks(bystander).snapshot(); // from now on the bystander holds still
                snapshot = true;
            }
        }

        /** Calls the step's sender with the step number; checks what happened when the reply comes. */
        final class Conductor implements UserProgram {
            int step = -1;

            @Override
            public void run(UserContext u) {
                if (step >= 0) {
                    if (u.result() != ResultCode.OK) {
                        violations.add("the call for step " + step + " failed: " + u.result());
                    }
                    check(step, ResultCode.of(u.word0()));
                }
                step++;
                if (step < steps.size()) {
                    u.ipc(IpcOperation.CALL, workers[steps.get(step).sender()], 1, 1, step, 0, NEVER);
                } else {
                    finished = true;
                    u.exit();
                }
            }
        }

        /**
         * Waits for anyone. From the conductor: sends the step's pages, then replies the result. From
         * another worker: reads the first word of every page received (MOV at user level) and the last
         * (debugger view), then waits again.
         */
        final class Worker implements UserProgram {
            final int index;
            boolean started;
            boolean sent;

            Worker(int index) {
                this.index = index;
            }

            @Override
            public void run(UserContext u) {
                if (!started) {
                    started = true;
                    u.ipc(IpcOperation.RECEIVE, ThreadId.NIL, 0, 1, 0, 0, NEVER);
                    return;
                }
                if (sent) {
                    sent = false;
                    u.ipc(IpcOperation.REPLY_AND_RECEIVE_NEXT, conductor, 1, 1, u.result().code(), 0, NEVER);
                    return;
                }
                if (u.result() != ResultCode.OK) {
                    violations.add("worker " + index + " received " + u.result());
                }
                if (u.source().equals(conductor)) {
                    Step s = steps.get(u.word0());
                    sent = true;
                    u.ipc(IpcOperation.SEND, workers[s.receiver()], s.descriptor(), 0, u.word0(), 0, NEVER);
                    return;
                }
                int descriptor = u.word1();
                int first = descriptor & ~0xFFF;
                List<Integer> firstWords = new ArrayList<>();
                List<Integer> lastWords = new ArrayList<>();
                for (int i = 0; i < (descriptor & 0xFFF); i++) {
                    firstWords.add(u.cpu().load(Reg.NONE, Reg.NONE, first + i * PAGE));
                    lastWords.add(u.peek(first + i * PAGE + PAGE - 4));
                }
                deliveries.add(new Delivery(u.word0(), index, descriptor, firstWords, lastWords));
                u.ipc(IpcOperation.RECEIVE, ThreadId.NIL, 0, 1, 0, 0, NEVER);
            }
        }
    }
}

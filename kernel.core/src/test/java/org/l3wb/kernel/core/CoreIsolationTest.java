package org.l3wb.kernel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.cache.CacheFactoryComponent;
import org.l3wb.hw.cpu486.MachineFactoryComponent;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.hw.mmu.MmuFactoryComponent;
import org.l3wb.kernel.api.IpcMechanism;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.api.Timeout;
import org.l3wb.kernel.api.UserContext;
import org.l3wb.kernel.api.UserProgram;
import org.l3wb.kernel.core.testing.ProtectedMemory;
import org.l3wb.kernel.sched.LazyScheduler;

/**
 * The nucleus's own checks of what user level hands it, each with protected memory compared byte for
 * byte ({@link ProtectedMemory}):
 *
 * <ul>
 * <li>the uid check of a destination (5.2.5: the TCB is found by masking the uid, and the uid
 *     compared): a forged uid (another generation, another low word naming the same TCB, a high word
 *     of 0, a thread that never existed, the largest thread number) finds no thread, with virtual
 *     TCBs and with the TCB table, and leaves kernel memory, the bystander's TCB and every space as
 *     they were;</li>
 * <li>{@code mapUser}, {@code peek}, {@code poke}: user space is exactly [0, USER_TOP) page by page;
 *     the kernel's pages, present in every directory, are neither mapped again nor read nor written
 *     through them, and a refused call changes nothing;</li>
 * <li>{@code mapKernelPage}: mechanism data regions only, to their last byte.</li>
 * </ul>
 */
class CoreIsolationTest {
    /** A mechanism that only looks up the destination: OK and the TCB in EBX, or NO_PARTNER. */
    static final class LookupOnly implements IpcMechanism {
        @Override
        public String name() {
            return "lookup";
        }

        @Override
        public void ipc(KernelContext k, IpcOperation operation) {
            if (operation == IpcOperation.RECEIVE) { // waits for ever, as a bystander
                int me = k.current();
                k.cpu().store(Reg.EBP, me + Tcb.STATE, Reg.NONE, Tcb.RECEIVING);
                k.cpu().store(Reg.EBP, me + Tcb.PARTNER_LOW, Reg.NONE, 0);
                k.cpu().store(Reg.EBP, me + Tcb.PARTNER_HIGH, Reg.NONE, 0);
                k.scheduler().blocked(k, me);
                k.dispatchNext();
                return;
            }
            int tcb = k.lookup(k.cpu().reg(Reg.EDX), k.cpu().reg(Reg.ESI));
            k.cpu().movImm(Reg.EAX, (tcb == 0 ? ResultCode.NO_PARTNER : ResultCode.OK).code());
            k.cpu().movImm(Reg.EBX, tcb);
            k.returnToUser();
        }

        @Override
        public void resumeTransfer(KernelContext k) {
            throw new AssertionError("no transfers here");
        }
    }

    /** Sends to each uid in turn, recording result and EBX. */
    static final class Prober implements UserProgram {
        final List<ThreadId> targets = new ArrayList<>();
        final List<ResultCode> results = new ArrayList<>();
        final List<Integer> tcbs = new ArrayList<>();
        int next;

        @Override
        public void run(UserContext u) {
            if (next > 0) {
                results.add(u.result());
                tcbs.add(u.word0());
            }
            if (next < targets.size()) {
                u.ipc(IpcOperation.SEND, targets.get(next++), 1, 0, 0, 0, Timeout.pair(Timeout.NEVER, Timeout.NEVER));
            } else {
                next++;
                u.exit();
            }
        }

        boolean finished() {
            return next > targets.size();
        }
    }

    static L3Nucleus boot(Switches switches) {
        KernelComponent kernel = new KernelComponent();
        kernel.addScheduler(new LazyScheduler());
        kernel.addMechanism(new LookupOnly());
        return (L3Nucleus) kernel.boot(new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent())
                .create(StandardModels.i486dx50()), switches, "lookup", "lazy");
    }

    /** A bystander: it waits to receive for ever (its TCB holds still from then on). */
    static final class Idle implements UserProgram {
        @Override
        public void run(UserContext u) {
            u.ipc(IpcOperation.RECEIVE, ThreadId.NIL, 0, 1, 0, 0, Timeout.pair(Timeout.NEVER, Timeout.NEVER));
        }
    }

    record Forged(String name, Function<ThreadId, ThreadId> forge) {
    }

    static final List<Forged> FORGED = List.of(
            new Forged("another generation", t -> new ThreadId(t.low(), t.high() ^ 1 << 16)),
            new Forged("another chief", t -> new ThreadId(t.low(), t.high() ^ 1)),
            new Forged("high word 0", t -> new ThreadId(t.low(), 0)),
            new Forged("a low word with stray bits, same TCB", t -> new ThreadId(t.low() | 4, t.high())),
            new Forged("a low word past the thread mask, same TCB",
                    t -> new ThreadId(t.low() + (Layout.THREAD_MASK + 1) * Tcb.SIZE, t.high())),
            new Forged("a thread never created", t -> new ThreadId(t.low() + 5 * Tcb.SIZE, t.high())),
            new Forged("the largest thread number", t -> new ThreadId(Layout.THREAD_MASK * Tcb.SIZE, t.high())),
            new Forged("thread 0", t -> new ThreadId(0, t.high())),
            new Forged("nil (0, 0): matches the empty TCB's uid but names no thread", t -> new ThreadId(0, 0)),
            new Forged("all ones", t -> new ThreadId(-1, -1)));

    @TestFactory
    Stream<DynamicTest> aForgedUidFindsNoThreadAndChangesNothing() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Switches switches : List.of(Switches.ALL_ON, Switches.allBut(Switch.VIRTUAL_TCB))) {
            String config = switches.isOn(Switch.VIRTUAL_TCB) ? "virtual TCBs" : "TCB table";
            for (Forged f : FORGED) {
                tests.add(DynamicTest.dynamicTest(config + ", " + f.name(), () -> {
                    L3Nucleus n = boot(switches);
                    int a = n.createTask();
                    int c = n.createTask();
                    n.mapUser(c, 0x1000_0000, 1, true);
                    n.poke(c, 0x1000_0000, 0x5EC2E7);
                    ThreadId bystander = n.createThread(c, new Idle());
                    assertTrue(n.run(() -> n.state(bystander) == Tcb.RECEIVING, 50_000_000L));
                    Prober prober = new Prober();
                    prober.targets.add(f.forge().apply(bystander));
                    prober.targets.add(bystander); // the real uid, for comparison
                    n.createThread(a, prober);
                    // a lookup of a thread that never existed maps the empty TCB (5.2.5): its page tables change
                    ProtectedMemory mem = new ProtectedMemory(n).withoutTcbPageTables().kernel().copyBuffer()
                            .tcbOf(bystander).space(a).space(c).snapshot();
                    assertTrue(n.run(prober::finished, 50_000_000L));
                    n.checkInvariants();
                    assertEquals(List.of(), mem.changes(8), "protected memory changed: " + f.name());
                    assertEquals(List.of(ResultCode.NO_PARTNER, ResultCode.OK), prober.results, f.name());
                    assertEquals(0, prober.tcbs.get(0));
                    if (switches.isOn(Switch.VIRTUAL_TCB)) {
                        assertEquals(mem.tcb(bystander), prober.tcbs.get(1));
                    } else {
                        assertTrue(prober.tcbs.get(1) != 0); // a TCB on the heap, found through the table
                    }
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void refusedMappingsChangeNoPageTableAndTheEdgesOfUserSpaceAreMappable() {
        L3Nucleus n = boot(Switches.ALL_ON);
        int task = n.createTask();
        int other = n.createTask();
        n.mapUser(other, 0x1000_0000, 1, true);
        ProtectedMemory mem = new ProtectedMemory(n).kernel().space(task).space(other).snapshot();
        int[][] bad = {
            {Layout.USER_TOP - 4096, 2}, // straddles the top of user space by one page
            {Layout.USER_TOP, 1}, // the first kernel page
            {Layout.KERNEL_CODE, 1},
            {Layout.PHYSICAL_MAP, 1},
            {Layout.PAGE_DIRECTORIES, 1},
            {Layout.TCB_ARRAY, 1},
            {0xFFFF_F000, 1}, // the last page of 4 GB
            {0xFFFF_F000, 2}, // wraps to page 0
            {0, 0x000C_0001}, // from page 0, one page more than user space
            {0x1000_0004, 1}, // not page-aligned
            {0x1000_0000 | 0x800, 1},
            {0x1000_0000, 0},
            {0x1000_0000, -1},
            {0x1000_0000, Integer.MIN_VALUE},
        };
        for (int[] b : bad) {
            assertThrows(IllegalArgumentException.class, () -> n.mapUser(task, b[0], b[1], true),
                    String.format("0x%08x + %d pages", b[0], b[1]));
            assertEquals(List.of(), mem.changes(8), String.format("0x%08x + %d pages", b[0], b[1]));
        }
        // the edges: page 0, the last page below the top, all of user space up to the top from 0xBFFF_0000
        n.mapUser(task, 0, 1, true);
        n.mapUser(task, Layout.USER_TOP - 4096, 1, true);
        n.mapUser(task, Layout.USER_TOP - 16 * 4096, 16, true);
        n.poke(task, 0, 0x0);
        n.poke(task, Layout.USER_TOP - 4, 0x7A57);
        assertEquals(0x7A57, n.peek(task, Layout.USER_TOP - 4));
    }

    @Test
    void peekAndPokeReachUserSpaceOnlyThoughKernelPagesArePresentInEveryDirectory() {
        L3Nucleus n = boot(Switches.ALL_ON);
        int task = n.createTask();
        n.mapUser(task, Layout.USER_TOP - 4096, 1, true);
        ProtectedMemory mem = new ProtectedMemory(n).kernel().space(task).snapshot();
        int[] kernel = {Layout.USER_TOP, Layout.PHYSICAL_MAP, Layout.KERNEL_CODE, n.layout().gdt(),
            Layout.PAGE_DIRECTORIES + task * 4096, Layout.OWN_PAGE_DIRECTORY, 0xFFFF_FFFC};
        for (int k : kernel) {
            assertThrows(IllegalArgumentException.class, () -> n.poke(task, k, 0xBAD), String.format("0x%08x", k));
            assertThrows(IllegalArgumentException.class, () -> n.peek(task, k), String.format("0x%08x", k));
        }
        assertEquals(List.of(), mem.changes(8));
        n.poke(task, Layout.USER_TOP - 4, 0x1A57);
        assertEquals(0x1A57, n.peek(task, Layout.USER_TOP - 4));
    }

    @Test
    void kernelPagesAreMappedInMechanismDataOnlyToItsLastByte() {
        L3Nucleus n = boot(Switches.ALL_ON);
        int data = n.layout().mechanismData("lookup");
        ProtectedMemory mem = new ProtectedMemory(n).kernel().snapshot();
        // data + MECHANISM_DATA_BYTES: the first byte after the region, where a region not handed out begins
        for (int bad : new int[] {data - 1, data - 4096, data + Layout.MECHANISM_DATA_BYTES,
            data + Layout.MECHANISM_DATA_BYTES * Layout.MECHANISM_REGIONS,
            Layout.TCB_ARRAY, Layout.KERNEL_CODE, Layout.USER_TOP - 4096, 0}) {
            assertThrows(IllegalArgumentException.class, () -> n.mapKernelPage(bad), String.format("0x%08x", bad));
        }
        assertEquals(List.of(), mem.changes(8));
        n.mapKernelPage(data);
        n.mapKernelPage(data + Layout.MECHANISM_DATA_BYTES - 1);
        assertTrue(mem.kernelPhysical(data + Layout.MECHANISM_DATA_BYTES - 4) >= 0);
        // a page mapped already keeps its frame and its content
        int frame = mem.kernelPhysical(data);
        n.machine().memory().writeWord(frame, 0xDA7A);
        n.mapKernelPage(data + 8);
        assertEquals(frame, mem.kernelPhysical(data));
        assertEquals(0xDA7A, n.machine().memory().readWord(frame));
    }

    @Test
    void mappingsTakeExactlyTheirPagesKeepWhatIsMappedAndHonourReadOnly() {
        L3Nucleus n = boot(Switches.ALL_ON);
        int task = n.createTask();
        ProtectedMemory mem = new ProtectedMemory(n);
        n.mapUser(task, 0x2000_0000, 2, true);
        assertThrows(IllegalArgumentException.class, () -> n.peek(task, 0x2000_2000), "one page more was mapped");
        assertThrows(IllegalArgumentException.class, () -> n.peek(task, 0x1FFF_F000), "one page before was mapped");
        n.poke(task, 0x2000_1000, 0x0DD);
        int frame = mem.userPhysical(task, 0x2000_1000);
        n.mapUser(task, 0x2000_0000, 3, true); // again, one page more
        assertEquals(frame, mem.userPhysical(task, 0x2000_1000), "a mapped page keeps its frame");
        assertEquals(0x0DD, n.peek(task, 0x2000_1000));
        n.mapUser(task, 0x3000_0000, 1, false);
        int pte = n.machine().mmu().entry(mem.directory(task), 0x3000_0000);
        assertEquals(0, pte & org.l3wb.hw.api.PageFlags.WRITABLE, "read-only stays read-only");
        assertEquals(org.l3wb.hw.api.PageFlags.USER, pte & org.l3wb.hw.api.PageFlags.USER);
        int writable = n.machine().mmu().entry(mem.directory(task), 0x2000_0000);
        assertEquals(org.l3wb.hw.api.PageFlags.WRITABLE, writable & org.l3wb.hw.api.PageFlags.WRITABLE, "writable is writable");
    }

    @Test
    void onlyExistingUserTasksAndMappedUserPagesAreReached() {
        L3Nucleus n = boot(Switches.ALL_ON);
        int task = n.createTask();
        int last = n.createTask();
        ProtectedMemory mem = new ProtectedMemory(n).kernel().space(task).space(last).snapshot();
        for (int bad : new int[] {0, -1, last + 1, Layout.MAX_TASKS, Integer.MIN_VALUE}) {
            assertThrows(IllegalArgumentException.class, () -> n.mapUser(bad, 0x1000_0000, 1, true), "task " + bad);
            assertThrows(IllegalArgumentException.class, () -> n.peek(bad, 0x1000_0000), "task " + bad);
            assertThrows(IllegalArgumentException.class, () -> n.poke(bad, 0x1000_0000, 0xBAD), "task " + bad);
        }
        // an unmapped user page is no page: not physical page 0 or whatever an empty entry names
        assertThrows(IllegalArgumentException.class, () -> n.peek(task, 0x3000_0000));
        assertThrows(IllegalArgumentException.class, () -> n.poke(task, 0x3000_0000, 0xBAD));
        assertThrows(IllegalArgumentException.class, () -> n.poke(task, 0, 0xBAD));
        assertEquals(List.of(), mem.changes(8));
        n.mapUser(last, 0x1000_0000, 1, true); // the last task is a task
        n.poke(last, 0x1000_0000, 0x1A57);
        assertEquals(0x1A57, n.peek(last, 0x1000_0000));
    }

    @Test
    void aForgedUidIsNoThreadForTheHostApiEither() {
        L3Nucleus n = boot(Switches.ALL_ON);
        int c = n.createTask();
        ThreadId bystander = n.createThread(c, new Idle());
        assertTrue(n.run(() -> n.state(bystander) == Tcb.RECEIVING, 50_000_000L));
        ProtectedMemory mem = new ProtectedMemory(n).withoutTcbPageTables().kernel().tcbOf(bystander).snapshot();
        for (Forged f : FORGED) {
            ThreadId forged = f.forge().apply(bystander);
            assertThrows(IllegalArgumentException.class, () -> n.deleteThread(forged), f.name());
            assertEquals(List.of(), mem.changes(8), f.name());
        }
        assertEquals(Tcb.RECEIVING, n.state(bystander));
        n.deleteThread(bystander); // the real uid is a thread
        assertThrows(IllegalArgumentException.class, () -> n.deleteThread(bystander), "a deleted thread is none");
    }

    /** With every mechanism region handed out, an address past the last is still refused (not an index fault). */
    @Test
    void allMechanismRegionsInUseAndStillNothingOutsideThem() {
        L3Nucleus n = boot(Switches.ALL_ON);
        int first = n.layout().mechanismData("lookup");
        for (int i = 1; i < Layout.MECHANISM_REGIONS; i++) {
            n.layout().mechanismData("region " + i);
        }
        int past = first + Layout.MECHANISM_DATA_BYTES * Layout.MECHANISM_REGIONS;
        assertThrows(IllegalArgumentException.class, () -> n.mapKernelPage(past));
        n.mapKernelPage(past - 4); // the last region's last word
    }
}

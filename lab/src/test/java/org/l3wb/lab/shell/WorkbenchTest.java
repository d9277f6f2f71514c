package org.l3wb.lab.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.kernel.api.Kernel;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** The selections go through Config Admin, and what a command wrote is what the next one reads. */
class WorkbenchTest {
    private final ProcessorModel dx50 = StandardModels.i486dx50();
    private final ProcessorModel dx33 = StandardModels.i486dx33();
    private Workbench workbench;
    private FakeConfigAdmin cm;
    private TestClock clock;

    @BeforeEach
    void wire() {
        workbench = new Workbench();
        workbench.addProcessor(dx50);
        workbench.addProcessor(dx33);
        workbench.kernel = kernel(List.of("dash", "l3", "mach", "ports"), List.of("lazy", "strict"));
        workbench.configure(WorkbenchConfigs.defaults());
        clock = new TestClock();
        workbench.clock = clock;
        cm = new FakeConfigAdmin(workbench, clock.waitsBegun);
        workbench.configurationAdmin = cm.admin();
    }

    @AfterEach
    void stopDelivery() {
        cm.delivery.shutdownNow();
        assertNull(cm.failed.get(), "a delivery failed (the command's wait then ran into its hang guard)");
    }

    @Test
    void aSelectionIsStoredAndReadBackAtOnce() {
        assertEquals("i486dx33", workbench.select("i486dx33").name());
        assertEquals("i486dx33", workbench.processor().name(), "read after write");
        assertEquals("i486dx33", workbench.selectedName());
        assertEquals(1, cm.deliveries.get(), "the command returned after DS delivered its configuration");
        assertEquals("i486dx33", cm.stored.get("processor"));
        assertEquals("(name=i486dx33)", cm.stored.get("selectedProcessor.target"));

        workbench.useMechanism("ports");
        workbench.useScheduler("strict");
        workbench.useSwitches(workbench.switches().with(Switch.DIRECT_TRANSFER, false));
        assertEquals("ports", workbench.mechanism());
        assertEquals("strict", workbench.scheduler());
        assertEquals(Switches.ALL_ON.with(Switch.LAZY_SCHEDULING, false).with(Switch.DIRECT_TRANSFER, false),
                workbench.switches());
        assertEquals("ports", cm.stored.get("mechanism"));
        assertEquals("(name=ports)", cm.stored.get("selectedMechanism.target"));
        assertEquals("strict", cm.stored.get("scheduler"));
        assertTrue(Objects.deepEquals(new String[] {"direct"}, cm.stored.get("switches.off")));
        assertEquals(4, cm.deliveries.get());
    }

    /** wb:reset (issue 14, item 3): every selection back to the paper's, stored and read back at once. */
    @Test
    void resetReturnsToThePapersConfiguration() {
        workbench.select("i486dx33");
        workbench.useMechanism("ports");
        workbench.useScheduler("strict");
        workbench.changeSwitches(s -> s.with(Switch.VIRTUAL_TCB, false));
        workbench.reset();
        assertEquals(Selection.DEFAULT, new Selection(workbench.selectedName(), workbench.mechanism(),
                workbench.switches()), "read after write");
        assertEquals("i486dx50", cm.stored.get("processor"));
        assertEquals("(name=i486dx50)", cm.stored.get("selectedProcessor.target"));
        assertEquals("l3", cm.stored.get("mechanism"));
        assertEquals("(name=l3)", cm.stored.get("selectedMechanism.target"));
        assertEquals("lazy", cm.stored.get("scheduler"));
        assertTrue(Objects.deepEquals(new String[0], cm.stored.get("switches.off")));
    }

    /** Deliveries lag: a later write must never be undone by the delivery of an earlier one. */
    @Test
    void anEarlierDeliveryNeverOverwritesALaterSelection() throws Exception {
        for (int i = 0; i < 5; i++) {
            workbench.useMechanism("ports");
            assertEquals("ports", workbench.mechanism());
            assertEquals(cm.updates.get(), cm.deliveries.get(), "no older delivery is still on its way");
            workbench.useMechanism("l3");
            assertEquals("l3", workbench.mechanism());
            assertEquals(cm.updates.get(), cm.deliveries.get(), "no older delivery is still on its way");
        }
        cm.drain();
        assertEquals("l3", workbench.mechanism());
    }

    /** A model of an impossible processor is refused with one message naming the setting; nothing stays. */
    @Test
    void anInvalidProcessorIsRefusedAndLeavesNothingRegistered() {
        ProcessorModel tagged = (ProcessorModel) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ProcessorModel.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "name" -> "x486tagged";
                    case "taggedTlb" -> true;
                    // a tagged TLB without a flush by tag: impossible
                    case "instructions" -> java.util.EnumSet.of(org.l3wb.hw.api.Instruction.INVLPG);
                    default -> method.isDefault()
                            ? java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args)
                            : method.invoke(dx50, args);
                });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> workbench.addProcessor(tagged));
        assertEquals("processor x486tagged: instructions: a tagged TLB needs FLUSH_TLB_TAG, since loading CR3 does "
                + "not flush it", e.getMessage());
        assertEquals(List.of("i486dx33", "i486dx50"), workbench.processors().stream().map(ProcessorModel::name).toList());
        assertThrows(RuntimeException.class, () -> workbench.select("x486tagged"));
        workbench.removeProcessor(tagged); // DS unbinds it later: nothing to remove, nothing else removed
        assertEquals(2, workbench.processors().size());
        assertEquals(0, cm.updates.get(), "no selection was written");
    }

    @Test
    void selectingTheSelectedOneAgainWritesNothing() {
        workbench.useMechanism("mach");
        workbench.useMechanism("mach");
        assertEquals(1, cm.updates.get());
        assertEquals("mach", workbench.mechanism());
    }

    @Test
    void unknownNamesAreRejectedAndChangeNothing() {
        workbench.useMechanism("dash");
        int updates = cm.updates.get();
        Hashtable<String, Object> before = cm.stored;
        Selection selected = new Selection(workbench.selectedName(), workbench.mechanism(), workbench.switches());

        assertEquals("unknown processor 'i486dx66': installed are i486dx33, i486dx50",
                assertThrows(IllegalArgumentException.class, () -> workbench.select("i486dx66")).getMessage());
        assertEquals("unknown mechanism 'amoeba': installed are dash, l3, mach, ports",
                assertThrows(IllegalArgumentException.class, () -> workbench.useMechanism("amoeba")).getMessage());
        assertEquals("unknown scheduler 'fifo': installed are lazy, strict",
                assertThrows(IllegalArgumentException.class, () -> workbench.useScheduler("fifo")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> workbench.select(null));
        assertThrows(IllegalArgumentException.class, () -> workbench.useSwitches(null));

        assertEquals(updates, cm.updates.get(), "nothing was written");
        assertSame(before, cm.stored);
        assertEquals(selected, new Selection(workbench.selectedName(), workbench.mechanism(), workbench.switches()));
    }

    @Test
    void aBadSwitchSettingChangesNoSwitch() throws Exception {
        IpcCommands commands = new IpcCommands();
        Field f = IpcCommands.class.getDeclaredField("workbench");
        f.setAccessible(true);
        f.set(commands, workbench);

        assertThrows(IllegalArgumentException.class, () -> commands.switches("text", "direct=off", "bogus=on"));
        assertThrows(IllegalArgumentException.class, () -> commands.switches("text", "direct=maybe"));
        assertThrows(IllegalArgumentException.class, () -> commands.switches("xml", "direct=off"));
        commands.switches("text"); // a listing writes nothing either
        assertEquals(Switches.ALL_ON, workbench.switches());
        assertEquals(0, cm.updates.get());

        commands.switches("text", "all=off", "vtcb=on");
        assertEquals(Switches.ALL_OFF.with(Switch.VIRTUAL_TCB, true), workbench.switches());
        assertEquals("strict", workbench.scheduler(), "lazy=off is strict scheduling");
        assertEquals("strict", cm.stored.get("scheduler"));
    }

    @Test
    void propertiesOthersStoredAreKept() {
        Hashtable<String, Object> fromFile = Selection.DEFAULT.toProperties() instanceof Hashtable<String, Object> h
                ? h : new Hashtable<>();
        fromFile.put("felix.fileinstall.filename", "file:/plugins/org.l3wb.workbench.cfg");
        cm.stored = fromFile;
        workbench.select("i486dx33");
        assertEquals("file:/plugins/org.l3wb.workbench.cfg", cm.stored.get("felix.fileinstall.filename"));
        assertEquals("i486dx33", cm.stored.get("processor"));
    }

    /**
     * FileInstall stored a .cfg's selection whose delivery has not reached the component yet; a command
     * now changes one thing and must not write the component's stale view of the rest back.
     */
    @Test
    void aCommandChangesTheStoredSelectionNotTheComponentsStaleView() {
        // the .cfg's delivery is held until the command stored its own (not a delay that a loaded
        // machine can outlast before the "not delivered yet" check)
        cm.held = new CountDownLatch(1);
        cm.afterStore = stored -> {
            if ("ports".equals(stored.get("mechanism"))) {
                cm.held.countDown();
            }
        };
        Hashtable<String, Object> cfg = new Hashtable<>();
        cfg.put("processor", "i486dx33");
        cfg.put("switches.off", "vtcb");
        cfg.put("felix.fileinstall.filename", "file:/plugins/org.l3wb.workbench.cfg");
        cm.store(cfg);
        assertEquals("i486dx50", workbench.selectedName(), "not delivered yet");

        workbench.useMechanism("ports");
        assertEquals("i486dx33", cm.stored.get("processor"));
        assertEquals("ports", cm.stored.get("mechanism"));
        // a property the command did not change is left as stored (here a .cfg's plain string)
        assertEquals("vtcb", cm.stored.get("switches.off"));
        assertEquals("i486dx33", workbench.selectedName());
        assertEquals("ports", workbench.mechanism());
        assertEquals(Switches.allBut(Switch.VIRTUAL_TCB), workbench.switches());
    }

    @Test
    void withoutConfigAdminASelectionHoldsForTheSession() {
        workbench.configurationAdmin = null;
        workbench.select("i486dx33");
        workbench.useScheduler("strict");
        assertEquals("i486dx33", workbench.processor().name());
        assertEquals("strict", workbench.scheduler());
        assertNull(cm.stored);
    }

    @Test
    void aDeliveryThatNeverComesEndsTheWaitWithTheSelectionHeld() {
        cm.deliver = false;
        clock.instant = true;
        long start = clock.nanoTime();
        workbench.useMechanism("ports");
        long millis = TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - start);
        assertEquals("ports", workbench.mechanism(), "the selection is held for the session");
        assertEquals("ports", cm.stored.get("mechanism"));
        assertTrue(millis >= Workbench.APPLY_TIMEOUT_MILLIS
                && millis < Workbench.APPLY_TIMEOUT_MILLIS + Workbench.SUPERSEDED_POLL_MILLIS,
                "waited for the delivery until the " + Workbench.APPLY_TIMEOUT_MILLIS + " ms ran out, no longer: "
                        + millis + " ms on the virtual clock");
    }

    /** Another writer (a .cfg file, a second shell) stored a different selection before ours was delivered. */
    @Test
    void aLaterWriterWinsWithoutTheWaitRunningOut() throws Exception {
        // neither delivery comes before the command returned: only the later write can end its wait
        cm.held = new CountDownLatch(1);
        cm.afterStore = stored -> {
            if ("ports".equals(stored.get("mechanism"))) {
                cm.store(Selection.DEFAULT.withMechanism("mach").toProperties()); // the other writer
            }
        };
        clock.instant = true;
        long start = clock.nanoTime();
        workbench.useMechanism("ports");
        long millis = TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - start);
        assertTrue(millis < Workbench.APPLY_TIMEOUT_MILLIS,
                "the other writer's write ended the wait, not the timeout: " + millis + " ms on the virtual clock");
        assertEquals("l3", workbench.mechanism(), "ours is not held: the later writer's delivery is what to reflect");
        cm.held.countDown();
        cm.drain();
        assertEquals("mach", workbench.mechanism());
    }

    @Test
    void theSelectedProcessorIsTheBoundServiceOnceDsRetargetedTheReference() {
        workbench.selectedProcessor = dx50;
        assertSame(dx50, workbench.processor());
        workbench.select("i486dx33"); // DS has not re-bound yet: the name decides
        assertEquals("i486dx33", workbench.processor().name());
        workbench.selectedProcessor = dx33;
        assertSame(dx33, workbench.processor());
    }

    @Test
    void aSelectedProcessorThatIsNotInstalledFailsWhenUsed() {
        workbench.configure(WorkbenchConfigs.ofMap(java.util.Map.of("processor", "i486dx66")));
        assertEquals("i486dx66", workbench.selectedName());
        assertEquals("unknown processor 'i486dx66': installed are i486dx33, i486dx50",
                assertThrows(IllegalArgumentException.class, workbench::processor).getMessage());
    }

    private static Kernel kernel(List<String> mechanisms, List<String> schedulers) {
        return (Kernel) Proxy.newProxyInstance(Kernel.class.getClassLoader(), new Class<?>[] {Kernel.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "mechanisms" -> mechanisms;
                    case "schedulers" -> schedulers;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Bound of every wait in these tests: a hang guard, never reached on a sound run however loaded the host. */
    static final long HANG_GUARD_MINUTES = 2;

    /**
     * The wait's clock, virtual. By default it stands still and a wait is a real wait for a
     * notification (a delivery), so the timeout never runs out and only a delivery or a later write can
     * end a command's wait; waits adding up to {@value #HANG_GUARD_MINUTES} minutes fail the test (a
     * hang guard). {@link #instant}: each wait passes its whole time on the clock at once and nothing
     * waits for real (the timeout tests). Each wait begun advances {@link #waitsBegun}: the event the
     * fake Config Admin delivers on.
     */
    static final class TestClock implements DeliveryClock {
        private static final long HANG_GUARD_NANOS = TimeUnit.MINUTES.toNanos(HANG_GUARD_MINUTES);
        final Phaser waitsBegun = new Phaser(1);
        volatile boolean instant;
        // only the waiting thread writes these
        private volatile long nanos;
        private volatile long waitedNanos;

        @Override
        public long nanoTime() {
            return nanos;
        }

        @Override
        public void await(Object monitor, long millis) throws InterruptedException {
            waitsBegun.arrive();
            if (millis <= 0) {
                throw new AssertionError("a wait of " + millis + " ms: Object.wait would wait for ever or throw");
            }
            waitedNanos += TimeUnit.MILLISECONDS.toNanos(millis);
            if (waitedNanos > HANG_GUARD_NANOS) {
                throw new AssertionError("hang guard: a command waited " + HANG_GUARD_MINUTES + " minutes");
            }
            if (instant) {
                nanos += TimeUnit.MILLISECONDS.toNanos(millis);
            } else {
                monitor.wait(millis);
            }
        }
    }

    /**
     * Felix Config Admin and SCR as the workbench sees them: one stored configuration; each update
     * is delivered to {@link Workbench#configure} later, in order, on another thread. Later means
     * once a wait has begun since it was stored (the command that stored it is waiting for it): a
     * lag by event, not by a delay a loaded machine could outlast.
     */
    static final class FakeConfigAdmin {
        final ExecutorService delivery = Executors.newSingleThreadExecutor();
        final AtomicInteger updates = new AtomicInteger();
        final AtomicInteger deliveries = new AtomicInteger();
        final Workbench target;
        final Phaser waitsBegun;
        /** The first delivery that threw, if any (DS would log it; here it fails the test). */
        final AtomicReference<Throwable> failed = new AtomicReference<>();
        volatile Hashtable<String, Object> stored;
        volatile boolean deliver = true;
        /** When set, deliveries wait until it is counted down. */
        volatile CountDownLatch held;
        volatile java.util.function.Consumer<Hashtable<String, Object>> afterStore = stored -> { };

        FakeConfigAdmin(Workbench target, Phaser waitsBegun) {
            this.target = target;
            this.waitsBegun = waitsBegun;
        }

        ConfigurationAdmin admin() {
            Configuration configuration = configuration();
            return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> {
                        if (method.getName().equals("getConfiguration")
                                && WorkbenchConfig.PID.equals(args[0])) {
                            return configuration;
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
        }

        private Configuration configuration() {
            return (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {Configuration.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "getPid" -> WorkbenchConfig.PID;
                        case "getProperties" -> stored == null ? null : new Hashtable<>(stored);
                        case "updateIfDifferent" -> {
                            @SuppressWarnings("unchecked")
                            Dictionary<String, Object> d = (Dictionary<String, Object>) args[0];
                            if (same(d, stored)) {
                                yield false;
                            }
                            store(d);
                            yield true;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        void store(Dictionary<String, Object> properties) {
            Hashtable<String, Object> copy = new Hashtable<>();
            for (var keys = properties.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                copy.put(key, properties.get(key));
            }
            stored = copy;
            updates.incrementAndGet();
            if (deliver) {
                int storedInPhase = waitsBegun.getPhase();
                CountDownLatch gate = held;
                delivery.submit(() -> {
                    try {
                        if (gate != null && !gate.await(HANG_GUARD_MINUTES, TimeUnit.MINUTES)) {
                            return; // hang guard: never released; the test's own assertions report it
                        }
                        waitsBegun.awaitAdvanceInterruptibly(storedInPhase, HANG_GUARD_MINUTES, TimeUnit.MINUTES);
                    } catch (InterruptedException | TimeoutException e) {
                        return; // hang guard: nobody waited for it; the test's own assertions report it
                    }
                    deliveries.incrementAndGet(); // before: a waiter may return as soon as configure ran
                    try {
                        target.configure(WorkbenchConfigs.of(copy));
                    } catch (RuntimeException | Error e) {
                        failed.compareAndSet(null, e);
                    }
                });
            }
            afterStore.accept(copy);
        }

        void drain() throws Exception {
            delivery.submit(() -> { }).get(HANG_GUARD_MINUTES, TimeUnit.MINUTES); // hang guard
        }

        private static boolean same(Dictionary<String, Object> a, Dictionary<String, Object> b) {
            if (b == null || a.size() != b.size()) {
                return false;
            }
            for (var keys = a.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                if (!Objects.deepEquals(a.get(key), b.get(key))) {
                    return false;
                }
            }
            return true;
        }
    }
}

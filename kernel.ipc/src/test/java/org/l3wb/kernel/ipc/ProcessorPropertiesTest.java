package org.l3wb.kernel.ipc;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;

/**
 * The kernel's promises (every delivered message equal to what was sent, no byte written outside a
 * receive buffer, protected memory unchanged, queues and states consistent: {@link IpcScenario}) on
 * every shipped processor and on synthetic capability combinations ({@link Capabilities}: tagged TLB
 * with or without global pages x segments x INVLPG x on-chip cache x external cache, write-back, no
 * supervisor write protection), with long messages (big strings, preempted transfers) among threads
 * of several spaces whose buffers lie at the same virtual addresses (every space's data starts at
 * {@link IpcScenario#DATA_BASE}), so that the communication window of one space maps the same window
 * pages to different partners in turn. Fixed seeds, a few per processor.
 */
class ProcessorPropertiesTest {
    static final int SEEDS_PER_SHIPPED = 6;
    static final int SEEDS_PER_COMBINATION = 2;

    static Stream<Arguments> shipped() {
        List<Arguments> all = new ArrayList<>();
        Random r = new Random(20261202);
        for (ProcessorModel m : List.of(StandardModels.i486dx50(), StandardModels.i486dx33())) {
            for (int i = 0; i < SEEDS_PER_SHIPPED; i++) {
                all.add(Arguments.of(m.name(), m, r.nextLong()));
            }
        }
        return all.stream();
    }

    static Stream<Arguments> combinations() {
        List<Arguments> all = new ArrayList<>();
        Random r = new Random(20261202);
        for (Capabilities c : Capabilities.combinations()) {
            for (int i = 0; i < SEEDS_PER_COMBINATION; i++) {
                all.add(Arguments.of(c.name(), c.model(), r.nextLong()));
            }
        }
        return all.stream();
    }

    private static void holds(long seed, IpcScenario.Options options) {
        IpcScenario scenario = new IpcScenario(seed, options);
        List<String> violations = scenario.run();
        if (!violations.isEmpty()) {
            fail(scenario.report());
        }
    }

    @ParameterizedTest(name = "{0} seed {2}")
    @MethodSource("shipped")
    void shippedProcessorsKeepThePromises(String name, ProcessorModel model, long seed) {
        holds(seed, KernelPropertiesTest.L3.on(model));
    }

    @ParameterizedTest(name = "{0} seed {2}")
    @MethodSource("combinations")
    void everyCapabilityCombinationKeepsThePromises(String name, ProcessorModel model, long seed) {
        holds(seed, KernelPropertiesTest.L3.on(model));
    }

    /** Twofold copy, unmapped and hostile addresses, strict scheduling: on the tagged, flat, 386-like ones. */
    @ParameterizedTest(name = "{0} seed {2}")
    @MethodSource("differentProcessors")
    void otherSwitchesOnDifferentProcessors(String name, ProcessorModel model, long seed) {
        holds(seed, KernelPropertiesTest.L3.withSwitches(Switches.allBut(Switch.DIRECT_TRANSFER), "lazy")
                .named("twofold copy").on(model));
        holds(seed, new IpcScenario.Options("unmapped user addresses", Switches.ALL_ON, "lazy", true, true, true)
                .on(model));
        holds(seed, KernelPropertiesTest.L3.withSwitches(Switches.allBut(Switch.LAZY_SCHEDULING)
                .with(Switch.SEGMENT_REGISTERS, false), "strict").named("strict, segments reloaded").on(model));
    }

    static Stream<Arguments> differentProcessors() {
        List<Arguments> all = new ArrayList<>();
        Random r = new Random(7_4);
        for (Capabilities c : List.of(Capabilities.TAGGED_FLAT_NO_INVLPG, Capabilities.I486.withTagged(true, true),
                Capabilities.I386_LIKE, Capabilities.I386_LIKE.withTagged(true, false).withSegments(false))) {
            for (int i = 0; i < 3; i++) {
                all.add(Arguments.of(c.name(), c.model(), r.nextLong()));
            }
        }
        return all.stream();
    }
}

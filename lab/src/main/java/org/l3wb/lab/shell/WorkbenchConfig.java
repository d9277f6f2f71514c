package org.l3wb.lab.shell;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The workbench's selections, configuration PID {@value #PID}: what later experiments run on. The
 * {@code hw:use}, {@code ipc:use}, {@code ipc:scheduler} and {@code ipc:switches} commands write it
 * through Config Admin, which stores it (under {@code felix.cm.dir}), so the selections survive a
 * restart; a {@code .cfg} file or any Config Admin client may set it too.
 * <p>
 * Besides these, the commands write the DS reference targets {@value #PROCESSOR_TARGET} and
 * {@value #MECHANISM_TARGET} ({@code (name=…)}), so DS binds the selected services by name. They are
 * derived from {@code processor} and {@code mechanism} and therefore not described here; a
 * configuration that omits them still selects by name.
 */
@ObjectClassDefinition(name = "L3 Workbench selection",
        description = "The processor model, IPC mechanism, scheduler and Table 1 optimisation switches "
                + "the workbench's experiments run with.")
public @interface WorkbenchConfig {
    /** Configuration PID of the selections. */
    String PID = "org.l3wb.workbench";

    /** Name of the DS reference to the selected processor model; its target is {@code PROCESSOR_TARGET}. */
    String PROCESSOR_REFERENCE = "selectedProcessor";
    /** Configuration property: target filter of the reference to the selected processor model. */
    String PROCESSOR_TARGET = PROCESSOR_REFERENCE + ".target";
    /** Name of the DS reference to the selected IPC mechanism; its target is {@code MECHANISM_TARGET}. */
    String MECHANISM_REFERENCE = "selectedMechanism";
    /** Configuration property: target filter of the reference to the selected IPC mechanism. */
    String MECHANISM_TARGET = MECHANISM_REFERENCE + ".target";

    /** The paper's machine. */
    String DEFAULT_PROCESSOR = "i486dx50";
    /** L3 IPC: with lazy scheduling and every switch on, the paper's kernel. */
    String DEFAULT_MECHANISM = "l3";

    @AttributeDefinition(name = "Processor",
            description = "Name of the processor model machines are built from, as hw:processors lists it "
                    + "(service property 'name' of a ProcessorModel).")
    String processor() default DEFAULT_PROCESSOR;

    @AttributeDefinition(name = "IPC mechanism",
            description = "Name of the IPC mechanism, as ipc:mechanisms lists it (service property 'name' "
                    + "of an IpcMechanism).")
    String mechanism() default DEFAULT_MECHANISM;

    @AttributeDefinition(name = "Scheduler",
            description = "lazy or strict scheduling; the same as Table 1's 'lazy' switch.",
            options = {
                @Option(label = "lazy scheduling (paper 5.3.4)", value = "lazy"),
                @Option(label = "strict scheduling (queues updated on every IPC)", value = "strict")
            })
    String scheduler() default "lazy";

    /*
     * The switches that are OFF rather than those on: an empty list is the paper's kernel, and a
     * switch added to kernel.api later is on unless a configuration names it. 'lazy' is absent on
     * purpose: the scheduler property carries it, so the two can never disagree.
     * (SelectionTest checks these options against kernel.api's Switch.)
     */
    @AttributeDefinition(name = "Optimisations switched off",
            description = "Table 1 optimisations that are off (all others are on); lazy scheduling is "
                    + "the scheduler property. One string may list several: direct,vtcb",
            options = {
                @Option(label = "short messages in registers", value = "registers"),
                @Option(label = "direct transfer by temporary mapping", value = "direct"),
                @Option(label = "segment registers checked, not reloaded", value = "segments"),
                @Option(label = "reply and wait", value = "replywait"),
                @Option(label = "condensed tables", value = "condensed"),
                @Option(label = "virtual TCB array", value = "vtcb")
            })
    String[] switches_off() default {};
}

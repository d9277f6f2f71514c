package org.l3wb.lab.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;
import org.l3wb.lab.format.Format;
import org.l3wb.lab.format.Table;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Gogo commands of scope {@code ipc}: choose the IPC mechanism, scheduler and Table 1 switches. */
@Component(service = IpcCommands.class, property = {
    "osgi.command.scope=ipc",
    "osgi.command.function=mechanisms",
    "osgi.command.function=use",
    "osgi.command.function=schedulers",
    "osgi.command.function=scheduler",
    "osgi.command.function=switches"
})
public class IpcCommands {
    @Reference
    private Workbench workbench;

    @Descriptor("list the installed IPC mechanisms; * marks the selected one")
    public String mechanisms(
            @Descriptor("output format: text, csv or json")
            @Parameter(names = "--format", absentValue = "text") String format) {
        return listing(workbench.kernel().mechanisms(), workbench.mechanism(), Format.parse(format));
    }

    @Descriptor("select the IPC mechanism later experiments use (kept across restarts)")
    public String use(@Descriptor("mechanism name, as ipc:mechanisms lists it") String name) {
        workbench.useMechanism(name);
        return "mechanism " + name + " selected";
    }

    @Descriptor("list the installed schedulers; * marks the selected one")
    public String schedulers(
            @Descriptor("output format: text, csv or json")
            @Parameter(names = "--format", absentValue = "text") String format) {
        return listing(workbench.kernel().schedulers(), workbench.scheduler(), Format.parse(format));
    }

    @Descriptor("select the scheduler (lazy or strict; the same as the lazy switch; kept across restarts)")
    public String scheduler(@Descriptor("scheduler name, as ipc:schedulers lists it") String name) {
        workbench.useScheduler(name);
        return "scheduler " + name + " selected";
    }

    @Descriptor("show the Table 1 optimisation switches, or set some (kept across restarts): ipc:switches direct=off lazy=on")
    public String switches(
            @Descriptor("output format: text, csv or json")
            @Parameter(names = "--format", absentValue = "text") String format,
            @Descriptor("settings NAME=on|off; all=on|off sets every switch") String... settings) {
        Format f = Format.parse(format);
        // every setting is parsed before any is applied: a bad one changes nothing
        List<UnaryOperator<Switches>> steps = new ArrayList<>();
        for (String setting : settings) {
            int eq = setting.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("bad switch setting '" + setting + "': expected NAME=on or NAME=off");
            }
            String name = setting.substring(0, eq);
            String value = setting.substring(eq + 1);
            if (!value.equals("on") && !value.equals("off")) {
                throw new IllegalArgumentException("bad value in '" + setting + "': expected on or off");
            }
            boolean on = value.equals("on");
            if (name.equals("all")) {
                steps.add(current -> on ? Switches.ALL_ON : Switches.ALL_OFF);
            } else {
                Switch sw = Switch.byKey(name);
                steps.add(current -> current.with(sw, on));
            }
        }
        Switches s;
        if (steps.isEmpty()) {
            s = workbench.switches(); // a bare listing writes nothing
        } else {
            s = workbench.changeSwitches(current -> {
                for (UnaryOperator<Switches> step : steps) {
                    current = step.apply(current);
                }
                return current;
            });
        }
        Table t = new Table("switch", "state", "optimisation");
        for (Switch sw : Switch.values()) {
            t.row(sw.key(), s.isOn(sw) ? "on" : "off", sw.name().toLowerCase().replace('_', ' '));
        }
        return t.render(f);
    }

    /** @return the names with the selected one marked: {@code *} in text, true/false in csv and json */
    private static String listing(List<String> names, String selected, Format f) {
        Table t = new Table("selected", "name");
        for (String name : names) {
            boolean sel = name.equals(selected);
            t.row(f == Format.TEXT ? (sel ? "*" : "") : sel, name);
        }
        return t.render(f);
    }
}

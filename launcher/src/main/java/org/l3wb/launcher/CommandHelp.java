package org.l3wb.launcher;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * What {@code ./workbench --help}, {@code -h} and {@code help} print: how to run the workbench and the
 * workbench's own commands, one line each, grouped by Gogo scope.
 * <p>
 * The list is read from the registered command services (service properties
 * {@code osgi.command.scope} and {@code osgi.command.function}), each line's text from the
 * {@link Descriptor} the command's method declares — so a plugin's commands appear as soon as it is
 * installed, and nothing here needs to change when a command is added. Gogo's and Felix's own commands
 * (scopes of {@code org.apache.felix.*} bundles and {@code gogo}) are left out: {@code help COMMAND} and
 * Gogo's {@code felix:help} still show them.
 * <p>
 * Usage: {@code CommandHelp.text(context)}.
 */
final class CommandHelp {

    /** Scopes of commands that are Gogo's own, not the workbench's (GogoBuiltins registers these). */
    private static final String GOGO_SCOPE = "gogo";

    private CommandHelp() {
    }

    /** One command: scope, function and its one-line description (empty when it declares none). */
    record Command(String scope, String function, String description) {
    }

    /** The whole help text: usage, then the commands grouped by scope. */
    static String text(BundleContext context) {
        return USAGE + "\n" + list(commands(context));
    }

    static final String USAGE = String.join("\n",
            "L3 Workbench: a cycle-level i486 PC and an L3-style µ-kernel (Liedtke, SOSP'93)",
            "",
            "usage: ./workbench                     interactive Gogo shell: help lists commands, exit or quit",
            "                                       (or Ctrl-D) leaves it",
            "       ./workbench 'CMD ARG…' …        batch mode: each argument is ONE command line, run in order",
            "                                       in one session; only their output on stdout; the first",
            "                                       failure prints one error: line on stderr and exits 1",
            "       ./workbench --help | -h         this text",
            "",
            "Batch words are plain (letters, digits, _ - . : / , + @ % =) or quoted ('…'); Gogo syntax",
            "(> | ; & = $ { } ( ) [ ] # \\ * ? ~) is refused: redirect outside the quotes.",
            "Selections (hw:use, ipc:use, ipc:scheduler, ipc:switches) persist in state/config/ until changed;",
            "when they differ from the paper's configuration batch mode says so on stderr, wb:reset",
            "returns to it. Bundles and *.cfg files dropped into plugins/ take effect without a restart.",
            "Environment: WORKBENCH_JAVA_OPTS extra JVM options (a -D there wins, e.g.",
            "-Dfelix.cm.dir=DIR for another selection store).",
            "");

    /**
     * @return "commands (help COMMAND for its options):" then per scope a header line and one line per
     * command, its name padded to one column
     */
    static String list(Collection<Command> commands) {
        Map<String, Map<String, String>> byScope = new TreeMap<>();
        for (Command c : commands) {
            byScope.computeIfAbsent(c.scope(), s -> new TreeMap<>())
                    .merge(c.function(), c.description(), (a, b) -> a.isEmpty() ? b : a);
        }
        int width = 0;
        for (Command c : commands) {
            width = Math.max(width, c.scope().length() + 1 + c.function().length());
        }
        StringBuilder sb = new StringBuilder("commands (help COMMAND for its options):\n");
        for (Map.Entry<String, Map<String, String>> scope : byScope.entrySet()) {
            sb.append(scope.getKey()).append('\n');
            for (Map.Entry<String, String> f : scope.getValue().entrySet()) {
                String name = scope.getKey() + ":" + f.getKey();
                String line = "  " + name + " ".repeat(width - name.length()) + "  " + f.getValue();
                sb.append(line.stripTrailing()).append('\n');
            }
        }
        return sb.toString();
    }

    /** The workbench's command services and what each function declares about itself. */
    static List<Command> commands(BundleContext context) {
        List<Command> commands = new ArrayList<>();
        ServiceReference<?>[] refs;
        try {
            refs = context.getAllServiceReferences(null,
                    "(&(" + CommandProcessor.COMMAND_SCOPE + "=*)(" + CommandProcessor.COMMAND_FUNCTION + "=*))");
        } catch (InvalidSyntaxException cannot) {
            throw new IllegalStateException(cannot);
        }
        for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
            String scope = String.valueOf(ref.getProperty(CommandProcessor.COMMAND_SCOPE));
            Bundle bundle = ref.getBundle();
            if (bundle == null || scope.equals(GOGO_SCOPE) || scope.equals("*")
                    || String.valueOf(bundle.getSymbolicName()).startsWith("org.apache.felix.")) {
                continue;
            }
            for (String function : functions(ref.getProperty(CommandProcessor.COMMAND_FUNCTION))) {
                commands.add(new Command(scope, function, description(ref, bundle, function)));
            }
        }
        return commands;
    }

    private static List<String> functions(Object property) {
        List<String> names = new ArrayList<>();
        if (property instanceof String[] array) {
            names.addAll(List.of(array));
        } else if (property instanceof Collection<?> c) {
            c.forEach(o -> names.add(String.valueOf(o)));
        } else if (property != null) {
            names.add(String.valueOf(property));
        }
        return names;
    }

    /**
     * The first line of the {@link Descriptor} on a public method named {@code function} of the
     * service's class. The class is loaded from the registering bundle by the service's object class
     * (DS commands register under their own class), so no component is activated just to list it.
     */
    private static String description(ServiceReference<?> ref, Bundle bundle, String function) {
        Object objectClass = ref.getProperty(org.osgi.framework.Constants.OBJECTCLASS);
        for (String className : functions(objectClass)) {
            try {
                String d = describe(bundle.loadClass(className), function);
                if (d != null) {
                    return d;
                }
            } catch (ClassNotFoundException | RuntimeException | LinkageError notThere) {
                // an interface of another bundle, or a class this bundle does not see: try the next
            }
        }
        return "";
    }

    /** @return the first line of the descriptor of {@code type}'s public method {@code function}, or null */
    static String describe(Class<?> type, String function) {
        for (Method m : type.getMethods()) {
            Descriptor d = m.getAnnotation(Descriptor.class);
            if (m.getName().equals(function) && d != null && !d.value().isBlank()) {
                return d.value().strip().split("\\R", 2)[0];
            }
        }
        return null;
    }
}

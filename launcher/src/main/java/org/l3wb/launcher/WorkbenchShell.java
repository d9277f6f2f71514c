package org.l3wb.launcher;

import java.io.PrintStream;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceRegistration;

/**
 * The launcher's own Gogo commands, scope {@value #SCOPE}, and the interactive shell's workbench face
 * (issue 14, item 1).
 * <ul>
 * <li>{@code wb:help}: usage and the workbench's commands ({@link CommandHelp}); {@code help COMMAND}
 * still shows one command's details (Gogo's {@code felix:help}). Sessions look in scope {@value #SCOPE}
 * first ({@code SCOPE=wb:…}), so a bare {@code help} is this one.</li>
 * <li>{@code wb:exit [N]}, {@code wb:quit} (shell only): stop the framework, so the process ends with N
 * (default 0). Without them {@code exit} was {@code System.exit(int)}, which the Gogo profile adds as
 * a command: "Cannot coerce exit() to any of [(int)]", and {@code exit 0} skipped the framework's stop.</li>
 * <li>As a {@link CommandSessionListener}, in the shell's session only (the one with a line reader):
 * once Gogo's profile has run, it puts scope {@value #SCOPE} first and prints the banner (how to get
 * help, how to leave, and whether the selections differ from the paper's); after each command it sets
 * the prompt ({@link SelectionNote#prompt}); after a failed one whose Gogo message names Java types
 * rather than the mistake (a coercion failure), it adds the line batch mode prints
 * ({@link BatchRunner#message(Throwable, String)}).</li>
 * </ul>
 * Usage: {@code WorkbenchShell.register(context, interactive, exitStatus)}.
 */
public final class WorkbenchShell implements CommandSessionListener {

    /** Gogo scope of the launcher's commands. */
    static final String SCOPE = "wb";
    /** The sessions' command search path: this scope first, then Gogo's default. */
    static final String SEARCH_PATH = SCOPE + ":gogo:*";

    static final String BANNER = String.join("\n",
            "L3 Workbench: a cycle-level i486 PC and an L3-style µ-kernel (Liedtke, SOSP'93)",
            "help lists the workbench's commands, help COMMAND one command's options; exit or quit (or Ctrl-D) leaves");

    private final BundleContext context;
    private final AtomicInteger exitStatus;
    private final Map<CommandSession, Boolean> shells = Collections.synchronizedMap(new WeakHashMap<>());

    private WorkbenchShell(BundleContext context, AtomicInteger exitStatus) {
        this.context = context;
        this.exitStatus = exitStatus;
    }

    /**
     * Registers the {@code wb} commands; in the shell also {@code exit}, {@code quit} and the session
     * listener.
     *
     * @param exitStatus where {@code exit N} leaves N for the process's exit status
     */
    static ServiceRegistration<?> register(BundleContext context, boolean interactive, AtomicInteger exitStatus) {
        WorkbenchShell shell = new WorkbenchShell(context, exitStatus);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(CommandProcessor.COMMAND_SCOPE, SCOPE);
        props.put(CommandProcessor.COMMAND_FUNCTION,
                interactive ? new String[] {"help", "exit", "quit"} : new String[] {"help"});
        String[] services = interactive
                ? new String[] {WorkbenchShell.class.getName(), CommandSessionListener.class.getName()}
                : new String[] {WorkbenchShell.class.getName()};
        return context.registerService(services, shell, props);
    }

    @Descriptor("how to run the workbench and its commands, one line each; help COMMAND: one command's options")
    public String help() {
        return CommandHelp.text(context).stripTrailing();
    }

    @Descriptor("one command's options and parameters")
    public Object help(CommandSession session, @Descriptor("command, e.g. lab:pingpong") String command)
            throws Exception {
        if (!command.matches("[\\w.:*-]+")) {
            throw new IllegalArgumentException("no such command: " + command);
        }
        return session.execute("felix:help " + command);
    }

    @Descriptor("leave the shell (the workbench ends with status 0)")
    public void exit() throws BundleException {
        exit(0);
    }

    @Descriptor("leave the shell; the workbench ends with this status")
    public void exit(@Descriptor("exit status") int status) throws BundleException {
        exitStatus.set(status);
        context.getBundle(0).stop(); // asynchronous: the framework stops the shell, then the process ends
    }

    @Descriptor("leave the shell (the same as exit)")
    public void quit() throws BundleException {
        exit(0);
    }

    // --- the shell's session ---

    @Override
    public void beforeExecute(CommandSession session, CharSequence commandline) {
        // nothing: the profile sets SCOPE and the prompt, so ours go in after it ran
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence commandline, Exception exception) {
        try {
            if (isShell(session)) {
                setUp(session);
                String clear = BatchRunner.message(exception, String.valueOf(commandline));
                if (!clear.equals(BatchRunner.message(exception))) {
                    // Gogo prints its own line next; this one says what was wrong, as batch mode does
                    console(session).println("error: " + clear);
                }
                prompt(session);
            }
        } catch (RuntimeException e) {
            // never let the workbench's additions break the shell
        }
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence commandline, Object result) {
        try {
            if (isShell(session)) {
                setUp(session);
                prompt(session);
            }
        } catch (RuntimeException e) {
            // never let the workbench's additions break the shell
        }
    }

    /** The interactive shell's session: gogo.jline puts its line reader there before reading the profile. */
    private static boolean isShell(CommandSession session) {
        return session.get(".reader") != null;
    }

    /** Once per shell session, after the first command (Gogo's profile, which sets SCOPE and prompt). */
    private void setUp(CommandSession session) {
        if (shells.putIfAbsent(session, Boolean.TRUE) != null) {
            return;
        }
        session.put("SCOPE", SEARCH_PATH);
        PrintStream out = console(session);
        out.println(BANNER);
        String note = SelectionNote.line(SelectionNote.differences(context));
        if (note != null) {
            out.println(note);
        }
        out.flush();
    }

    private void prompt(CommandSession session) {
        List<SelectionNote.Difference> differences = SelectionNote.differences(context);
        session.put("prompt", SelectionNote.prompt(differences));
    }

    private static PrintStream console(CommandSession session) {
        PrintStream console = session.getConsole();
        return console != null ? console : System.out;
    }
}

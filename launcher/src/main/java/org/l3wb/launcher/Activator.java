package org.l3wb.launcher;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.felix.cm.PersistenceManager;
import org.osgi.annotation.bundle.Header;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * Gives the executable workbench jar its two modes.
 * <p>
 * bnd's launcher (the {@code Main-Class} of the exported jar) registers a service carrying the
 * command-line arguments as {@code launcher.arguments} before it starts any bundle, and, once
 * all bundles are started, calls a {@link Callable} service registered with
 * {@code main.thread=true} on the JVM's main thread; the Integer it returns is the process exit
 * status.
 * <ul>
 * <li><b>No arguments: interactive.</b> The Gogo jline shell (start level 10, after every
 * other bundle) reads the terminal. The main-thread callable just waits until the framework
 * begins to stop (the shell's {@code exit} or end of input) and returns 0, so leaving the shell
 * is a successful exit.</li>
 * <li><b>Arguments: batch.</b> This activator runs at start level 1, before the framework
 * raises its start level to the shell's, and moves the shell bundle to a start level the
 * framework never reaches, so the shell never starts: nothing reads the terminal, nothing prints
 * a banner or prompt. (A plain {@code stop()} would not do: bnd's launcher calls {@code start()}
 * on every run bundle after this activator has run.) The main-thread callable,
 * {@link BatchRunner}, runs every argument as one command line in one
 * {@code CommandSession}. System.out is pointed at stderr so that only command output reaches
 * the process's stdout.</li>
 * </ul>
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
public final class Activator implements BundleActivator {

    /** Service property bnd's launcher puts the command-line arguments in. */
    static final String LAUNCHER_ARGUMENTS = "launcher.arguments";
    /** Service property that makes bnd's launcher run a Runnable/Callable on the main thread. */
    static final String MAIN_THREAD = "main.thread";
    /** A start level the framework never reaches (the workbench's final level is 12). */
    static final int NEVER = 1_000_000;
    /** Bundles that read the terminal: never started in batch mode. */
    static final String[] SHELL_BUNDLES = { "org.apache.felix.gogo.jline", "org.apache.felix.gogo.shell" };

    private ServiceRegistration<?> mainThread;
    private BatchRunner batch;
    private PluginWarnings pluginWarnings;
    private SynchronousBundleListener stopWatcher;
    private final CountDownLatch stopping = new CountDownLatch(1);
    /** The shell's {@code exit N}: the process's exit status. */
    private final AtomicInteger exitStatus = new AtomicInteger();
    private ServiceRegistration<?> commands;

    @Override
    public void start(BundleContext context) throws Exception {
        SelectionStore store = registerStore(context);
        String[] args = launcherArguments(context);
        Callable<Integer> main;
        if (args != null) {
            // both modes, before FileInstall (level 2) reads plugins/: one line per bad file there;
            // the process's real stderr (in the shell, Gogo's ThreadIO owns System.err)
            pluginWarnings = new PluginWarnings(context,
                new PrintStream(new FileOutputStream(FileDescriptor.err), true, Charset.defaultCharset()));
            pluginWarnings.open();
        }
        if (args != null && args.length > 0) {
            quietStdout();
            stopShells(context);
            commands = WorkbenchShell.register(context, false, exitStatus);
            batch = new BatchRunner(context, helpAsked(args) ? new String[] {"wb:help"} : args, store);
            batch.open();
            main = new NoteSelections(context, batch);
        } else {
            if (args == null) {
                return; // not started by bnd's launcher (e.g. in a test framework): stay out of the way
            }
            // interactive: return 0 when the framework begins to stop (shell `exit`, end of input)
            stopWatcher = event -> {
                if (event.getBundle().getBundleId() == 0 && event.getType() == BundleEvent.STOPPING) {
                    stopping.countDown();
                }
            };
            context.addBundleListener(stopWatcher);
            commands = WorkbenchShell.register(context, true, exitStatus);
            main = new WaitForStop(stopping, exitStatus);
            String problem = store.problem();
            if (problem != null) {
                // the shell still starts (to look around), but the user learns why selections fail to change
                System.err.println("warning: " + problem);
            }
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(MAIN_THREAD, Boolean.TRUE.toString());
        mainThread = context.registerService(Callable.class.getName(), main, props);
    }

    @Override
    public void stop(BundleContext context) {
        stopping.countDown();
        if (batch != null) {
            batch.cancel();
            batch.close();
        }
        if (pluginWarnings != null) {
            pluginWarnings.close();
        }
        if (commands != null) {
            try {
                commands.unregister();
            } catch (IllegalStateException alreadyGone) {
                // framework is stopping
            }
        }
        if (stopWatcher != null) {
            context.removeBundleListener(stopWatcher);
        }
        if (mainThread != null) {
            try {
                mainThread.unregister();
            } catch (IllegalStateException alreadyGone) {
                // framework is stopping
            }
        }
    }

    /**
     * Registers Config Admin's store ({@link SelectionStore}) under {@code felix.cm.dir}, or this bundle's
     * data area when that is not set (configurations then last one run, bnd's framework storage being
     * temporary). Here rather than as a DS component: Config Admin (framework property
     * {@code felix.cm.pm=l3wb}, {@code workbench.bndrun}) starts serving only once it is registered, and
     * this activator runs at start level 1 before any component could ask for a configuration; batch
     * mode also asks the store directly whether it is readable.
     */
    private static SelectionStore registerStore(BundleContext context) {
        String dir = context.getProperty("felix.cm.dir");
        Path root = dir != null && !dir.isBlank() ? Path.of(dir) : context.getDataFile("config").toPath();
        SelectionStore store = new SelectionStore(root, context.getProperty(SelectionStore.PAUSE));
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(PersistenceManager.PROPERTY_NAME, SelectionStore.NAME);
        props.put(Constants.SERVICE_DESCRIPTION, "L3 Workbench store: locked, merging, atomic file writes");
        context.registerService(PersistenceManager.class, store, props);
        return store;
    }

    /**
     * Interactive mode's main thread: returns once the framework begins to stop, with the status the
     * shell's {@code exit N} left (0 for {@code exit}, {@code quit}, Ctrl-D). (A named class: bnd's
     * launcher checks that {@code call()} returns Integer, which it cannot see on a lambda.)
     */
    static final class WaitForStop implements Callable<Integer> {
        private final CountDownLatch stopping;
        private final AtomicInteger status;

        WaitForStop(CountDownLatch stopping, AtomicInteger status) {
            this.stopping = stopping;
            this.status = status;
        }

        @Override
        public Integer call() throws InterruptedException {
            stopping.await();
            return status.get();
        }
    }

    /** {@code ./workbench --help} or {@code -h}, alone: the usage ({@code wb:help}) instead of "Command not found". */
    static boolean helpAsked(String[] args) {
        return args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"));
    }

    /**
     * Batch mode's main thread: runs the batch, and when it succeeded and the selections differ from the
     * paper's configuration, says so in one line on stderr ({@link SelectionNote}; issue 14, item 3).
     * After the commands, so the line tells what the next run uses too; not after a failure, whose one
     * line is its error.
     */
    static final class NoteSelections implements Callable<Integer> {
        private final BundleContext context;
        private final Callable<Integer> batch;

        NoteSelections(BundleContext context, Callable<Integer> batch) {
            this.context = context;
            this.batch = batch;
        }

        @Override
        public Integer call() throws Exception {
            Integer status = batch.call();
            if (status != null && status == 0) {
                String note = SelectionNote.line(SelectionNote.differences(context));
                if (note != null) {
                    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true,
                            Charset.defaultCharset());
                    err.println(note);
                }
            }
            return status;
        }
    }

    /** The launcher's arguments, {@code null} when not launched by bnd's launcher. */
    static String[] launcherArguments(BundleContext context) throws InvalidSyntaxException {
        ServiceReference<?>[] refs = context.getAllServiceReferences(null, "(" + LAUNCHER_ARGUMENTS + "=*)");
        if (refs == null) {
            return null;
        }
        for (ServiceReference<?> ref : refs) {
            Object value = ref.getProperty(LAUNCHER_ARGUMENTS);
            if (value instanceof String[]) {
                return (String[]) value;
            }
        }
        return null;
    }

    /**
     * Batch mode keeps stdout for the commands' output: whatever else writes to System.out (Felix's
     * and SCR's loggers, stray prints) goes to stderr. {@link BatchRunner} writes results to the
     * process's real stdout. This must happen before Gogo's ThreadIO captures System.out as its
     * default stream, which is why gogo.runtime starts at level 2, after this bundle (level 1); if
     * ThreadIO is somehow already in place System.out is left alone.
     */
    private static void quietStdout() {
        if (!System.out.getClass().getName().startsWith("org.apache.felix.gogo.")) {
            System.out.flush();
            System.setOut(System.err);
        }
    }

    private static void stopShells(BundleContext context) {
        for (Bundle b : context.getBundles()) {
            for (String bsn : SHELL_BUNDLES) {
                if (bsn.equals(b.getSymbolicName())) {
                    try {
                        // Felix persists a bundle's new start level at once, so the coming
                        // start-level raise will not start it
                        BundleStartLevel bsl = b.adapt(BundleStartLevel.class);
                        if (bsl != null) {
                            bsl.setStartLevel(NEVER);
                        }
                        if (b.getState() == Bundle.ACTIVE || b.getState() == Bundle.STARTING) {
                            b.stop(Bundle.STOP_TRANSIENT); // launched without start levels
                        }
                    } catch (BundleException | RuntimeException e) {
                        System.err.println("warning: could not keep " + bsn + " from starting: " + e.getMessage());
                    }
                }
            }
        }
    }
}

package org.l3wb.launcher;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.nio.charset.Charset;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.service.cm.SynchronousConfigurationListener;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Batch mode: runs each argument as one Gogo command line, in order, in ONE
 * {@link CommandSession}; called by bnd's launcher on the main thread.
 * <p>
 * Output is what the interactive shell would print for each result: nothing for {@code null},
 * otherwise {@code session.format(result, INSPECT)} (a returned String is printed as is).
 * On the first failure one line {@code error: <message>} goes to stderr and the exit status is
 * 1; 0 when every line succeeded; 2 when no command processor appeared.
 * <p>
 * Start-up race: SCR registers command components while the framework starts. A "Command not
 * found" is therefore retried while the framework is still settling (a bundle to be started is
 * not active yet and the framework has not announced its start level, or a service was
 * (un)registered in the last {@value #QUIET_MILLIS} ms), for at most
 * {@value #MAX_WAIT_MILLIS} ms. An unknown command thus fails about {@value #QUIET_MILLIS} ms
 * after start-up, not at once. A line is only retried when it failed to find its command, so
 * for a line made of several statements ({@code a ; b}) the statements before the unknown one
 * run again; keep one command per argument.
 * <p>
 * Plugins: bnd's launcher may call this while the framework's start-level thread is still starting
 * the last bundles, among them FileInstall (level 2), which installs and starts the bundles in
 * {@code plugins/} and turns its {@code *.cfg} files into configurations as it starts. So the first
 * command waits until every bundle that is to be started is active (or the framework announced
 * that it reached its start level: a plugin that fails to start holds nothing up); and when a
 * configuration changed meanwhile (which Config Admin hands to the components asynchronously),
 * until no configuration or service event happened for {@value #QUIET_MILLIS} ms. At most
 * {@value #MAX_WAIT_MILLIS} ms in all; without a configuration change there is no quiet wait.
 * Every wait is for an event (a bundle started, the start level reached, a service or configuration
 * event), bounded by the quiet time or the deadline: nothing polls, so the first command runs as soon
 * as the last bundle is active.
 */
final class BatchRunner implements Callable<Integer> {

    /** System property: {@code -Dl3wb.batch.trace=true} adds the stack trace after the error line. */
    static final String TRACE = "l3wb.batch.trace";
    static final long QUIET_MILLIS = 400;
    static final long MAX_WAIT_MILLIS = 15_000;
    /** Notified on every bundle, service, framework and configuration event, and on {@link #cancel}. */
    private final Object events = new Object();
    /** Events so far (see {@link #awaitEvent}). */
    private final AtomicLong eventCount = new AtomicLong();

    private final BundleContext context;
    private final String[] lines;
    private final SelectionStore store;
    private final AtomicLong lastServiceEvent = new AtomicLong(System.nanoTime());
    private volatile boolean configurationChanged;
    private volatile boolean cancelled;
    private final ServiceListener settle = event -> {
        if (event.getType() == ServiceEvent.REGISTERED || event.getType() == ServiceEvent.UNREGISTERING) {
            lastServiceEvent.set(System.nanoTime());
            wake();
        }
    };
    /** A bundle started: {@link #starting} may have become false. */
    private final BundleListener started = event -> wake();
    private ServiceRegistration<?> configurationWatch;
    /** The framework announced (STARTED or STARTLEVEL_CHANGED) that it reached its start level. */
    private volatile boolean levelReached;
    private final FrameworkListener startWatch = this::frameworkEvent;

    BatchRunner(BundleContext context, String[] lines, SelectionStore store) {
        this.context = context;
        this.lines = lines.clone();
        this.store = store;
    }

    /**
     * Starts watching service and configuration events; called when the launcher bundle starts
     * (start level 1), before FileInstall (level 2) reads the plugins folder.
     */
    void open() {
        context.addFrameworkListener(startWatch);
        context.addServiceListener(settle);
        context.addBundleListener(started);
        // synchronous: called in the thread that changes the configuration, so a change made
        // during start-up is known before the first command, however late Config Admin delivers it
        SynchronousConfigurationListener watch = event -> {
            configurationChanged = true;
            lastServiceEvent.set(System.nanoTime());
            wake();
        };
        configurationWatch = context.registerService(SynchronousConfigurationListener.class, watch, null);
    }

    void close() {
        try {
            context.removeFrameworkListener(startWatch);
            context.removeServiceListener(settle);
            context.removeBundleListener(started);
            if (configurationWatch != null) {
                configurationWatch.unregister();
            }
        } catch (IllegalStateException stopping) {
            // the framework is taking them down anyway
        }
    }

    void cancel() {
        cancelled = true;
        wake();
    }

    private void wake() {
        eventCount.incrementAndGet();
        synchronized (events) {
            events.notifyAll();
        }
    }

    /**
     * Waits until an event after {@code seen} (a value of {@link #eventCount} read before the condition
     * was tested, so an event in between is not missed), until {@code untilNanos}, or until cancelled.
     */
    private void awaitEvent(long seen, long untilNanos) throws InterruptedException {
        synchronized (events) {
            while (eventCount.get() == seen && !cancelled) {
                long left = untilNanos - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(events, left);
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        // the process's real stdout/stderr: Gogo's ThreadIO has replaced System.out/err with
        // per-thread redirecting streams, which would loop back into the session
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, Charset.defaultCharset());
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, Charset.defaultCharset());
        // every argument is checked before any runs: a refused one must not leave the others half done
        for (int i = 0; i < lines.length; i++) {
            String refusal = PlainCommandLine.refusal(lines[i]);
            if (refusal != null) {
                err.println("error: argument " + (i + 1) + " `" + lines[i].strip().replaceAll("\\s*\\R\\s*", " ")
                    + "` is not one plain command line: " + refusal
                    + "; quote a word ('...') to pass it literally");
                return 1;
            }
        }
        // a damaged store would read as the defaults and every command would answer as if nothing were selected
        String problem = store.problem();
        if (problem != null) {
            err.println("error: " + problem);
            return 1;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MILLIS);

        ServiceTracker<CommandProcessor, CommandProcessor> tracker = new ServiceTracker<>(context,
            CommandProcessor.class, null);
        tracker.open();
        try {
            CommandProcessor processor = tracker.waitForService(MAX_WAIT_MILLIS);
            if (processor == null) {
                err.println("error: no Gogo command processor is running");
                return 2;
            }
            // bnd's launcher calls this before the framework's start-level thread has necessarily
            // started the last bundles (FileInstall, at level 2 with gogo.runtime): let it finish,
            // so that plugins/ has been read, then let configuration it changed take effect
            while (!cancelled && System.nanoTime() < deadline) {
                long seen = eventCount.get();
                if (!starting()) {
                    break;
                }
                awaitEvent(seen, deadline); // a bundle started, or the framework reached its level
            }
            if (configurationChanged) {
                awaitQuiet(deadline); // before the built-ins' own registrations
            }
            GogoBuiltins builtins = GogoBuiltins.register(context, processor);
            try (CommandSession session = processor.createSession(InputStream.nullInputStream(), out, err)) {
                session.put("SCOPE", WorkbenchShell.SEARCH_PATH); // a bare `help` is wb:help
                for (String line : lines) {
                    if (cancelled) {
                        err.println("error: framework stopped");
                        return 1;
                    }
                    Object result;
                    try {
                        result = executeWithRetry(session, line, deadline);
                    } catch (Exception e) {
                        out.flush();
                        err.println("error: " + message(e, line));
                        if (Boolean.parseBoolean(context.getProperty(TRACE))) {
                            e.printStackTrace(err);
                        }
                        err.flush();
                        return 1;
                    }
                    if (result != null) {
                        out.println(session.format(result, Converter.INSPECT));
                    }
                    out.flush();
                }
            } finally {
                builtins.unregister();
            }
            return 0;
        } finally {
            tracker.close();
        }
    }

    /** Waits until no service or configuration event for {@value #QUIET_MILLIS} ms, or the deadline. */
    private void awaitQuiet(long deadline) throws InterruptedException {
        long quiet = TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS);
        while (!cancelled) {
            long seen = eventCount.get();
            long quietAt = lastServiceEvent.get() + quiet;
            long now = System.nanoTime();
            if (now - quietAt >= 0 || now - deadline >= 0) {
                return;
            }
            awaitEvent(seen, Math.min(quietAt, deadline)); // a later event moves quietAt
        }
    }

    private Object executeWithRetry(CommandSession session, String line, long deadline) throws Exception {
        while (true) {
            long seen = eventCount.get();
            try {
                return session.execute(line);
            } catch (Exception e) {
                if (!isCommandNotFound(e) || !settling() || System.nanoTime() > deadline || cancelled) {
                    throw e;
                }
                // retried at the next event (the command's registration), or once the framework is quiet
                long quietAt = lastServiceEvent.get() + TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS);
                awaitEvent(seen, starting() ? deadline : Math.min(quietAt, deadline));
            }
        }
    }

    /**
     * True while the framework may still be registering commands: a bundle that is to be started
     * is not active yet, or a service came or went less than {@value #QUIET_MILLIS} ms ago.
     */
    private boolean settling() {
        return starting()
            || System.nanoTime() - lastServiceEvent.get() < TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS);
    }

    private void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.STARTED || event.getType() == FrameworkEvent.STARTLEVEL_CHANGED) {
            levelReached = true;
            wake();
        }
    }

    /**
     * True while the framework may still be starting bundles: it has not announced that it reached its
     * start level, and a bundle that is to be started (not a fragment, not a shell) is not active yet.
     * (A bundle that fails to start stays not active; the announcement ends the wait for it.)
     */
    private boolean starting() {
        if (levelReached) {
            return false;
        }
        for (Bundle b : context.getBundles()) {
            BundleStartLevel bsl = b.adapt(BundleStartLevel.class);
            boolean fragment = b.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
            if (b.getBundleId() != 0 && !fragment && bsl != null && bsl.isPersistentlyStarted()
                && bsl.getStartLevel() < Activator.NEVER && b.getState() != Bundle.ACTIVE) {
                return true;
            }
        }
        return false;
    }

    private static boolean isCommandNotFound(Throwable e) {
        for (Class<?> c = e.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals("org.apache.felix.gogo.runtime.CommandNotFoundException")) {
                return true;
            }
        }
        return false;
    }

    /**
     * One line for a failed command line: Gogo's own words when it could not match the arguments to
     * the command's parameters ("Cannot coerce pingpong(Token) to any of [(int, ...)]", "argument type
     * mismatch") name Java types, not the user's mistake; those become which command and arguments
     * were refused, and where to look. Otherwise {@link #message(Throwable)}.
     */
    static String message(Throwable e, String line) {
        String m = message(e);
        if (m.startsWith("Cannot coerce ") || m.equals("argument type mismatch")) {
            String[] words = line.strip().split("\\s+", 2);
            String args = words.length > 1 ? words[1] : "";
            return "bad arguments for " + words[0] + ": '" + args + "' (help " + words[0] + " lists its options)";
        }
        return m;
    }

    /** One line: the root cause's message (or its class name when it has none). */
    static String message(Throwable e) {
        Throwable t = e;
        while ((t instanceof InvocationTargetException || t instanceof UndeclaredThrowableException)
            && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            m = t.getClass().getName();
        }
        return m.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}

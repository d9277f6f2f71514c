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
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.startlevel.BundleStartLevel;
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
 * not active yet, or a service was (un)registered in the last {@value #QUIET_MILLIS} ms), for at most
 * {@value #MAX_WAIT_MILLIS} ms. An unknown command thus fails about {@value #QUIET_MILLIS} ms
 * after start-up, not at once. A line is only retried when it failed to find its command, so
 * for a line made of several statements ({@code a ; b}) the statements before the unknown one
 * run again; keep one command per argument.
 */
final class BatchRunner implements Callable<Integer> {

    /** System property: {@code -Dl3wb.batch.trace=true} adds the stack trace after the error line. */
    static final String TRACE = "l3wb.batch.trace";
    static final long QUIET_MILLIS = 400;
    static final long MAX_WAIT_MILLIS = 15_000;
    private static final long POLL_MILLIS = 50;

    private final BundleContext context;
    private final String[] lines;
    private final AtomicLong lastServiceEvent = new AtomicLong(System.nanoTime());
    private volatile boolean cancelled;

    BatchRunner(BundleContext context, String[] lines) {
        this.context = context;
        this.lines = lines.clone();
    }

    void cancel() {
        cancelled = true;
    }

    @Override
    public Integer call() throws Exception {
        // the process's real stdout/stderr: Gogo's ThreadIO has replaced System.out/err with
        // per-thread redirecting streams, which would loop back into the session
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, Charset.defaultCharset());
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, Charset.defaultCharset());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MILLIS);

        ServiceListener settle = event -> {
            if (event.getType() == ServiceEvent.REGISTERED || event.getType() == ServiceEvent.UNREGISTERING) {
                lastServiceEvent.set(System.nanoTime());
            }
        };
        context.addServiceListener(settle);
        ServiceTracker<CommandProcessor, CommandProcessor> tracker = new ServiceTracker<>(context,
            CommandProcessor.class, null);
        tracker.open();
        try {
            CommandProcessor processor = tracker.waitForService(MAX_WAIT_MILLIS);
            if (processor == null) {
                err.println("error: no Gogo command processor is running");
                return 2;
            }
            GogoBuiltins builtins = GogoBuiltins.register(context, processor);
            try (CommandSession session = processor.createSession(InputStream.nullInputStream(), out, err)) {
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
                        err.println("error: " + message(e));
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
            context.removeServiceListener(settle);
        }
    }

    private Object executeWithRetry(CommandSession session, String line, long deadline) throws Exception {
        while (true) {
            try {
                return session.execute(line);
            } catch (Exception e) {
                if (!isCommandNotFound(e) || !settling() || System.nanoTime() > deadline || cancelled) {
                    throw e;
                }
                Thread.sleep(POLL_MILLIS);
            }
        }
    }

    /**
     * True while the framework may still be registering commands: a bundle that is to be started
     * is not active yet, or a service came or went less than {@value #QUIET_MILLIS} ms ago.
     */
    private boolean settling() {
        for (Bundle b : context.getBundles()) {
            BundleStartLevel bsl = b.adapt(BundleStartLevel.class);
            boolean fragment = b.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
            if (b.getBundleId() != 0 && !fragment && bsl != null && bsl.isPersistentlyStarted()
                && bsl.getStartLevel() < Activator.NEVER && b.getState() != Bundle.ACTIVE) {
                return true;
            }
        }
        return System.nanoTime() - lastServiceEvent.get() < TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS);
    }

    private static boolean isCommandNotFound(Throwable e) {
        for (Class<?> c = e.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals("org.apache.felix.gogo.runtime.CommandNotFoundException")) {
                return true;
            }
        }
        return false;
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

package org.l3wb.lab.report;

import java.io.PrintStream;

import org.apache.felix.service.command.CommandSession;
import org.l3wb.lab.format.Format;
import org.l3wb.lab.ipc.Experiments;

/**
 * Progress of a long experiment, on one line of the interactive shell's terminal ({@code \r}-rewritten,
 * erased when done), shown only once the work has taken more than {@link #DELAY_NANOS one second}.
 *
 * <p>It prints only into the interactive Gogo shell: a session the jline shell opened carries its
 * terminal as the session variable {@value #TERMINAL}; batch mode ({@code ./workbench CMD}, the
 * launcher's own session on the process's stdout) has none, so it stays silent there, and so does any
 * command asked for {@code --format csv} or {@code json} (machine-readable output gets nothing but the
 * data). Thread-safe: experiments report from their worker threads.
 */
public final class ConsoleProgress implements AutoCloseable {
    /** The session variable gogo.jline's shell keeps its terminal in (its {@code Shell.VAR_TERMINAL}). */
    public static final String TERMINAL = ".terminal";
    /** Show nothing for work shorter than this. */
    static final long DELAY_NANOS = 1_000_000_000L;

    /** Prints nothing. */
    public static ConsoleProgress silent() {
        return new ConsoleProgress(null, 0);
    }

    /**
     * @param session the command's session (Gogo injects it), or null
     * @param format  the command's output format; progress only for text
     * @return progress on the session's console when it is the interactive shell's, else silent
     */
    public static ConsoleProgress of(CommandSession session, Format format) {
        if (session == null || format != Format.TEXT || !interactive(session)) {
            return silent();
        }
        return new ConsoleProgress(session.getConsole(), DELAY_NANOS);
    }

    /** @return whether {@code session} is the interactive shell's (it has a terminal) */
    public static boolean interactive(CommandSession session) {
        try {
            return session.get(TERMINAL) != null && session.getConsole() != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private final PrintStream out;
    private final long delayNanos;
    private final long start = System.nanoTime();
    private String phase = "";
    private int shownLength;

    ConsoleProgress(PrintStream out, long delayNanos) {
        this.out = out;
        this.delayNanos = delayNanos;
    }

    /** @return whether this prints at all */
    boolean active() {
        return out != null;
    }

    /** Starts a phase: the line shows {@code label} (and the runs done, as {@link #runs()} reports them). */
    public synchronized void phase(String label) {
        phase = label;
        show(label);
    }

    /** @return a sink for an experiment's finished runs, shown after the current phase's label */
    public Experiments.Progress runs() {
        return counting("runs");
    }

    /** @return a sink for one run's round trips done, shown after the current phase's label */
    public Experiments.Progress rounds() {
        return counting("round trips");
    }

    private Experiments.Progress counting(String what) {
        if (out == null) {
            return Experiments.Progress.NONE;
        }
        return (done, total) -> {
            synchronized (this) {
                show(phase + ": " + done + "/" + total + " " + what);
            }
        };
    }

    private void show(String text) {
        if (out == null || System.nanoTime() - start < delayNanos) {
            return;
        }
        String pad = " ".repeat(Math.max(0, shownLength - text.length()));
        out.print("\r" + text + pad);
        out.flush();
        shownLength = text.length();
    }

    /** Erases the progress line, if one was shown. */
    @Override
    public synchronized void close() {
        if (out != null && shownLength > 0) {
            out.print("\r" + " ".repeat(shownLength) + "\r");
            out.flush();
            shownLength = 0;
        }
    }
}

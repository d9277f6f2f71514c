package org.l3wb.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.Test;
import org.l3wb.lab.format.Format;
import org.l3wb.lab.ipc.Experiments;

/** Progress shows in the interactive shell only, never in batch mode or machine-readable output. */
class ConsoleProgressTest {
    /** A Gogo session with these variables, whose console is {@code console}. */
    static CommandSession session(Map<String, Object> variables, PrintStream console) {
        return (CommandSession) Proxy.newProxyInstance(CommandSession.class.getClassLoader(),
                new Class<?>[] {CommandSession.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "get" -> variables.get((String) args[0]);
                    case "getConsole" -> console;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
    }

    private static final PrintStream NOWHERE = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @Test
    void onlyTheShellsSessionWithItsTerminalIsInteractive() {
        Map<String, Object> shell = new HashMap<>();
        shell.put(ConsoleProgress.TERMINAL, new Object());
        assertTrue(ConsoleProgress.interactive(session(shell, NOWHERE)));
        // batch mode: the launcher's own session has no terminal
        assertFalse(ConsoleProgress.interactive(session(Map.of(), NOWHERE)));
        assertTrue(ConsoleProgress.of(session(shell, NOWHERE), Format.TEXT).active());
        assertFalse(ConsoleProgress.of(session(Map.of(), NOWHERE), Format.TEXT).active());
        assertFalse(ConsoleProgress.of(session(shell, NOWHERE), Format.JSON).active());
        assertFalse(ConsoleProgress.of(session(shell, NOWHERE), Format.CSV).active());
        assertFalse(ConsoleProgress.of(null, Format.TEXT).active());
    }

    @Test
    void theLineIsRewrittenAndErasedAtTheEnd() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (ConsoleProgress p = new ConsoleProgress(out, 0)) {
            p.phase("lab:table7");
            Experiments.Progress runs = p.runs();
            runs.runs(1, 21);
            runs.runs(2, 21);
        }
        String shown = bytes.toString(StandardCharsets.UTF_8);
        assertEquals("\rlab:table7\rlab:table7: 1/21 runs\rlab:table7: 2/21 runs\r" + " ".repeat(21) + "\r", shown);
        assertFalse(shown.contains("\n"));
    }

    @Test
    void nothingShowsBeforeTheFirstSecond() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // an hour stands for the second: a loaded host may take a second between two statements
        try (ConsoleProgress p = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                3_600_000_000_000L)) {
            p.phase("lab:footprint");
            p.runs().runs(1, 1);
        }
        assertEquals(0, bytes.size());
    }

    @Test
    void experimentsTellEachFinishedRun() {
        int[] last = new int[2];
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        Experiment.TABLE2.run(TestBench.setup(), 20, (done, total) -> {
            calls.incrementAndGet();
            synchronized (last) {
                last[0] = Math.max(last[0], done);
                last[1] = total;
            }
        });
        assertEquals(2, calls.get());
        assertEquals(2, last[0]);
        assertEquals(2, last[1]);
    }
}

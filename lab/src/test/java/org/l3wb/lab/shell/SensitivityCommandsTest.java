package org.l3wb.lab.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.lab.ipc.Lab;

/** lab:sensitivity as the shell calls it: bad input fails in one line and writes nothing; a run writes its plot. */
class SensitivityCommandsTest {
    @TempDir
    Path tmp;
    private final SensitivityCommands commands = new SensitivityCommands();

    @BeforeEach
    void wire() throws ReflectiveOperationException {
        Workbench w = new Workbench();
        w.addProcessor(StandardModels.i486dx50());
        w.kernel = Lab.KERNEL;
        w.machineFactory = Lab.MACHINES;
        w.configure(WorkbenchConfigs.defaults());
        Field f = SensitivityCommands.class.getDeclaredField("workbench");
        f.setAccessible(true);
        f.set(commands, w);
    }

    private String run(String param, String values, String rounds, Path out, String format) {
        return commands.sensitivity(null, param, values, rounds, out.toString(), format);
    }

    private String failure(String param, String values, String rounds, Path out) {
        return assertThrows(IllegalArgumentException.class, () -> run(param, values, rounds, out, "text")).getMessage();
    }

    @Test
    void badInputFailsInOneLineBeforeAnythingIsWritten() throws IOException {
        Path out = tmp.resolve("plots");
        assertTrue(failure("", "1", "", out).startsWith("--param is missing: one of memoryBytes, "));
        assertTrue(failure("cacheBytes", "1", "", out).startsWith("unknown board parameter 'cacheBytes' (one of "));
        assertEquals("--values: 'x' is not a whole number", failure("dramWriteNs", "80,x", "", out));
        assertEquals("board parameter writeBufferEntries cannot be 0: memory.writeBufferEntries must be positive, got 0",
                failure("writeBufferEntries", "4,0", "", out));
        assertEquals("--rounds must be a whole number, got 'many'", failure("dramWriteNs", "80", "many", out));
        assertTrue(failure("dramWriteNs", "80", "0", out).startsWith("--rounds must be 1.."));
        assertFalse(Files.exists(out), "nothing written");
        Path file = Files.writeString(tmp.resolve("a-file"), "mine");
        assertEquals("--out " + file + " is not a folder", failure("dramWriteNs", "80", "3", file));
        assertEquals("mine", Files.readString(file));
        for (String message : List.of(failure("", "1", "", out), failure("dramWriteNs", "", "", out))) {
            assertFalse(message.contains("\n"), message);
        }
    }

    @Test
    void aRunPrintsItsTableAndWritesItsPlot() throws IOException {
        Path out = tmp.resolve("plots");
        String csv = run("writeBufferEntries", "4,2", "3", out, "csv");
        List<String> lines = csv.lines().toList();
        assertEquals("param,value,board,figure,size,column,simulated,paper,deviation,unit", lines.get(0));
        assertTrue(lines.get(1).startsWith("writeBufferEntries,4,writeBufferEntries=4,table7,8,l3,"), lines.get(1));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("writeBufferEntries,2,writeBufferEntries=2,table1,")));
        assertFalse(csv.contains("plot written"), "csv stays parseable");
        assertTrue(Files.readString(out.resolve("writeBufferEntries.svg")).startsWith("<?xml"));
        assertTrue(Files.size(out.resolve("writeBufferEntries.png")) > 1000);
        try (var files = Files.list(out)) {
            assertEquals(2, files.count(), "no temporary file left");
        }
    }
}

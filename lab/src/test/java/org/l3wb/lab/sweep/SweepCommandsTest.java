package org.l3wb.lab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepCommandsTest {
    private static Map<String, String> flags(String size, String rounds) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String axis : Grid.AXES) {
            m.put(axis, "");
        }
        m.put("size", size);
        m.put("rounds", rounds);
        return m;
    }

    @Test
    void anOutputFolderThatCannotBeWrittenIsRefusedBeforeRunning(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertEquals("cannot write the sweep into " + file + ": " + file,
                assertThrows(IllegalArgumentException.class, () -> SweepCommands.requireWritable(file)).getMessage());
        SweepCommands.requireWritable(dir.resolve("a/b"));
        assertEquals(true, Files.isDirectory(dir.resolve("a/b")));
    }

    @Test
    void flagsBesideAGridFileReplaceItsAxes(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("g.txt"), "mechanism = l3, ports\nsize = 8, 128\nrounds = 500\n");
        Grid g = SweepCommands.grid(file.toString(), flags("", "20"));
        assertEquals(java.util.List.of("l3", "ports"), g.axis("mechanism"));
        assertEquals(java.util.List.of("8", "128"), g.axis("size"));
        assertEquals(java.util.List.of("20"), g.axis("rounds"));
        assertEquals(java.util.List.of("4096"), SweepCommands.grid(file.toString(), flags("4096", "")).axis("size"));
        assertEquals(java.util.List.of("i486dx50"), SweepCommands.grid("", flags("", "")).axis("processor"));
        assertEquals("no such grid file: " + dir.resolve("none.txt"), assertThrows(IllegalArgumentException.class,
                () -> SweepCommands.grid(dir.resolve("none.txt").toString(), flags("", ""))).getMessage());
    }
}

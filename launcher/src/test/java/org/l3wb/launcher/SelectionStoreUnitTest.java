package org.l3wb.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectionStoreUnitTest {
    static final String PID = "org.l3wb.workbench";

    @TempDir
    Path tmp;

    static Hashtable<String, Object> dict(Object... kv) {
        Hashtable<String, Object> d = new Hashtable<>();
        for (int i = 0; i < kv.length; i += 2) {
            d.put((String) kv[i], kv[i + 1]);
        }
        return d;
    }

    @Test
    void twoStoresOnOneFolderKeepEachOthersChanges() throws IOException {
        // two processes that both started from an empty store
        SelectionStore a = new SelectionStore(tmp, null);
        SelectionStore b = new SelectionStore(tmp, null);
        a.store(PID, dict("service.pid", PID, "mechanism", "ports", "switches.off", new String[] {"direct"}));
        b.store(PID, dict("service.pid", PID, "processor", "i486dx33", "switches.off", new String[] {"vtcb"}));
        Dictionary<?, ?> d = new SelectionStore(tmp, null).load(PID);
        assertEquals("ports", d.get("mechanism"));
        assertEquals("i486dx33", d.get("processor"));
        assertArrayEquals(new String[] {"direct", "vtcb"}, (String[]) d.get("switches.off"));

        // a, from its older view, switches direct back on: b's vtcb stays off, b's processor stays
        a.store(PID, dict("service.pid", PID, "mechanism", "ports", "switches.off", new String[0]));
        d = new SelectionStore(tmp, null).load(PID);
        assertArrayEquals(new String[] {"vtcb"}, (String[]) d.get("switches.off"));
        assertEquals("i486dx33", d.get("processor"));
        assertEquals("ports", d.get("mechanism"));
    }

    @Test
    void theSameScalarChangedTwiceTakesTheLaterWrite() {
        Dictionary<String, Object> base = dict("mechanism", "l3");
        Dictionary<String, Object> merged = SelectionStore.merge(base, dict("mechanism", "ports"), dict("mechanism", "dash"));
        assertEquals("ports", merged.get("mechanism"));
        merged = SelectionStore.merge(base, dict(), dict("mechanism", "dash", "x", "1"));
        assertNull(merged.get("mechanism"), "a removal here is applied");
        assertEquals("1", merged.get("x"));
    }

    @Test
    void aDamagedFileIsReportedReadsAsAbsentAndIsNeverOverwritten() throws IOException {
        SelectionStore s = new SelectionStore(tmp, null);
        s.store(PID, dict("service.pid", PID, "mechanism", "ports"));
        Path file = tmp.resolve("org/l3wb/workbench.config");
        assertTrue(Files.readString(file).startsWith("# L3 Workbench configuration, sha256 "));
        assertNull(s.problem());
        byte[] cut = java.util.Arrays.copyOf(Files.readAllBytes(file), (int) Files.size(file) - 10);
        Files.write(file, cut);

        SelectionStore fresh = new SelectionStore(tmp, null);
        assertTrue(fresh.problem().contains(file.toString()), fresh.problem());
        assertFalse(fresh.exists(PID));
        IOException e = assertThrows(IOException.class, () -> fresh.store(PID, dict("service.pid", PID)));
        assertTrue(e.getMessage().contains("delete it"), e.getMessage());
        assertArrayEquals(cut, Files.readAllBytes(file));
    }

    @Test
    void aFileWithoutChecksumFromFelixsStoreIsRead() throws IOException {
        Path file = Files.createDirectories(tmp.resolve("org/l3wb")).resolve("workbench.config");
        Files.writeString(file, "mechanism=\"ports\"\r\nservice.pid=\"org.l3wb.workbench\"\r\n");
        SelectionStore s = new SelectionStore(tmp, null);
        assertNull(s.problem());
        assertEquals("ports", s.load(PID).get("mechanism"));
    }

    @Test
    void aWriteLeavesNoTemporaryFileAndRemovesAKilledWritersOnes() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("org/l3wb"));
        Files.writeString(folder.resolve("workbench.config.123.tmp"), "half");
        new SelectionStore(tmp, null).store(PID, dict("service.pid", PID, "mechanism", "ports"));
        try (var files = Files.list(folder)) {
            assertEquals(List.of("workbench.config"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void anUncreatableFolderFailsTheWriteWithOneLine() throws IOException {
        Path file = Files.writeString(tmp.resolve("afile"), "x");
        SelectionStore s = new SelectionStore(file.resolve("config"), null);
        assertNull(s.problem());
        assertFalse(s.exists(PID));
        IOException e = assertThrows(IOException.class, () -> s.store(PID, dict("service.pid", PID)));
        assertTrue(e.getMessage().startsWith("cannot write the configuration store " + file.resolve("config")),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}

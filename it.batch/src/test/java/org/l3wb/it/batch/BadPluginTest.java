package org.l3wb.it.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l3wb.it.batch.WorkbenchProcess.Result;
import org.l3wb.it.batch.plugin.ThrowingActivator;

/**
 * Bad files in {@code plugins/} (issue 10): a bundle that does not resolve, one whose activator throws,
 * a {@code .cfg} that cannot be read and one that is not text each give one warning line on stderr
 * naming the file and the reason, no stack trace; the commands run as usual, stdout holds only their
 * output, and nothing of the bad files is left in Config Admin's store.
 */
class BadPluginTest {
    static final String MISSING_PACKAGE = "com.example.nowhere";

    @TempDir
    Path tmp;

    @Test
    void eachBadFileGivesOneWarningLineInBatchMode() throws Exception {
        WorkbenchProcess workbench = new WorkbenchProcess(tmp.resolve("config"), tmp);
        dropBadFiles(tmp.resolve("plugins"));

        Result run = workbench.run("hw:processors --format csv");
        assertEquals(0, run.exitStatus(), run::toString);
        assertEquals(List.of("i486dx50"), CsvTables.selected(run.stdout(), "selected,name,clock_mhz,description"),
                run::toString);
        assertWarnings(run.stderr(), run.toString());
        assertNoConfigurationFromPlugins();
    }

    @Test
    void eachBadFileGivesOneWarningLineInTheShell() throws Exception {
        WorkbenchProcess workbench = new WorkbenchProcess(tmp.resolve("config"), tmp);
        dropBadFiles(tmp.resolve("plugins"));

        Result run = workbench.run(); // no command: the interactive shell, on an empty stdin
        assertEquals(0, run.exitStatus(), run::toString);
        assertWarnings(run.stderr(), run.toString());
        assertTrue(run.stdout().stream().noneMatch(l -> l.contains("plugins/") || l.contains("Exception")),
                "the warnings go to stderr only: " + run);
        assertNoConfigurationFromPlugins();
    }

    @Test
    void aCfgThatTurnsBadTakesItsConfigurationWithIt() throws Exception {
        WorkbenchProcess workbench = new WorkbenchProcess(tmp.resolve("config"), tmp);
        Path cfg = Files.writeString(tmp.resolve("plugins/org.l3wb.workbench.cfg"), "processor=i486dx33\n");
        Result good = workbench.run("hw:processors --format csv");
        assertEquals(List.of("i486dx33"), CsvTables.selected(good.stdout(), "selected,name,clock_mhz,description"),
                good::toString);

        Files.writeString(cfg, "processor=\\uZZZZ\n", StandardCharsets.ISO_8859_1);
        Result bad = workbench.run("hw:processors --format csv");
        assertEquals(0, bad.exitStatus(), bad::toString);
        assertEquals(1, bad.stderr().size(), bad::toString);
        String line = bad.stderr().get(0);
        assertTrue(line.startsWith("warning: plugins/org.l3wb.workbench.cfg: not read: ") && line.contains("ZZZZ")
                && line.endsWith("its configuration removed"), line);
        assertNoConfigurationFromPlugins();

        // the next run starts without it (what the first command of the run above saw depends on how
        // soon Config Admin delivered the removal: batch mode's business, PluginConfigurationTest)
        Result next = workbench.run("hw:processors --format csv");
        assertEquals(List.of("i486dx50"), CsvTables.selected(next.stdout(), "selected,name,clock_mhz,description"),
                "the file no longer selects the DX-33: " + next);
        assertEquals(List.of(), next.stderr().stream().filter(l -> l.endsWith("its configuration removed")).toList(),
                "nothing left to remove: " + next);
    }

    /** No plugins folder is no bad file: `java -jar workbench.jar` run where there is none says nothing. */
    @Test
    void noPluginsFolderGivesNoWarning() throws Exception {
        WorkbenchProcess workbench = new WorkbenchProcess(tmp.resolve("config"), tmp);
        Files.delete(tmp.resolve("plugins"));

        Result run = workbench.run("hw:processors --format csv");
        assertEquals(0, run.exitStatus(), run::toString);
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    /** An unresolvable bundle, a throwing activator, an unreadable and a binary .cfg. */
    private static void dropBadFiles(Path plugins) throws IOException {
        Manifest missing = manifest("com.example.bad.missing");
        missing.getMainAttributes().putValue("Import-Package", MISSING_PACKAGE);
        jar(plugins.resolve("missing.jar"), missing, null);

        Manifest throwing = manifest("com.example.bad.throwing");
        throwing.getMainAttributes().putValue("Import-Package", "org.osgi.framework");
        throwing.getMainAttributes().putValue("Bundle-Activator", ThrowingActivator.class.getName());
        jar(plugins.resolve("throwing.jar"), throwing, ThrowingActivator.class);

        Files.writeString(plugins.resolve("unreadable.cfg"), "key=\\uZZZZ\n", StandardCharsets.ISO_8859_1);
        byte[] noise = new byte[300];
        new Random(10).nextBytes(noise);
        noise[0] = 0; // a NUL for sure
        Files.write(plugins.resolve("binary.cfg"), noise);
    }

    private static void assertWarnings(List<String> stderr, String run) {
        assertEquals(4, stderr.size(), "one line per bad file: " + run);
        assertLine(stderr, "warning: plugins/missing.jar: not resolved: missing requirement ", MISSING_PACKAGE, run);
        assertLine(stderr, "warning: plugins/throwing.jar: not started: ", ThrowingActivator.MESSAGE, run);
        assertLine(stderr, "warning: plugins/unreadable.cfg: not read: ", "ZZZZ", run);
        assertLine(stderr, "warning: plugins/binary.cfg: not read: ", "not a text file", run);
    }

    private static void assertLine(List<String> stderr, String start, String contains, String run) {
        assertTrue(stderr.stream().anyMatch(l -> l.startsWith(start) && l.contains(contains)),
                "a line '" + start + "...' naming '" + contains + "': " + run);
    }

    /** Config Admin's store holds no configuration FileInstall made of a file in plugins/. */
    private void assertNoConfigurationFromPlugins() throws IOException {
        Path config = tmp.resolve("config");
        if (!Files.isDirectory(config)) {
            return;
        }
        try (Stream<Path> files = Files.walk(config)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(f, StandardCharsets.ISO_8859_1);
                assertTrue(!text.contains("felix.fileinstall.filename"), "left behind: " + f + "\n" + text);
            }
        }
    }

    private static Manifest manifest(String bsn) {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", bsn);
        a.putValue("Bundle-Version", "1.0.0");
        return m;
    }

    /** A jar with {@code manifest} and, if given, the class file of {@code type}, written at once (FileInstall polls). */
    private static void jar(Path file, Manifest manifest, Class<?> type) throws IOException {
        Path tmp = Files.createTempFile(file.getParent().getParent(), "jar", ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            if (type != null) {
                String name = type.getName().replace('.', '/') + ".class";
                jar.putNextEntry(new JarEntry(name));
                try (InputStream in = type.getClassLoader().getResourceAsStream(name)) {
                    in.transferTo(jar);
                }
                jar.closeEntry();
            }
        }
        Files.move(tmp, file);
    }
}

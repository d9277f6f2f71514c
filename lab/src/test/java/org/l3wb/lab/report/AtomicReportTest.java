package org.l3wb.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l3wb.kernel.api.Switches;

/**
 * Issue 10, item 4: a report replaces the older one as a whole (DIR is a link renamed over the old one),
 * temporaries of killed runs are removed, the earlier layout is taken over, and a folder holding files
 * lab:report did not write, or {@code /}, is refused unless forced. (Kills themselves: it.batch.)
 */
class AtomicReportTest {
    static Report full;
    static Report l3Only;

    @BeforeAll
    static void run() {
        full = Report.run(TestBench.setup(), TestBench.fewRounds(), ConsoleProgress.silent());
        l3Only = Report.run(TestBench.setup(TestBench.L3_ONLY, Switches.ALL_ON), TestBench.fewRounds(),
                ConsoleProgress.silent());
    }

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static void write(Path dir, Report r) {
        try (ReportWriter w = ReportWriter.open(dir.toString())) {
            w.write(r);
        }
    }

    @Test
    void theReportIsALinkToOneCompleteVersionReplacedAsAWhole(@TempDir Path top) throws IOException {
        Path dir = top.resolve("report");
        write(dir, full);
        assertTrue(Files.isSymbolicLink(dir));
        Path first = dir.toRealPath();
        write(dir, l3Only);
        assertTrue(Files.isSymbolicLink(dir));
        Path second = dir.toRealPath();
        assertFalse(first.equals(second), "a new version, not the old one rewritten");
        assertFalse(Files.exists(first), "the older version is removed");
        assertEquals(Set.of("report", second.getFileName().toString()), names(top));
        assertTrue(second.getFileName().toString().startsWith(".report.report-"), second.toString());
        assertEquals(new TreeSet<>(ReportWriter.render(l3Only).keySet()), names(dir));
        assertTrue(Files.isRegularFile(dir.resolve("index.html")));
    }

    @Test
    void temporariesOfKilledRunsAreRemoved(@TempDir Path top) throws IOException {
        Path dir = top.resolve("out");
        write(dir, l3Only);
        Path staged = Files.createDirectory(top.resolve(".out.report-123"));
        Files.writeString(staged.resolve("index.html"), "half");
        Files.createSymbolicLink(top.resolve(".out.report-link-123"), Path.of(".out.report-123"));
        Files.writeString(top.resolve("mine.txt"), "keep");
        write(dir, full);
        assertEquals(Set.of("out", "mine.txt", dir.toRealPath().getFileName().toString()), names(top));
    }

    @Test
    void theEarlierLayoutAFolderOfOurFilesIsTakenOver(@TempDir Path top) throws IOException {
        Path old = top.resolve("old");
        write(old, l3Only);
        Path dir = Files.createDirectory(top.resolve("report"));
        for (String name : names(old)) {
            Files.copy(old.resolve(name), dir.resolve(name));
        }
        Files.createDirectory(dir.resolve(".report-4711")); // a staging folder the earlier writer left
        write(dir, full);
        assertTrue(Files.isSymbolicLink(dir));
        assertEquals(new TreeSet<>(ReportWriter.render(full).keySet()), names(dir));
        assertEquals(4, names(top).size(), names(top).toString()); // old, its version, report, its version
    }

    @Test
    void aMigrationKilledBetweenItsRenamesIsPutBack(@TempDir Path top) throws IOException {
        Path aside = top.resolve(".report.report-old-77");
        write(top.resolve("x"), l3Only);
        Files.createDirectory(aside);
        for (String name : names(top.resolve("x"))) {
            Files.copy(top.resolve("x").resolve(name), aside.resolve(name));
        }
        Path dir = top.resolve("report");
        try (ReportWriter w = ReportWriter.open(dir.toString())) {
            assertTrue(Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS), "the old report is back before anything runs");
        }
        assertTrue(Files.isRegularFile(dir.resolve("table7.csv")));
    }

    @Test
    void aFolderWithSomeoneElsesFilesIsRefusedUnlessForced(@TempDir Path top) throws IOException {
        Path dir = Files.createDirectory(top.resolve("site"));
        Files.writeString(dir.resolve("index.html"), "my page");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> write(dir, full));
        assertEquals("refusing to replace " + dir + ": it holds files named like a report's but no report's "
                + "configuration.txt, which lab:report did not write (--force writes the report's files beside it)",
                e.getMessage());
        Files.writeString(dir.resolve("notes.txt"), "mine");
        e = assertThrows(IllegalArgumentException.class, () -> write(dir, full));
        assertTrue(e.getMessage().contains("it holds "), e.getMessage());
        assertEquals(Set.of("index.html", "notes.txt"), names(dir));
        assertEquals("my page", Files.readString(dir.resolve("index.html")));
        assertEquals(Set.of("site"), names(top));
        try (ReportWriter w = ReportWriter.open(dir.toString(), true)) {
            w.write(full);
        }
        assertEquals("mine", Files.readString(dir.resolve("notes.txt")));
        assertTrue(names(dir).contains("report.json"));
    }

    @Test
    void aFileDroppedIntoTheReportIsNotDeletedByTheNext(@TempDir Path top) throws IOException {
        Path dir = top.resolve("report");
        write(dir, full);
        Files.writeString(dir.resolve("notes.txt"), "mine");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> write(dir, full));
        assertTrue(e.getMessage().contains("it holds notes.txt"), e.getMessage());
        assertEquals("mine", Files.readString(dir.resolve("notes.txt")));
    }

    @Test
    void theRootIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportWriter.open("/"));
        assertEquals("refusing to write the report into /: it is not a folder of its own (--force writes the "
                + "files into it anyway)", e.getMessage());
    }
}

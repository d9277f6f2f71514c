package org.l3wb.lab.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.l3wb.lab.format.Format;
import org.l3wb.lab.plot.Charts;
import org.l3wb.lab.plot.Plot;

/**
 * Writes a {@link Report} into a directory, never half-written.
 *
 * <p>Files: {@code index.html} (the page: configuration and hash, every table side by side with the paper
 * and the deviation, the plots as linked images), {@code report.json} (configuration, hash and every
 * table), {@code configuration.txt} (the canonical configuration the hash is taken over), one
 * {@code NAME.csv} per experiment (NAME as in {@code lab:NAME}), and {@code figure8.svg/.png},
 * {@code dash.svg/.png}.
 *
 * <p>How nothing is left half-written: {@link #open} runs before any experiment, creates the directory
 * if needed and a hidden staging directory {@code .report-*} inside it, so an unwritable target fails at
 * once with one line. {@link #write} writes every file into the staging directory, then renames each
 * into place (one atomic rename per file, on the same file system, replacing an older report's file).
 * A failure before the renames, or {@link #close} without a write, removes the staging directory, and
 * the directory itself when {@code open} created it: the target is as it was. Each file appears whole
 * or not at all; a JVM killed during the renames leaves some files of the new report beside the old
 * one's, and one killed earlier a hidden {@code .report-*} folder.
 */
public final class ReportWriter implements AutoCloseable {
    /** Files of a report apart from the per-experiment CSVs and plots. */
    public static final List<String> FIXED_FILES = List.of("index.html", "report.json", "configuration.txt");
    /** Experiments that have a plot. */
    static final List<Experiment> PLOTTED = List.of(Experiment.FIGURE8, Experiment.DASH);

    private final Path dir;
    private final Path createdTop;
    private final Path staging;
    private boolean done;

    private ReportWriter(Path dir, Path createdTop, Path staging) {
        this.dir = dir;
        this.createdTop = createdTop;
        this.staging = staging;
    }

    /**
     * Prepares {@code dir} (created if missing) for a report.
     *
     * @throws IllegalArgumentException one line, when it cannot be written; nothing is left behind
     */
    public static ReportWriter open(String dir) {
        if (dir == null || dir.isBlank()) {
            throw new IllegalArgumentException("--out must name a directory, got '" + (dir == null ? "" : dir) + "'");
        }
        Path target;
        try {
            target = Path.of(dir).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("cannot write the report to '" + dir + "': " + e.getReason());
        }
        Path createdTop = null;
        Path staging = null;
        try {
            if (Files.exists(target) && !Files.isDirectory(target)) {
                throw new IllegalArgumentException("cannot write the report to " + target + ": not a directory");
            }
            if (!Files.exists(target)) {
                Path top = target;
                while (top.getParent() != null && !Files.exists(top.getParent())) {
                    top = top.getParent();
                }
                Files.createDirectories(target);
                createdTop = top;
            }
            staging = Files.createTempDirectory(target, ".report-");
            Files.writeString(staging.resolve(".probe"), "");
            Files.delete(staging.resolve(".probe"));
            return new ReportWriter(target, createdTop, staging);
        } catch (IOException | SecurityException e) {
            deleteQuietly(staging);
            deleteQuietly(createdTop);
            throw new IllegalArgumentException("cannot write the report to " + target + ": " + reason(e));
        }
    }

    /** @return a one-line reason for an I/O failure */
    static String reason(Exception e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory: " + ((FileSystemException) e).getFile();
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory: " + ((FileSystemException) e).getFile();
        }
        if (e instanceof FileAlreadyExistsException f) {
            return "a file is in the way: " + f.getFile();
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason().strip() + (f.getFile() == null ? "" : ": " + f.getFile());
        }
        String m = e.getMessage();
        return (m == null || m.isBlank() ? e.getClass().getSimpleName() : m).strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** @return the report's directory (absolute) */
    public Path dir() {
        return dir;
    }

    /**
     * Writes the report's files (plots drawn here) and moves them into the directory.
     *
     * @return the files written, by name, in the directory
     */
    public List<Path> write(Report report) {
        if (done) {
            throw new IllegalStateException("report already written");
        }
        Map<String, byte[]> files = render(report);
        try {
            boolean olderReport = isReport(dir);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(staging.resolve(f.getKey()), f.getValue());
            }
            List<Path> written = new ArrayList<>();
            for (String name : files.keySet()) {
                Path to = dir.resolve(name);
                move(staging.resolve(name), to);
                written.add(to);
            }
            // an older report's files for experiments this one skipped would contradict it (only when the
            // directory held a report: files of the same names that are not a report's are not ours)
            for (Experiment e : olderReport ? Experiment.values() : new Experiment[0]) {
                for (String name : filesOf(e)) {
                    if (!files.containsKey(name)) {
                        Files.deleteIfExists(dir.resolve(name));
                    }
                }
            }
            done = true;
            deleteQuietly(staging);
            return written;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the report to " + dir + ": " + reason(e));
        }
    }

    /** @return whether {@code dir} holds a report: its configuration.txt starts with {@link Configuration#HEADER} */
    private static boolean isReport(Path dir) throws IOException {
        Path configuration = dir.resolve("configuration.txt");
        if (!Files.isRegularFile(configuration)) {
            return false;
        }
        try (Stream<String> lines = Files.lines(configuration, java.nio.charset.StandardCharsets.UTF_8)) {
            return lines.findFirst().map(Configuration.HEADER::equals).orElse(false);
        } catch (java.io.UncheckedIOException notText) {
            return false;
        }
    }

    private static List<String> filesOf(Experiment e) {
        List<String> names = new ArrayList<>(List.of(e.key() + ".csv"));
        if (PLOTTED.contains(e)) {
            names.add(e.key() + ".svg");
            names.add(e.key() + ".png");
        }
        return names;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** @return every file of the report by name, in the order written */
    static Map<String, byte[]> render(Report report) {
        Map<String, Plot> plots = new LinkedHashMap<>();
        String processor = report.configuration().entries().get("processor");
        for (Experiment e : PLOTTED) {
            Report.Section s = report.section(e);
            if (s.table() != null) {
                plots.put(e.key(), e == Experiment.FIGURE8 ? Charts.figure8(s.table(), processor)
                        : Charts.dash(s.table(), processor));
            }
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Report.Section s : report.sections()) {
            if (s.table() != null) {
                files.put(s.experiment().key() + ".csv", utf8(s.table().render(Format.CSV) + "\n"));
            }
        }
        for (Map.Entry<String, Plot> p : plots.entrySet()) {
            files.put(p.getKey() + ".svg", utf8(p.getValue().svg()));
            files.put(p.getKey() + ".png", p.getValue().png());
        }
        files.put("configuration.txt", utf8(report.configuration().canonical()));
        files.put("report.json", utf8(ReportJson.render(report)));
        files.put("index.html", utf8(ReportHtml.render(report, plots.keySet())));
        return files;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Removes the staging directory (and the report directory when it was created here) unless written. */
    @Override
    public void close() {
        deleteQuietly(staging);
        if (!done) {
            deleteQuietly(createdTop);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null || !Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (IOException | UncheckedIOException e) {
            // best effort: the report failed already, and that is what is reported
        }
    }
}

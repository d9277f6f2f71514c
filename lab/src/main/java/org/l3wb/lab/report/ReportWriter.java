package org.l3wb.lab.report;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.l3wb.lab.format.Format;
import org.l3wb.lab.plot.Plot;

/**
 * Writes a {@link Report} into a directory, replacing an older report there as a whole.
 *
 * <p>Files: {@code index.html} (the page: configuration and hash, every table side by side with the paper
 * and the deviation, the plots as linked images), {@code report.json} (configuration, hash and every
 * table), {@code configuration.txt} (the canonical configuration the hash is taken over), one
 * {@code NAME.csv} per experiment (NAME as in {@code lab:NAME}), {@code NAME.json} for the experiments
 * added after report.json's layout was fixed ({@link Experiment#OWN_JSON}: {@code appendix-kernel},
 * {@code cycles}, {@code syscall}, {@code sensitivity}), and the plots of {@link #PLOTTED} as
 * {@code NAME.svg/.png}; the sensitivity's files only when {@code --sensitivity} asked for it.
 *
 * <p>Layout: {@code DIR} is a symbolic link to a hidden sibling folder {@code .NAME.report-N} (NAME being
 * DIR's own name) that holds one complete report. A non-empty folder cannot be replaced atomically, a
 * symbolic link can: {@link #open} (before any experiment runs) takes a lock ({@code .NAME.report.lock}),
 * removes stale temporaries of killed runs and creates the new version folder; {@link #write} writes
 * every file into it, creates a link to it under a temporary name and renames that link over DIR (one
 * rename(2)), then removes the older version. A process killed at any moment thus leaves DIR pointing at
 * the old complete report or at the new complete one; what it leaves besides is removed by the next run.
 *
 * <p>A DIR that is a real folder holding only an older report's files (the earlier layout) is moved
 * aside and replaced by the link: rename(2) cannot put a link over a non-empty folder, so for the two
 * renames of this one-time migration DIR is missing, and a run killed there leaves the old report in
 * {@code .NAME.report-old-N}, put back by the next run. A DIR holding files that lab:report did not
 * write, or {@code /}, is refused unless {@code force}: then the files are written into DIR one by one
 * (each renamed into place from a hidden staging folder, others' files kept), not atomically as a whole.
 */
public final class ReportWriter implements AutoCloseable {
    /** Files of a report apart from the per-experiment CSVs and plots. */
    public static final List<String> FIXED_FILES = List.of("index.html", "report.json", "configuration.txt");
    /** Experiments that have a plot. */
    static final List<Experiment> PLOTTED = List.of(Experiment.FIGURE8, Experiment.TABLE1, Experiment.TABLE2,
            Experiment.PORTS, Experiment.DASH, Experiment.CYCLES, Experiment.SYSCALL, Experiment.SENSITIVITY);
    /**
     * System property naming a point of {@link #write} ({@code staging}, {@code staged}, {@code linked},
     * {@code moved-old}, {@code switched}) where the writer announces itself on the process's stderr
     * ({@code lab:report stopped at POINT}) and waits to be killed: the fault test kills it there.
     */
    public static final String STOP_AT = "org.l3wb.lab.report.stopAt";

    private final Path dir;
    private final Path createdTop;
    private final Path staging;
    /** Null when writing file by file into a folder that is not ours ({@code --force}). */
    private final Path parent;
    private final String prefix;
    private final Lock lock;
    private boolean done;

    private ReportWriter(Path dir, Path createdTop, Path staging, Path parent, Lock lock) {
        this.dir = dir;
        this.createdTop = createdTop;
        this.staging = staging;
        this.parent = parent;
        this.prefix = prefix(dir);
        this.lock = lock;
    }

    /** @return the name prefix of DIR's hidden siblings: versions, temporary links, the migrated folder */
    static String prefix(Path dir) {
        return "." + dir.getFileName() + ".report-";
    }

    /** As {@link #open(String, boolean)}, refusing a folder that is not a report's. */
    public static ReportWriter open(String dir) {
        return open(dir, false);
    }

    /**
     * Prepares {@code dir} for a report: nothing is replaced yet.
     *
     * @param force write into a folder holding files lab:report did not write (or {@code /}), file by file
     * @throws IllegalArgumentException one line, when it cannot or may not be written; nothing is left behind
     */
    public static ReportWriter open(String dir, boolean force) {
        if (dir == null || dir.isBlank()) {
            throw new IllegalArgumentException("--out must name a directory, got '" + (dir == null ? "" : dir) + "'");
        }
        Path target;
        try {
            target = Path.of(dir).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("cannot write the report to '" + dir + "': " + e.getReason());
        }
        if (target.getParent() == null && !force) {
            throw new IllegalArgumentException("refusing to write the report into " + target
                    + ": it is not a folder of its own (--force writes the files into it anyway)");
        }
        Path createdTop = null;
        Path staging = null;
        Lock lock = null;
        try {
            if (Files.exists(target) && !Files.isDirectory(target)) {
                throw new IllegalArgumentException("cannot write the report to " + target + ": not a directory");
            }
            Path parent = target.getParent();
            if (parent != null && Files.exists(parent) && !Files.isDirectory(parent)) {
                throw new IllegalArgumentException("cannot write the report to " + target + ": not a directory: "
                        + parent);
            }
            if (Files.isDirectory(target) && !Files.isWritable(target)) {
                throw new AccessDeniedException(target.toString());
            }
            if (parent != null && !Files.exists(parent)) {
                Path top = parent;
                while (top.getParent() != null && !Files.exists(top.getParent())) {
                    top = top.getParent();
                }
                Files.createDirectories(parent);
                createdTop = top;
            }
            if (parent == null) {
                return inPlace(target, force);
            }
            lock = Lock.take(parent.resolve("." + target.getFileName() + ".report.lock"), target);
            String prefix = prefix(target);
            restoreMigrated(target, parent, prefix);
            String foreign = foreignFile(target, parent, prefix);
            if (foreign != null) {
                if (!force) {
                    throw new IllegalArgumentException("refusing to replace " + target + ": it holds " + foreign
                            + ", which lab:report did not write (--force writes the report's files beside it)");
                }
                lock.close();
                lock = null;
                return inPlace(target, true);
            }
            removeStale(parent, prefix, current(target, prefix));
            staging = newVersion(parent, prefix);
            Files.writeString(staging.resolve(".probe"), "");
            Files.delete(staging.resolve(".probe"));
            return new ReportWriter(target, createdTop, staging, parent, lock);
        } catch (IOException | SecurityException e) {
            deleteQuietly(staging);
            if (lock != null) {
                lock.close();
            }
            deleteQuietly(createdTop);
            throw new IllegalArgumentException("cannot write the report to " + target + ": " + reason(e));
        } catch (RuntimeException e) {
            deleteQuietly(staging);
            if (lock != null) {
                lock.close();
            }
            deleteQuietly(createdTop);
            throw e;
        }
    }

    /** The earlier way, for {@code --force}: a staging folder inside DIR, each file renamed into place. */
    private static ReportWriter inPlace(Path target, boolean force) throws IOException {
        Path createdTop = null;
        if (!Files.exists(target)) {
            Files.createDirectories(target);
            createdTop = target;
        }
        try (Stream<Path> s = Files.list(target)) {
            // staging folders of killed runs: ours, and never anyone's data
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(".report-")).toList()) {
                deleteQuietly(p);
            }
        }
        Path staging = Files.createTempDirectory(target, ".report-");
        Files.writeString(staging.resolve(".probe"), "");
        Files.delete(staging.resolve(".probe"));
        return new ReportWriter(target, createdTop, staging, null, null);
    }

    /** An exclusive lock on a file beside DIR, so two runs never clean up each other's temporaries. */
    private static final class Lock implements AutoCloseable {
        private final Path file;
        private final FileChannel channel;

        private Lock(Path file, FileChannel channel) {
            this.file = file;
            this.channel = channel;
        }

        static Lock take(Path file, Path target) throws IOException {
            FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                FileLock l = c.tryLock();
                // the holder deletes the file when done, so a lock taken on a file since deleted guards
                // nothing: the path must still name the locked file, which now holds this run's token
                String token = ProcessHandle.current().pid() + "-" + System.nanoTime();
                if (l != null) {
                    c.truncate(0);
                    c.write(StandardCharsets.UTF_8.encode(token), 0);
                }
                if (l == null || !Files.exists(file) || !token.equals(Files.readString(file))) {
                    throw new IllegalArgumentException("cannot write the report to " + target
                            + ": another lab:report is writing it");
                }
                return new Lock(file, c);
            } catch (IOException | RuntimeException e) {
                c.close();
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                Files.deleteIfExists(file);
                channel.close();
            } catch (IOException e) {
                // best effort: a lock file left behind is taken again by the next run
            }
        }
    }

    /**
     * @return a new, empty version folder with the umask's permissions (the report is read by browsers
     * and web servers as the folder it replaces was; a temporary directory would be the owner's only)
     */
    private static Path newVersion(Path parent, String prefix) throws IOException {
        while (true) {
            try {
                return Files.createDirectory(parent.resolve(prefix
                        + Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong())));
            } catch (FileAlreadyExistsException taken) {
                // another name
            }
        }
    }

    /** A migration killed between its two renames left DIR missing and the old report aside: put it back. */
    private static void restoreMigrated(Path target, Path parent, String prefix) throws IOException {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.list(parent)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(prefix + "old-")).toList()) {
                Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
                return;
            }
        }
    }

    /** @return the version folder DIR links to (its name), or null when DIR is no link of ours */
    private static String current(Path target, String prefix) throws IOException {
        if (!Files.isSymbolicLink(target)) {
            return null;
        }
        Path to = Files.readSymbolicLink(target);
        String name = to.toString();
        return to.getNameCount() == 1 && name.startsWith(prefix) && !name.startsWith(prefix + "link-")
                && !name.startsWith(prefix + "old-") ? name : null;
    }

    /**
     * @return a file in DIR that lab:report did not write (named for the message), or null when DIR is
     * missing, empty, a link of ours to a report, or a real folder holding only an older report's files
     */
    private static String foreignFile(Path target, Path parent, String prefix) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        if (Files.isSymbolicLink(target)) {
            if (current(target, prefix) == null) {
                return "a link to " + Files.readSymbolicLink(target);
            }
            if (!Files.exists(target)) {
                return null; // our link to a version someone removed: nothing there to lose
            }
        }
        if (!Files.isDirectory(target)) {
            return target.getFileName().toString();
        }
        List<String> ours = new ArrayList<>(FIXED_FILES);
        for (Experiment e : Experiment.values()) {
            ours.addAll(filesOf(e));
        }
        boolean empty = true;
        try (Stream<Path> s = Files.list(target)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                empty = false;
                boolean staging = name.startsWith(".report-") && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                if (!staging && !(ours.contains(name) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))) {
                    return name;
                }
            }
        }
        // same names are not enough: a report's configuration.txt says it is one
        return empty || isReport(target) ? null : "files named like a report's but no report's configuration.txt";
    }

    /** Removes what killed runs left beside DIR: every version but {@code keep}, temporary links, migrated folders. */
    private static void removeStale(Path parent, String prefix, String keep) throws IOException {
        try (Stream<Path> s = Files.list(parent)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(prefix) && !name.equals(keep)) {
                    if (Files.isSymbolicLink(p) || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        Files.deleteIfExists(p);
                    } else {
                        deleteQuietly(p);
                    }
                }
            }
        }
    }

    /** For the fault test: announce {@code point} on the process's stderr and wait to be killed. */
    private static void stopAt(String point) {
        if (!point.equals(System.getProperty(STOP_AT))) {
            return;
        }
        // straight to file descriptor 2: the shell may have redirected System.err for the command
        @SuppressWarnings("resource")
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        err.println("lab:report stopped at " + point);
        err.flush();
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("lab:report stopped at " + point + " was interrupted");
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
     * @return the report's index.html as its line names it: relative to the working directory when the
     * report is below it ({@code report/index.html}), else absolute
     */
    public Path index() {
        Path index = dir.resolve("index.html");
        Path cwd = Path.of("").toAbsolutePath();
        return index.startsWith(cwd) ? cwd.relativize(index) : index;
    }

    /**
     * Writes the report's files (plots drawn here) and puts them in place of the older report.
     *
     * @return the files written, by name, in the directory
     */
    public List<Path> write(Report report) {
        if (done) {
            throw new IllegalStateException("report already written");
        }
        Map<String, byte[]> files = render(report);
        try {
            if (parent == null) {
                return writeInPlace(files);
            }
            int i = 0;
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(staging.resolve(f.getKey()), f.getValue());
                if (++i == files.size() / 2) {
                    stopAt("staging");
                }
            }
            stopAt("staged");
            String version = staging.getFileName().toString();
            Path link = parent.resolve(prefix + "link-" + version.substring(prefix.length()));
            Files.createSymbolicLink(link, Path.of(version));
            stopAt("linked");
            String old = current(dir, prefix);
            if (old == null && Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                // the earlier layout, a real folder of ours (open checked): moved aside, then replaced by the link
                Files.move(dir, parent.resolve(prefix + "old-" + version.substring(prefix.length())),
                        StandardCopyOption.ATOMIC_MOVE);
                stopAt("moved-old");
            }
            Files.move(link, dir, StandardCopyOption.ATOMIC_MOVE);
            done = true;
            stopAt("switched");
            try {
                removeStale(parent, prefix, version);
            } catch (IOException e) {
                // the new report is in place; what could not be removed now, the next run removes
            }
            List<Path> written = new ArrayList<>();
            for (String name : files.keySet()) {
                written.add(dir.resolve(name));
            }
            return written;
        } catch (AtomicMoveNotSupportedException e) {
            throw new IllegalArgumentException("cannot write the report to " + dir
                    + ": the file system cannot rename atomically (--force writes file by file)");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the report to " + dir + ": " + reason(e));
        }
    }

    /** {@code --force} into a folder that is not ours: each file renamed into place, others' files kept. */
    private List<Path> writeInPlace(Map<String, byte[]> files) throws IOException {
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
        if (Experiment.OWN_JSON.contains(e)) {
            names.add(e.key() + ".json");
        }
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
        for (Experiment e : PLOTTED) {
            if (report.section(e).table() != null) {
                plots.put(e.key(), report.plot(e)); // drawn while the experiments ran (Report.run)
            }
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Report.Section s : report.sections()) {
            if (s.table() != null) {
                files.put(s.experiment().key() + ".csv", utf8(s.table().render(Format.CSV) + "\n"));
            }
        }
        for (Report.Section s : report.sections()) {
            if (s.table() != null && Experiment.OWN_JSON.contains(s.experiment())) {
                files.put(s.experiment().key() + ".json", utf8(ReportJson.renderOwn(report, s)));
            }
        }
        for (Map.Entry<String, Plot> p : plots.entrySet()) {
            files.put(p.getKey() + ".svg", utf8(p.getValue().svg()));
            files.put(p.getKey() + ".png", p.getValue().png());
        }
        files.put("configuration.txt", utf8(report.configuration().canonical()));
        Scorecard score = Scorecard.of(report);
        files.put("report.json", utf8(ReportJson.render(report, score)));
        files.put("index.html", utf8(ReportHtml.render(report, plots.keySet(), score)));
        return files;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Removes the staging folder (and the folders created here) unless written, and releases the lock. */
    @Override
    public void close() {
        if (!done || parent == null) {
            deleteQuietly(staging);
        }
        if (!done) {
            deleteQuietly(createdTop);
        }
        if (lock != null) {
            lock.close();
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

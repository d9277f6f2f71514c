package org.l3wb.launcher;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.felix.cm.NotCachablePersistenceManager;
import org.apache.felix.cm.file.ConfigurationHandler;
import org.osgi.framework.Constants;

/**
 * Config Admin's store for the workbench: one file per PID under {@code felix.cm.dir}, in Felix's
 * format and layout ({@code org/l3wb/workbench.config}), safe against concurrent workbench processes
 * and against a kill at any moment.
 * <p>
 * Why not Felix's own file store: it answers from memory, so a process writes back its start-up view of
 * every property and drops what another process stored meanwhile; it deletes the old file before it
 * renames the new one into place, so a kill in between loses every selection; a garbled file reads as
 * an empty or partial configuration, which the next command then overwrites; and it fails to start
 * at all when the folder cannot be created.
 * <p>
 * What this one does:
 * <ul>
 * <li><b>Writes are atomic.</b> The new content goes to a temporary file in the same folder, is forced
 * to disk, and is moved over the old file with an atomic rename; a reader (or a process killed at any
 * point) sees the old file or the new one, never a mix or none. Reads therefore need no lock.</li>
 * <li><b>Writes merge.</b> A write takes an exclusive {@link FileLock} on {@code .lock} in the store
 * (one writer at a time across processes; the OS releases it when a process dies), re-reads the file
 * as it is on disk now, and applies to it only the properties this process changed: those where the
 * dictionary Config Admin hands in differs from the one this process last read or wrote for the PID.
 * A property another process changed meanwhile and this one did not stays as the other process left
 * it. When both changed the same property the last writer wins, except for list-valued properties
 * (e.g. {@code switches.off}), where both sides' additions and removals are kept.</li>
 * <li><b>A damaged file is never overwritten.</b> Each file starts with a comment holding the SHA-256
 * of the rest; a file whose sum does not match (truncated, garbled, edited), or that does not parse or
 * lacks its {@code service.pid}, is corrupt: it is left alone, reads as absent, a write to it fails
 * with a message naming the file and how to reset, and {@link #problem()} reports it so batch mode
 * stops before any command. (Files written before this store existed have no sum and are read as
 * they are.)</li>
 * <li><b>Nothing at start.</b> The folder is created on the first write; if it cannot be, that write
 * fails with one line (the command fails), reading works on.</li>
 * </ul>
 * Never prints, except the test hook {@value #PAUSE}: {@code -Dl3wb.store.pause=locked|written|moved}
 * makes the first write stop at that point (lock held; temporary file written and forced; renamed,
 * lock still held), say {@code l3wb.store: paused at POINT} on stderr and wait to be killed.
 */
final class SelectionStore implements NotCachablePersistenceManager {
    /** The {@code name} Config Admin selects this store by ({@code felix.cm.pm}). */
    static final String NAME = "l3wb";
    /** System property of the test hook (see the class comment). */
    static final String PAUSE = "l3wb.store.pause";
    private static final String EXTENSION = ".config";
    private static final String TEMPORARY = ".tmp";
    private static final String LOCK = ".lock";
    private static final String HEADER = "# L3 Workbench configuration, sha256 ";

    private final Path root;
    private final String pause;
    /** Per PID, the properties Config Admin last read from or handed to this store: the base of a merge. */
    private final Map<String, Dictionary<String, Object>> seen = new HashMap<>();

    SelectionStore(Path root, String pause) {
        this.root = root.toAbsolutePath().normalize();
        this.pause = pause;
    }

    Path root() {
        return root;
    }

    /** A store file that cannot be read: it is kept untouched and never overwritten. */
    static final class CorruptFileException extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptFileException(Path file, Path root, String why) {
            super("the configuration file " + file + " is damaged (" + why + "): nothing was changed; delete it,"
                + " or the whole store " + root + ", to go back to the default selections");
        }
    }

    // ---- reading: no lock, files are only ever replaced by an atomic rename

    @Override
    public synchronized boolean exists(String pid) {
        return readQuietly(fileOf(pid)) != null;
    }

    @Override
    public synchronized Dictionary load(String pid) throws IOException {
        Dictionary<String, Object> d = read(fileOf(pid));
        if (d == null) {
            d = new Hashtable<>();
        }
        seen.put(pid, copy(d));
        return d;
    }

    @Override
    public synchronized Enumeration getDictionaries() throws IOException {
        List<Dictionary<String, Object>> all = new ArrayList<>();
        for (Path file : files()) {
            Dictionary<String, Object> d = readQuietly(file);
            if (d != null) {
                seen.putIfAbsent(String.valueOf(d.get(Constants.SERVICE_PID)), copy(d));
                all.add(d);
            }
        }
        return Collections.enumeration(all);
    }

    /** @return the first damaged file's message, or {@code null} when every file of the store reads */
    synchronized String problem() {
        try {
            for (Path file : files()) {
                read(file);
            }
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    private List<Path> files() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        // not Files.walk: it fails when another process's temporary file disappears (renamed) under it
        Files.walkFileTree(root, new SimpleFileVisitor<Path>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && file.getFileName().toString().endsWith(EXTENSION)) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // gone meanwhile, or unreadable: read() reports what matters
            }
        });
        Collections.sort(files);
        return files;
    }

    private Dictionary<String, Object> readQuietly(Path file) {
        try {
            return read(file);
        } catch (IOException e) {
            return null; // problem() reports it; a write to it fails with the same words
        }
    }

    /** @return the file's properties, {@code null} when there is no file; fails when it is damaged */
    @SuppressWarnings("unchecked")
    private Dictionary<String, Object> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null; // also when a folder on the way is missing or a file
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException gone) {
            return null; // deleted meanwhile
        }
        int body = 0;
        String header = new String(bytes, 0, Math.min(bytes.length, HEADER.length()), StandardCharsets.UTF_8);
        if (header.equals(HEADER)) {
            int eol = indexOf(bytes, (byte) '\n');
            if (eol < 0) {
                throw new CorruptFileException(file, root, "truncated");
            }
            String sum = new String(bytes, HEADER.length(), eol - HEADER.length(), StandardCharsets.UTF_8).strip();
            body = eol + 1;
            if (!sum.equals(sha256(bytes, body))) {
                throw new CorruptFileException(file, root, "its checksum does not match: truncated or changed");
            }
        }
        Dictionary<String, Object> d;
        try {
            d = ConfigurationHandler.read(new ByteArrayInputStream(bytes, body, bytes.length - body));
        } catch (IOException | RuntimeException e) {
            throw new CorruptFileException(file, root, String.valueOf(e.getMessage()).strip());
        }
        if (d.get(Constants.SERVICE_PID) == null) {
            throw new CorruptFileException(file, root, "no " + Constants.SERVICE_PID);
        }
        return d;
    }

    // ---- writing: under the cross-process lock, merged into what is on disk, atomically replaced

    @Override
    public synchronized void store(String pid, Dictionary properties) throws IOException {
        @SuppressWarnings("unchecked")
        Dictionary<String, Object> mine = copy(properties);
        Path file = fileOf(pid);
        locked(() -> {
            Dictionary<String, Object> onDisk = read(file); // damaged: fails here, the file stays as it is
            Dictionary<String, Object> result = onDisk == null ? mine : merge(seen.get(pid), mine, onDisk);
            write(file, result);
            return null;
        });
        seen.put(pid, mine);
    }

    @Override
    public synchronized void delete(String pid) throws IOException {
        Path file = fileOf(pid);
        if (!Files.exists(file)) {
            seen.remove(pid);
            return;
        }
        locked(() -> {
            Files.deleteIfExists(file);
            forceFolder(file.getParent());
            return null;
        });
        seen.remove(pid);
    }

    private interface Step {
        Void run() throws IOException;
    }

    /** Runs {@code step} holding the store's exclusive lock; wraps file-system failures in one line. */
    private void locked(Step step) throws IOException {
        try {
            Files.createDirectories(root);
            try (FileChannel channel = FileChannel.open(root.resolve(LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
                pauseAt("locked");
                step.run();
            }
        } catch (CorruptFileException e) {
            throw e;
        } catch (FileSystemException e) {
            throw new IOException("cannot write the configuration store " + root + " (" + describe(e) + ")", e);
        }
    }

    private void write(Path file, Dictionary<String, Object> properties) throws IOException {
        Path folder = file.getParent();
        Files.createDirectories(folder);
        removeLeftovers(folder);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        ConfigurationHandler.write(content, properties);
        byte[] body = content.toByteArray();
        byte[] header = (HEADER + sha256(body, 0) + "\n").getBytes(StandardCharsets.UTF_8);
        // not Files.createTempFile: its owner-only permissions would replace the file's usual ones (umask)
        Path temporary = folder.resolve(file.getFileName() + "." + Long.toHexString(System.nanoTime()) + TEMPORARY);
        try {
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
                out.write(ByteBuffer.wrap(header));
                out.write(ByteBuffer.wrap(body));
                out.force(true);
            }
            pauseAt("written");
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
        forceFolder(folder);
        pauseAt("moved");
    }

    /** Temporary files of a writer that was killed: safe to remove while this process holds the lock. */
    private static void removeLeftovers(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(TEMPORARY)).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Makes the rename itself durable; not every platform can open a folder for that, which is no failure. */
    private static void forceFolder(Path folder) {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | RuntimeException unsupported) {
            // e.g. Windows: the rename is as durable as the platform makes it
        }
    }

    private void pauseAt(String point) {
        if (point.equals(pause)) {
            PrintStream err = System.err;
            err.println("l3wb.store: paused at " + point);
            err.flush();
            while (true) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    // ---- merging

    /**
     * @param base   what this process last read or wrote for the PID ({@code null}: nothing)
     * @param mine   what Config Admin now wants stored
     * @param onDisk what is stored now, possibly written by another process since {@code base}
     * @return {@code onDisk} with the properties this process changed since {@code base} applied
     */
    static Dictionary<String, Object> merge(Dictionary<String, Object> base, Dictionary<String, Object> mine,
        Dictionary<String, Object> onDisk) {
        Dictionary<String, Object> b = base == null ? new Hashtable<>() : base;
        Hashtable<String, Object> result = new Hashtable<>();
        for (Enumeration<String> k = onDisk.keys(); k.hasMoreElements();) {
            String key = k.nextElement();
            result.put(key, onDisk.get(key));
        }
        Set<String> keys = new HashSet<>(Collections.list(b.keys()));
        keys.addAll(Collections.list(mine.keys()));
        for (String key : keys) {
            Object was = b.get(key);
            Object now = mine.get(key);
            Object theirs = onDisk.get(key);
            if (Objects.deepEquals(was, now)) {
                continue; // not changed here: what is on disk stands
            }
            Object value = now;
            if (!Objects.deepEquals(was, theirs) && isList(was) && isList(now) && isList(theirs) && now != null) {
                value = mergeLists(was, now, theirs);
            }
            if (value == null) {
                result.remove(key);
            } else {
                result.put(key, value);
            }
        }
        return result;
    }

    private static boolean isList(Object o) {
        return o == null || o instanceof Collection || (o.getClass().isArray() && !o.getClass().getComponentType().isPrimitive());
    }

    private static List<Object> elements(Object o) {
        if (o == null) {
            return List.of();
        }
        if (o instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        List<Object> l = new ArrayList<>();
        for (int i = 0; i < Array.getLength(o); i++) {
            l.add(Array.get(o, i));
        }
        return l;
    }

    /** {@code theirs} less what this side removed, plus what this side added; in the shape of {@code now}. */
    private static Object mergeLists(Object was, Object now, Object theirs) {
        List<Object> before = elements(was);
        List<Object> mine = elements(now);
        Set<Object> merged = new LinkedHashSet<>();
        for (Object e : elements(theirs)) {
            if (mine.contains(e) || !before.contains(e)) {
                merged.add(e);
            }
        }
        for (Object e : mine) {
            if (!before.contains(e)) {
                merged.add(e);
            }
        }
        if (now instanceof Collection) {
            return new java.util.Vector<>(merged);
        }
        Object array = Array.newInstance(now.getClass().getComponentType(), merged.size());
        int i = 0;
        for (Object e : merged) {
            Array.set(array, i++, e);
        }
        return array;
    }

    // ---- helpers

    /** Felix's layout: dots become folders, characters other than letters, digits, {@code - _} become %XXXX. */
    Path fileOf(String pid) {
        StringBuilder sb = new StringBuilder();
        for (char c : pid.toCharArray()) {
            if (c == '.') {
                sb.append('/');
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                || c == '_' || c == ' ') {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%04x", (int) c));
            }
        }
        return root.resolve(sb + EXTENSION);
    }

    private static Dictionary<String, Object> copy(Dictionary<?, ?> d) {
        Hashtable<String, Object> h = new Hashtable<>();
        for (Enumeration<?> k = d.keys(); k.hasMoreElements();) {
            Object key = k.nextElement();
            h.put(String.valueOf(key), d.get(key));
        }
        return h;
    }

    private String describe(FileSystemException e) {
        String on = e.getFile() == null || Path.of(e.getFile()).equals(root) ? "" : " on " + e.getFile();
        if (e instanceof AccessDeniedException) {
            return "permission denied" + on;
        }
        if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException) {
            return "not a folder" + on;
        }
        return (e.getReason() == null ? e.getClass().getSimpleName() : e.getReason()) + on;
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static String sha256(byte[] bytes, int from) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(bytes, from, bytes.length - from);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

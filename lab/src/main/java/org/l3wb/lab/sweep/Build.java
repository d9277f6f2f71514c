package org.l3wb.lab.sweep;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;

/**
 * Names the build a sweep ran on, for its cache and for {@code lab:merge}: a point's hash leaves the
 * build out (as a report's does), so a cached figure is only reused by the same build.
 *
 * <p>{@code java -jar workbench.jar}: the SHA-256 of that jar (the class path is the jar alone), which
 * holds every bundle. Elsewhere (a framework of separate bundle files, as the in-framework tests
 * start one): the SHA-256 of every installed bundle's symbolic name, version, location and last
 * modification, prefixed {@code bundles:}.
 */
public final class Build {
    private Build() {
    }

    private static volatile String current;

    /** @return the running jar, when the JVM was started with {@code java -jar}, else null */
    public static Path jar() {
        String cp = System.getProperty("java.class.path", "");
        if (cp.isEmpty() || cp.contains(java.io.File.pathSeparator) || !cp.endsWith(".jar")) {
            return null;
        }
        Path p = Path.of(cp).toAbsolutePath().normalize();
        return Files.isRegularFile(p) ? p : null;
    }

    /** @return the running build's digest (computed once per process) */
    public static String current() {
        String c = current;
        if (c == null) {
            Path jar = jar();
            c = jar != null ? digest(jar) : "bundles:" + bundles();
            current = c;
        }
        return c;
    }

    static String digest(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha())) {
            MessageDigest md = ((DigestInputStream) in).getMessageDigest();
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + " for its digest: " + e.getMessage(), e);
        }
    }

    private static String bundles() {
        Bundle self = FrameworkUtil.getBundle(Build.class);
        BundleContext context = self == null ? null : self.getBundleContext();
        List<String> lines = new ArrayList<>();
        if (context == null) {
            // no framework (unit tests): the class path stands for the build
            lines.add(System.getProperty("java.class.path", ""));
        } else {
            for (Bundle b : context.getBundles()) {
                lines.add(b.getSymbolicName() + " " + b.getVersion() + " " + b.getLocation() + " " + b.getLastModified());
            }
        }
        return Grid.sha256(String.join("\n", lines));
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JRE", e);
        }
    }
}

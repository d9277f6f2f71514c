package org.l3wb.it.hw;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

import org.osgi.framework.BundleContext;

import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Jar;

/**
 * Builds one of the example plugin bundles in {@code examples/} at run time, as a third party
 * would: javac compiles its {@code src/main/java} against the jars in
 * {@code target/sample-classpath} (hw.api, kernel.api, the OSGi annotations; copied there by the
 * pom), then bnd's {@link Builder} makes the bundle from the example's own {@code bnd.bnd}: the
 * manifest, its imports with version ranges, and the DS component XML from the {@code @Component}
 * annotations in the source. The folders come from {@code it.hw.bndrun}'s run properties.
 */
final class SampleBundleBuilder {
    /** Framework property: the {@code examples/} folder. */
    static final String EXAMPLES = "l3wb.examples";
    /** Framework property: the folder of jars an example is compiled against. */
    static final String CLASSPATH = "l3wb.sample.classpath";

    private SampleBundleBuilder() {
    }

    /**
     * @param example the example's folder name, e.g. {@code processor-i486dx66}
     * @param out     where to write the bundle
     * @return {@code out}
     */
    static Path build(BundleContext context, String example, Path out) throws Exception {
        Path dir = folder(context, EXAMPLES).resolve(example);
        if (!Files.isRegularFile(dir.resolve("bnd.bnd"))) {
            throw new IllegalStateException("no example at " + dir);
        }
        List<File> classpath;
        try (Stream<Path> jars = Files.list(folder(context, CLASSPATH))) {
            classpath = jars.filter(p -> p.toString().endsWith(".jar")).sorted().map(Path::toFile).toList();
        }
        Path classes = Files.createTempDirectory("sample-classes");
        try {
            compile(dir.resolve("src/main/java"), classpath, classes);
            try (Builder bnd = new Builder()) {
                bnd.setProperties(dir.resolve("bnd.bnd").toFile()); // base folder = the example's
                bnd.addClasspath(classes.toFile());
                for (File jar : classpath) {
                    bnd.addClasspath(jar); // imports get their version ranges from the exports here
                }
                Jar jar = bnd.build();
                if (!bnd.isOk()) {
                    throw new IllegalStateException("bnd failed on " + example + ": " + bnd.getErrors());
                }
                Path folder = out.toAbsolutePath().getParent();
                Files.createDirectories(folder);
                // written beside the target's folder, then renamed into it: a watcher of that
                // folder (FileInstall) never sees half a jar
                Path partial = Files.createTempFile(folder.getParent(), example, ".jar.part");
                jar.write(partial.toFile());
                Files.move(partial, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            deleteTree(classes);
        }
        return out;
    }

    private static void compile(Path sources, List<File> classpath, Path classes) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler: the tests need a JDK, not a JRE");
        }
        List<File> files;
        try (Stream<Path> all = Files.walk(sources)) {
            files = all.filter(p -> p.toString().endsWith(".java")).map(Path::toFile).toList();
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no Java sources under " + sources);
        }
        StringWriter messages = new StringWriter();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            fm.setLocation(StandardLocation.CLASS_PATH, classpath);
            fm.setLocation(StandardLocation.CLASS_OUTPUT, List.of(classes.toFile()));
            Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromFiles(files);
            boolean ok = javac.getTask(messages, fm, null, List.of("--release", "17", "-proc:none"), null, units).call();
            if (!ok) {
                throw new IllegalStateException("javac failed on " + sources + ":\n" + messages);
            }
        }
    }

    private static Path folder(BundleContext context, String property) {
        String value = context.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("framework property " + property + " is not set (it.hw.bndrun)");
        }
        return Path.of(value).toAbsolutePath().normalize();
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

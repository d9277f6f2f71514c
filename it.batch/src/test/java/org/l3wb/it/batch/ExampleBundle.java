package org.l3wb.it.batch;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Jar;

/**
 * Builds an example plugin bundle of {@code examples/} from its source, as its author would outside
 * the repository: javac compiles {@code src/main/java} against hw.api and the OSGi annotations only
 * ({@code target/example-classpath}, copied by the pom), then bnd's {@link Builder} makes the bundle
 * from the example's own {@code bnd.bnd} (manifest, imports with their ranges, the DS component XML).
 * <p>
 * it.hw's {@code SampleBundleBuilder} does the same inside the framework, finding its folders through
 * framework properties; this one runs on the plain test class path and reads system properties. The
 * two are kept apart rather than shared because sharing needs a module both depend on, embedded into
 * it.hw's test bundle and resolved in its bndrun (the build has no build-helper plugin to share a
 * source folder), which costs more than these few lines.
 */
final class ExampleBundle {
    private ExampleBundle() {
    }

    /** @return {@code out}, the bundle built from {@code examples/<example>} */
    static Path build(String example, Path out) throws Exception {
        Path dir = folder("l3wb.examples").resolve(example);
        List<File> classpath;
        try (Stream<Path> jars = Files.list(folder("l3wb.example.classpath"))) {
            classpath = jars.filter(p -> p.toString().endsWith(".jar")).sorted().map(Path::toFile).toList();
        }
        Path classes = Files.createTempDirectory(out.toAbsolutePath().getParent().getParent(), "classes");
        compile(dir.resolve("src/main/java"), classpath, classes);
        try (Builder bnd = new Builder()) {
            bnd.setProperties(dir.resolve("bnd.bnd").toFile());
            bnd.addClasspath(classes.toFile());
            for (File jar : classpath) {
                bnd.addClasspath(jar); // the imports take their version ranges from these exports
            }
            Jar jar = bnd.build();
            if (!bnd.isOk()) {
                throw new IllegalStateException("bnd failed on " + example + ": " + bnd.getErrors());
            }
            // written beside, then renamed into place: a watching FileInstall never sees half a jar
            Path partial = Files.createTempFile(classes.getParent(), example, ".part");
            jar.write(partial.toFile());
            Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
        StringWriter messages = new StringWriter();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            fm.setLocation(StandardLocation.CLASS_PATH, classpath);
            fm.setLocation(StandardLocation.CLASS_OUTPUT, List.of(classes.toFile()));
            if (files.isEmpty() || !javac.getTask(messages, fm, null, List.of("--release", "17", "-proc:none"), null,
                    fm.getJavaFileObjectsFromFiles(files)).call()) {
                throw new IllegalStateException("javac failed on " + sources + ":\n" + messages);
            }
        }
    }

    private static Path folder(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set (it.batch/pom.xml)");
        }
        return Path.of(value).toAbsolutePath().normalize();
    }
}

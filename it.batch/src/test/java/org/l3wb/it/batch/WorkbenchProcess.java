package org.l3wb.it.batch;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the exported workbench jar in batch mode as a child process, the way {@code ./workbench} does:
 * {@code java -Dfelix.cm.dir=DIR -jar workbench.jar 'cmd' 'cmd' …}.
 */
final class WorkbenchProcess {
    /**
     * Far above a run's 1-2 s, and the 10-25 s one takes while other builds load the two cores (seen:
     * load average 20): only a hung framework takes this long.
     */
    private static final long TIMEOUT_SECONDS = 180;
    /** How the line begins that says the selections differ from the paper's configuration. */
    static final String SELECTION_NOTE = "note: selections differ from the paper's configuration: ";

    private final Path jar;
    private final Path configDir;
    private final Path workDir;

    /**
     * @param configDir Config Admin's store (felix.cm.dir): the same directory for two runs is one
     *                  workbench restarted
     * @param workDir   working directory, with an empty {@code plugins/} for FileInstall, so nothing
     *                  from the repository's plugins/ folder takes part
     */
    WorkbenchProcess(Path configDir, Path workDir) throws IOException {
        this.jar = Path.of(System.getProperty("workbench.jar", "../launcher/target/workbench.jar"))
                .toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(jar), "no " + jar + ": build it first (mvn -q -B -pl launcher package -DskipTests)");
        this.configDir = configDir;
        this.workDir = workDir;
        Files.createDirectories(workDir.resolve("plugins"));
    }

    /** Exit status and the two streams of one run, each line without its terminator. */
    record Result(int exitStatus, List<String> stdout, List<String> stderr) {
        String out() {
            return String.join("\n", stdout);
        }

        /**
         * stderr without the note batch mode adds after a successful run whose selections differ from the
         * paper's configuration (issue 14, item 3; {@code HelpAndSelectionNoteTest} checks it)
         */
        List<String> diagnostics() {
            return stderr.stream().filter(l -> !l.startsWith(SELECTION_NOTE)).toList();
        }

        @Override
        public String toString() {
            return "exit " + exitStatus + "\n--- stdout\n" + out() + "\n--- stderr\n" + String.join("\n", stderr);
        }
    }

    Result run(String... commands) throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "stdout", ".txt");
        Path err = Files.createTempFile(workDir, "stderr", ".txt");
        ProcessBuilder pb = builder(List.of(), commands)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        List<String> command = pb.command();
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("workbench did not end within " + TIMEOUT_SECONDS + " s: " + command);
        }
        // the child writes in the platform's default charset, as does this JVM
        Charset cs = Charset.defaultCharset();
        return new Result(p.exitValue(), Files.readAllLines(out, cs), Files.readAllLines(err, cs));
    }

    /**
     * Runs the interactive shell (no arguments) with {@code input} as its terminal's input (jline then
     * uses a dumb terminal): the lines are read as typed, the process ends at their end or at exit.
     */
    Result shell(String input) throws IOException, InterruptedException {
        Path in = Files.writeString(Files.createTempFile(workDir, "stdin", ".txt"), input);
        Path out = Files.createTempFile(workDir, "stdout", ".txt");
        Path err = Files.createTempFile(workDir, "stderr", ".txt");
        ProcessBuilder pb = builder(List.of()).redirectInput(in.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("workbench shell did not end within " + TIMEOUT_SECONDS + " s: " + pb.command());
        }
        Charset cs = Charset.defaultCharset();
        return new Result(p.exitValue(), Files.readAllLines(out, cs), Files.readAllLines(err, cs));
    }

    /**
     * Starts a workbench whose stdout and stderr the caller reads as they come (e.g. to kill it at a
     * point it announces); the caller ends it.
     *
     * @param jvmOptions extra options before {@code -jar}, e.g. {@code -Dl3wb.store.pause=written}
     */
    Process start(List<String> jvmOptions, String... commands) throws IOException {
        return builder(jvmOptions, commands).start();
    }

    private ProcessBuilder builder(List<String> jvmOptions, String... commands) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dfelix.cm.dir=" + configDir,
                "-Dfelix.fileinstall.dir=" + workDir.resolve("plugins")));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(commands));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullFile()));
        // the JVM would announce these on stderr ("Picked up ..."), which is not the workbench's output
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("_JAVA_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        return pb;
    }

    private static java.io.File nullFile() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}

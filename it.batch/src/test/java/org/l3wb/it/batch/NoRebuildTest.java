package org.l3wb.it.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l3wb.it.batch.WorkbenchProcess.Result;

/**
 * Issue 14, item 2: a Maven build leaves a jar that {@code ./workbench} accepts. The launcher's build
 * touches {@code launcher/target/workbench.stamp} last, after the resolver (which may rewrite
 * {@code workbench.bndrun}) and the export (which dates the jar by its newest entry); the script
 * compares sources with the stamp. A {@code mvn} first on the PATH that only records being called shows
 * whether the script would have rebuilt.
 */
class NoRebuildTest {
    private static final long TIMEOUT_SECONDS = 180;

    @TempDir
    Path tmp;

    /**
     * it.batch runs after launcher in the reactor: the jar and stamp this build made must be taken as
     * they are. (Run alone after editing a source, this fails until launcher is built again: rightly.)
     */
    @Test
    void theJarThisBuildMadeIsNotRebuilt() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(root.resolve("launcher/target/workbench.stamp")),
                "the launcher's build leaves target/workbench.stamp");
        Result r = run(root.resolve("workbench"), "hw:processors --format csv");
        assertEquals(0, r.exitStatus(), r::toString);
        assertFalse(Files.exists(tmp.resolve("mvn-called")), "./workbench rebuilt the jar\n" + r);
        assertEquals(List.of(), r.stderr(), r::toString);
        assertEquals("selected,name,clock_mhz,description", r.stdout().get(0), r::toString);
    }

    /**
     * The script's check in a copy of the layout, with times set explicitly: the case that rebuilt
     * every time (workbench.bndrun rewritten after the jar's date, before the stamp) does not, a source
     * edited after the build does.
     */
    @Test
    void theScriptComparesSourcesWithTheStampNotTheJar() throws Exception {
        Path root = tmp.resolve("root");
        Path target = Files.createDirectories(root.resolve("launcher/target"));
        Files.copy(Path.of("..", "workbench"), root.resolve("workbench"));
        Path jar = Files.copy(Path.of("..", "launcher", "target", "workbench.jar"), target.resolve("workbench.jar"));
        Path source = Files.createDirectories(root.resolve("lab/src/main/java")).resolve("A.java");
        Files.writeString(source, "class A {}\n");
        Path bndrun = Files.writeString(root.resolve("launcher/workbench.bndrun"), "-runbundles: a\n");
        Path stamp = Files.writeString(target.resolve("workbench.stamp"), "");
        long t = 1_700_000_000_000L;
        touch(source, t);
        touch(jar, t + 1_000);     // the export dates the jar by its newest entry
        touch(bndrun, t + 2_000);  // the resolver wrote the bndrun after that
        touch(stamp, t + 3_000);   // the stamp, last

        Result accepted = run(root.resolve("workbench"), "hw:processors --format csv");
        assertEquals(0, accepted.exitStatus(), accepted::toString);
        assertFalse(Files.exists(tmp.resolve("mvn-called")), "rebuilt although nothing is newer than the stamp\n"
                + accepted);

        touch(source, t + 4_000);  // edited after the build
        Result stale = run(root.resolve("workbench"), "hw:processors --format csv");
        assertTrue(Files.exists(tmp.resolve("mvn-called")), "a source newer than the stamp must rebuild\n" + stale);
        assertEquals(1, stale.exitStatus(), "the stand-in mvn fails the build\n" + stale);
        assertTrue(stale.stderr().contains("workbench: build failed"), stale::toString);
        assertEquals(List.of(), stale.stdout(), stale::toString);

        Files.delete(tmp.resolve("mvn-called"));
        touch(source, t);
        Files.delete(stamp);       // a jar without a stamp (an older build's): rebuilt
        run(root.resolve("workbench"), "hw:processors --format csv");
        assertTrue(Files.exists(tmp.resolve("mvn-called")), "no stamp must rebuild");
    }

    private static void touch(Path file, long millis) throws IOException {
        Files.setLastModifiedTime(file, FileTime.fromMillis(millis));
    }

    /** Runs the script with a stand-in {@code mvn} that records its call and fails. */
    private Result run(Path script, String... commands) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path mvn = bin.resolve("mvn");
        if (!Files.exists(mvn)) {
            Files.writeString(mvn, "#!/bin/sh\ntouch '" + tmp.resolve("mvn-called") + "'\nexit 1\n");
            Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.createDirectories(tmp.resolve("plugins"));
        List<String> command = new java.util.ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(commands));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(tmp.resolve("out.txt").toFile())
                .redirectError(tmp.resolve("err.txt").toFile());
        pb.environment().put("PATH", bin + ":" + Path.of(System.getProperty("java.home"), "bin") + ":"
                + System.getenv("PATH"));
        pb.environment().put("WORKBENCH_JAVA_OPTS", "-Dfelix.cm.dir=" + tmp.resolve("config")
                + " -Dfelix.fileinstall.dir=" + tmp.resolve("plugins"));
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("_JAVA_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("./workbench did not end within " + TIMEOUT_SECONDS + " s: " + command);
        }
        Charset cs = Charset.defaultCharset();
        return new Result(p.exitValue(), Files.readAllLines(tmp.resolve("out.txt"), cs),
                Files.readAllLines(tmp.resolve("err.txt"), cs));
    }
}

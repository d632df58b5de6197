package org.aioemu.conformance.programs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds and runs the ported C programs (conformance/src/test/c/ABI/NAME.c): gcc, then the
 * program with its output in files (no pipe to fill up), bounded in time, killed with its
 * children if it overruns.
 */
public final class CPrograms {
    private CPrograms() {}

    /** A JVM start inside a program takes 0.2-0.3 s on an idle machine, seconds on a loaded one. */
    public static final long RUN_SECONDS = 30;

    /** What one run printed and how it ended. */
    public record Run(String name, boolean ended, int exit, String out, String err, long millis) {
        /** stdout equals {@code expected}, and the program ended by itself with status 0. */
        public void expect(String expected) {
            assertTrue(ended, () -> name + " did not end within " + RUN_SECONDS + " s; stderr:\n" + err);
            assertEquals(expected, out, () -> name + " printed other lines; stderr:\n" + err);
            assertEquals(0, exit, () -> name + " exited with " + exit + "; stderr:\n" + err);
        }
    }

    /** Runs a gcc command line; fails the test with gcc's output if it fails. */
    public static void compile(List<String> cmd, Path log) throws IOException, InterruptedException {
        Process gcc = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(gcc.waitFor(RUN_SECONDS, TimeUnit.SECONDS), "gcc did not finish");
        assertEquals(0, gcc.exitValue(), () -> "gcc failed: " + String.join(" ", cmd) + "\n" + read(log));
    }

    /** Runs {@code pb} (its command and environment set) in {@code dir}; stdout and stderr to dir/NAME.{out,err}. */
    public static Run run(String name, ProcessBuilder pb, Path dir) throws IOException, InterruptedException {
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        pb.directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        long start = System.nanoTime();
        Process p = pb.start();
        boolean ended = p.waitFor(RUN_SECONDS, TimeUnit.SECONDS);
        if (!ended) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        int exit = ended ? p.exitValue() : -1;
        System.out.println(name + ": " + ms + " ms, exit " + (ended ? exit : "none (killed)"));
        return new Run(name, ended, exit, read(out), read(err), ms);
    }

    public static String read(Path p) {
        try {
            return Files.exists(p) ? new String(Files.readAllBytes(p), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + p + ": " + e + ")";
        }
    }
}

package org.aioemu.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.aioemu.conformance.programs.HostPackages;
import org.aioemu.core.bridge.ExecEnvironment;
import org.junit.jupiter.api.Assumptions;

/** C test programs of cli/src/test/c/shim: compiled with gcc, run as real processes with a time limit. */
final class CProgram {
    static final Path SOURCES = Path.of("src/test/c/shim");
    /** A JVM start inside a program takes 0.2-0.3 s on an idle machine, seconds on a loaded CI runner. */
    static final long LIMIT_SECONDS = 60;

    private CProgram() {}

    /** The system's libaio (libaio-dev) is there, installed now if it can be; else the test is skipped, saying why. */
    static void needSystemLibaio() {
        String missing = HostPackages.ensure("libaio-dev", Path.of("/usr/include/libaio.h"));
        Assumptions.assumeTrue(missing == null, () -> "this test compares with the system libaio: " + missing);
    }

    /** gcc SOURCE -o DIR/NAME -laio: linked with the system's libaio, as any libaio program is. */
    static Path buildWithLibaio(String name, Path dir) throws Exception {
        needSystemLibaio();
        Path out = dir.resolve(name);
        run(List.of("gcc", "-O2", "-Wall", SOURCES.resolve(name + ".c").toString(), "-o", out.toString(), "-laio"), Map.of(), dir)
                .expectExit(0);
        return out;
    }

    /** What one run of a program did. */
    record Result(int exit, String out, String err) {
        Result expectExit(int code) {
            assertEquals(code, exit, () -> "exit status\n" + this);
            return this;
        }

        List<String> outLines() {
            return out.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }

    /** Runs {@code cmd} natively with {@code env} added; stdout and stderr go to files (no pipe to fill up). */
    static Result run(List<String> cmd, Map<String, String> env, Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        return run(pb, dir);
    }

    static Result run(ProcessBuilder pb, Path dir) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt"), err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            fail(pb.command() + " did not finish in " + LIMIT_SECONDS + " s; stdout so far:\n" + Files.readString(out)
                    + "\nstderr:\n" + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Runs {@code cmd} on aioemu (the Linux shim preloaded) with {@code extra} environment. */
    static Result onAioemu(ExecEnvironment env, List<String> cmd, Map<String, String> extra, Path dir) throws Exception {
        ProcessBuilder pb = env.processBuilder(new ArrayList<>(cmd));
        pb.environment().putAll(extra);
        return run(pb, dir);
    }
}

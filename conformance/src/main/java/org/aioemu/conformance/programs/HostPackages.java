package org.aioemu.conformance.programs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian packages that tests of real programs need (libaio-dev for programs built against the
 * system libaio, fio): present, or installed with apt-get when this runs as root on a machine
 * that reaches Debian's mirrors; otherwise the reason, for the test to skip with.
 */
public final class HostPackages {
    private HostPackages() {}

    private static final long APT_LIMIT_SECONDS = 300;

    /** Null when {@code marker} exists (after installing {@code pkg} if needed), else why not. */
    public static synchronized String ensure(String pkg, Path marker) {
        if (Files.exists(marker)) return null;
        String first = apt(List.of("apt-get", "install", "-y", "-q", pkg));
        if (Files.exists(marker)) return null;
        String update = apt(List.of("apt-get", "update", "-q"));          // a fresh machine has no package lists
        String second = update == null ? apt(List.of("apt-get", "install", "-y", "-q", pkg)) : update;
        if (Files.exists(marker)) return null;
        return pkg + " is not installed (no " + marker + ") and apt-get could not install it: "
                + (second != null ? second : first);
    }

    /** Null on success, else the last line apt-get printed. */
    private static String apt(List<String> cmd) {
        try {
            Path log = Files.createTempFile("aioemu-apt", ".log");
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
                Process p = pb.start();
                if (!p.waitFor(APT_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return String.join(" ", cmd) + " did not finish in " + APT_LIMIT_SECONDS + " s";
                }
                if (p.exitValue() == 0) return null;
                List<String> lines = Files.readAllLines(log);
                return String.join(" ", cmd) + " exited " + p.exitValue() + (lines.isEmpty() ? "" : ": " + lines.getLast());
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            return "cannot run " + cmd.getFirst() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}

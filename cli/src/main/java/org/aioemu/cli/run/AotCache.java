package org.aioemu.cli.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The JDK 25 AOT cache for the JVM that starts inside programs: made once per aioemu jar by a
 * training run ({@link AotTraining}) with the embedded JVM's options, it cuts that JVM's start
 * (native-bridge.md §1.3). Only a jar can have one (the JDK refuses a directory on the class
 * path), so runs from the source tree's classes go without.
 */
final class AotCache {
    private AotCache() {}

    /** Must match aioemu_jvm.c's fixed options where they affect the cache (GC, module access). */
    private static final List<String> TRAINING_OPTIONS = List.of("--enable-native-access=ALL-UNNAMED", "-Xrs",
            "-XX:+UseSerialGC", "-XX:-UsePerfData", "-XX:+DisableAttachMechanism", "-Xlog:disable", "-Xlog:all=warning:stderr");
    private static final long TRAINING_LIMIT_SECONDS = 120;

    /** The cache for {@code classPath}, made now if missing; null when there can be none. */
    static Path forClassPath(Path javaHome, String classPath) {
        Path jar = Path.of(classPath);
        // aioemu's own jar only (a test runner's manifest-only jar would be trained anew on every run)
        if (classPath.contains(java.io.File.pathSeparator) || !jar.getFileName().toString().matches("aioemu.*\\.jar") || !Files.isRegularFile(jar)) {
            return null;
        }
        try {
            String key = Integer.toHexString((jar.toAbsolutePath() + ":" + Files.size(jar) + ":" + Files.getLastModifiedTime(jar).toMillis()
                    + ":" + javaHome).hashCode());
            Path dir = Files.createDirectories(cacheDir());
            Path cache = dir.resolve("aioemu-" + key + ".aot");
            if (Files.isRegularFile(cache)) return cache;
            Path tmp = dir.resolve(".training-" + ProcessHandle.current().pid() + ".aot");
            List<String> cmd = new java.util.ArrayList<>();
            cmd.add(javaHome.resolve("bin/java").toString());
            cmd.add("-XX:AOTCacheOutput=" + tmp);
            cmd.addAll(TRAINING_OPTIONS);
            cmd.addAll(List.of("-cp", jar.toAbsolutePath().toString(), AotTraining.class.getName()));
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(TRAINING_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(tmp)) {
                Files.deleteIfExists(tmp);
                return null;
            }
            Files.move(tmp, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            pruneAllBut(KEEP, dir);
            return cache;
        } catch (IOException e) {
            return null;                        // no cache: a slower start, nothing worse
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Caches of other builds (16 MB each): the newest few stay, so checkouts used side by side do not evict each other. */
    private static final int KEEP = 3;

    private static void pruneAllBut(int keep, Path dir) throws IOException {
        List<Path> caches;
        try (var s = Files.list(dir)) {
            caches = s.filter(p -> p.getFileName().toString().matches("aioemu-.*\\.aot")).collect(java.util.stream.Collectors.toList());
        }
        caches.sort(java.util.Comparator.comparing((Path p) -> p.toFile().lastModified()).reversed());
        for (Path stale : caches.subList(Math.min(keep, caches.size()), caches.size())) Files.deleteIfExists(stale);
    }

    private static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("aioemu").resolve("aot");
    }
}

package org.aioemu.core.bridge;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** The JDK a program's in-process JVM will be, and the C compiler: found, or one clear error. */
public final class HostTools {
    private HostTools() {}

    /** The JDK running aioemu: it also runs inside the program (same class files, same version). */
    public static Path javaHome() {
        Path home = Path.of(System.getProperty("java.home"));
        if (!Files.isRegularFile(home.resolve("lib/server/libjvm.so"))) {
            throw new IllegalStateException("no lib/server/libjvm.so under " + home
                    + ": programs on aioemu need a full JDK 25 (e.g. Temurin 25); set AIOEMU_JAVA_HOME for the aioemu launcher");
        }
        return home;
    }

    /** libjsig: chains the program's own signal handlers with the JVM's (native-bridge.md §5). */
    public static Path libjsig(Path javaHome) {
        Path p = javaHome.resolve("lib/libjsig.so");
        if (!Files.isRegularFile(p)) throw new IllegalStateException("no lib/libjsig.so under " + javaHome + ": a full JDK is needed");
        return p;
    }

    /** $CC, else gcc, found on PATH. */
    public static Path compiler() {
        return compiler(System.getenv());
    }

    public static Path compiler(java.util.Map<String, String> env) {
        String cc = env.get("CC");
        String name = cc == null || cc.isBlank() ? "gcc" : cc.trim();
        Path found = onPath(name, env.get("PATH"));
        if (found == null) {
            throw new IllegalStateException("C compiler '" + name + "' not found on PATH: install gcc (Debian: apt-get install gcc) or set CC");
        }
        return found;
    }

    public static Path onPath(String name, String path) {
        if (name.contains("/")) return Files.isExecutable(Path.of(name)) ? Path.of(name) : null;
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }
}

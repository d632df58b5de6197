package org.aioemu.cli.replay;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the project's shared traces: the {@code aioemu.traces} system property, else the first
 * {@code shared/traces} in the working directory or one of its parents (CI keeps shared/ beside
 * the clone). Tests that need them are skipped, not failed, when they are absent.
 */
final class SharedTraces {
    private SharedTraces() {}

    static Path dir() {
        String prop = System.getProperty("aioemu.traces");
        if (prop != null && Files.isDirectory(Path.of(prop))) return Path.of(prop);
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path t = d.resolve("shared").resolve("traces");
            if (Files.isDirectory(t)) return t;
        }
        return null;
    }

    static Path trace(String name) {
        Path d = dir();
        assumeTrue(d != null, "shared/traces not found above " + Path.of("").toAbsolutePath());
        Path t = d.resolve(name);
        assumeTrue(Files.isRegularFile(t), t + " is missing");
        return t;
    }
}

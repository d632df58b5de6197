package org.aioemu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line itself: help, version, exit codes and how errors are reported. */
class MainTest {
    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"--help", "selftest --help", "bench --help", "bench files --help", "bench sockets --help",
            "help bench sockets"})
    void everyCommandsHelpShowsExamples(String args) {
        CliRun run = CliRun.of(args.split(" "));
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("Usage: aioemu"), run::toString);
        assertTrue(run.out().contains("Examples:") && run.out().contains("  aioemu "), run::toString);
        assertEquals("", run.err());
    }

    @Test
    void versionNamesTheBuild() {
        CliRun run = CliRun.of("--version");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().startsWith("aioemu 0."), run::toString);
    }

    @Test
    void unknownOptionIsUsageErrorOnOneLine() {
        CliRun run = CliRun.of("selftest", "--no-such-option");
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals("", run.out());
        assertEquals(1, run.err().lines().count(), run::toString);
        assertTrue(run.err().contains("Unknown option: '--no-such-option'") && run.err().contains("aioemu selftest --help"), run::toString);
    }

    @Test
    void missingSubcommandAndBadValuesAreUsageErrors() {
        assertEquals(2, CliRun.of().exitCode());
        assertEquals(2, CliRun.of("bench").exitCode());
        CliRun badSize = CliRun.of("bench", "files", "--size", "lots");
        assertEquals(2, badSize.exitCode(), badSize::toString);
        assertTrue(badSize.err().contains("--size"), badSize::toString);
        assertEquals(2, CliRun.of("bench", "sockets", "--connections", "0").exitCode());
        assertEquals(2, CliRun.of("bench", "sockets", "--peers", "elsewhere").exitCode());
    }

    @Test
    void failureIsOneLineWithoutDebugAndATraceWithIt() throws Exception {
        Path notADir = Files.writeString(dir.resolve("plain-file"), "x");
        String file = notADir.resolve("bench.dat").toString();   // its parent is a file: cannot be created

        CliRun plain = CliRun.of("bench", "files", "--file", file, "--size", "16k", "--seconds", "0.1");
        assertEquals(1, plain.exitCode(), plain::toString);
        assertEquals(1, plain.err().lines().count(), plain::toString);
        assertTrue(plain.err().startsWith("aioemu bench files: "), plain::toString);
        assertFalse(plain.err().contains("\tat "), plain::toString);

        CliRun debug = CliRun.of("bench", "files", "--debug", "--file", file, "--size", "16k", "--seconds", "0.1");
        assertEquals(1, debug.exitCode(), debug::toString);
        assertTrue(debug.err().lines().count() > 3 && debug.err().contains("\tat "), debug::toString);
    }
}

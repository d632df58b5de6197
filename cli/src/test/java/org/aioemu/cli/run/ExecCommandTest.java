package org.aioemu.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.aioemu.cli.CliRun;
import org.aioemu.core.bridge.HostTools;
import org.aioemu.core.bridge.ShimAbi;
import org.aioemu.core.bridge.ShimArtifacts;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** aioemu exec and aioemu cc as commands: usage, errors, and a recorded run replayed. */
class ExecCommandTest {
    @TempDir Path dir;

    @Test
    @DisplayName("exec and cc --help show their options and examples; exit 0")
    void help() {
        for (String cmd : List.of("exec", "cc")) {
            CliRun r = CliRun.of(cmd, "--help");
            assertEquals(0, r.exitCode(), r::toString);
            assertTrue(r.out().contains("--abi=ABI") && r.out().contains("Examples:") && r.out().contains("aioemu " + cmd), r::toString);
        }
        assertTrue(CliRun.of("exec", "--help").out().contains("--exit-policy=POLICY"));
    }

    @Test
    @DisplayName("bad usage is one line and exit 2: unknown ABI, unknown exit policy, no program, --record with freebsd")
    void badUsage() {
        for (String[] args : List.of(new String[] {"exec", "--abi", "bsd", "--", "true"},
                new String[] {"exec", "--abi", "linux", "--exit-policy", "later", "--", "true"},
                new String[] {"exec", "--abi", "linux"},
                new String[] {"cc", "--abi", "solaris", "x.c"},
                new String[] {"exec", "--abi", "freebsd", "--record", dir.resolve("t.jsonl").toString(), "--", "true"})) {
            CliRun r = CliRun.of(args);
            assertEquals(2, r.exitCode(), () -> String.join(" ", args) + "\n" + r);
            assertEquals(1, r.err().lines().count(), r::toString);
            assertTrue(r.err().startsWith("aioemu " + args[0] + ": "), r::toString);
        }
    }

    @Test
    @DisplayName("an ABI whose shim is not in the build: one clear line")
    void shimMissing() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> ShimArtifacts.locate(new ShimAbi("nosuch", "org.example.NoSuchEntry", List.of())));
        assertEquals("the nosuch shim (native/nosuch/libaioemu-nosuch.so) is not in this build of aioemu: rebuild with gcc installed",
                e.getMessage());
    }

    @Test
    @DisplayName("the C compiler missing from PATH: one clear line")
    void noCompiler() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> HostTools.compiler(Map.of("PATH", dir.toString())));
        assertEquals("C compiler 'gcc' not found on PATH: install gcc (Debian: apt-get install gcc) or set CC", e.getMessage());
    }

    @Test
    @Tag("native")
    @DisplayName("exec --record writes a JSON-lines trace of every AIO call that aioemu replay reads back with no difference")
    void recordThenReplay() throws Exception {
        // the trace holds AIO calls only: a program whose I/O depends on other calls (a pipe written with
        // write(2) for a poll to see) cannot be replayed from it, so this one works on a file alone
        Path prog = CProgram.buildWithLibaio("recorded", dir);
        Path trace = dir.resolve("run.jsonl");
        CliRun run = CliRun.of("exec", "--abi", "linux", "--record", trace.toString(), "--", prog.toString(), dir.resolve("d.dat").toString());
        assertEquals(0, run.exitCode(), run::toString);
        List<String> lines = Files.readAllLines(trace);
        assertTrue(lines.getFirst().startsWith("{\"format\":\"aioemu-trace\",\"version\":1"), lines.getFirst());
        // every call reached the trace, the zero-timeout ones the C side would answer included
        assertEquals(1, lines.stream().filter(l -> l.contains("\"call\":\"io_setup\"")).count());
        assertEquals(5, lines.stream().filter(l -> l.contains("\"call\":\"io_submit\"")).count(), () -> String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"timeout\":{\"sec\":0,\"nsec\":0}") && l.contains("\"result\":0")));
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"call\":\"io_pgetevents\"")));
        CliRun replay = CliRun.of("replay", "--strict", "--format", "jsonl", trace.toString());
        assertEquals(0, replay.exitCode(), replay::toString);
        assertTrue(replay.err().contains("replay: no differences") || replay.out().contains("no differences"), replay::toString);
    }
}

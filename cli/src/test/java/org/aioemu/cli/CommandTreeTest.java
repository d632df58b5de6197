package org.aioemu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What every command owes its user: --help with examples; and a completion script bash can use. */
class CommandTreeTest {
    @TempDir Path dir;

    @Test
    @DisplayName("every command answers --help with exit 0 and a non-empty Examples section")
    void everyCommandHasHelpWithExamples() {
        List<String> paths = new ArrayList<>();
        collect(new CommandLine(new Main()), "", paths);
        assertTrue(paths.containsAll(List.of("conform", "replay", "bench files", "bench sockets", "selftest", "completion")), paths::toString);
        for (String path : paths) {
            List<String> args = new ArrayList<>(List.of(path.split(" ")));
            args.add("--help");
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(0, r.exitCode(), r::toString);
            int at = r.out().indexOf("Examples:");
            assertTrue(at >= 0, () -> path + " --help has no examples:\n" + r.out());
            assertTrue(r.out().substring(at).contains("aioemu " + path.split(" ")[0]), () -> path + ": examples do not show the command\n" + r.out());
        }
        CliRun root = CliRun.of("--help");
        assertTrue(root.out().contains("Exit codes:") && root.out().contains("2   bad usage"), root::toString);
    }

    private static void collect(CommandLine cl, String prefix, List<String> out) {
        cl.getSubcommands().forEach((name, sub) -> {
            if (name.equals("help")) return;
            String path = prefix.isEmpty() ? name : prefix + " " + name;
            out.add(path);
            collect(sub, path, out);
        });
    }

    @Test
    @DisplayName("the completion script completes subcommands and option values in a real bash")
    void completionWorksInBash() throws Exception {
        CliRun r = CliRun.of("completion");
        assertEquals(0, r.exitCode(), r::toString);
        Path script = dir.resolve("aioemu_completion");
        Files.writeString(script, r.out());
        assertEquals(List.of("conform"), List.of(bash(script, "aioemu con").trim().split("\n")));
        List<String> abis = List.of(bash(script, "aioemu conform --abi ").trim().split("\n"));
        assertEquals(List.of("all", "freebsd", "linux"), abis.stream().sorted().toList());
        assertTrue(bash(script, "aioemu bench ").contains("sockets"));
    }

    /**
     * Sources the script in a fresh bash, completes the last word of {@code line} as bash would on TAB, prints
     * COMPREPLY one per line (compopt's complaint that no completion is running goes to stderr, ignored).
     */
    private static String bash(Path script, String line) throws Exception {
        String words = line.endsWith(" ") ? line + "''" : line;
        String cmd = "source " + script + "; COMP_WORDS=(" + words + "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE='" + line
                + "'; COMP_POINT=${#COMP_LINE}; _complete_aioemu aioemu; printf '%s\\n' \"${COMPREPLY[@]}\"";
        Process p = new ProcessBuilder("bash", "--norc", "-c", cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "bash did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}

package org.aioemu.cli.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReplayCommandTest {
    @TempDir Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(new ReplayCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    @DisplayName("replay of a shared trace exits 0 and writes the HTML report with SVG histograms and the JSON-lines record")
    void replayWithReportAndRecord() throws Exception {
        Path trace = SharedTraces.trace("aiotrace-libaio.strace");
        Path html = dir.resolve("r.html"), jsonl = dir.resolve("r.jsonl");
        Run r = run("--strict", "--report", html.toString(), "--record", jsonl.toString(), trace.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("0 differences"), r.out());
        assertTrue(r.out().contains("aio PREAD"), r.out());
        String page = Files.readString(html);
        assertTrue(page.startsWith("<!DOCTYPE html>") && page.contains("<svg") && page.contains("aio PREAD"));
        assertTrue(!page.contains("<script") && !page.contains("src=\"http"), "self-contained");
        List<String> lines = Files.readAllLines(jsonl);
        assertTrue(lines.getFirst().contains("\"format\":\"aioemu-trace\""));
        assertEquals(1 + 191, lines.size());
        Run again = run("--strict", "--format", "jsonl", jsonl.toString());
        assertEquals(0, again.code(), again.err() + again.out());
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} --on {1}")
    @org.junit.jupiter.params.provider.CsvSource({
            "aiotrace-libaio.strace, emulation", "aiotrace-libaio.strace, async",
            "fio-libaio.strace, emulation", "fio-libaio.strace, async",
            "fio-libaio-batch.strace, emulation", "fio-libaio-batch.strace, async"})
    @DisplayName("every shared trace replays on the emulated Linux ABI, in both submission modes, with no difference")
    void sharedTracesOnTheEmulation(String name, String on) throws Exception {
        Run r = run("--strict", "--on", on, "--root", dir.resolve("root").toString(), SharedTraces.trace(name).toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains(" 0 differences"), r.out());
        assertTrue(r.out().contains("aioemu linux ABI"), r.out());
    }

    @Test
    @DisplayName("--strict exits 1 on a difference; without it the difference is reported and the exit is 0")
    void strictExitCode() throws Exception {
        String altered = TestTraces.resource("mtaio-verbose.strace").replace("0x7fff3932e340) = -1 EINVAL (Invalid argument)",
                "0x7fff3932e340) = 0");
        Path t = dir.resolve("altered.strace");
        Files.writeString(t, altered);
        Run strict = run("--strict", "--wait-limit", "0.2", t.toString());
        assertEquals(1, strict.code(), strict.out() + strict.err());
        assertTrue(strict.out().contains("1 difference"), strict.out());
        assertEquals(0, run("--wait-limit", "0.2", t.toString()).code());
    }

    @Test
    @DisplayName("a bad trace exits 2 with one line naming the trace line; --lenient replays the rest")
    void badTrace() throws Exception {
        Path t = dir.resolve("bad.strace");
        Files.writeString(t, """
                10:00:00.000001 eventfd2(0, EFD_CLOEXEC) = 3<anon_inode:[eventfd]>
                10:00:00.000002 ioctl(3, FIONREAD, [0]) = 0
                10:00:00.000003 close(3<anon_inode:[eventfd]>) = 0
                """);
        Run strict = run(t.toString());
        assertEquals(2, strict.code());
        assertTrue(strict.err().contains("line 2: unknown syscall 'ioctl'"), strict.err());
        assertEquals(1, strict.err().strip().lines().count(), "one line, no stack trace: " + strict.err());
        Run lenient = run("--lenient", "--strict", t.toString());
        assertEquals(0, lenient.code(), lenient.err());
        assertTrue(lenient.out().contains("line 2: skipped: unknown syscall 'ioctl'"), lenient.out());
    }

    @Test
    @DisplayName("usage errors exit 2: unknown format or timing, --on with --abi freebsd, missing trace")
    void usageErrors() throws Exception {
        Path t = TestTraces.resourceFile("mtaio-raw.strace", dir);
        assertEquals(2, run("--format", "xml", t.toString()).code());
        assertEquals(2, run("--timing", "fast", t.toString()).code());
        Run bsd = run("--abi", "freebsd", "--on", "kernel", t.toString());
        assertEquals(2, bsd.code());
        assertTrue(bsd.err().contains("--on applies to --abi linux only"), bsd.err());
        assertEquals(2, run("--abi", "solaris", t.toString()).code());
        assertEquals(2, run(dir.resolve("nope.strace").toString()).code());
        assertEquals(2, run().code(), "TRACE is required");
    }

    @Test
    @DisplayName("--root keeps the recreated files where asked")
    void rootOption() throws Exception {
        Path t = TestTraces.resourceFile("mtaio-noy.strace", dir);
        Path root = dir.resolve("replay-root");
        Run r = run("--root", root.toString(), "--strict", t.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(Files.isDirectory(root.resolve("tmp/aioemu-mt")), "the trace's directory is recreated under --root");
        assertTrue(Files.isRegularFile(root.resolve("lib/x86_64-linux-gnu/libc.so.6")), "files the loader read are laid out too");
    }

    @Test
    @DisplayName("--abi freebsd on aiotrace: differences listed with their reasons in text and HTML; --strict makes them exit 1")
    void crossAbiFromTheCommandLine() throws Exception {
        Path trace = SharedTraces.trace("aiotrace-libaio.strace");
        Path html = dir.resolve("x.html");
        Run r = run("--abi", "freebsd", "--wait-limit", "0.3", "--report", html.toString(), trace.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("aioemu freebsd ABI"), r.out());
        assertTrue(r.out().contains("line 14 io_submit: recorded 1, replayed -1 EINVAL"), r.out());
        assertTrue(r.out().contains("where the translation parts from Linux semantics"), r.out());
        assertTrue(r.out().contains("translated into aio_cancel"), r.out());
        assertTrue(Files.readString(html).contains("Where the translation parts from Linux semantics"));
        assertEquals(1, run("--strict", "--abi", "freebsd", "--wait-limit", "0.3", trace.toString()).code());
    }
}

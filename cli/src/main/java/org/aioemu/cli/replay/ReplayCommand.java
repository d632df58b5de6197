package org.aioemu.cli.replay;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code aioemu replay}: re-executes a recorded trace of Linux AIO calls and compares every result. */
@Command(name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Re-executes a recorded sequence of Linux AIO calls (io_setup, io_submit, io_getevents, io_cancel, "
                    + "io_destroy, io_pgetevents, and the opens, pipes, eventfds, reads and writes around them) and "
                    + "compares each call's result with the recorded one.",
            "TRACE is strace output (strace -f -tt -T -y [-X verbose] -e trace=io_setup,io_submit,io_getevents,"
                    + "io_cancel,io_destroy,io_pgetevents,openat,open,close,dup,dup2,pipe,pipe2,socketpair,eventfd2,"
                    + "ftruncate,fallocate,unlink,unlinkat,read,write,pread64,pwrite64,fsync,fdatasync) or aioemu's "
                    + "JSON-lines trace (see aioemu-trace.schema.json); the format is detected from the content.",
            "Files the trace opens are recreated under --root with the sizes its reads need; writes carry a "
                    + "deterministic pattern so every read is checked against them. io_getevents events are matched by "
                    + "aio_data, or by operation and result where aio_data cannot tell requests apart (fio).",
            "Runs on the emulated Linux ABI (--on picks its mode, or the host kernel). --abi freebsd replays a Linux "
                    + "trace across ABIs: each call is translated into the emulated FreeBSD ABI (io_submit -> "
                    + "aio_read/aio_write/aio_readv/aio_writev/aio_fsync or lio_listio(LIO_NOWAIT), io_getevents -> "
                    + "aio_waitcomplete, io_cancel -> aio_cancel, io_setup/io_destroy -> bookkeeping), and the report "
                    + "says, call by call, where FreeBSD's semantics give a different result and why."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:replayed (differences are reported but do not fail without --strict)",
            "1:differences found, with --strict", "2:bad usage, or a trace that cannot be read or replayed"},
        footerHeading = "%nExamples:%n",
        footer = {"  aioemu replay fio-libaio.strace",
            "  aioemu replay --strict --report replay.html aiotrace-libaio.strace",
            "  aioemu replay --record fio.jsonl fio-libaio.strace && aioemu replay --format jsonl fio.jsonl",
            "  aioemu replay --root /tmp/replay --timing original --lenient damaged.strace",
            "  aioemu replay --abi freebsd aiotrace-libaio.strace   (where FreeBSD semantics differ)"})
public final class ReplayCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    private final Supplier<ReplayTarget> target;

    private String abi = "linux";
    private TraceFormat format;
    private ReplayOptions.Timing timing = ReplayOptions.Timing.ASAP;

    @Option(names = "--root", paramLabel = "DIR",
            description = "Directory to recreate the trace's files under (default: a temporary one, removed afterwards).")
    Path root;

    @Option(names = "--strict", description = "Exit 1 if any call's result differs from the trace.")
    boolean strict;

    @Option(names = "--lenient", description = "Skip lines that cannot be parsed or replayed, with a warning, instead of stopping.")
    boolean lenient;

    @Option(names = "--record", paramLabel = "OUT.jsonl", description = "Write the calls as replayed, in aioemu's JSON-lines format.")
    Path record;

    @Option(names = "--report", paramLabel = "OUT.html", description = "Write a self-contained HTML report with latency histograms.")
    Path report;

    @Option(names = "--wait-limit", paramLabel = "SECONDS", defaultValue = "5",
            description = "How long a wait the trace shows completing may take before it counts as a difference (default: ${DEFAULT-VALUE}).")
    double waitLimit;

    @Parameters(paramLabel = "TRACE", description = "The trace file.")
    Path trace;

    public ReplayCommand() {
        this.target = null;
    }

    /** With the executor to replay on (the lead wires the emulation here). */
    public ReplayCommand(Supplier<ReplayTarget> target) {
        this.target = target;
    }

    @Option(names = "--on", paramLabel = "emulation|async|kernel",
            description = "What executes the calls: the emulated ABI in its faithful linux mode (default), in async mode, or the host kernel itself.")
    String on = "emulation";

    private ReplayTarget target() {
        if (target != null) return target.get();
        if (abi.equals("freebsd")) return ReplayTarget.freeBsd();
        return switch (on) {
            case "emulation" -> ReplayTarget.emulation(org.aioemu.linux.LinuxSubmitMode.LINUX);
            case "async" -> ReplayTarget.emulation(org.aioemu.linux.LinuxSubmitMode.ASYNC);
            case "kernel" -> ReplayTarget.hostKernel();
            default -> throw bad("--on must be emulation, async or kernel, not '" + on + "'");
        };
    }

    @Option(names = "--abi", paramLabel = "linux|freebsd", description = "ABI to replay on (default: linux); freebsd translates the Linux calls into the FreeBSD ABI.")
    void abi(String value) {
        if (!value.equals("linux") && !value.equals("freebsd")) throw bad("--abi must be linux or freebsd, not '" + value + "'");
        abi = value;
    }

    @Option(names = "--format", paramLabel = "strace|jsonl", description = "Trace format (default: detected from the content).")
    void format(String value) {
        format = switch (value) {
            case "strace" -> TraceFormat.STRACE;
            case "jsonl" -> TraceFormat.JSONL;
            default -> throw bad("--format must be strace or jsonl, not '" + value + "'");
        };
    }

    @Option(names = "--timing", paramLabel = "asap|original",
            description = "asap: each call right after the previous (default); original: keep the trace's gaps (-tt timestamps).")
    void timing(String value) {
        timing = switch (value) {
            case "asap" -> ReplayOptions.Timing.ASAP;
            case "original" -> ReplayOptions.Timing.ORIGINAL;
            default -> throw bad("--timing must be asap or original, not '" + value + "'");
        };
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (abi.equals("freebsd") && !on.equals("emulation")) {
            err.println("replay: --on applies to --abi linux only");
            return 2;
        }
        if (waitLimit <= 0) {
            err.println("replay: --wait-limit must be positive");
            return 2;
        }
        if (!Files.isRegularFile(trace)) {
            err.println("replay: " + trace + ": no such file");
            return 2;
        }
        ReplayOptions options = ReplayOptions.defaults().withRoot(root).withTiming(timing).withLenient(lenient)
                .withRecord(record != null).withWaitLimit(Duration.ofNanos((long) (waitLimit * 1e9)));
        List<TraceWarning> warnings = new ArrayList<>();
        ProgressPrinter progress = new ProgressPrinter(err, System.console() != null && System.console().isTerminal());
        ReplayReport r;
        try {
            List<TraceCall> calls = TraceFormat.load(trace, format, lenient, warnings::add);
            try (ReplayTarget t = target()) {
                r = new ReplayEngine(t, options).run(trace.getFileName().toString(), calls, warnings, progress);
            }
        } catch (TraceFormatException e) {
            progress.finish();
            err.println("replay: " + trace + ": " + e.getMessage() + (lenient ? "" : " (--lenient skips such lines)"));
            return 2;
        } catch (IllegalArgumentException | IOException | UncheckedIOException e) {
            // an unusable --root, an unreadable trace: the command line's problem, not a crash
            progress.finish();
            err.println("replay: " + e.getMessage());
            return 2;
        }
        out.print(r.text());
        if (record != null) {
            try (Writer w = Files.newBufferedWriter(record, StandardCharsets.UTF_8)) {
                JsonTrace.write(w, trace.getFileName().toString(), r.replayedCalls());
            }
            out.println("recorded " + r.replayedCalls().size() + " calls to " + record);
        }
        if (report != null) {
            Files.writeString(report, HtmlReport.render(r), StandardCharsets.UTF_8);
            out.println("report written to " + report);
        }
        out.printf(Locale.ROOT, "replay: %s%n", r.differences().isEmpty() ? "no differences"
                : r.differences().size() + " difference" + (r.differences().size() == 1 ? "" : "s"));
        out.flush();
        return strict && !r.differences().isEmpty() ? 1 : 0;
    }
}

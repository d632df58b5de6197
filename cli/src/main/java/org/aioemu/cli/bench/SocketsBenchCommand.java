package org.aioemu.cli.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.aioemu.cli.TcpLoopback;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code aioemu bench sockets}: what it costs to keep a read pending on each of many connections. */
@Command(name = "sockets",
        mixinStandardHelpOptions = true,
        description = {
            "Opens --connections TCP connections on 127.0.0.1 and keeps one read pending on each, through:",
            "  core                the AIO core: each read parks as a continuation on epoll, no thread held",
            "  thread-per-request  one platform thread (64 KiB stack) blocked in read(2) per connection",
            "While all reads wait it samples the JVM's live threads (ThreadMXBean) and resident memory (VmRSS); "
                    + "then every peer writes one byte and it counts the reads that completed with it.",
            "Each waiting read holds one fd here (the core's dup; the program closes its own after submit), each "
                    + "local peer another: the run raises the open-file limit if it can, else puts the peers in a child process.",
            "With --abi, the thread-per-request baseline gives way to the same reads through the ABI translator "
                    + "(linux: io_submit/io_getevents in ASYNC mode; freebsd: aio_read/aio_waitcomplete), and the "
                    + "translator's cost over the core is printed: resident memory per pending read, and the time to "
                    + "complete them all."},
        footerHeading = "%nExamples:%n",
        footer = {"  aioemu bench sockets", "  aioemu bench sockets --connections 1000 --json",
                "  aioemu bench sockets --abi freebsd --connections 5000"})
public final class SocketsBenchCommand implements Callable<Integer> {
    private static final int SPARE_FDS = 256;   // the JVM's own files, the listener, the core's epoll and eventfd

    @Spec CommandSpec spec;

    @Option(names = "--connections", defaultValue = "10000", description = "Connections, one pending read each (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--timeout", defaultValue = "30", description = "Seconds to wait for the reads to complete once the peers wrote (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--peers", defaultValue = "auto", paramLabel = "auto|local|child",
            description = "Where the writing ends live: local (this process), child (a second JVM, so they do not count "
                    + "against this process's open-file limit), or auto: local if the limit holds both ends (default: ${DEFAULT-VALUE}).")
    String peers;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(names = "--abi", paramLabel = "linux|freebsd", completionCandidates = TranslatedReads.Abis.class,
            description = "Measure through this ABI's translator against the core alone, in the same run.")
    String abi;

    @Override
    public Integer call() throws Exception {
        if (connections < 1 || connections > 200_000) throw new ParameterException(spec.commandLine(), "--connections must be 1..200000: " + connections);
        if (timeoutSeconds < 1) throw new ParameterException(spec.commandLine(), "--timeout must be >= 1: " + timeoutSeconds);
        if (abi != null && !TranslatedReads.ABIS.contains(abi)) throw new ParameterException(spec.commandLine(), "--abi must be linux or freebsd: " + abi);
        if (!List.of("auto", "local", "child").contains(peers)) {
            throw new ParameterException(spec.commandLine(), "--peers must be auto, local or child: " + peers);
        }
        PrintWriter out = spec.commandLine().getOut();
        FdLimit limit = FdLimit.current();
        LoopbackPairs.Placement placement;
        // Each waiting read costs one fd here (the core's dup, or the thread's own fd), plus one per local peer.
        if (!peers.equals("child") && limit.ensure(2L * connections + SPARE_FDS)) {
            placement = LoopbackPairs.Placement.LOCAL;
        } else if (!peers.equals("local") && limit.ensure((long) connections + SPARE_FDS)) {
            placement = LoopbackPairs.Placement.CHILD;
        } else {
            throw new IllegalStateException(connections + " connections need more open files than the limit (" + limit
                    + ") allows, and raising it failed: raise 'ulimit -n' or use fewer --connections");
        }
        String peerNote = placement == LoopbackPairs.Placement.LOCAL ? "peers in this process" : "peers in a child process";
        if (!json) {
            out.printf(Locale.ROOT, "%d TCP connections on 127.0.0.1, one pending 16-byte read each; %s; %s%n",
                    connections, limit, peerNote);
            out.flush();
        }
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        SocketWaitLoad second = abi == null ? new ThreadPerRequestWaits(timeout)
                : abi.equals("linux") ? LinuxAbiSocketWaits.load(timeout) : FreeBsdAbiSocketWaits.load(timeout);
        List<SocketWaitLoad> loads = List.of(new CoreSocketWaits(timeout), second);
        List<WaitResult> results = new ArrayList<>();
        try (TcpLoopback listener = TcpLoopback.listen(Math.min(connections, 4096))) {
            for (SocketWaitLoad load : loads) {
                try (LoopbackPairs pairs = LoopbackPairs.connect(listener, connections, placement)) {
                    results.add(load.run(pairs));
                }
                System.gc();   // let the next design start from a similar heap
            }
        }
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("benchmark", "sockets");
            doc.put("open_file_limit", limit.toString());
            doc.put("peers", placement == LoopbackPairs.Placement.LOCAL ? "local" : "child");
            if (abi != null) doc.put("abi", abi);
            doc.put("results", results.stream().map(WaitResult::json).toList());
            out.println(Json.write(doc));
        } else {
            out.printf(Locale.ROOT, "%-20s %11s %9s %9s %11s %10s %12s%n", "name", "connections", "threads", "(before)",
                    "RSS MiB", "(before)", "completed");
            for (WaitResult r : results) {
                out.printf(Locale.ROOT, "%-20s %11d %9d %9d %11.1f %10.1f %12s%n", r.name(), r.connections(),
                        r.pending().threads(), r.before().threads(), r.pending().rssMib(), r.before().rssMib(),
                        r.completed() + String.format(Locale.ROOT, " in %.0f ms", r.completeMillis()));
                if (r.note() != null) out.println("  note: " + r.note());
            }
            if (abi != null) {
                WaitResult core = results.get(0), t = results.get(1);
                out.printf(Locale.ROOT, "translator overhead: %s holds %+.2f KiB of RSS per pending read over the core's %.2f KiB; "
                        + "completing all took %.0f ms vs %.0f ms%n", t.name(), t.rssKibPerRead() - core.rssKibPerRead(),
                        core.rssKibPerRead(), t.completeMillis(), core.completeMillis());
            }
        }
        boolean allDone = results.stream().allMatch(r -> r.completed() == r.connections());
        return allDone ? 0 : 1;
    }
}

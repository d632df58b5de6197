package org.aioemu.cli.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.aioemu.cli.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code aioemu bench files}: 4 KiB random reads of a page-cached file, three ways. */
@Command(name = "files",
        mixinStandardHelpOptions = true,
        description = {
            "4 KiB random reads (aligned, seeded) of one page-cached file with --depth reads in flight, through:",
            "  core            the AIO core: one thread submits, reaps from a CompletionQueue, resubmits",
            "  jdk-afc         java.nio AsynchronousFileChannel with its default thread pool",
            "  filechannel-2t  blocking FileChannel.read from 2 threads (the practical ceiling on 2 cores)",
            "Each warms up briefly, then is measured for --seconds. Latency is per read, from submit to reap.",
            "With --abi, measures the ABI translator's overhead instead: the core alone and the same reads through the "
                    + "emulated ABI (linux: iocbs in raw memory, io_submit/io_getevents, ASYNC mode; freebsd: aiocbs, "
                    + "aio_read/aio_waitcomplete) alternate for --rounds rounds sharing --seconds; medians per variant and "
                    + "the ABI/core ratio are printed."},
        footerHeading = "%nExamples:%n",
        footer = {"  aioemu bench files", "  aioemu bench files --size 1g --depth 64 --seconds 10",
                "  aioemu bench files --file /var/tmp/big.dat --json", "  aioemu bench files --with-probe   (adds core-probe: the core fstats each submit)",
                "  aioemu bench files --abi linux --seconds 3", "  aioemu bench files --abi freebsd --rounds 5 --json"})
public final class FilesBenchCommand implements Callable<Integer> {
    private static final long SEED = 20_250_601L;

    @Spec CommandSpec spec;

    @Option(names = "--file", paramLabel = "PATH",
            description = "File to read (created with --size bytes if missing; never rewritten if it exists). "
                    + "Default: a file under the temporary directory, reused by later runs.")
    Path file;

    @Option(names = "--size", paramLabel = "SIZE", defaultValue = "256m", converter = SizeConverter.class,
            description = "Size of a file to create, e.g. 16m, 1g (default: ${DEFAULT-VALUE}).")
    long size;

    @Option(names = "--depth", defaultValue = "32", description = "Reads in flight (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--seconds", defaultValue = "5", description = "Measured seconds per variant (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--with-probe", description = "Also run core-probe: the core without the caller's FdInfo, so it fstats every submit.")
    boolean withProbe;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(names = "--abi", paramLabel = "linux|freebsd", completionCandidates = TranslatedReads.Abis.class,
            description = "Measure through this ABI's translator against the core alone, in the same run.")
    String abi;

    @Option(names = "--rounds", defaultValue = "3",
            description = "With --abi: alternating rounds, each measuring every variant for --seconds/rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Override
    public Integer call() throws Exception {
        if (depth < 1 || depth > 65_536) throw new ParameterException(spec.commandLine(), "--depth must be 1..65536: " + depth);
        if (!(seconds > 0 && seconds <= 600)) throw new ParameterException(spec.commandLine(), "--seconds must be in (0, 600]: " + seconds);
        if (abi != null && !TranslatedReads.ABIS.contains(abi)) throw new ParameterException(spec.commandLine(), "--abi must be linux or freebsd: " + abi);
        if (rounds < 1 || rounds > 100) throw new ParameterException(spec.commandLine(), "--rounds must be 1..100: " + rounds);
        PrintWriter out = spec.commandLine().getOut();
        BenchFile f = BenchFile.prepare(file, size);
        if (abi != null) return new TranslatedReads(abi, depth, SEED, rounds, seconds).run(f, out, json);
        double cached = f.cachedFraction(1000);
        Duration measure = Duration.ofNanos((long) (seconds * 1e9));
        Duration warmup = Duration.ofNanos(Math.clamp(measure.toNanos() / 5, 200_000_000L, 1_000_000_000L));
        if (!json) {
            out.printf(Locale.ROOT, "file %s (%s%s, %.0f%% of sampled blocks in the page cache), 4 KiB random reads, depth %d, "
                    + "warm-up %.1f s + %.1f s each, %d CPUs%n", f.path(), Units.bytes(f.size()), f.created() ? ", created" : "",
                    cached * 100, depth, warmup.toMillis() / 1e3, seconds, Runtime.getRuntime().availableProcessors());
            out.flush();
        }
        List<RandomReadLoad> loads = new ArrayList<>();
        loads.add(CoreRandomReads.load(depth, SEED, true));
        if (withProbe) loads.add(CoreRandomReads.load(depth, SEED, false));
        loads.add(new JdkAfcRandomReads(depth, SEED));
        loads.add(new FileChannelRandomReads(2, SEED));
        List<LoadResult> results = new ArrayList<>();
        for (RandomReadLoad load : loads) results.add(load.run(f, Window.startingNow(warmup, measure)));

        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("benchmark", "files");
            doc.put("file", f.path().toString());
            doc.put("file_bytes", f.size());
            doc.put("block_bytes", RandomReadLoad.BLOCK);
            doc.put("depth", depth);
            doc.put("seconds", seconds);
            doc.put("cpus", Runtime.getRuntime().availableProcessors());
            doc.put("results", results.stream().map(LoadResult::json).toList());
            out.println(Json.write(doc));
        } else {
            printTable(out, results);
        }
        return 0;
    }

    private static void printTable(PrintWriter out, List<LoadResult> results) {
        double afc = results.stream().filter(r -> r.name().equals("jdk-afc")).mapToDouble(LoadResult::iops).findFirst().orElse(0);
        out.printf(Locale.ROOT, "%-16s %12s %10s %10s %14s%n", "name", "IOPS", "p50 us", "p99 us", "vs jdk-afc");
        for (LoadResult r : results) {
            out.printf(Locale.ROOT, "%-16s %,12.0f %10.1f %10.1f %13.2fx%n", r.name(), r.iops(), r.p50Micros(), r.p99Micros(),
                    afc > 0 ? r.iops() / afc : 0);
        }
    }

    /** Reads sizes like 16m or 1g for --size. */
    static final class SizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return Units.parseSize(value);
        }
    }
}

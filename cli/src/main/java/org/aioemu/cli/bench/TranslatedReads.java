package org.aioemu.cli.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench files --abi}: the core alone against the same reads through an ABI translator,
 * alternating round by round in one run so that both see the same machine state; each variant's
 * median round is reported, and the ABI's median IOPS as a fraction of the core's.
 */
final class TranslatedReads {
    static final List<String> ABIS = List.of("linux", "freebsd");

    /** --abi's completion candidates. */
    static final class Abis extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Abis() { super(ABIS); }
    }

    private final String abi;
    private final List<RandomReadLoad> loads;
    private final int depth;
    private final int rounds;
    private final double seconds;

    TranslatedReads(String abi, int depth, long seed, int rounds, double seconds) {
        this.abi = abi;
        this.depth = depth;
        this.rounds = rounds;
        this.seconds = seconds;
        RandomReadLoad translated = abi.equals("linux") ? LinuxAbiRandomReads.load(depth, seed) : FreeBsdAbiRandomReads.load(depth, seed);
        this.loads = List.of(CoreRandomReads.load(depth, seed, true), translated);
    }

    int run(BenchFile f, PrintWriter out, boolean json) throws Exception {
        Duration measure = Duration.ofNanos((long) (seconds / rounds * 1e9));
        Duration warmup = Duration.ofNanos(Math.clamp(measure.toNanos() / 5, 100_000_000L, 500_000_000L));
        if (!json) {
            out.printf(Locale.ROOT, "file %s (%s), 4 KiB random reads, depth %d: core alone vs the %s ABI, %d alternating rounds "
                    + "of %.1f s warm-up + %.1f s each, %d CPUs%n", f.path(), org.aioemu.cli.Units.bytes(f.size()), depth, abi, rounds,
                    warmup.toMillis() / 1e3, measure.toMillis() / 1e3, Runtime.getRuntime().availableProcessors());
            out.flush();
        }
        List<List<LoadResult>> byLoad = new ArrayList<>();
        for (int i = 0; i < loads.size(); i++) byLoad.add(new ArrayList<>());
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < loads.size(); i++) byLoad.get(i).add(loads.get(i).run(f, Window.startingNow(warmup, measure)));
        }
        List<LoadResult> medians = byLoad.stream().map(TranslatedReads::median).toList();
        double core = medians.getFirst().iops();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("benchmark", "files");
            doc.put("abi", abi);
            doc.put("file", f.path().toString());
            doc.put("depth", depth);
            doc.put("rounds", rounds);
            doc.put("seconds", seconds);
            List<Object> results = new ArrayList<>();
            for (int i = 0; i < medians.size(); i++) {
                Map<String, Object> m = medians.get(i).json();
                m.put("vs_core_percent", core > 0 ? Math.round(medians.get(i).iops() / core * 1000) / 10.0 : 0);
                m.put("rounds_iops", byLoad.get(i).stream().map(l -> (Object) Math.round(l.iops())).toList());
                results.add(m);
            }
            doc.put("results", results);
            out.println(Json.write(doc));
        } else {
            out.printf(Locale.ROOT, "%-16s %12s %10s %10s %10s   %s%n", "name (median)", "IOPS", "p50 us", "p99 us", "vs core", "IOPS by round");
            for (int i = 0; i < medians.size(); i++) {
                LoadResult m = medians.get(i);
                out.printf(Locale.ROOT, "%-16s %,12.0f %10.1f %10.1f %9.2fx   %s%n", m.name(), m.iops(), m.p50Micros(), m.p99Micros(),
                        core > 0 ? m.iops() / core : 0, byLoad.get(i).stream().map(l -> String.format(Locale.ROOT, "%,.0f", l.iops())).toList());
            }
            LoadResult t = medians.getLast();
            out.printf(Locale.ROOT, "translator overhead: %s at %.0f%% of the core's IOPS, p50 %+.1f us per read%n", t.name(),
                    core > 0 ? t.iops() / core * 100 : 0, t.p50Micros() - medians.getFirst().p50Micros());
        }
        return 0;
    }

    /** The round with the median IOPS (its latencies with it, so that the row is one real measurement). */
    static LoadResult median(List<LoadResult> rounds) {
        List<LoadResult> sorted = rounds.stream().sorted(Comparator.comparingDouble(LoadResult::iops)).toList();
        return sorted.get(sorted.size() / 2);
    }
}

package org.aioemu.conformance.linux.differential;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a differential run: what was compared, what agreed, and every disagreement,
 * each with the three numbers that reproduce it (seed, sequence, step) and, for the first
 * few sequences that disagree, the sequence's listing.
 */
public final class DifferentialReport {
    private static final int LISTINGS = 5;

    private final String oracle;
    private final String candidate;
    private final Profile profile;
    private final long seed;
    private final int first;
    private final int count;
    private final List<KnownDifference> known;
    private int sequences;
    private long calls;
    private long events;
    private long checks;
    private long variances;
    private final List<Difference> unexplained = new ArrayList<>();
    private final Map<KnownDifference, Integer> explained = new LinkedHashMap<>();
    private final List<String> listings = new ArrayList<>();
    private String aborted;
    private Duration elapsed = Duration.ZERO;
    private Duration cpu = Duration.ZERO;

    DifferentialReport(String oracle, String candidate, Profile profile, long seed, int first, int count,
                       List<KnownDifference> known) {
        this.count = count;
        this.oracle = oracle;
        this.candidate = candidate;
        this.profile = profile;
        this.seed = seed;
        this.first = first;
        this.known = known;
    }

    void add(Sequence seq, Comparison c) {
        sequences++;
        calls += c.calls;
        events += c.events;
        checks += c.checks;
        variances += c.orderVariances;
        int firstStep = Integer.MAX_VALUE;
        for (Difference d : c.differences) {
            KnownDifference k = known.stream().filter(x -> x.matches().test(d)).findFirst().orElse(null);
            if (k != null) {
                explained.merge(k, 1, Integer::sum);
            } else {
                unexplained.add(d);
                firstStep = Math.min(firstStep, d.step() < 0 ? seq.steps().size() : d.step());
            }
        }
        if (firstStep != Integer.MAX_VALUE && listings.size() < LISTINGS) listings.add(seq.describe(firstStep));
    }

    /** A sequence that did not finish within the limit: a disagreement at the step it hung in. */
    void hung(Sequence seq, String world, int step) {
        sequences++;
        unexplained.add(new Difference(seed, seq.index(), step, "did not return: " + world + " hung in this step",
                "returned", "still running"));
        if (listings.size() < LISTINGS) listings.add(seq.describe(step));
    }

    void abort(Sequence seq, String why) {
        aborted = seq == null ? why : "sequence " + seq.index() + ": " + why;
        if (seq != null) listings.add(seq.describe(-1));
    }

    void finish(Duration wall, Duration processCpu) {
        elapsed = wall;
        cpu = processCpu;
    }

    public int sequences() {
        return sequences;
    }

    public long calls() {
        return calls;
    }

    public long events() {
        return events;
    }

    public List<Difference> unexplained() {
        return unexplained;
    }

    /** True if every check agreed or is a listed, explained difference, and nothing hung. */
    public boolean clean() {
        return unexplained.isEmpty() && aborted == null;
    }

    public String summary() {
        StringBuilder b = new StringBuilder();
        long disagreed = unexplained.size() + explained.values().stream().mapToLong(Integer::longValue).sum();
        b.append("differential run: ").append(oracle).append(" (oracle) vs ").append(candidate)
                .append(", ").append(profile).append(", seed ").append(seed).append(", sequences ")
                .append(first).append("..").append(first + count - 1).append('\n');
        b.append(String.format("  %d sequences, %d calls compared, %d events compared, %d checks: %d agreed, "
                        + "%d order-only variances (tolerated, LNX-42), %d disagreed (%d explained, %d unexplained)%n",
                sequences, calls, events, checks, checks - disagreed - variances, variances, disagreed,
                disagreed - unexplained.size(), unexplained.size()));
        double perThousand = sequences == 0 ? 0 : elapsed.toMillis() * 1000.0 / sequences / 1000.0;
        b.append(String.format("  time %.1f s (%.1f s per 1,000 sequences; the process used %.1f s of CPU)%n",
                elapsed.toMillis() / 1000.0, perThousand, cpu.toMillis() / 1000.0));
        b.append(sequences > 0 && clean() ? "  100% agreement" : "  NOT in agreement").append('\n');
        if (aborted != null) b.append("  ABORTED: ").append(aborted).append('\n');
        for (Map.Entry<KnownDifference, Integer> e : explained.entrySet()) {
            b.append("  known difference ").append(e.getKey().id()).append(" (").append(e.getValue())
                    .append(" times): ").append(e.getKey().reason()).append('\n');
        }
        if (known.isEmpty()) b.append("  known differences allowed: none\n");
        // a sequence's first disagreement is usually the cause and the rest its consequences:
        // show the first of each sequence, and count the others
        Map<Integer, List<Difference>> bySequence = new LinkedHashMap<>();
        for (Difference d : unexplained) bySequence.computeIfAbsent(d.sequence(), k -> new ArrayList<>()).add(d);
        int shown = 0;
        for (List<Difference> ds : bySequence.values()) {
            if (shown++ == 50) {
                b.append("  ... and ").append(bySequence.size() - 50).append(" more sequences that disagree\n");
                break;
            }
            Difference first = ds.stream().min(Comparator.comparingInt(d -> d.step() < 0 ? Integer.MAX_VALUE : d.step())).orElseThrow();
            b.append("  DISAGREEMENT ").append(first).append('\n');
            if (ds.size() > 1 && Boolean.getBoolean("differential.verbose")) {
                for (Difference d : ds) if (d != first) b.append("    and ").append(d).append('\n');
            } else if (ds.size() > 1) {
                b.append("        (and ").append(ds.size() - 1).append(" more in this sequence; -Ddifferential.verbose=true lists them)\n");
            }
            b.append("        reproduce: -Ddifferential.seed=").append(seed).append(" -Ddifferential.first=")
                    .append(first.sequence()).append(" -Ddifferential.sequences=1\n");
        }
        for (String l : listings) b.append(l.indent(2));
        return b.toString();
    }

    /** The generator's deliberate omissions, for the record. */
    public static String avoided() {
        StringBuilder b = new StringBuilder("the generator deliberately avoids:\n");
        for (String a : SequenceGenerator.AVOIDS) b.append("  - ").append(a).append('\n');
        return b.toString();
    }
}

package org.aioemu.cli.replay;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.aioemu.core.CompletionPath;

/**
 * What a replay found: calls replayed and matched, each difference with its trace line, how the
 * events of io_getevents were matched, bytes checked, latency per operation and, when the
 * executor can say, how each request completed.
 */
public final class ReplayReport {
    /** How a recorded io_getevents event was paired with a replayed completion. */
    public enum Matching {
        /** By the iocb address (obj), where the trace recorded where each iocb was. */
        OBJ,
        /** By aio_data, unique among the requests in flight. */
        DATA,
        /** aio_data was shared (fio leaves it 0) and strace shows no iocb addresses: by operation and result. */
        OPERATION_AND_RESULT,
        /** strace abbreviated the event array: any completion of the call counts. */
        UNSHOWN
    }

    private final String trace;
    private final String target;
    int calls;
    int replayed;
    int skipped;
    int matched;
    long elapsedNanos;
    long bytesVerified;
    long checksFailed;
    private final List<Difference> differences = new ArrayList<>();
    private final List<TraceWarning> notes = new ArrayList<>();
    private final List<TraceWarning> translations = new ArrayList<>();
    private Map<String, Long> translatedCalls = Map.of();
    private final Map<Matching, Long> matching = new EnumMap<>(Matching.class);
    private final Map<String, Histogram> latency = new TreeMap<>();
    private final Map<String, Long> paths = new LinkedHashMap<>();
    private final List<TraceCall> replayedCalls = new ArrayList<>();

    ReplayReport(String trace, String target) {
        this.trace = trace;
        this.target = target;
    }

    void difference(Difference d) {
        differences.add(d);
    }

    void note(TraceWarning w) {
        notes.add(w);
    }

    /** Where a cross-ABI translation parts from Linux's semantics, at one call of the trace. */
    void translation(TraceWarning w) {
        translations.add(w);
    }

    void translatedCalls(Map<String, Long> calls) {
        translatedCalls = calls;
    }

    /** The other ABI's calls a cross-ABI replay made, by name (empty for a Linux target). */
    public Map<String, Long> translatedCalls() {
        return translatedCalls;
    }

    /** Adds this reason to the differences from index {@code from} on. */
    void explain(int from, String why) {
        for (int i = from; i < differences.size(); i++) {
            Difference d = differences.get(i);
            String detail = d.detail() == null || d.detail().contains(why) ? why : d.detail() + "; " + why;
            differences.set(i, new Difference(d.line(), d.call(), d.recorded(), d.replayed(), detail));
        }
    }

    void matched(Matching m) {
        matching.merge(m, 1L, Long::sum);
    }

    void latency(String operation, long nanos) {
        latency.computeIfAbsent(operation, k -> new Histogram(TimeUnit.HOURS.toNanos(1), 3))
                .recordValue(Math.max(0, Math.min(nanos, TimeUnit.HOURS.toNanos(1))));
    }

    void completedBy(CompletionPath p) {
        paths.merge(p == null ? "unknown (the executor does not say)" : p.name(), 1L, Long::sum);
    }

    void recordCall(TraceCall c) {
        replayedCalls.add(c);
    }

    public String trace() {
        return trace;
    }

    public String target() {
        return target;
    }

    /** Calls in the trace. */
    public int calls() {
        return calls;
    }

    /** Calls executed. */
    public int replayed() {
        return replayed;
    }

    /** Calls not executed: skipped under --lenient, or interrupted by a signal in the trace. */
    public int skipped() {
        return skipped;
    }

    /** Replayed calls whose outcome was the recorded one. */
    public int matched() {
        return matched;
    }

    public List<Difference> differences() {
        return Collections.unmodifiableList(differences);
    }

    /** Warnings of the parse and plan, and what replay had to guess or recreate. */
    /** The cross-ABI translation's notes, call by call (empty for a Linux target). */
    public List<TraceWarning> translations() {
        return Collections.unmodifiableList(translations);
    }

    public List<TraceWarning> notes() {
        return Collections.unmodifiableList(notes);
    }

    public Map<Matching, Long> matching() {
        return Collections.unmodifiableMap(matching);
    }

    /** Latency histograms in nanoseconds: "aio PREAD" (submit to reap) and one per synchronous call. */
    public Map<String, Histogram> latency() {
        return Collections.unmodifiableMap(latency);
    }

    public Map<String, Long> completionPaths() {
        return Collections.unmodifiableMap(paths);
    }

    /** Bytes of reads compared with what the replayed writes (or the initial content) put there. */
    public long bytesVerified() {
        return bytesVerified;
    }

    public double elapsedSeconds() {
        return elapsedNanos / 1e9;
    }

    /** The calls as replayed (only with {@link ReplayOptions#record()}). */
    public List<TraceCall> replayedCalls() {
        return Collections.unmodifiableList(replayedCalls);
    }

    /** One row of the per-operation table. */
    public record OpSummary(String operation, long count, double iops, double p50us, double p90us, double p99us,
                            double p999us, double maxUs) {}

    public List<OpSummary> summaries() {
        List<OpSummary> out = new ArrayList<>();
        double secs = Math.max(elapsedSeconds(), 1e-9);
        for (Map.Entry<String, Histogram> e : latency.entrySet()) {
            Histogram h = e.getValue();
            out.add(new OpSummary(e.getKey(), h.getTotalCount(), h.getTotalCount() / secs,
                    h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3, h.getValueAtPercentile(99) / 1e3,
                    h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3));
        }
        return out;
    }

    /** The plain-text report. */
    public String text() {
        StringBuilder b = new StringBuilder();
        b.append("trace   ").append(trace).append('\n');
        b.append("target  ").append(target).append('\n');
        b.append(String.format("calls   %d in trace, %d replayed, %d skipped, %d matched, %d differences (%.3f s)%n",
                calls, replayed, skipped, matched, differences.size(), elapsedSeconds()));
        b.append("events  matched by ");
        if (matching.isEmpty()) b.append("(no io_getevents events)");
        else {
            List<String> parts = new ArrayList<>();
            matching.forEach((m, n) -> parts.add(n + " " + label(m)));
            b.append(String.join(", ", parts));
        }
        b.append('\n');
        b.append(String.format("data    %d bytes read back and verified, %d reads wrong%n", bytesVerified, checksFailed));
        if (!paths.isEmpty()) {
            b.append("paths   ");
            List<String> parts = new ArrayList<>();
            paths.forEach((p, n) -> parts.add(p + " " + n));
            b.append(String.join(", ", parts)).append('\n');
        }
        if (!latency.isEmpty()) {
            b.append(String.format("%n%-16s %8s %10s %10s %10s %10s %10s %10s%n", "operation", "count", "IOPS",
                    "p50 us", "p90 us", "p99 us", "p99.9 us", "max us"));
            for (OpSummary s : summaries()) {
                b.append(String.format("%-16s %8d %10.0f %10.1f %10.1f %10.1f %10.1f %10.1f%n", s.operation(), s.count(),
                        s.iops(), s.p50us(), s.p90us(), s.p99us(), s.p999us(), s.maxUs()));
            }
        }
        if (!differences.isEmpty()) {
            b.append("\ndifferences\n");
            for (Difference d : differences) b.append("  ").append(d).append('\n');
        }
        if (!translatedCalls.isEmpty()) {
            b.append("\ntranslated into ");
            b.append(String.join(", ", new TreeMap<>(translatedCalls).entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()));
            b.append('\n');
        }
        if (!translations.isEmpty()) {
            b.append("\nwhere the translation parts from Linux semantics\n");
            for (TraceWarning w : translations) b.append("  ").append(w).append('\n');
        }
        if (!notes.isEmpty()) {
            b.append("\nnotes\n");
            for (TraceWarning w : notes) b.append("  ").append(w).append('\n');
        }
        return b.toString();
    }

    static String label(Matching m) {
        return switch (m) {
            case OBJ -> "iocb address (obj)";
            case DATA -> "aio_data";
            case OPERATION_AND_RESULT -> "operation and result (aio_data shared, no iocb addresses in the trace)";
            case UNSHOWN -> "count only (events strace did not print)";
        };
    }
}

package org.aioemu.cli.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * What one load achieved in its measured window: completed operations per second and the
 * latency percentiles of the operations completed in the window.
 */
record LoadResult(String name, long operations, double seconds, double p50Micros, double p99Micros) {

    static LoadResult of(String name, Histogram latencyNanos, long windowNanos) {
        return new LoadResult(name, latencyNanos.getTotalCount(), windowNanos / 1e9,
                latencyNanos.getValueAtPercentile(50) / 1e3, latencyNanos.getValueAtPercentile(99) / 1e3);
    }

    double iops() {
        return seconds > 0 ? operations / seconds : 0;
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("iops", Math.round(iops()));
        m.put("p50_us", Math.round(p50Micros * 10) / 10.0);
        m.put("p99_us", Math.round(p99Micros * 10) / 10.0);
        return m;
    }
}

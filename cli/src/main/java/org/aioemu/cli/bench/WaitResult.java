package org.aioemu.cli.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One design's cost of holding {@code connections} pending reads: the JVM's threads and resident
 * memory while all of them waited (and before they were made), and how many completed, how fast,
 * once the peers wrote.
 */
record WaitResult(String name, int connections, ProcessStatus before, ProcessStatus pending, int completed,
                  double completeMillis, String note) {

    /** Resident memory the pending reads added, per read. */
    double rssKibPerRead() {
        return connections == 0 ? 0 : (pending.rssMib() - before.rssMib()) * 1024 / connections;
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("connections", connections);
        m.put("threads", pending.threads());
        m.put("rss_mib", Math.round(pending.rssMib() * 10) / 10.0);
        m.put("completed", completed);
        m.put("threads_before", before.threads());
        m.put("rss_mib_before", Math.round(before.rssMib() * 10) / 10.0);
        m.put("complete_ms", Math.round(completeMillis * 10) / 10.0);
        m.put("rss_kib_per_read", Math.round(rssKibPerRead() * 10) / 10.0);
        if (note != null) m.put("note", note);
        return m;
    }
}

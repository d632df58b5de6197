package org.aioemu.cli.bench;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;

import org.aioemu.core.host.HostIo;

/**
 * The pending-read run every AIO variant of {@code bench sockets} shares, so that they differ only
 * in how a read is submitted and reaped: one 16-byte read per connection, each must wait; the
 * program closes its own fd after the submit (the waiting read holds the emulation's dup, as the
 * kernel holds a file reference); the process's threads and RSS are sampled while all wait; then
 * every peer writes one byte and each read must complete with exactly it.
 */
final class PendingReads {
    static final int BUF = 16;

    /** How one variant submits a connection's read and learns which completed. */
    interface Engine extends AutoCloseable {
        /** Submits a read of {@link #BUF} bytes on {@code fd} into {@code buf}, tagged {@code i}. */
        void submit(int i, int fd, MemorySegment buf) throws Exception;

        /** Reads now waiting for readiness (the core's count). */
        long waiting();

        /** Waits up to {@code timeout} for completions; stores each one's tag and result; returns how many. */
        int reap(int[] tags, long[] results, Duration timeout) throws Exception;

        @Override
        void close() throws Exception;
    }

    private PendingReads() {}

    static WaitResult run(String name, Engine engine, MemorySegment buffers, LoopbackPairs pairs, Duration timeout,
                          ProcessStatus before) throws Exception {
        int n = pairs.size();
        for (int i = 0; i < n; i++) {
            engine.submit(i, pairs.servers[i], buffers.asSlice((long) BUF * i, BUF));
            HostIo.close(pairs.servers[i]);
            pairs.closedServer(i);
        }
        if (engine.waiting() != n) throw new IllegalStateException(name + ": " + engine.waiting() + " reads wait, not " + n);
        ProcessStatus pending = ProcessStatus.now();

        long t0 = System.nanoTime();
        pairs.writeFromPeers();
        int completed = 0;
        int[] tags = new int[4096];
        long[] results = new long[4096];
        long deadline = t0 + timeout.toNanos();
        while (completed < n) {
            long left = deadline - System.nanoTime();
            int got = left <= 0 ? 0 : engine.reap(tags, results, Duration.ofNanos(left));
            if (got == 0) break;
            for (int k = 0; k < got; k++) {
                int i = tags[k];
                if (results[k] != 1 || buffers.get(ValueLayout.JAVA_BYTE, (long) BUF * i) != LoopbackPairs.expected(i)) {
                    throw new IllegalStateException(name + ": connection " + i + " completed with " + results[k]);
                }
                completed++;
            }
        }
        double millis = (System.nanoTime() - t0) / 1e6;
        String note = completed < n ? "only " + completed + " of " + n + " completed within " + timeout.toSeconds() + " s" : null;
        return new WaitResult(name, n, before, pending, completed, millis, note);
    }
}

package org.aioemu.core;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one {@link AioSystem}; cheap to bump from any thread. */
public final class CoreStats {
    final LongAdder submitted = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder fastPathHits = new LongAdder();
    final LongAdder callerRuns = new LongAdder();
    final LongAdder workerRuns = new LongAdder();
    final LongAdder deviceRuns = new LongAdder();
    final LongAdder parked = new LongAdder();
    final LongAdder resumed = new LongAdder();
    final LongAdder spuriousWakeups = new LongAdder();
    final LongAdder cancelled = new LongAdder();
    final LongAdder completed = new LongAdder();

    public long submitted() { return submitted.sum(); }
    public long refused() { return refused.sum(); }
    /** Requests the submitting thread completed without blocking (IOF_QUICK). */
    public long fastPathHits() { return fastPathHits.sum(); }
    public long callerRuns() { return callerRuns.sum(); }
    public long workerRuns() { return workerRuns.sum(); }
    /** O_DIRECT requests the host's block layer ran (BlockLayerQueue). */
    public long deviceRuns() { return deviceRuns.sum(); }
    /** Times a request started waiting for readiness (holding no thread). */
    public long parked() { return parked.sum(); }
    /** Continuation requests the poller completed. */
    public long resumed() { return resumed.sum(); }
    /** Readiness reports after which the attempt would still block (the request was re-armed). */
    public long spuriousWakeups() { return spuriousWakeups.sum(); }
    public long cancelled() { return cancelled.sum(); }
    public long completed() { return completed.sum(); }

    void count(CompletionPath path) {
        completed.increment();
        switch (path) {
            case INLINE -> fastPathHits.increment();
            case CALLER -> callerRuns.increment();
            case WORKER -> workerRuns.increment();
            case DEVICE -> deviceRuns.increment();
            case CONTINUATION -> resumed.increment();
            case CANCELLED -> cancelled.increment();
        }
    }

    @Override
    public String toString() {
        return "submitted=" + submitted() + " completed=" + completed() + " fastPath=" + fastPathHits()
                + " caller=" + callerRuns() + " worker=" + workerRuns() + " device=" + deviceRuns() + " parked=" + parked()
                + " resumed=" + resumed() + " spurious=" + spuriousWakeups() + " cancelled=" + cancelled()
                + " refused=" + refused();
    }
}

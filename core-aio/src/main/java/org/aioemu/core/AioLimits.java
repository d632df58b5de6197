package org.aioemu.core;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * System-wide admission: the global count of requests admitted and not yet released, and the
 * current limits (settable at any time, as FreeBSD's vfs.aio sysctls are). Per-process and
 * per-context counts live in {@link AioProcess} and {@link AioContext}; {@link Admission}
 * reserves all three levels together or none.
 */
public final class AioLimits {
    private volatile int maxQueuedSystem;
    private volatile int maxQueuedPerProcess;
    private volatile int maxActivePerProcess;
    final AtomicInteger queuedSystem = new AtomicInteger();

    AioLimits(AioConfig config) {
        this.maxQueuedSystem = config.maxQueuedSystem();
        this.maxQueuedPerProcess = config.maxQueuedPerProcess();
        this.maxActivePerProcess = config.maxActivePerProcess();
    }

    public int maxQueuedSystem() { return maxQueuedSystem; }
    public int maxQueuedPerProcess() { return maxQueuedPerProcess; }
    public int maxActivePerProcess() { return maxActivePerProcess; }

    /** Requests admitted in the whole system and not yet released. */
    public int queuedSystem() { return queuedSystem.get(); }

    public void setMaxQueuedSystem(int n) { maxQueuedSystem = positive(n); }
    public void setMaxQueuedPerProcess(int n) { maxQueuedPerProcess = positive(n); }

    public void setMaxActivePerProcess(int n) { maxActivePerProcess = positive(n); }

    private static int positive(int n) {
        if (n < 1) throw new IllegalArgumentException("limit must be >= 1: " + n);
        return n;
    }
}

package org.aioemu.core;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The emulated kernel's AIO half: the worker pool, the readiness poller, the system-wide limits
 * and counters, shared by every emulated process of every ABI. Start one, make processes, and
 * close it when done (which exits the processes still alive with their own policies).
 */
public final class AioSystem implements AutoCloseable {
    private final AioConfig config;
    private final AioLimits limits;
    final CoreStats stats = new CoreStats();
    final RequestLifecycle life;
    final WorkerPool workers;
    final SocketContinuations continuations;
    final BlockLayerQueue blockLayer;
    private final AtomicLong seq = new AtomicLong();
    private final Set<AioProcess> processes = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Throwable> lastSinkFailure = new AtomicReference<>();

    private AioSystem(AioConfig config) {
        this.config = config;
        this.limits = new AioLimits(config);
        this.life = new RequestLifecycle(this);
        this.workers = new WorkerPool(life, limits, config);
        this.continuations = new SocketContinuations(life, stats);
        this.blockLayer = new BlockLayerQueue(life);
    }

    public static AioSystem start(AioConfig config) {
        return new AioSystem(config);
    }

    public static AioSystem start() {
        return start(AioConfig.defaults());
    }

    public AioConfig config() { return config; }
    public AioLimits limits() { return limits; }
    public CoreStats stats() { return stats; }
    public WorkerPool workers() { return workers; }

    /** Requests waiting for readiness right now, holding no thread. */
    public int waitingForReadiness() {
        return continuations.waiting();
    }

    public AioProcess newProcess(String name, ExitPolicy policy) {
        AioProcess p = new AioProcess(this, name, policy);
        processes.add(p);
        return p;
    }

    public List<AioProcess> processes() {
        return List.copyOf(processes);
    }

    void forget(AioProcess p) {
        processes.remove(p);
    }

    long nextSeq() {
        return seq.incrementAndGet();
    }

    void sinkFailed(Request r, Throwable t) {
        lastSinkFailure.set(t);
    }

    /** The last exception a sink threw (a bug in the sink; the core carried on), or null. */
    public Throwable lastSinkFailure() {
        return lastSinkFailure.get();
    }

    @Override
    public void close() {
        for (AioProcess p : processes()) p.exit();
        workers.close();
        continuations.close();
        blockLayer.close();
    }
}

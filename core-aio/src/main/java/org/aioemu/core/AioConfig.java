package org.aioemu.core;

import java.time.Duration;

/**
 * How an {@link AioSystem} starts. The worker pool follows FreeBSD's aiod pool
 * ({@code target_aio_procs}, {@code max_aio_procs}, {@code aiod_lifetime}); the limits follow the
 * hierarchy both kernels check at submit (system, process, context). All of them can be changed
 * later through {@link AioSystem#limits()} and {@link AioSystem#workers()}.
 *
 * @param workerMin          workers started up front and kept however idle (target_aio_procs)
 * @param workerMax          the most workers ever running (max_aio_procs)
 * @param workerIdle         how long a worker above the minimum waits for work before it exits
 * @param maxActivePerProcess requests of one process running on workers at once (max_aio_per_proc)
 * @param maxQueuedPerProcess requests of one process admitted and not yet released (max_aio_queue_per_proc)
 * @param maxQueuedSystem    requests of all processes admitted and not yet released (max_aio_queue)
 * @param spinNanos          how long a waiter spins before it parks (a cross-CPU wakeup costs ~50 µs here)
 */
public record AioConfig(int workerMin, int workerMax, Duration workerIdle, int maxActivePerProcess,
                        int maxQueuedPerProcess, int maxQueuedSystem, long spinNanos) {

    public AioConfig {
        if (workerMin < 0 || workerMax < 1 || workerMin > workerMax) {
            throw new IllegalArgumentException("worker pool needs 0 <= min <= max, max >= 1: " + workerMin + ".." + workerMax);
        }
        if (maxActivePerProcess < 1 || maxQueuedPerProcess < 1 || maxQueuedSystem < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    public static AioConfig defaults() {
        return new AioConfig(4, 32, Duration.ofSeconds(30), 32, 1 << 16, 1 << 20, 20_000);
    }

    public AioConfig withWorkers(int min, int max) {
        return new AioConfig(min, max, workerIdle, maxActivePerProcess, maxQueuedPerProcess, maxQueuedSystem, spinNanos);
    }

    public AioConfig withWorkerIdle(Duration idle) {
        return new AioConfig(workerMin, workerMax, idle, maxActivePerProcess, maxQueuedPerProcess, maxQueuedSystem, spinNanos);
    }

    public AioConfig withLimits(int activePerProcess, int queuedPerProcess, int queuedSystem) {
        return new AioConfig(workerMin, workerMax, workerIdle, activePerProcess, queuedPerProcess, queuedSystem, spinNanos);
    }
}

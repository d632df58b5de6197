package org.aioemu.core;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reserves slots at the three levels both kernels check at submit: the context (Linux
 * nr_events), the process (FreeBSD max_aio_queue_per_proc) and the system (max_aio_queue).
 * All levels or none: a refusal gives nothing back half-taken and names the limit that refused.
 * A slot is held until the ABI releases the request (when it is reaped), because both kernels
 * count completed-but-unreaped requests against their limits.
 */
final class Admission {
    private Admission() {}

    static void reserve(AioContext ctx, int n) throws AioException {
        AioProcess proc = ctx.process();
        AioLimits limits = proc.system().limits();
        if (!take(ctx.inUse, n, ctx.capacity())) {
            throw new AioException(AioError.EAGAIN, "context limit reached (" + ctx.capacity() + " requests not yet reaped)");
        }
        if (!take(proc.queued, n, limits.maxQueuedPerProcess())) {
            ctx.inUse.addAndGet(-n);
            throw new AioException(AioError.EAGAIN, "per-process limit reached (" + limits.maxQueuedPerProcess() + " requests not yet reaped)");
        }
        if (!take(limits.queuedSystem, n, limits.maxQueuedSystem())) {
            ctx.inUse.addAndGet(-n);
            proc.queued.addAndGet(-n);
            throw new AioException(AioError.EAGAIN, "system limit reached (" + limits.maxQueuedSystem() + " requests not yet reaped)");
        }
    }

    static void release(AioContext ctx, int n) {
        ctx.inUse.addAndGet(-n);
        ctx.process().queued.addAndGet(-n);
        ctx.process().system().limits().queuedSystem.addAndGet(-n);
    }

    private static boolean take(AtomicInteger counter, int n, int max) {
        for (;;) {
            int cur = counter.get();
            if (cur > max - n) return false;
            if (counter.compareAndSet(cur, cur + n)) return true;
        }
    }
}

package org.aioemu.core;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.aioemu.core.Request.State;

/**
 * Threads for VFS work that may block, sized like FreeBSD's aiod pool: {@code min} threads are
 * started up front and stay (target_aio_procs), the pool grows one thread at a time while work
 * waits and nobody is idle, up to {@code max} (max_aio_procs), and a thread above the minimum
 * that found no work for {@code idle} exits (aiod_lifetime). Never a thread per request.
 *
 * <p>One FIFO for all processes; a worker takes the oldest request whose process has fewer than
 * max_aio_per_proc requests running (FreeBSD's aio_selectjob), so one busy process cannot take
 * every worker. A cancelled request stays in the queue until a worker passes over it.
 */
public final class WorkerPool implements AutoCloseable {
    private final RequestLifecycle life;
    private final AioLimits limits;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final ArrayDeque<Request> queue = new ArrayDeque<>();
    private int threads;
    private int idle;
    private int wakeups;   // signals sent to idle threads that have not woken yet
    private int min;
    private int max;
    private long idleNanos;
    private int started;
    private boolean closed;

    WorkerPool(RequestLifecycle life, AioLimits limits, AioConfig config) {
        this.life = life;
        this.limits = limits;
        resize(config.workerMin(), config.workerMax(), config.workerIdle());
    }

    /** Changes the sizing at run time (FreeBSD's sysctls); starts threads up to the new minimum. */
    public void resize(int newMin, int newMax, Duration newIdle) {
        if (newMin < 0 || newMax < 1 || newMin > newMax) throw new IllegalArgumentException("need 0 <= min <= max, max >= 1");
        lock.lock();
        try {
            min = newMin;
            max = newMax;
            idleNanos = newIdle.toNanos();
            while (threads < min) startThread();
            work.signalAll();   // idle threads above a lowered minimum re-check their lifetime
        } finally {
            lock.unlock();
        }
    }

    public int threads() {
        lock.lock();
        try {
            return threads;
        } finally {
            lock.unlock();
        }
    }

    public int min() { return min; }
    public int max() { return max; }
    public Duration idleLifetime() { return Duration.ofNanos(idleNanos); }

    /** Requests waiting for a worker (including cancelled ones not yet passed over). */
    public int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    void enqueue(Request r) {
        lock.lock();
        try {
            queue.add(r);
            if (!wakeIdle() && threads < max) startThread();
        } finally {
            lock.unlock();
        }
    }

    private void startThread() {
        threads++;
        ThreadStarts.start(Thread.ofPlatform().daemon().name("aioemu-worker-" + (++started)).unstarted(this::workLoop));
    }

    private void workLoop() {
        Request r;
        while ((r = take()) != null) {
            try {
                life.runOnWorker(r);
            } finally {
                lock.lock();
                try {
                    r.process().activeOnWorkers--;
                    if (!queue.isEmpty()) wakeIdle();   // a per-process slot came free
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /**
     * Wakes an idle thread that no earlier signal is already waking; false if there is none. A
     * signalled thread counts as idle until it has the lock again, so without this count a burst
     * of submits would signal one thread many times and the pool would never grow.
     */
    private boolean wakeIdle() {
        if (idle <= wakeups) return false;
        wakeups++;
        work.signal();
        return true;
    }

    /** The next runnable request, already RUNNING; null when this thread should exit. */
    private Request take() {
        lock.lock();
        try {
            long waitNanos = idleNanos;
            for (;;) {
                if (closed) {
                    threads--;
                    return null;
                }
                Request r = selectRunnable();
                if (r != null) return r;
                idle++;
                try {
                    waitNanos = work.awaitNanos(waitNanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    idle--;
                    if (wakeups > 0) wakeups--;   // whoever wakes first takes a signal's work
                }
                if (waitNanos <= 0) {
                    if (threads > min && queue.isEmpty()) {
                        threads--;
                        return null;
                    }
                    waitNanos = idleNanos;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private Request selectRunnable() {
        int maxActive = limits.maxActivePerProcess();
        for (var it = queue.iterator(); it.hasNext(); ) {
            Request r = it.next();
            if (r.state() != State.QUEUED) {
                it.remove();   // cancelled while it waited
                continue;
            }
            AioProcess p = r.process();
            if (p.activeOnWorkers >= maxActive) continue;
            it.remove();
            if (!r.transition(State.QUEUED, State.RUNNING)) continue;
            p.activeOnWorkers++;
            return r;
        }
        return null;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }
}

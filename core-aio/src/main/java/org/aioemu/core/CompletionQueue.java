package org.aioemu.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A generic sink for Java users of the core: completions queue up here and are taken in batches
 * with a timed wait, each taken request's slot going back to its context. A waiter spins briefly
 * before it parks, because waking a parked thread on the other CPU costs ~50 µs on these VMs and
 * most completions on the fast path arrive within microseconds.
 */
public final class CompletionQueue implements CompletionSink {
    private final ConcurrentLinkedQueue<Request> done = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private volatile int waiters;
    private final long spinNanos;

    public CompletionQueue() {
        this(AioConfig.defaults().spinNanos());
    }

    public CompletionQueue(long spinNanos) {
        this.spinNanos = spinNanos;
    }

    @Override
    public void completed(Request r) {
        done.add(r);
        size.incrementAndGet();
        if (waiters > 0) {   // Dekker pairing with take(): one of us sees the other's write
            lock.lock();
            try {
                arrived.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Completions waiting to be taken. */
    public int size() {
        return size.get();
    }

    /** Takes one completion without waiting, or null. */
    public Request poll() {
        Request r = done.poll();
        if (r != null) {
            size.decrementAndGet();
            r.context().release(r);
        }
        return r;
    }

    /**
     * Waits until at least {@code min} completions are there or the timeout ends (null: no end),
     * then takes up to {@code max} into {@code out}. Returns how many it took.
     */
    public int take(List<Request> out, int min, int max, Duration timeout) throws InterruptedException {
        if (min > max) throw new IllegalArgumentException("min > max");
        long end = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        if (size.get() < min) awaitAtLeast(min, end);
        int n = 0;
        Request r;
        while (n < max && (r = poll()) != null) {
            out.add(r);
            n++;
        }
        return n;
    }

    private void awaitAtLeast(int min, long end) throws InterruptedException {
        long spinEnd = System.nanoTime() + spinNanos;
        while (size.get() < min && System.nanoTime() < Math.min(spinEnd, end)) Thread.onSpinWait();
        if (size.get() >= min) return;
        lock.lock();
        try {
            waiters++;
            try {
                while (size.get() < min) {
                    long left = end - System.nanoTime();
                    if (left <= 0) return;
                    if (end == Long.MAX_VALUE) arrived.await();
                    else arrived.awaitNanos(left);
                }
            } finally {
                waiters--;
            }
        } finally {
            lock.unlock();
        }
    }
}

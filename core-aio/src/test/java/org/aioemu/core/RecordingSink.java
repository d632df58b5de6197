package org.aioemu.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sink that remembers every call it gets: how often each request came, in which order, on which
 * thread, and whether its process was in rundown at that moment. The "exactly once" promise of
 * the core is checked against these counts, so it counts calls, not requests.
 */
final class RecordingSink implements CompletionSink {
    private final boolean release;
    private final Map<Request, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final List<Request> order = new ArrayList<>();            // guarded by this
    private final Map<Request, Thread> threads = new ConcurrentHashMap<>();
    private final Set<Request> sawRundown = ConcurrentHashMap.newKeySet();
    private int total;                                                 // guarded by this

    /** @param release give each request's slot back as it arrives (as an ABI that reaps at once) */
    RecordingSink(boolean release) {
        this.release = release;
    }

    RecordingSink() {
        this(true);
    }

    @Override
    public void completed(Request r) {
        calls.computeIfAbsent(r, k -> new AtomicInteger()).incrementAndGet();
        threads.put(r, Thread.currentThread());
        if (r.process().inRundown()) sawRundown.add(r);
        if (release) r.context().release(r);
        synchronized (this) {
            order.add(r);
            total++;
            notifyAll();
        }
    }

    /** Waits until at least {@code n} calls arrived in all; false on timeout. */
    synchronized boolean await(int n, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (total < n) {
            long left = end - System.nanoTime();
            if (left <= 0) return false;
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Asserts that {@code n} calls arrive within 5 s. */
    void awaitTotal(int n) throws InterruptedException {
        assertTrue(await(n, Duration.ofSeconds(5)), () -> "expected " + n + " completions, got " + total());
    }

    synchronized int total() {
        return total;
    }

    int calls(Request r) {
        AtomicInteger c = calls.get(r);
        return c == null ? 0 : c.get();
    }

    synchronized List<Request> order() {
        return List.copyOf(order);
    }

    Thread thread(Request r) {
        return threads.get(r);
    }

    boolean sawRundown(Request r) {
        return sawRundown.contains(r);
    }

    Set<Thread> threads() {
        return Set.copyOf(threads.values());
    }

    /** Every request of {@code expected} was delivered exactly once, and nothing else was delivered. */
    void assertEachDeliveredOnce(Collection<Request> expected) {
        for (Request r : expected) assertEquals(1, calls(r), () -> "sink calls for " + r);
        assertEquals(expected.size(), calls.size(), "requests delivered that were not expected");
        assertEquals(expected.size(), total(), "total sink calls");
    }
}

package org.aioemu.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A completion domain of one process: requests submitted here are delivered to its sink, and at
 * most {@link #capacity()} of them may be admitted and not yet released. Linux gives a program
 * one per io_setup; FreeBSD's ABI uses one per process.
 */
public final class AioContext {
    private final AioProcess process;
    private final int capacity;
    private final CompletionSink sink;
    final AtomicInteger inUse = new AtomicInteger();
    final AtomicInteger undelivered = new AtomicInteger();   // submitted, completion not yet delivered
    final AtomicInteger atDevice = new AtomicInteger();      // of those, at the host's block layer
    final AtomicInteger deviceWaiters = new AtomicInteger(); // threads in awaitDevice
    private boolean closed;    // guarded by this
    private boolean settled;   // slots given back at close; guarded by this

    AioContext(AioProcess process, int capacity, CompletionSink sink) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        this.process = process;
        this.capacity = capacity;
        this.sink = sink;
    }

    public AioProcess process() { return process; }
    public int capacity() { return capacity; }
    public CompletionSink sink() { return sink; }

    /** Requests admitted here and not yet released. */
    public int inUse() { return inUse.get(); }

    public synchronized boolean isClosed() { return closed; }

    /**
     * Submits one request. It is refused (nothing admitted) with EAGAIN when a limit is reached,
     * with the host's error (EBADF...) when its fd cannot be used, and with EINVAL once the context
     * is destroyed or the process exits. Once accepted it completes exactly once through the sink.
     */
    public void submit(Request r) throws AioException {
        process.system().life.submit(this, List.of(r));
    }

    /** Submits all requests or none (limits are reserved for the whole batch at once). */
    public void submitAll(List<Request> batch) throws AioException {
        if (!batch.isEmpty()) process.system().life.submit(this, batch);
    }

    /**
     * For a thread about to sleep until a request of this context completes: if all that it can be
     * waiting for is at the host's block layer, sleeps there instead (at most {@code maxNanos}), so
     * the device's completion wakes this thread directly rather than through a reaper thread, and
     * true; false (at once) if the caller should sleep as usual. {@code nothingYet} is the
     * caller's last look at its completions (true: still none), asked once this thread counts as
     * waiting, so that a completion from elsewhere is either seen there or ends the sleep.
     */
    public boolean awaitDevice(long maxNanos, java.util.function.BooleanSupplier nothingYet) {
        return process.system().blockLayer.awaitDevice(this, maxNanos, nothingYet);
    }

    /** Whether every request of this context still in flight is at the host's block layer (and there is one). */
    public boolean onlyAtDevice() {
        int n = atDevice.get();
        return n > 0 && n == undelivered.get();
    }

    /** Cancels one request of this context: queued and readiness-waiting ones can be, running ones not. */
    public CancelOutcome cancel(Request r) {
        if (r.context != this) throw new IllegalArgumentException("request belongs to another context: " + r);
        return process.system().life.cancel(r);
    }

    /**
     * Cancels every request of this context that waits without running: on readiness (socket,
     * pipe, poll) or for earlier writes (ordered fsync). Queued and running work is left alone.
     * Linux's io_destroy does this (only polls wait there), then drains.
     */
    public CancelOutcome cancelWaiting() {
        return process.cancelWhere(r -> r.context == this && r.state() == Request.State.WAITING);
    }

    /**
     * Gives a completed request's slot back (the ABI reaped it). Idempotent; a request still in
     * flight cannot be released.
     */
    public void release(Request r) {
        if (r.context != this) throw new IllegalArgumentException("request belongs to another context: " + r);
        if (!r.isFinished()) throw new IllegalStateException("request still in flight: " + r);
        synchronized (this) {
            if (!closed && r.markReleased()) Admission.release(this, 1);
        }
    }

    /**
     * Destroys the context as the policy says (Linux io_destroy is CANCEL_THEN_DRAIN: cancel what
     * can be, wait for the rest). Afterwards submits are refused; unreleased slots are given back.
     */
    public boolean destroy(ExitPolicy policy, Duration deadline) {
        synchronized (this) {
            closed = true;
        }
        boolean ok = switch (policy) {
            case DETACH -> true;
            case DRAIN -> process.awaitWhere(r -> r.context == this, deadline);
            case CANCEL_THEN_DRAIN -> {
                process.cancelWhere(r -> r.context == this);
                yield process.awaitWhere(r -> r.context == this, deadline);
            }
        };
        closeQuietly();
        return ok;
    }

    /**
     * Closes the context and gives back every slot not held by a request still in flight. A
     * request that completes afterwards gives its own back (see {@link #delivered}); release()
     * after close is a no-op, so nothing is given back twice.
     */
    synchronized void closeQuietly() {
        if (settled) return;
        settled = true;
        closed = true;
        process.forget(this);
        int inFlight = 0;
        for (Request r : process.outstanding) if (r.context == this && !r.delivered) inFlight++;
        int give = inUse.get() - inFlight;
        if (give > 0) Admission.release(this, give);
    }

    /** Marks r delivered; if the context is already closed, r's slot goes back at once. */
    synchronized void delivered(Request r) {
        r.delivered = true;
        if (closed && r.markReleased()) Admission.release(this, 1);
    }
}

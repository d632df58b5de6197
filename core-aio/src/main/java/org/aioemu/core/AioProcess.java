package org.aioemu.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An emulated process: it owns its contexts and every request submitted through them. No process
 * can see, reap or cancel another's requests (a request's context names its process, and every
 * cancel goes through the owner). {@link #exit} applies the process's {@link ExitPolicy}.
 */
public final class AioProcess {
    private final AioSystem system;
    private final String name;
    private volatile ExitPolicy exitPolicy;
    private volatile boolean rundown;
    private volatile boolean syncOrdering;
    private final List<AioContext> contexts = new CopyOnWriteArrayList<>();
    final Set<Request> outstanding = ConcurrentHashMap.newKeySet();
    final AtomicInteger queued = new AtomicInteger();
    final SyncBarriers barriers = new SyncBarriers();
    int activeOnWorkers;               // guarded by the worker pool's lock
    private final Object drained = new Object();
    private volatile int drainWaiters;

    AioProcess(AioSystem system, String name, ExitPolicy exitPolicy) {
        this.system = system;
        this.name = name;
        this.exitPolicy = exitPolicy;
    }

    public AioSystem system() { return system; }
    public String name() { return name; }
    public ExitPolicy exitPolicy() { return exitPolicy; }
    public void setExitPolicy(ExitPolicy p) { exitPolicy = p; }

    /** True once exit has begun: sinks suppress notifications, submits are refused. */
    public boolean inRundown() { return rundown; }

    /** Requests admitted and not yet completed. */
    public int outstanding() { return outstanding.size(); }

    /** Requests admitted and not yet released (what the per-process limit counts). */
    public int queued() { return queued.get(); }

    /** Makes fsyncs submitted with {@link Request.Option#ORDERED_SYNC} wait for earlier requests on their file. */
    public void setSyncOrdering(boolean on) { syncOrdering = on; }
    boolean syncOrdering() { return syncOrdering; }

    /**
     * A completion domain with room for {@code capacity} requests not yet released (Linux nr_events;
     * FreeBSD uses one context per process with the process limit).
     */
    public AioContext newContext(int capacity, CompletionSink sink) throws AioException {
        if (rundown) throw new AioException(AioError.EINVAL, "process " + name + " is exiting");
        AioContext ctx = new AioContext(this, capacity, sink);
        contexts.add(ctx);
        return ctx;
    }

    void forget(AioContext ctx) {
        contexts.remove(ctx);
    }

    public List<AioContext> contexts() { return List.copyOf(contexts); }

    /** Cancels every outstanding request on {@code fd} (aio_cancel(fd, NULL)). */
    public CancelOutcome cancelFd(int fd) {
        return cancelWhere(r -> r.fd == fd);
    }

    /** Cancels every outstanding request of this process. */
    public CancelOutcome cancelAll() {
        return cancelWhere(r -> true);
    }

    CancelOutcome cancelWhere(Predicate<Request> which) {
        CancelOutcome outcome = CancelOutcome.ALL_DONE;
        for (Request r : snapshot(which)) outcome = outcome.and(system.life.cancel(r));
        return outcome;
    }

    private List<Request> snapshot(Predicate<Request> which) {
        List<Request> list = new ArrayList<>();
        for (Request r : outstanding) if (which.test(r)) list.add(r);
        list.sort((a, b) -> Long.compare(a.seq, b.seq));
        return list;
    }

    /** Exits with the process's policy, waiting without limit where the policy waits. */
    public void exit() {
        exit(exitPolicy, null);
    }

    /**
     * Begins the rundown: no more submits, sinks see {@link #inRundown()}. Then DRAIN waits for
     * everything, CANCEL_THEN_DRAIN cancels what waits and waits for what runs, DETACH returns at
     * once. With a deadline, a wait that outlasts it gives up and returns false (the requests stay
     * in flight and still complete exactly once); without one it waits as the kernels do.
     */
    public boolean exit(ExitPolicy policy, Duration deadline) {
        rundown = true;
        boolean ok = switch (policy) {
            case DETACH -> true;
            case DRAIN -> awaitWhere(r -> true, deadline);
            case CANCEL_THEN_DRAIN -> {
                cancelAll();
                yield awaitWhere(r -> true, deadline);
            }
        };
        // Even DETACH closes: the results are dropped, and a request still in flight gives its
        // slot back when it completes (AioContext.delivered), or the system-wide count would leak.
        for (AioContext ctx : contexts) ctx.closeQuietly();
        system.forget(this);
        return ok;
    }

    /** Waits until no request is outstanding (e.g. after a DETACH exit); false on timeout. */
    public boolean awaitQuiescent(Duration timeout) {
        return awaitWhere(r -> true, timeout);
    }

    boolean awaitWhere(Predicate<Request> which, Duration deadline) {
        long end = deadline == null ? Long.MAX_VALUE : System.nanoTime() + deadline.toNanos();
        synchronized (drained) {
            drainWaiters++;
            try {
                while (anyOutstanding(which)) {
                    long left = end - System.nanoTime();
                    if (left <= 0) return false;
                    try {
                        drained.wait(Math.max(1, Math.min(left / 1_000_000, 100)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
                return true;
            } finally {
                drainWaiters--;
            }
        }
    }

    private boolean anyOutstanding(Predicate<Request> which) {
        for (Request r : outstanding) if (which.test(r)) return true;
        return false;
    }

    /** The last step of every completion, after the sink ran. */
    void finished(Request r) {
        outstanding.remove(r);
        if (drainWaiters > 0) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    @Override
    public String toString() {
        return "AioProcess[" + name + ", outstanding=" + outstanding() + ", queued=" + queued() + "]";
    }
}

package org.aioemu.linux;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.aioemu.core.AioContext;
import org.aioemu.core.AioError;
import org.aioemu.core.CompletionSink;
import org.aioemu.core.Request;
import org.aioemu.core.bridge.HostSignalSleep;
import org.aioemu.core.bridge.HostSignals;
import org.aioemu.core.host.HostIo;

/**
 * One io_setup context: its ring in the program's memory, the core context behind it, and the
 * threads waiting in io_getevents. As the core's sink it turns each completion into an io_event
 * at the ring's tail, then signals the request's eventfd (after the event is visible, LNX-75),
 * then wakes waiters.
 */
final class LinuxAioContext implements CompletionSink {
    /**
     * What io_submit remembers of an iocb: the kernel copies these at submit (LNX-37); and, for a
     * request the kernel answers without I/O, the event's result (null: the request's own);
     * {@code interrupted}: its io_submit has a signal pending, so a wait is EINTR (LinuxIoSubmit.Call).
     */
    record Ticket(long data, long obj, int resfd, Long answer, boolean interrupted) {}

    final int id;
    final LinuxRing ring;
    final long requested;    // nr_events as asked: what aio-nr counts
    final int capacity;      // requests outstanding at once (submitted and not reaped)
    AioContext core;
    private final AtomicBoolean dead = new AtomicBoolean();
    private final Map<Long, ArrayDeque<Request>> pendingPolls = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final List<HostSignalSleep> sleepers = new ArrayList<>();   // guarded by lock: program threads asleep in the host
    private volatile int waiters;

    LinuxAioContext(int id, LinuxRing ring, long requested, int capacity) {
        this.id = id;
        this.ring = ring;
        this.requested = requested;
        this.capacity = capacity;
    }

    /**
     * How many requests the kernel lets be outstanding: reqs_available starts at ring.nr - 1 and
     * is taken in per-CPU batches of (nr-1)/(4*ncpu), so from one CPU only whole batches fit
     * (io_setup(1) on 2 CPUs: ring 127, batch 15, 120 requests; LNX-9).
     */
    static int capacityFor(int ringNr, int cpus) {
        int avail = ringNr - 1;
        int batch = Math.max(1, avail / (cpus * 4));
        return avail / batch * batch;
    }

    boolean isDead() {
        return dead.get();
    }

    /** Marks the context dead; true for the one caller that did it (two racing destroys: one wins, LNX-15). */
    boolean kill() {
        if (!dead.compareAndSet(false, true)) return false;
        wakeWaiters();
        return true;
    }

    // ---- polls (the only requests io_cancel can cancel, LNX-71) ----------------------------------

    void pollSubmitted(Request r, long obj) {
        synchronized (pendingPolls) {
            pendingPolls.computeIfAbsent(obj, k -> new ArrayDeque<>()).add(r);
        }
    }

    void pollGone(Request r, long obj) {
        synchronized (pendingPolls) {
            ArrayDeque<Request> q = pendingPolls.get(obj);
            if (q != null && q.remove(r) && q.isEmpty()) pendingPolls.remove(obj);
        }
    }

    /** The oldest in-flight poll submitted with this iocb address (LNX-73), or null. */
    Request oldestPoll(long obj) {
        synchronized (pendingPolls) {
            ArrayDeque<Request> q = pendingPolls.get(obj);
            return q == null ? null : q.peekFirst();
        }
    }

    // ---- completion ------------------------------------------------------------------------------

    @Override
    public void completed(Request r) {
        Ticket t = (Ticket) r.attachment();
        long res;
        if (t.answer() != null) res = t.answer();
        else if (t.interrupted() && r.error() == AioError.EAGAIN) res = -LinuxErrno.EINTR;
        else if (r.error() == null) res = r.result();
        else if (r.op() == Request.Op.POLL && r.error() == AioError.ECANCELED) res = 0;   // LNX-72
        else res = -LinuxErrno.of(r.error());
        if (r.op() == Request.Op.POLL) pollGone(r, t.obj());
        ring.publish(t.data(), t.obj(), res, r);   // a dead context's ring drops it (LNX-17)
        if (t.resfd() >= 0) {
            HostIo.writeEventfd(t.resfd(), 1);
            HostIo.close(t.resfd());
        }
        if (waiters > 0) wakeWaiters();
    }

    private void wakeWaiters() {
        lock.lock();
        try {
            arrived.signalAll();
            for (HostSignalSleep s : sleepers) s.wake();
        } finally {
            lock.unlock();
        }
    }

    // ---- reaping ---------------------------------------------------------------------------------

    /** Gives back the slots of events the program reaped from the ring by itself (libaio's fast path). */
    void releaseUserReaped() {
        List<Request> reaped = new ArrayList<>();
        ring.collectUserReaped(reaped);
        for (Request r : reaped) core.release(r);
    }

    /**
     * io_getevents' loop (LNX-58..65): collect what is there up to nr; return when min_nr are
     * collected, the deadline passes, the context dies (EINVAL if nothing was collected) or a
     * signal comes (EINTR if nothing was collected, LNX-64): the thread is interrupted (the
     * emulated signal), or, with {@code host}, a real signal is pending that the wait's mask lets
     * through (asked before each sleep; the sleep itself ends when one arrives, see
     * {@link HostSignalSleep}; a sleep at the device asks every {@link HostSignals#POLL_NANOS}).
     *
     * @param deadline System.nanoTime() deadline, or Long.MAX_VALUE for none
     * @param host     the program's real signals (the shim blocked them for this wait), or null
     */
    long getevents(long minNr, long nr, long events, long deadline, long spinNanos, HostSignals host) {
        HostSignalSleep sleep = null;   // made at the call's first sleep when the program's signals must end it
        try {
            List<Request> reaped = new ArrayList<>();
            long n = 0;
            long spinUntil = System.nanoTime() + spinNanos;
            for (;;) {
                if (n < nr) {
                    int k = ring.reap(events + n * IoEvent.SIZE, (int) Math.min(nr - n, Integer.MAX_VALUE), reaped);
                    for (Request r : reaped) core.release(r);
                    reaped.clear();
                    if (k < 0) return n > 0 ? n : k;
                    n += k;
                }
                if (n >= minNr) return n;
                if (isDead()) return n > 0 ? n : -LinuxErrno.EINVAL;
                if (Thread.interrupted()) return n > 0 ? n : -LinuxErrno.EINTR;
                long now = System.nanoTime();
                if (deadline != Long.MAX_VALUE && now - deadline >= 0) return n;
                if (core.onlyAtDevice()) {   // O_DIRECT only: no use spinning; sleep where the device's completion wakes this thread
                    if (host != null && host.pending() != 0) return n > 0 ? n : -LinuxErrno.EINTR;
                    long left = deadline == Long.MAX_VALUE ? HostSignals.POLL_NANOS : Math.min(deadline - now, HostSignals.POLL_NANOS);
                    if (core.awaitDevice(left, () -> ring.available() == 0)) continue;
                }
                if (now - spinUntil < 0 && (deadline == Long.MAX_VALUE || deadline - spinUntil > 0)) {
                    Thread.onSpinWait();
                    continue;
                }
                if (host != null && host.pending() != 0) return n > 0 ? n : -LinuxErrno.EINTR;
                long wait = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - now;
                if (host != null && sleep == null) sleep = HostSignalSleep.open(host);
                if (host != null && sleep == null) wait = Math.min(wait, HostSignals.POLL_NANOS);   // no fds for one: look now and then
                if (!sleep(sleep, wait)) return n > 0 ? n : -LinuxErrno.EINTR;
            }
        } finally {
            if (sleep != null) sleep.close();
        }
    }

    /**
     * One sleep until a completion, the context's death or the deadline: a Java park, or with
     * {@code host} a sleep in the host that a program signal also ends. The sleeper is counted
     * (and listed) before its last look at the ring, so a completion after that look wakes it.
     * False if the thread was interrupted.
     */
    private boolean sleep(HostSignalSleep host, long wait) {
        lock.lock();
        try {
            waiters++;
            if (host != null) sleepers.add(host);
            try {
                if (ring.available() == 0 && !isDead()) {
                    if (host != null) {
                        lock.unlock();   // completions take the lock to wake it
                        try {
                            host.sleep(wait);
                        } finally {
                            lock.lock();
                        }
                    } else if (wait == Long.MAX_VALUE) {
                        arrived.await();
                    } else {
                        arrived.awaitNanos(wait);
                    }
                }
            } finally {
                if (host != null) sleepers.remove(host);
                waiters--;
            }
            return true;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }
}

package org.aioemu.core;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.aioemu.core.Request.Option;
import org.aioemu.core.Request.State;
import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.aioemu.core.host.HostIocb;
import org.aioemu.core.host.HostLinuxAio;
import org.aioemu.core.host.HostTimespec;

/**
 * O_DIRECT reads and writes handed to the host's block layer at submit, through one host AIO
 * context of this system: no thread waits for the device per request. This is what Linux's
 * aio_read/aio_write do on an O_DIRECT file (the bio is queued inside io_submit; nothing can
 * cancel it) and what FreeBSD's aio_qbio does for a disk; an ABI asks for it per request with
 * {@link Option#BLOCK_LAYER}.
 *
 * <p>Why not the worker pool: a blocking pread holds a worker for the device's whole latency, so
 * keeping 32 requests at the device takes 32 threads, and every request then costs a wakeup to
 * hand it over and another to give it back (tens of microseconds each across CPUs on these VMs).
 *
 * <p>Who reaps: one thread at a time holds the reaping token. A program thread about to sleep for
 * completions that can only come from the device takes it and sleeps in the host's io_getevents,
 * so the device's interrupt wakes it directly, as it would wake the program natively
 * ({@link #awaitDevice}). Otherwise the reaper thread, woken through the eventfd every host
 * completion signals, reaps what is there. A completion that arrives while someone else holds the
 * token is left to the holder, who looks again after letting go ({@code missed}), so none waits
 * for a next one.
 *
 * <p>Whatever the host refuses (no AIO in this kernel, the context full, a flag it will not take
 * at submit) goes to the worker pool instead, where the same host call gives the program its
 * answer. The host context is made on first use and destroyed when the system closes and the last
 * request has come back, never before: io_destroy drops events not yet reaped.
 */
final class BlockLayerQueue implements AutoCloseable {
    /** Requests at the host at once; the host counts them against fs.aio-max-nr (65536). */
    static final int DEPTH = 512;
    private static final int BATCH = 64;
    /** The last slot is no request's: a host poll on {@link #kickfd}, to end a device wait early. */
    private static final int KICK = DEPTH - 1;

    private final RequestLifecycle life;
    private final Arena arena = Arena.ofShared();
    // slot i's request: set before io_submit, read by whoever reaps its event on another thread
    private final AtomicReferenceArray<Request> slots = new AtomicReferenceArray<>(DEPTH);
    private final AtomicLongArray used = new AtomicLongArray(DEPTH / 64);   // a set bit: the slot is taken
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closed;
    private boolean unavailable;   // guarded by this
    private volatile long ctx;      // aio_context_t; 0 until made and after destroyed
    private int eventfd = -1;       // signalled by the host at each completion; the reaper sleeps on it
    private int kickfd = -1;        // written to end a device wait; -1 if the host has no AIO poll (before 4.18)
    private MemorySegment iocbs;    // DEPTH host iocbs, slot i at index i (KICK's is the poll)
    private MemorySegment iocbPtrs; // DEPTH pointers, entry i = &iocbs[i]: io_submit's iocbpp for slot i

    // The reaping token and what its holder uses.
    private final AtomicBoolean reaping = new AtomicBoolean();
    private volatile boolean missed;
    private MemorySegment events;
    private MemorySegment timeout;  // struct timespec for a waiting reap
    private MemorySegment noWait;   // struct timespec {0, 0}
    private final Request[] done = new Request[BATCH];
    private final long[] results = new long[BATCH];

    BlockLayerQueue(RequestLifecycle life) {
        this.life = life;
    }

    /**
     * Hands an O_DIRECT read or write to the host, RUNNING from here on; false if the host would
     * not take it (the request is then untouched, still NEW).
     */
    boolean offer(Request r) {
        long context = ctx;
        if (context == 0) {
            synchronized (this) {
                if (!open()) return false;
                context = ctx;
            }
        }
        if (closed) return false;
        int slot = takeSlot();
        if (slot < 0) return false;   // DEPTH at the host already
        slots.set(slot, r);
        int opcode = switch (r.op) {
            case READ -> HostIocb.CMD_PREAD;
            case WRITE -> HostIocb.CMD_PWRITE;
            case READV -> HostIocb.CMD_PREADV;
            case WRITEV -> HostIocb.CMD_PWRITEV;
            default -> throw new IllegalArgumentException("not a read or write: " + r);
        };
        long nbytes = r.op.isVectored() ? r.iovcnt : r.buffer.byteSize();
        HostIocb.set(iocbs, slot, slot, opcode, r.fd, r.buffer.address(), nbytes, r.offset, r.rwFlags,
                HostIocb.FLAG_RESFD, eventfd);
        r.setState(State.RUNNING);   // before the host has it: its completion may come at once
        r.context.atDevice.incrementAndGet();
        long rc = HostLinuxAio.ioSubmit(context, 1, iocbPtrs.address() + (long) slot * Long.BYTES);
        if (rc == 1) return true;
        r.context.atDevice.decrementAndGet();
        r.setState(State.NEW);
        release(slot);
        return false;
    }

    /**
     * For a thread about to sleep until one of {@code c}'s requests completes, all of which are at
     * the device ({@link AioContext#onlyAtDevice}): when nobody else is reaping, sleeps in the
     * host's io_getevents for at most {@code maxNanos} and completes what it reaps (of any
     * context). True if it did, or if {@code nothingYet} says a completion came meanwhile; false
     * if the caller should sleep its own way. A completion of {@code c} that comes from elsewhere
     * during the sleep (another thread's socket request, say) ends it through the kick poll.
     */
    boolean awaitDevice(AioContext c, long maxNanos, BooleanSupplier nothingYet) {
        if (ctx == 0 || kickfd < 0) return false;
        c.deviceWaiters.incrementAndGet();   // before the last look: a delivery after it kicks (see kickIfWaiting)
        try {
            if (!nothingYet.getAsBoolean()) return true;
            if (!c.onlyAtDevice() || !reaping.compareAndSet(false, true)) return false;
            try {
                HostTimespec.set(timeout, maxNanos);
                reapHolding(1, timeout.address());
            } finally {
                letGo();
            }
            return true;
        } finally {
            c.deviceWaiters.decrementAndGet();
        }
    }

    /** After a completion of {@code c} that did not come from the device: wakes a thread of c waiting there. */
    void kickIfWaiting(AioContext c) {
        if (c.deviceWaiters.get() > 0 && kickfd >= 0) HostIo.writeEventfd(kickfd, 1);
    }

    /** The reaper thread: sleeps on the eventfd, reaps what is there if nobody else is. */
    private void reaperLoop(int fd) {
        for (;;) {
            int rc = HostIo.pollOne(fd, (short) HostConstants.POLLIN, -1);
            if (rc < 0 && rc != -HostOps.EINTR) return;
            HostIo.readEventfd(fd);   // the count is of no use: the host's ring says what completed
            if (ctx == 0) {           // destroyed, nothing left at the host
                HostIo.close(fd);
                return;
            }
            missed = true;
            if (reaping.compareAndSet(false, true)) {
                try {
                    missed = false;
                    reapHolding(0, 0);
                } finally {
                    letGo();
                }
            }
        }
    }

    /** Gives the token back; takes it again for one non-waiting reap if a completion came meanwhile. */
    private void letGo() {
        for (;;) {
            reaping.set(false);
            if (!missed || !reaping.compareAndSet(false, true)) return;
            missed = false;
            reapHolding(0, 0);
        }
    }

    /**
     * With the token: one host io_getevents ({@code timespec} 0: do not wait), then the completions;
     * again without waiting while a batch came back full, so nothing is left for a signal that
     * already came.
     */
    private void reapHolding(long minNr, long timespec) {
        long n;
        do {
            long context = ctx;
            if (context == 0) return;
            n = HostLinuxAio.ioGetevents(context, minNr, BATCH, events.address(), timespec == 0 ? noWait.address() : timespec);
            if (n <= 0) return;   // EINTR, a timeout, or destroyed
            int k = 0;
            for (int i = 0; i < n; i++) {
                int slot = (int) HostIocb.eventData(events, i);
                if (slot == KICK) {
                    HostIo.readEventfd(kickfd);   // drained before the poll is armed again: a later kick fires it
                    HostLinuxAio.ioSubmit(context, 1, iocbPtrs.address() + (long) KICK * Long.BYTES);
                    continue;
                }
                done[k] = slots.get(slot);
                results[k++] = HostIocb.eventRes(events, i);
                release(slot);
            }
            for (int i = 0; i < k; i++) {
                Request r = done[i];
                done[i] = null;
                r.context.atDevice.decrementAndGet();
                life.complete(r, results[i], CompletionPath.DEVICE);
            }
            minNr = 0;
            timespec = 0;
        } while (n == BATCH);
    }

    /** Makes the host context, its eventfd and the reaper on first use; false if this host has none to give. */
    private boolean open() {
        if (ctx != 0) return true;
        if (unavailable) return false;
        unavailable = true;   // until everything below worked
        if (!HostLinuxAio.supported()) return false;
        int fd = HostIo.eventfd(0, HostConstants.EFD_NONBLOCK | HostConstants.EFD_CLOEXEC);
        if (fd < 0) return false;
        MemorySegment ctxp = arena.allocate(JAVA_LONG);
        if (HostLinuxAio.ioSetup(DEPTH, ctxp.address()) < 0) {   // ENOSYS (a sandbox), EAGAIN (fs.aio-max-nr used up)
            HostIo.close(fd);
            return false;
        }
        eventfd = fd;
        iocbs = arena.allocate(HostIocb.LAYOUT, DEPTH);
        iocbPtrs = arena.allocate(JAVA_LONG, DEPTH);
        events = arena.allocate(HostIocb.EVENT_LAYOUT, BATCH);
        timeout = arena.allocate(HostTimespec.LAYOUT);
        noWait = arena.allocate(16, 8);
        for (int i = 0; i < DEPTH; i++) iocbPtrs.setAtIndex(JAVA_LONG, i, iocbs.address() + i * HostIocb.LAYOUT.byteSize());
        long context = ctxp.get(JAVA_LONG, 0);
        used.set(KICK / 64, 1L << (KICK % 64));
        int kick = HostIo.eventfd(0, HostConstants.EFD_NONBLOCK | HostConstants.EFD_CLOEXEC);
        if (kick >= 0) {
            HostIocb.set(iocbs, KICK, KICK, HostIocb.CMD_POLL, kick, HostConstants.POLLIN, 0, 0, 0, HostIocb.FLAG_RESFD, fd);
            if (HostLinuxAio.ioSubmit(context, 1, iocbPtrs.address() + (long) KICK * Long.BYTES) == 1) kickfd = kick;
            else HostIo.close(kick);   // no AIO poll in this kernel: no device waits, the reaper does it all
        }
        ctx = context;
        unavailable = false;
        ThreadStarts.start(Thread.ofPlatform().daemon().name("aioemu-block-reaper").unstarted(() -> reaperLoop(fd)));
        return true;
    }

    /** A free slot, now taken and counted in flight; -1 if none. */
    private int takeSlot() {
        for (int w = 0; w < DEPTH / 64; w++) {
            for (long bits = used.get(w); bits != -1L; bits = used.get(w)) {
                int bit = Long.numberOfTrailingZeros(~bits);
                if (used.compareAndSet(w, bits, bits | (1L << bit))) {
                    inFlight.incrementAndGet();
                    return w * 64 + bit;
                }
            }
        }
        return -1;
    }

    private void release(int slot) {
        slots.set(slot, null);
        int w = slot >>> 6;
        long bit = 1L << (slot & 63);
        for (long bits = used.get(w); !used.compareAndSet(w, bits, bits & ~bit); bits = used.get(w)) { }
        if (inFlight.decrementAndGet() == 0 && closed) destroy();
    }

    private synchronized void destroy() {
        if (ctx == 0) return;
        HostLinuxAio.ioDestroy(ctx);   // cancels the kick poll too
        ctx = 0;
        if (kickfd >= 0) HostIo.close(kickfd);
        kickfd = -1;
        unavailable = true;
        HostIo.writeEventfd(eventfd, 1);   // the reaper wakes, sees no context, and ends
    }

    /** Requests at the host now. */
    int inFlight() {
        return inFlight.get();
    }

    /** No more requests; the context goes when the last one in flight has come back. */
    @Override
    public void close() {
        closed = true;
        if (inFlight.get() == 0) destroy();
    }
}

package org.aioemu.freebsd;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import org.aioemu.core.AioSystem;

/**
 * The emulated system's AIO sysctls, with FreeBSD's defaults (sys/kern/vfs_aio.c,
 * sys/kern/sys_socket.c). Writable ones take effect at once: the queue limits drive the core's
 * admission ({@link org.aioemu.core.AioLimits}), the aiod pool sizes drive its
 * {@link org.aioemu.core.WorkerPool}. Read-only ones report the live counts.
 *
 * <p>Socket AIO here needs no thread pool (the core's poller resumes waiting requests), so the
 * {@code kern.ipc.aio.*} pool sizes are kept and reported but size nothing.
 */
public final class FreeBsdSysctl {
    /** A refused sysctl, with FreeBSD's errno: ENOENT (no such name), EPERM (read-only), EINVAL (bad value). */
    public static final class SysctlException extends Exception {
        private final int errno;

        SysctlException(int errno, String message) {
            super(message, null, false, false);
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }

    private record Oid(LongSupplier get, LongConsumer set, String description) {
        boolean writable() {
            return set != null;
        }
    }

    private final AioSystem core;
    private final Map<String, Oid> oids = new TreeMap<>();

    // vfs.aio.* (defaults: MAX_AIO_QUEUE, MAX_AIO_QUEUE_PER_PROC, MAX_AIO_PER_PROC, MAX_BUF_AIO,
    // MAX_AIO_PROCS, TARGET_AIO_PROCS, AIOD_LIFETIME_DEFAULT = 30 * hz)
    private volatile int maxAioQueue = 1024;
    private volatile int maxAioQueuePerProc = 256;
    private volatile int maxAioPerProc = 32;
    private volatile int maxBufAio = 16;
    private volatile int maxAioProcs = 32;
    private volatile int targetAioProcs = 4;
    private volatile int aiodLifetime = 30 * FreeBsdAioConstants.HZ;
    private volatile int enableUnsafe;
    private volatile int unsafeWarningCount = 1;
    // kern.ipc.aio.* (soaio pool)
    private volatile int soaioMaxProcs = 32;
    private volatile int soaioLifetime = 30 * FreeBsdAioConstants.HZ;
    // debug.iosize_max_clamp: 0 on amd64, so the largest transfer is SSIZE_MAX
    private volatile int iosizeMaxClamp;

    FreeBsdSysctl(AioSystem core) {
        this.core = core;
        rw("vfs.aio.max_aio_queue", () -> maxAioQueue, v -> { maxAioQueue = (int) v; applyLimits(); },
                "Maximum number of aio requests to queue, globally");
        rw("vfs.aio.max_aio_queue_per_proc", () -> maxAioQueuePerProc, v -> { maxAioQueuePerProc = (int) v; applyLimits(); },
                "Maximum queued aio requests per process");
        rw("vfs.aio.max_aio_per_proc", () -> maxAioPerProc, v -> { maxAioPerProc = (int) v; applyLimits(); },
                "Maximum active aio requests per process");
        rw("vfs.aio.max_buf_aio", () -> maxBufAio, v -> maxBufAio = (int) v,
                "Maximum buf aio requests per process");
        rw("vfs.aio.max_aio_procs", () -> maxAioProcs, v -> { maxAioProcs = (int) v; applyPool(); },
                "Maximum number of kernel processes to use for handling async IO");
        rw("vfs.aio.target_aio_procs", () -> targetAioProcs, v -> { targetAioProcs = (int) v; applyPool(); },
                "Preferred number of ready kernel processes for async IO");
        rw("vfs.aio.aiod_lifetime", () -> aiodLifetime, v -> { aiodLifetime = (int) v; applyPool(); },
                "Maximum lifetime for idle aiod");
        rw("vfs.aio.enable_unsafe", () -> enableUnsafe, v -> enableUnsafe = (int) v,
                "Permit asynchronous IO on all file types, not just known-safe types");
        rw("vfs.aio.unsafe_warningcnt", () -> Integer.toUnsignedLong(unsafeWarningCount), v -> unsafeWarningCount = (int) v,
                "Warnings that will be triggered upon failed IO requests on unsafe files");
        ro("vfs.aio.num_aio_procs", () -> core.workers().threads(), "Number of presently active kernel processes for async IO");
        ro("vfs.aio.num_queue_count", () -> core.limits().queuedSystem(), "Number of queued aio requests");
        ro("vfs.aio.num_buf_aio", () -> 0, "Number of aio requests presently handled by the buf subsystem");
        ro("vfs.aio.num_unmapped_aio", () -> 0, "Number of aio requests presently handled by unmapped I/O buffers");
        rw("kern.ipc.aio.max_procs", () -> soaioMaxProcs, v -> soaioMaxProcs = (int) v,
                "Maximum number of kernel processes to use for async socket IO");
        ro("kern.ipc.aio.target_procs", () -> 4, "Preferred number of ready kernel processes for async socket IO");
        rw("kern.ipc.aio.lifetime", () -> soaioLifetime, v -> soaioLifetime = (int) v,
                "Maximum lifetime for idle aiod");
        ro("kern.ipc.aio.num_procs", () -> 1, "Number of active kernel processes for async socket IO (the poller)");
        ro("kern.ipc.aio.empty_results", () -> 0, "socket operation returned EAGAIN");
        ro("kern.ipc.aio.empty_retries", () -> core.stats().spuriousWakeups(), "socket operation retries");
        ro("p1003_1b.aio_listio_max", () -> maxAioQueuePerProc, "Maximum aio requests for a single lio_listio call");
        ro("p1003_1b.aio_max", () -> 1024, "AIO_MAX");
        ro("p1003_1b.aio_prio_delta_max", () -> 0, "AIO_PRIO_DELTA_MAX");
        ro("p1003_1b.asynchronous_io", () -> FreeBsdAioConstants.POSIX_ASYNCHRONOUS_IO, "_POSIX_ASYNCHRONOUS_IO");
        rw("debug.iosize_max_clamp", () -> iosizeMaxClamp, v -> iosizeMaxClamp = (int) v,
                "Clamp max i/o size to INT_MAX");
        ro("kern.hz", () -> FreeBsdAioConstants.HZ, "Number of clock ticks per second");
        applyLimits();
        applyPool();
    }

    private void rw(String name, LongSupplier get, LongConsumer set, String description) {
        oids.put(name, new Oid(get, set, description));
    }

    private void ro(String name, LongSupplier get, String description) {
        oids.put(name, new Oid(get, null, description));
    }

    /** sysctlbyname(3) read. */
    public long get(String name) throws SysctlException {
        return oid(name).get().getAsLong();
    }

    /** sysctlbyname(3) write; every value here is a C int, so anything outside int range is EINVAL. */
    public void set(String name, long value) throws SysctlException {
        Oid oid = oid(name);
        if (!oid.writable()) throw new SysctlException(FreeBsdErrno.EPERM, name + " is read-only");
        boolean unsigned = name.equals("vfs.aio.unsafe_warningcnt");
        boolean fits = unsigned ? value >= 0 && value <= 0xffff_ffffL : value == (int) value;
        if (!fits) throw new SysctlException(FreeBsdErrno.EINVAL, name + ": " + value + " is not an int");
        synchronized (this) {
            oid.set().accept(value);
        }
    }

    public String describe(String name) throws SysctlException {
        return oid(name).description();
    }

    /** Every name and its current value, sorted (sysctl -a). */
    public Map<String, Long> all() {
        Map<String, Long> out = new TreeMap<>();
        oids.forEach((k, v) -> out.put(k, v.get().getAsLong()));
        return Collections.unmodifiableMap(out);
    }

    private Oid oid(String name) throws SysctlException {
        Oid oid = oids.get(name);
        if (oid == null) throw new SysctlException(FreeBsdErrno.ENOENT, "unknown oid '" + name + "'");
        return oid;
    }

    // The core's limits must be >= 1; a tunable of 0 or less is enforced by the ABI's own checks
    // (which refuse everything), so the core gets 1 then.
    private void applyLimits() {
        core.limits().setMaxQueuedSystem(Math.max(1, maxAioQueue));
        core.limits().setMaxQueuedPerProcess(Math.max(1, maxAioQueuePerProc));
        core.limits().setMaxActivePerProcess(Math.max(1, maxAioPerProc));
    }

    private void applyPool() {
        int max = Math.max(1, maxAioProcs);
        int min = Math.max(0, Math.min(targetAioProcs, max));
        long lifetimeMillis = Math.max(1, (long) aiodLifetime) * 1000 / FreeBsdAioConstants.HZ;
        core.workers().resize(min, max, Duration.ofMillis(lifetimeMillis));
    }

    // What the ABI reads on its paths (plain volatile loads).
    int maxAioQueue() { return maxAioQueue; }
    int maxAioQueuePerProc() { return maxAioQueuePerProc; }
    boolean unsafeEnabled() { return enableUnsafe != 0; }

    /** IOSIZE_MAX: SSIZE_MAX, or INT_MAX when debug.iosize_max_clamp is set. */
    long iosizeMax() {
        return iosizeMaxClamp != 0 ? FreeBsdAioConstants.INT_MAX : FreeBsdAioConstants.SSIZE_MAX;
    }

    /** Counts a refused unsafe request against unsafe_warningcnt; true if FreeBSD would still log it. */
    synchronized boolean countUnsafeWarning() {
        if (unsafeWarningCount == 0) return false;
        unsafeWarningCount--;
        return true;
    }
}

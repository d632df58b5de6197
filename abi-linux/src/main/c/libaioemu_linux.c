/*
 * libaioemu-linux.so: libaio's calls on aioemu's emulated Linux AIO. Exported unversioned, so a
 * program linked with the system's libaio binds to these when this library is preloaded (also
 * libaio's own internal calls: io_queue_* reach io_setup/io_getevents/io_destroy through its PLT),
 * and a program built by 'aioemu cc' links straight to them.
 *
 * Every call starts the JVM on first use (aioemu_jvm.h) and goes through the table that
 * org.aioemu.linux.shim.LinuxShimEntry fills with upcall stubs into LinuxAioProcess. Returns are
 * libaio's: a result or -errno. Two answers stay in C: libaio's own zero-timeout empty-ring check
 * (it never enters the kernel: LNX-78), and EINVAL for every context in a fork child, whose
 * contexts all belong to the parent (LNX-10).
 *
 * Signals (LNX-64, LNX-67): an io_getevents/io_pgetevents that may sleep (min_nr > 0, a timeout
 * other than {0,0}) runs with the program's signals blocked (aioemu_jvm.h, aioemu_signals_block);
 * the Java wait asks every 10 ms whether a signal is pending that the thread's mask (for
 * io_pgetevents with a sigmask: that mask) lets through, and ends with -EINTR if no event was
 * collected (never restarted). On -EINTR io_pgetevents' mask is put in place for a moment so the
 * signal is delivered under it, then the program's own mask is back. A call that finds min_nr
 * events already in the ring cannot sleep and skips the mask. Every other call (io_submit too,
 * whose poll(2) waits a signal ends by itself) makes no extra system call.
 */
#define _GNU_SOURCE
#include "libaio.h"
#include "aioemu_jvm.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>

#define EXPORT __attribute__((visibility("default")))
#define AIO_RING_MAGIC 0xa10a10a1u
#define FAST_PATH_ALLOWED 1L

/* Filled by LinuxShimEntry.install; the slot order is the contract with it. */
static struct linux_table {
    struct aioemu_bridge head;
    volatile long flags;   /* Java: FAST_PATH_ALLOWED unless every call must reach Java (--record) */
    long (*setup)(int nr_events, io_context_t *ctxp);
    long (*destroy)(io_context_t ctx);
    long (*submit)(io_context_t ctx, long nr, struct iocb **iocbpp);
    long (*cancel)(io_context_t ctx, struct iocb *iocb, struct io_event *result);
    long (*getevents)(io_context_t ctx, long min_nr, long nr, struct io_event *events, struct timespec *timeout);
    long (*pgetevents)(io_context_t ctx, long min_nr, long nr, struct io_event *events, struct timespec *timeout,
                       struct io_sigset *usig);
} T = {.head = {.table_size = sizeof(struct linux_table)}};

static int up(void) { return aioemu_jvm_start("org/aioemu/linux/shim/LinuxShimEntry", &T.head) == 0; }

/* The head of struct aio_ring at the context address (AioRingHeader.java). */
struct ring_head {
    unsigned id, nr, head, tail, magic;
};

/* What the timeout pointer says about the wait, read with the fault-safe copy (installed with
   the JVM): a bad pointer goes on to the full call and its EFAULT instead of a crash. */
enum wait_kind { WAIT_MAY_SLEEP, WAIT_ZERO, WAIT_BAD_POINTER };

static enum wait_kind timeout_kind(struct timespec *timeout) {
    struct timespec ts;
    if (!timeout) return WAIT_MAY_SLEEP;
    if (aioemu_safe_copy(&ts, timeout, sizeof ts) < 0) return WAIT_BAD_POINTER;
    return ts.tv_sec == 0 && ts.tv_nsec == 0 ? WAIT_ZERO : WAIT_MAY_SLEEP;
}

/* libaio's aio_ring_is_empty: a {0,0} timeout on a ring showing the magic with head == tail is
   answered 0 without a system call. */
static int empty_ring(io_context_t ctx) {
    struct ring_head h;
    if (!ctx || !(T.flags & FAST_PATH_ALLOWED)) return 0;
    if (aioemu_safe_copy(&h, ctx, sizeof h) < 0) return 0;
    return h.magic == AIO_RING_MAGIC && __atomic_load_n(&h.head, __ATOMIC_RELAXED) == h.tail;
}

/* Events between head and tail, as LinuxRing.available counts them (head is the program's to
   move too, so it is taken modulo nr); 0 if the ring cannot be read or is not ours. */
static long ring_events(io_context_t ctx) {
    struct ring_head h;
    if (!ctx || aioemu_safe_copy(&h, ctx, sizeof h) < 0 || h.magic != AIO_RING_MAGIC || h.nr == 0) return 0;
    unsigned head = __atomic_load_n(&h.head, __ATOMIC_RELAXED) % h.nr;
    return h.tail < h.nr ? (long)((h.tail - head + h.nr) % h.nr) : 0;
}

static int forked_child(void) { return aioemu_jvm_state() == AIOEMU_JVM_FORKED; }

EXPORT int io_setup(int maxevents, io_context_t *ctxp) {
    if (!up()) return -ENOSYS;
    return (int)T.setup(maxevents, ctxp);
}

EXPORT int io_destroy(io_context_t ctx) {
    if (forked_child()) return -EINVAL;
    if (!up()) return -ENOSYS;
    return (int)T.destroy(ctx);
}

EXPORT int io_submit(io_context_t ctx, long nr, struct iocb *ios[]) {
    if (forked_child()) return -EINVAL;
    if (!up()) return -ENOSYS;
    return (int)T.submit(ctx, nr, ios);
}

EXPORT int io_cancel(io_context_t ctx, struct iocb *iocb, struct io_event *evt) {
    if (forked_child()) return -EINVAL;
    if (!up()) return -ENOSYS;
    return (int)T.cancel(ctx, iocb, evt);
}

/*
 * io_getevents and io_pgetevents (sigmask: NULL, or the mask for the wait). A call that cannot
 * sleep goes straight to Java (or is answered here, LNX-78); one that may sleep runs with the
 * program's signals blocked, so that a pending one ends it (top of this file).
 */
static int getevents(io_context_t ctx, long min_nr, long nr, struct io_event *events, struct timespec *timeout,
                     int with_mask, sigset_t *sigmask) {
    int s = aioemu_jvm_state();
    enum wait_kind w = WAIT_MAY_SLEEP;
    if (s == AIOEMU_JVM_UP || s == AIOEMU_JVM_FORKED) {
        w = timeout_kind(timeout);
        if (w == WAIT_ZERO && empty_ring(ctx)) return 0;
        if (s == AIOEMU_JVM_FORKED) return -EINVAL;
    }
    if (!up()) return -ENOSYS;
    /* as libaio does: the kernel takes the mask with its size (_NSIG / 8 bytes) */
    struct io_sigset usig = {.ss = (unsigned long)sigmask, .ss_len = _NSIG / 8};
    if (s != AIOEMU_JVM_UP) w = timeout_kind(timeout);   /* the JVM just started: the copy works now */
    if (min_nr <= 0 || w != WAIT_MAY_SLEEP) {             /* returns at once (LNX-59, LNX-61) or EFAULT */
        return (int)(with_mask ? T.pgetevents(ctx, min_nr, nr, events, timeout, &usig)
                               : T.getevents(ctx, min_nr, nr, events, timeout));
    }
    /*
     * min_nr events already in the ring: the call returns at once, as a {0,0} one would, so it
     * cannot sleep and needs no signal mask (two rt_sigprocmask saved per call; fio reaps this way
     * after every buffered submit). Asked as a zero-timeout call; if another thread reaped in
     * between and fewer than min_nr came back, the rest is waited for the usual way below (the
     * kernel's read_events: what was collected is the answer if the wait then fails). Not while
     * recording (the trace shows the program's own arguments).
     */
    long got = 0;
    if ((T.flags & FAST_PATH_ALLOWED) && ring_events(ctx) >= min_nr) {
        struct timespec zero = {0, 0};
        long r = with_mask ? T.pgetevents(ctx, min_nr, nr, events, &zero, &usig)
                           : T.getevents(ctx, min_nr, nr, events, &zero);
        if (r < 0 || r >= min_nr) return (int)r;
        got = r;
        min_nr -= got;
        nr -= got;
        events += got;
    }
    sigset_t old, mask;
    sigemptyset(&mask);
    int own = sigmask && aioemu_safe_copy(&mask, sigmask, _NSIG / 8) >= 0;   /* unreadable: Java says EFAULT */
    aioemu_signals_block(&old, own ? &mask : NULL);
    long r = with_mask ? T.pgetevents(ctx, min_nr, nr, events, timeout, &usig)
                       : T.getevents(ctx, min_nr, nr, events, timeout);
    aioemu_signals_restore(&old, r == -EINTR);
    if (got > 0) return (int)(r < 0 ? got : got + r);
    return (int)r;
}

EXPORT int io_getevents(io_context_t ctx, long min_nr, long nr, struct io_event *events, struct timespec *timeout) {
    return getevents(ctx, min_nr, nr, events, timeout, 0, NULL);
}

EXPORT int io_pgetevents(io_context_t ctx, long min_nr, long nr, struct io_event *events, struct timespec *timeout,
                         sigset_t *sigmask) {
    return getevents(ctx, min_nr, nr, events, timeout, 1, sigmask);
}

/* ---- libaio's library calls, on the calls above ----------------------------------------------- */

EXPORT int io_queue_init(int maxevents, io_context_t *ctxp) {
    if (maxevents <= 0) return -EINVAL;
    *ctxp = NULL;
    return io_setup(maxevents, ctxp);
}

EXPORT int io_queue_release(io_context_t ctx) { return io_destroy(ctx); }

EXPORT int io_queue_wait(io_context_t ctx, struct timespec *timeout) {
    return io_getevents(ctx, 0, 0, NULL, timeout);
}

/* Runs the callback (kept in iocb->data by io_set_callback) of each event already there, one at a time. */
EXPORT int io_queue_run(io_context_t ctx) {
    struct timespec zero = {0, 0};
    struct io_event ev;
    int rc;
    while ((rc = io_getevents(ctx, 0, 1, &ev, &zero)) == 1) {
        io_callback_t cb = (io_callback_t)ev.data;
        cb(ctx, ev.obj, (long)ev.res, (long)ev.res2);
    }
    return rc;
}

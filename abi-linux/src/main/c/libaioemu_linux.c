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

/*
 * libaio's aio_ring_is_empty: a {0,0} timeout on a ring showing the magic with head == tail is
 * answered 0 without a system call. Read with the fault-safe copy (installed with the JVM), so a
 * bad context or timeout pointer goes on to the full call and its errno instead of a crash.
 */
static int empty_ring_zero_timeout(io_context_t ctx, struct timespec *timeout) {
    struct timespec ts;
    struct ring_head h;
    if (!timeout || !ctx || !(T.flags & FAST_PATH_ALLOWED)) return 0;
    if (aioemu_safe_copy(&ts, timeout, sizeof ts) < 0 || ts.tv_sec != 0 || ts.tv_nsec != 0) return 0;
    if (aioemu_safe_copy(&h, ctx, sizeof h) < 0) return 0;
    return h.magic == AIO_RING_MAGIC && __atomic_load_n(&h.head, __ATOMIC_RELAXED) == h.tail;
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

EXPORT int io_getevents(io_context_t ctx, long min_nr, long nr, struct io_event *events, struct timespec *timeout) {
    int s = aioemu_jvm_state();
    if (s == AIOEMU_JVM_UP || s == AIOEMU_JVM_FORKED) {
        if (empty_ring_zero_timeout(ctx, timeout)) return 0;
        if (s == AIOEMU_JVM_FORKED) return -EINVAL;
    }
    if (!up()) return -ENOSYS;
    return (int)T.getevents(ctx, min_nr, nr, events, timeout);
}

EXPORT int io_pgetevents(io_context_t ctx, long min_nr, long nr, struct io_event *events, struct timespec *timeout,
                         sigset_t *sigmask) {
    int s = aioemu_jvm_state();
    if (s == AIOEMU_JVM_UP || s == AIOEMU_JVM_FORKED) {
        if (empty_ring_zero_timeout(ctx, timeout)) return 0;
        if (s == AIOEMU_JVM_FORKED) return -EINVAL;
    }
    if (!up()) return -ENOSYS;
    /* as libaio does: the kernel takes the mask with its size (_NSIG / 8 bytes) */
    struct io_sigset usig = {.ss = (unsigned long)sigmask, .ss_len = _NSIG / 8};
    return (int)T.pgetevents(ctx, min_nr, nr, events, timeout, &usig);
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

/*
 * libaioemu-freebsd.so: FreeBSD's AIO calls (aio_*, lio_listio, aio_waitcomplete, and the
 * kqueue/kevent AIO subset) on aioemu's emulated FreeBSD ABI, for programs written for FreeBSD
 * and compiled here against include/aio.h and include/sys/event.h (`aioemu cc --abi freebsd`).
 * The calls are exported under __aioemu_fbsd_* names (the headers' asm labels), so they never
 * meet glibc's own aio_* (another layout) in the same process.
 *
 * Every call starts the JVM on first use (aioemu_jvm.h) and goes through the table that
 * org.aioemu.freebsd.shim.FreeBsdShimEntry fills with upcall stubs into FreeBsdAioProcess. The
 * Java side answers FreeBSD's way (a result, or -errno with FreeBSD's number); this file is the C
 * boundary where the program's view is made:
 *  - errno values (the calling thread's errno, aio_error()'s value, kevent data of EVFILT_AIO and
 *    EV_ERROR events) are mapped from FreeBSD's numbers to the host's, by name: errno_map, which
 *    the Java side fills from jnr-constants (FreeBSD EAGAIN 35 -> host EAGAIN 11);
 *  - notifications are real host signals, queued here (sigqueue_for_java) with the host's
 *    si_code SI_ASYNCIO and si_value, and taken back when the job is reaped before delivery
 *    (withdraw_for_java);
 *  - during a call every asynchronous signal is blocked on the calling thread (aioemu_jvm.h,
 *    aioemu_signals_block): threads the JVM creates inherit that mask, so a program signal is
 *    never delivered to a JVM thread (which would run the program's handler there, or kill the
 *    process while the program waits for it with sigwaitinfo); a signal that arrives during a
 *    call is delivered when the call returns, before errno is set; the sleeps (aio_suspend,
 *    aio_waitcomplete, lio_listio LIO_WAIT, kevent) end with EINTR when one is pending that the
 *    program's mask lets through, as FreeBSD's msleep(PCATCH) does.
 */
#define _GNU_SOURCE
#include "include/aio.h"
#include "include/sys/event.h"
#include "../../../../core-aio/src/main/c/bridge/aioemu_jvm.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* From here on `struct sigevent` is glibc's again (the program's is struct __aioemu_fbsd_sigevent),
   and timer_create/mq_notify are glibc's: the wrappers below translate to them. */
#undef sigevent
#undef timer_create
#undef mq_notify

#define EXPORT __attribute__((visibility("default")))
#define ERRNO_MAP_SIZE 128

/* FreeBSD's aio_fsync ops (sys/sys/fcntl.h), which the emulation takes. */
#define FBSD_O_SYNC 0x0080
#define FBSD_O_DSYNC 0x01000000

/* What sigqueue_for_java sends (FreeBsdHostSignals): an AIO notification, or a broken pipe's SIGPIPE. */
#define KIND_ASYNCIO 0
#define KIND_SIGPIPE 1

static int sigqueue_for_java(int signo, int kind, long value, int tid);
static int withdraw_for_java(int signo, long value);
static int32_t errno_map[ERRNO_MAP_SIZE];

/*
 * Filled by FreeBsdShimEntry.install; the slot order is the contract with it (FreeBsdShimTable).
 * Java calls answer a result >= 0 or -(FreeBSD errno).
 */
static struct freebsd_table {
    struct aioemu_bridge head;
    /* C: for the Java side */
    uint64_t layouts;   /* sizeof aiocb | sizeof sigevent << 16 | sizeof kevent << 32 | host _NSIG - 1 << 48 */
    int (*sigqueue)(int signo, int kind, long value, int tid);
    int (*withdraw)(int signo, long value);
    int32_t *errno_map; /* Java fills it: FreeBSD number -> host number, by name */
    /* Java: upcall stubs */
    long (*aio_read)(struct aiocb *);
    long (*aio_write)(struct aiocb *);
    long (*aio_readv)(struct aiocb *);
    long (*aio_writev)(struct aiocb *);
    long (*aio_mlock)(struct aiocb *);
    long (*aio_fsync)(int fbsd_op, struct aiocb *);
    long (*aio_error)(const struct aiocb *);
    long (*aio_return)(struct aiocb *);
    long (*aio_suspend)(const void *list, int nent, const struct timespec *);
    long (*aio_cancel)(int fd, struct aiocb *);
    long (*aio_waitcomplete)(struct aiocb **, struct timespec *);
    long (*lio_listio)(int mode, const void *list, int nent, struct __aioemu_fbsd_sigevent *);
    long (*kqueue)(void);
    long (*kevent)(int kq, const struct kevent *, int, struct kevent *, int, const struct timespec *);
} T = {
    .head = {.table_size = sizeof(struct freebsd_table)},
    .layouts = sizeof(struct aiocb) | (uint64_t)sizeof(struct __aioemu_fbsd_sigevent) << 16
               | (uint64_t)sizeof(struct kevent) << 32 | (uint64_t)(_NSIG - 1) << 48,
    .sigqueue = sigqueue_for_java,
    .withdraw = withdraw_for_java,
    .errno_map = errno_map,
};

/* ---- signal mask during a call (aioemu_jvm.h: aioemu_signals_block) ---------------------------- */

static void block_signals(sigset_t *old) { aioemu_signals_block(old, NULL); }

static void restore_signals(const sigset_t *old) { aioemu_signals_restore(old, 0); }

/* ---- errno ------------------------------------------------------------------------------------- */

/* The host's number for a FreeBSD errno value (0 stays 0). */
static int host_errno(long fbsd) {
    if (fbsd == 0) return 0;
    if (fbsd > 0 && fbsd < ERRNO_MAP_SIZE && errno_map[fbsd] != 0) return errno_map[fbsd];
    return EIO;   /* a FreeBSD errno without a host name: not one the AIO calls produce */
}

/* libc's ending: a result, or -1 with errno. */
static long finish(long r) {
    if (r >= 0) return r;
    errno = host_errno(-r);
    return -1;
}

static int up(void) { return aioemu_jvm_start("org/aioemu/freebsd/shim/FreeBsdShimEntry", &T.head) == 0; }

/* A fork child whose parent's JVM is gone has no AIO state: the parent's aiocbs are unknown (FBSD-69). */
static int forked_child(void) { return aioemu_jvm_state() == AIOEMU_JVM_FORKED; }

/*
 * One call: signals blocked while inside (see the top), the JVM started if need be (a fork child
 * gets a fresh one, or ENOSYS and one stderr line); errno set last, after any handler ran.
 */
#define CALL(expr)                                   \
    do {                                             \
        sigset_t old_;                               \
        long r_ = 0;                                 \
        block_signals(&old_);                        \
        int up_ = up();                              \
        if (up_) r_ = (expr);                        \
        restore_signals(&old_);                      \
        if (!up_) { errno = ENOSYS; return -1; }     \
        return finish(r_);                           \
    } while (0)

EXPORT int aio_read(struct aiocb *cb) { CALL(T.aio_read(cb)); }
EXPORT int aio_write(struct aiocb *cb) { CALL(T.aio_write(cb)); }
EXPORT int aio_readv(struct aiocb *cb) { CALL(T.aio_readv(cb)); }
EXPORT int aio_writev(struct aiocb *cb) { CALL(T.aio_writev(cb)); }
EXPORT int aio_mlock(struct aiocb *cb) { CALL(T.aio_mlock(cb)); }
EXPORT ssize_t aio_return(struct aiocb *cb) {
    if (forked_child()) { errno = EINVAL; return -1; }
    CALL(T.aio_return(cb));
}
EXPORT int aio_cancel(int fd, struct aiocb *cb) { CALL(T.aio_cancel(fd, cb)); }
/* FBSD-28: a wait without timeout that a signal ended starts over if the handler has SA_RESTART
   (the handler runs first, when the mask is restored); with a timeout it fails with EINTR. */
EXPORT ssize_t aio_waitcomplete(struct aiocb **cbp, struct timespec *ts) {
    for (;;) {
        sigset_t old;
        long r = 0;
        block_signals(&old);
        int ok = up();
        if (ok) r = T.aio_waitcomplete(cbp, ts);
        int restart = r < 0 && host_errno(-r) == EINTR && ts == NULL && aioemu_interrupt_restarts();
        restore_signals(&old);
        if (!ok) { errno = ENOSYS; return -1; }
        if (!restart) return finish(r);
    }
}
EXPORT int kqueue(void) { CALL(T.kqueue()); }

EXPORT int aio_suspend(const struct aiocb *const list[], int nent, const struct timespec *ts) {
    CALL(T.aio_suspend(list, nent, ts));
}

EXPORT int lio_listio(int mode, struct aiocb *__restrict const *__restrict list, int nent,
                      struct __aioemu_fbsd_sigevent *sig) {
    CALL(T.lio_listio(mode, (const void *)(uintptr_t)list, nent, sig));
}

/* The program passes <fcntl.h>'s (host) O_SYNC / O_DSYNC; anything else stays invalid (EINVAL). */
EXPORT int aio_fsync(int op, struct aiocb *cb) {
    int fbsd_op = op == O_SYNC ? FBSD_O_SYNC : op == O_DSYNC ? FBSD_O_DSYNC : 0;
    CALL(T.aio_fsync(fbsd_op, cb));
}

/* aio_error returns an errno VALUE (EINPROGRESS, 0, the job's error): the host's number for it. */
EXPORT int aio_error(const struct aiocb *cb) {
    if (forked_child()) return EINVAL;
    sigset_t old;
    long r = 0;
    block_signals(&old);
    int ok = up();
    if (ok) r = T.aio_error(cb);
    restore_signals(&old);
    if (!ok) { errno = ENOSYS; return -1; }
    if (r == -1) return -1;              /* FreeBSD's value when the aiocb cannot be read (fuword) */
    if (r < 0) return (int)finish(r);    /* the emulation failed internally */
    return host_errno(r);
}

/* kevent: the data of EVFILT_AIO events (the job's error) and of EV_ERROR events is an errno. */
EXPORT int kevent(int kq, const struct kevent *changes, int nchanges, struct kevent *events, int nevents,
                  const struct timespec *timeout) {
    sigset_t old;
    long r = 0;
    block_signals(&old);
    int ok = up();
    if (ok) r = T.kevent(kq, changes, nchanges, events, nevents, timeout);
    restore_signals(&old);
    if (!ok) { errno = ENOSYS; return -1; }
    for (long i = 0; i < r; i++) {
        struct kevent ev;   /* the events were just stored by the emulation; copied fault-safe all the same */
        if (aioemu_safe_copy(&ev, &events[i], sizeof ev) < 0) break;
        if (ev.filter != EVFILT_AIO && !(ev.flags & EV_ERROR)) continue;
        ev.data = host_errno(ev.data);
        aioemu_safe_copy(&events[i].data, &ev.data, sizeof ev.data);
    }
    return (int)finish(r);
}

/* ---- host signals for the Java side ------------------------------------------------------------- */

/*
 * Queues a real signal as FreeBSD's aio_sendsig would: si_code SI_ASYNCIO, si_value from the
 * sigevent, to the process (tid 0) or one thread (SIGEV_THREAD_ID); or, for a socket write that
 * broke a pipe, the SIGPIPE the host's own write would have sent (SI_USER). 0, or -errno
 * (ESRCH: the thread is gone, and FreeBSD drops the signal too).
 */
static int sigqueue_for_java(int signo, int kind, long value, int tid) {
    siginfo_t si;
    memset(&si, 0, sizeof si);
    if (kind == KIND_SIGPIPE) signo = SIGPIPE;
    si.si_signo = signo;
    si.si_code = kind == KIND_SIGPIPE ? SI_USER : SI_ASYNCIO;
    si.si_pid = getpid();
    si.si_uid = getuid();
    si.si_value.sival_ptr = (void *)value;
    long rc = tid != 0 ? syscall(SYS_rt_tgsigqueueinfo, getpid(), tid, signo, &si)
                       : syscall(SYS_rt_sigqueueinfo, getpid(), signo, &si);
    return rc < 0 ? -errno : 0;
}

/*
 * Takes back one undelivered AIO signal (signo, si_value) of this process, as FreeBSD's
 * aio_free_entry takes back a job's ksiginfo when the job is reaped first. Runs on the reaping
 * thread inside a call (signals blocked): the pending instances of signo that thread can see
 * (its own and the process's) are dequeued; the first that is ours goes, the others are queued
 * again in their order. Returns 1 if one was withdrawn.
 */
static int withdraw_for_java(int signo, long value) {
    sigset_t pending, one;
    if (sigpending(&pending) != 0 || !sigismember(&pending, signo)) return 0;
    sigemptyset(&one);
    sigaddset(&one, signo);
    siginfo_t others[64];
    int n = 0, found = 0;
    struct timespec zero = {0, 0};
    siginfo_t si;
    while (n < 64 && sigtimedwait(&one, &si, &zero) == signo) {
        if (!found && si.si_code == SI_ASYNCIO && si.si_pid == getpid() && (long)si.si_value.sival_ptr == value) {
            found = 1;
            if (signo < SIGRTMIN) break;   /* a standard signal is pending at most once */
            continue;
        }
        others[n++] = si;
    }
    for (int i = 0; i < n; i++) syscall(SYS_rt_sigqueueinfo, getpid(), signo, &others[i]);
    return found;
}

/* ---- timer_create / mq_notify with a FreeBSD sigevent -------------------------------------------- */

/* FreeBSD sigevent -> glibc's: 0, or EINVAL (SIGEV_KEVENT: FreeBSD's timers and mqueues take none either). */
static int to_glibc(const struct __aioemu_fbsd_sigevent *f, struct sigevent *g) {
    memset(g, 0, sizeof *g);
    g->sigev_signo = f->sigev_signo;
    g->sigev_value.sival_ptr = f->sigev_value.sival_ptr;
    switch (f->sigev_notify) {
    case SIGEV_NONE: g->sigev_notify = 1; break;           /* glibc SIGEV_NONE */
    case SIGEV_SIGNAL: g->sigev_notify = 0; break;         /* glibc SIGEV_SIGNAL */
    case SIGEV_THREAD:
        g->sigev_notify = 2;                               /* glibc SIGEV_THREAD */
        g->_sigev_un._sigev_thread._function = f->_sigev_un._sigev_thread._function;
        g->_sigev_un._sigev_thread._attribute = f->_sigev_un._sigev_thread._attribute;
        break;
    case SIGEV_THREAD_ID:
        g->sigev_notify = 4;                               /* glibc SIGEV_THREAD_ID */
        g->_sigev_un._tid = f->_sigev_un._threadid;
        break;
    default: return EINVAL;
    }
    return 0;
}

EXPORT int __aioemu_fbsd_timer_create(clockid_t clock, struct __aioemu_fbsd_sigevent *__restrict sev,
                                      timer_t *__restrict timer) {
    if (!sev) return timer_create(clock, NULL, timer);
    struct sigevent g;
    int e = to_glibc(sev, &g);
    if (e) { errno = e; return -1; }
    return timer_create(clock, &g, timer);
}

EXPORT int __aioemu_fbsd_mq_notify(mqd_t mq, const struct __aioemu_fbsd_sigevent *sev) {
    if (!sev) return mq_notify(mq, NULL);
    struct sigevent g;
    int e = to_glibc(sev, &g);
    if (e) { errno = e; return -1; }
    return mq_notify(mq, &g);
}

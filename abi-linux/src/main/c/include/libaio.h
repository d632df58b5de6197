/*
 * aioemu's libaio.h: source-compatible with libaio's public header (same names, types, layouts
 * and inline helpers, x86_64/little-endian 64-bit layouts), written for aioemu. Programs compiled
 * against it link with libaioemu-linux.so (aioemu cc); programs compiled against the system's
 * libaio run on aioemu unchanged when that library is preloaded (aioemu exec).
 *
 * Calls return a result or -errno (never -1 with errno set), as libaio's wrappers do; an
 * io_context_t is the address of the context's completion ring.
 */
#ifndef __LIBAIO_H
#define __LIBAIO_H

#ifdef __cplusplus
extern "C" {
#endif

#include <sys/types.h>
#include <string.h>
#include <signal.h>

#if !defined(__x86_64__) || defined(__ILP32__)
#error "aioemu's libaio.h describes the x86_64 (LP64) layouts only"
#endif

struct timespec;
struct sockaddr;
struct iovec;

typedef struct io_context *io_context_t;

typedef enum io_iocb_cmd {
    IO_CMD_PREAD = 0,
    IO_CMD_PWRITE = 1,
    IO_CMD_FSYNC = 2,
    IO_CMD_FDSYNC = 3,
    IO_CMD_POLL = 5,
    IO_CMD_NOOP = 6,
    IO_CMD_PREADV = 7,
    IO_CMD_PWRITEV = 8,
} io_iocb_cmd_t;

/* The union members of struct iocb; on LP64 pointers and longs fill their 8 bytes, no padding. */
struct io_iocb_poll {
    int events;                 /* poll(2) event mask; the result is the revents or -errno */
    unsigned __pad1;
};

struct io_iocb_sockaddr {
    struct sockaddr *addr;
    unsigned long len;
};

struct io_iocb_common {
    void *buf;                  /* 16 */
    unsigned long nbytes;       /* 24 */
    long long offset;           /* 32 */
    long long __pad3;           /* 40 */
    unsigned flags;             /* 48 IOCB_FLAG_RESFD, IOCB_FLAG_IOPRIO */
    unsigned resfd;             /* 52 eventfd signalled on completion */
};

struct io_iocb_vector {
    const struct iovec *vec;
    unsigned long nr;
    long long offset;
};

/* 64 bytes, the kernel's struct iocb. */
struct iocb {
    void *data;                 /*  0 handed back in io_event.data */
    unsigned key;               /*  8 the kernel stores 0 here (KIOCB_KEY) */
    unsigned aio_rw_flags;      /* 12 RWF_* */
    short aio_lio_opcode;       /* 16 IO_CMD_* */
    short aio_reqprio;          /* 18 */
    int aio_fildes;             /* 20 */
    union {
        struct io_iocb_common c;
        struct io_iocb_vector v;
        struct io_iocb_poll poll;
        struct io_iocb_sockaddr saddr;
    } u;                        /* 24 */
};

/* 32 bytes, the kernel's struct io_event. */
struct io_event {
    void *data;
    struct iocb *obj;
    unsigned long res;
    unsigned long res2;
};

/* io_pgetevents' signal mask argument as the kernel takes it. */
struct io_sigset {
    unsigned long ss;
    unsigned long ss_len;
};

struct io_sigset_compat {
    unsigned long ss;
    unsigned long ss_len;
};

typedef void (*io_callback_t)(io_context_t ctx, struct iocb *iocb, long res, long res2);

/* libaio's library calls */
extern int io_queue_init(int maxevents, io_context_t *ctxp);
extern int io_queue_release(io_context_t ctx);
extern int io_queue_run(io_context_t ctx);

/* the system calls */
extern int io_setup(int maxevents, io_context_t *ctxp);
extern int io_destroy(io_context_t ctx);
extern int io_submit(io_context_t ctx, long nr, struct iocb *ios[]);
extern int io_cancel(io_context_t ctx, struct iocb *iocb, struct io_event *evt);
extern int io_getevents(io_context_t ctx, long min_nr, long nr, struct io_event *events, struct timespec *timeout);
extern int io_pgetevents(io_context_t ctx, long min_nr, long nr, struct io_event *events,
                         struct timespec *timeout, sigset_t *sigmask);

static inline void io_set_callback(struct iocb *iocb, io_callback_t cb) {
    iocb->data = (void *)cb;
}

/* Every io_prep_* clears the whole iocb first, then sets what its operation uses. */
static inline void __aioemu_prep(struct iocb *iocb, int fd, short opcode) {
    memset(iocb, 0, sizeof(*iocb));
    iocb->aio_fildes = fd;
    iocb->aio_lio_opcode = opcode;
}

static inline void io_prep_pread(struct iocb *iocb, int fd, void *buf, size_t count, long long offset) {
    __aioemu_prep(iocb, fd, IO_CMD_PREAD);
    iocb->u.c.buf = buf;
    iocb->u.c.nbytes = count;
    iocb->u.c.offset = offset;
}

static inline void io_prep_pwrite(struct iocb *iocb, int fd, void *buf, size_t count, long long offset) {
    __aioemu_prep(iocb, fd, IO_CMD_PWRITE);
    iocb->u.c.buf = buf;
    iocb->u.c.nbytes = count;
    iocb->u.c.offset = offset;
}

/* The vectored forms keep the iovec array in buf and its length in nbytes, as the kernel reads them. */
static inline void io_prep_preadv(struct iocb *iocb, int fd, const struct iovec *iov, int iovcnt, long long offset) {
    __aioemu_prep(iocb, fd, IO_CMD_PREADV);
    iocb->u.c.buf = (void *)iov;
    iocb->u.c.nbytes = iovcnt;
    iocb->u.c.offset = offset;
}

static inline void io_prep_pwritev(struct iocb *iocb, int fd, const struct iovec *iov, int iovcnt, long long offset) {
    __aioemu_prep(iocb, fd, IO_CMD_PWRITEV);
    iocb->u.c.buf = (void *)iov;
    iocb->u.c.nbytes = iovcnt;
    iocb->u.c.offset = offset;
}

static inline void io_prep_preadv2(struct iocb *iocb, int fd, const struct iovec *iov, int iovcnt, long long offset,
                                   int flags) {
    io_prep_preadv(iocb, fd, iov, iovcnt, offset);
    iocb->aio_rw_flags = flags;
}

static inline void io_prep_pwritev2(struct iocb *iocb, int fd, const struct iovec *iov, int iovcnt, long long offset,
                                    int flags) {
    io_prep_pwritev(iocb, fd, iov, iovcnt, offset);
    iocb->aio_rw_flags = flags;
}

static inline void io_prep_poll(struct iocb *iocb, int fd, int events) {
    __aioemu_prep(iocb, fd, IO_CMD_POLL);
    iocb->u.poll.events = events;
}

static inline void io_prep_fsync(struct iocb *iocb, int fd) {
    __aioemu_prep(iocb, fd, IO_CMD_FSYNC);
}

static inline void io_prep_fdsync(struct iocb *iocb, int fd) {
    __aioemu_prep(iocb, fd, IO_CMD_FDSYNC);
}

/* Prepare, set the callback, submit: one request, the callback found again by io_queue_run. */
static inline int io_poll(io_context_t ctx, struct iocb *iocb, io_callback_t cb, int fd, int events) {
    io_prep_poll(iocb, fd, events);
    io_set_callback(iocb, cb);
    return io_submit(ctx, 1, &iocb);
}

static inline int io_fsync(io_context_t ctx, struct iocb *iocb, io_callback_t cb, int fd) {
    io_prep_fsync(iocb, fd);
    io_set_callback(iocb, cb);
    return io_submit(ctx, 1, &iocb);
}

static inline int io_fdsync(io_context_t ctx, struct iocb *iocb, io_callback_t cb, int fd) {
    io_prep_fdsync(iocb, fd);
    io_set_callback(iocb, cb);
    return io_submit(ctx, 1, &iocb);
}

/* IOCB_FLAG_RESFD (bit 0): the eventfd counts one per completion. */
static inline void io_set_eventfd(struct iocb *iocb, int eventfd) {
    iocb->u.c.flags |= 1u;
    iocb->u.c.resfd = eventfd;
}

#ifdef __cplusplus
}
#endif

#endif /* __LIBAIO_H */

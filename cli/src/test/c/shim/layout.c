/*
 * libaio.h source compatibility (written for aioemu's shim tests): compiled once against the
 * system's <libaio.h> and once against aioemu's, it prints every size, offset and constant a
 * program can see and the bytes each inline helper leaves in an iocb; both outputs must match.
 */
#include <libaio.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/uio.h>

#define SHOW(expr) printf("%s = %ld\n", #expr, (long)(expr))

static void dump(const char *what, const struct iocb *cb) {
    const unsigned char *p = (const unsigned char *)cb;
    printf("%s:", what);
    for (size_t i = 0; i < sizeof *cb; i++) printf("%02x", p[i]);
    printf("\n");
}

static void cb_fn(io_context_t c, struct iocb *i, long r, long r2) { (void)c; (void)i; (void)r; (void)r2; }

int main(void) {
    SHOW(sizeof(struct iocb));
    SHOW(offsetof(struct iocb, data));
    SHOW(offsetof(struct iocb, key));
    SHOW(offsetof(struct iocb, aio_rw_flags));
    SHOW(offsetof(struct iocb, aio_lio_opcode));
    SHOW(offsetof(struct iocb, aio_reqprio));
    SHOW(offsetof(struct iocb, aio_fildes));
    SHOW(offsetof(struct iocb, u.c.buf));
    SHOW(offsetof(struct iocb, u.c.nbytes));
    SHOW(offsetof(struct iocb, u.c.offset));
    SHOW(offsetof(struct iocb, u.c.flags));
    SHOW(offsetof(struct iocb, u.c.resfd));
    SHOW(offsetof(struct iocb, u.v.vec));
    SHOW(offsetof(struct iocb, u.v.nr));
    SHOW(offsetof(struct iocb, u.v.offset));
    SHOW(offsetof(struct iocb, u.poll.events));
    SHOW(offsetof(struct iocb, u.saddr.addr));
    SHOW(offsetof(struct iocb, u.saddr.len));
    SHOW(sizeof(struct io_event));
    SHOW(offsetof(struct io_event, data));
    SHOW(offsetof(struct io_event, obj));
    SHOW(offsetof(struct io_event, res));
    SHOW(offsetof(struct io_event, res2));
    SHOW(sizeof(struct io_sigset));
    SHOW(sizeof(struct io_sigset_compat));
    SHOW(sizeof(io_context_t));
    SHOW(IO_CMD_PREAD); SHOW(IO_CMD_PWRITE); SHOW(IO_CMD_FSYNC); SHOW(IO_CMD_FDSYNC);
    SHOW(IO_CMD_POLL); SHOW(IO_CMD_NOOP); SHOW(IO_CMD_PREADV); SHOW(IO_CMD_PWRITEV);
    io_iocb_cmd_t cmd = IO_CMD_PWRITEV;
    SHOW(cmd);
    io_callback_t f = cb_fn;
    (void)f;

    /* fixed fake addresses: the helpers only store them, and the dumps must not depend on the run */
    void *buf = (void *)0x1000;
    struct iovec *iov = (struct iovec *)0x2000;
    struct iocb cb;
    io_prep_pread(&cb, 3, buf, 64, 4096); dump("pread", &cb);
    io_prep_pwrite(&cb, 4, buf, 32, 8192); dump("pwrite", &cb);
    io_prep_preadv(&cb, 5, iov, 2, 12); dump("preadv", &cb);
    io_prep_pwritev(&cb, 6, iov, 2, 13); dump("pwritev", &cb);
    io_prep_preadv2(&cb, 7, iov, 2, 14, 8); dump("preadv2", &cb);
    io_prep_pwritev2(&cb, 8, iov, 2, 15, 2); dump("pwritev2", &cb);
    io_prep_poll(&cb, 9, 1); dump("poll", &cb);
    io_prep_fsync(&cb, 10); dump("fsync", &cb);
    io_prep_fdsync(&cb, 11); dump("fdsync", &cb);
    io_prep_pread(&cb, 12, buf, 1, 0); io_set_eventfd(&cb, 13); dump("eventfd", &cb);
    io_set_callback(&cb, cb_fn); printf("callback stored: %d\n", cb.data == (void *)cb_fn);
    /* every call with exactly libaio's signature: a mismatch is a compile error */
    int (*q_init)(int, io_context_t *) = io_queue_init;
    int (*q_release)(io_context_t) = io_queue_release;
    int (*q_run)(io_context_t) = io_queue_run;
    int (*setup)(int, io_context_t *) = io_setup;
    int (*destroy)(io_context_t) = io_destroy;
    int (*submit)(io_context_t, long, struct iocb *[]) = io_submit;
    int (*cancel)(io_context_t, struct iocb *, struct io_event *) = io_cancel;
    int (*getevents)(io_context_t, long, long, struct io_event *, struct timespec *) = io_getevents;
    int (*pgetevents)(io_context_t, long, long, struct io_event *, struct timespec *, sigset_t *) = io_pgetevents;
    int (*poll)(io_context_t, struct iocb *, io_callback_t, int, int) = io_poll;
    int (*fsync)(io_context_t, struct iocb *, io_callback_t, int) = io_fsync;
    int (*fdsync)(io_context_t, struct iocb *, io_callback_t, int) = io_fdsync;
    void *all[] = {(void *)q_init, (void *)q_release, (void *)q_run, (void *)setup, (void *)destroy, (void *)submit,
                   (void *)cancel, (void *)getevents, (void *)pgetevents, (void *)poll, (void *)fsync, (void *)fdsync};
    printf("functions %zu\n", sizeof all / sizeof all[0]);
    return 0;
}

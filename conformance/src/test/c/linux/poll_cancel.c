/*
 * IOCB_CMD_POLL and io_cancel, after libaio harness/cases/22.t (a poll on a pipe completes with
 * obj == &iocb and POLLIN in res) and LTP io_cancel01/02, extended with the cancel rules the host
 * kernel shows (LNX-53..57, LNX-71..73; probes p_poll.c and p_cancel.c): only a pending poll can
 * be cancelled, the call answers EINPROGRESS and the event (res 0) comes through the ring.
 * Written anew for aioemu.
 */
#include "aioprog.h"
#include <poll.h>
#include <stdint.h>

static io_context_t ctx;

static void show(const char *what, int r) {
    struct io_event ev;
    int n = r == 1 ? reap_one(ctx, &ev) : 0;
    if (n == 1) printf("%s: submit %s event data=%ld res=0x%lx res2=%ld\n", what, rv(r), (long)ev.data, (long)ev.res, (long)ev.res2);
    else printf("%s: submit %s event %s\n", what, rv(r), rv(n));
}

static int submit1(struct iocb *cb) {
    struct iocb *list[1] = {cb};
    return io_submit(ctx, 1, list);
}

int main(int argc, char **argv) {
    usage_check(argc);
    printf("io_setup(16): %s\n", rv(io_setup(16, &ctx)));
    int p[2];
    if (pipe(p) != 0) return 2;
    struct iocb cb, copy;
    struct io_event ev, result;
    struct timespec zero = {0, 0};

    /* a poll on an empty pipe stays pending */
    io_prep_poll(&cb, p[0], POLLIN);
    cb.data = (void *)11;
    printf("poll(POLLIN) on an empty pipe: submit %s\n", rv(submit1(&cb)));
    printf("  io_getevents({0,0}): %s\n", rv(io_getevents(ctx, 0, 1, &ev, &zero)));
    /* a copy of the iocb at another address names no request */
    memcpy(&copy, &cb, sizeof cb);
    printf("  io_cancel(copy of the iocb): %s\n", rv(io_cancel(ctx, &copy, &result)));
    /* the request itself is cancelled: EINPROGRESS, and its event comes through the ring */
    printf("  io_cancel(iocb): %s\n", rv(io_cancel(ctx, &cb, &result)));
    int n = reap_one(ctx, &ev);
    printf("  event after cancel: %s data=%ld obj-ok=%s res=%ld\n", rv(n), (long)ev.data, yes(ev.obj == &cb), (long)ev.res);
    printf("  io_cancel(again): %s\n", rv(io_cancel(ctx, &cb, &result)));

    /* a pending poll completes on the first write; res is the wakeup mask (POLLIN|POLLRDNORM) */
    io_prep_poll(&cb, p[0], POLLIN);
    cb.data = (void *)12;
    int r = submit1(&cb);
    printf("poll(POLLIN) then write: submit %s, pending: %s\n", rv(r), rv(io_getevents(ctx, 0, 1, &ev, &zero)));
    if (write(p[1], "x", 1) != 1) return 2;
    show("  after the write", 1);

    /* ready at submit: res = ready & requested */
    io_prep_poll(&cb, p[0], POLLIN);
    cb.data = (void *)13;
    show("poll(POLLIN) with data waiting", submit1(&cb));
    io_prep_poll(&cb, p[0], POLLIN | POLLRDNORM | POLLOUT);
    cb.data = (void *)14;
    show("poll(IN|RDNORM|OUT) on the read end with data", submit1(&cb));
    io_prep_poll(&cb, p[1], POLLOUT);
    cb.data = (void *)15;
    show("poll(POLLOUT) on the write end", submit1(&cb));

    /* a cancelled key (aio_key changed after submit) makes io_cancel refuse */
    char c;
    if (read(p[0], &c, 1) != 1) return 2;
    io_prep_poll(&cb, p[0], POLLIN);
    cb.data = (void *)16;
    r = submit1(&cb);
    cb.key = 1;
    printf("poll pending, aio_key set to 1: submit %s io_cancel %s\n", rv(r), rv(io_cancel(ctx, &cb, &result)));
    cb.key = 0;
    printf("  aio_key back to 0: io_cancel %s\n", rv(io_cancel(ctx, &cb, &result)));
    show("  its event", 1);

    /* events = 0 still reports the hang-up when the writer goes away */
    io_prep_poll(&cb, p[0], 0);
    cb.data = (void *)17;
    r = submit1(&cb);
    close(p[1]);
    show("poll(0) then the writer closes", r);

    /* a regular file is always ready (DEFAULT_POLLMASK & requested) */
    int fd = temp_file(argv[1], "poll.dat", O_RDWR);
    if (write(fd, "0123456789", 10) != 10) return 2;
    io_prep_poll(&cb, fd, POLLIN);
    cb.data = (void *)18;
    show("poll(POLLIN) on a regular file", submit1(&cb));
    /* the poll iocb must not carry a length, and no bits above 16 */
    io_prep_poll(&cb, fd, POLLIN);
    cb.u.c.nbytes = 1;
    printf("poll with nbytes 1: %s\n", rv(submit1(&cb)));
    io_prep_poll(&cb, fd, POLLIN);
    cb.u.c.buf = (void *)(uintptr_t)0x10001;
    printf("poll with bit 16 set: %s\n", rv(submit1(&cb)));

    /* io_cancel of a completed read: EINVAL */
    static char buf[8];
    io_prep_pread(&cb, fd, buf, sizeof buf, 0);
    cb.data = (void *)19;
    r = submit1(&cb);
    printf("completed pread: submit %s io_cancel %s\n", rv(r), rv(io_cancel(ctx, &cb, &result)));
    show("  its event", 1);

    /* io_destroy with a poll pending: returns, the poll is gone */
    int q[2];
    if (pipe(q) != 0) return 2;
    io_prep_poll(&cb, q[0], POLLIN);
    r = submit1(&cb);
    printf("poll pending at io_destroy: submit %s io_destroy %s\n", rv(r), rv(io_destroy(ctx)));
    return 0;
}

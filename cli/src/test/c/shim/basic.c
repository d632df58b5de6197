/*
 * The libaio API end to end (written for aioemu's shim tests): io_queue_init, pwrite with an
 * eventfd, preadv, fsync, io_queue_run callbacks, a poll completed and one cancelled, errors the
 * kernel gives, io_pgetevents, io_queue_release. Prints only deterministic lines, so its output
 * natively (system libaio, host kernel) and on aioemu must be the same.
 */
#define _GNU_SOURCE
#include <libaio.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static io_context_t ctx;
static int callbacks;

static void on_done(io_context_t c, struct iocb *cb, long res, long res2) {
    (void)c;
    printf("callback fd-matches=%d res=%ld res2=%ld\n", cb->aio_fildes >= 0, res, res2);
    callbacks++;
}

static int reap1(const char *what) {
    struct io_event ev;
    int n = io_getevents(ctx, 1, 1, &ev, NULL);
    printf("%s: getevents %d data=%lu res=%ld res2=%ld\n", what, n, (unsigned long)(uintptr_t)ev.data, (long)ev.res,
           (long)ev.res2);
    return n;
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    int rc = io_queue_init(16, &ctx);
    printf("io_queue_init %d\n", rc);
    if (rc < 0) return 1;
    int fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0600);
    int efd = eventfd(0, 0);
    static char wbuf[4096], a[1000], b[3096];
    for (int i = 0; i < 4096; i++) wbuf[i] = (char)('a' + i % 26);

    struct iocb cb, *list[2] = {&cb, NULL};
    io_prep_pwrite(&cb, fd, wbuf, sizeof wbuf, 0);
    cb.data = (void *)7;
    io_set_eventfd(&cb, efd);
    printf("pwrite submit %d\n", io_submit(ctx, 1, list));
    reap1("pwrite");
    uint64_t count = 0;
    ssize_t got = read(efd, &count, 8);
    printf("eventfd read %zd count %lu\n", got, (unsigned long)count);

    struct iovec iov[2] = {{a, sizeof a}, {b, sizeof b}};
    io_prep_preadv(&cb, fd, iov, 2, 0);
    cb.data = (void *)8;
    printf("preadv submit %d\n", io_submit(ctx, 1, list));
    reap1("preadv");
    printf("preadv data %s\n", memcmp(a, wbuf, sizeof a) == 0 && memcmp(b, wbuf + sizeof a, sizeof b) == 0 ? "same" : "DIFFERENT");

    io_prep_fsync(&cb, fd);
    cb.data = (void *)9;
    printf("fsync submit %d\n", io_submit(ctx, 1, list));
    reap1("fsync");

    /* io_queue_run finds each callback again in iocb->data */
    struct iocb r1, r2;
    static char x[100], y[100];
    io_prep_pread(&r1, fd, x, sizeof x, 0);
    io_set_callback(&r1, on_done);
    io_prep_pread(&r2, fd, y, sizeof y, 4000);
    io_set_callback(&r2, on_done);
    list[0] = &r1;
    list[1] = &r2;
    printf("two reads submit %d\n", io_submit(ctx, 2, list));
    for (int i = 0; i < 1000 && callbacks < 2; i++) {
        int ran = io_queue_run(ctx);
        if (ran < 0) printf("io_queue_run %d\n", ran);
        if (callbacks < 2) usleep(1000);
    }
    printf("callbacks %d\n", callbacks);

    /* a poll: nothing yet, then ready */
    int p[2];
    if (pipe(p)) return 1;
    struct timespec zero = {0, 0};
    struct io_event ev[4];
    io_prep_poll(&cb, p[0], POLLIN);
    cb.data = (void *)10;
    list[0] = &cb;
    printf("poll submit %d\n", io_submit(ctx, 1, list));
    printf("poll not ready: getevents %d\n", io_getevents(ctx, 0, 4, ev, &zero));
    printf("pipe write %zd\n", write(p[1], "z", 1));
    reap1("poll");

    /* a poll cancelled: io_cancel answers EINPROGRESS, the event comes through the ring */
    struct iocb pc;
    io_prep_poll(&pc, p[0], POLLPRI);
    pc.data = (void *)11;
    list[0] = &pc;
    printf("poll2 submit %d\n", io_submit(ctx, 1, list));
    struct io_event cev;
    printf("io_cancel %d\n", io_cancel(ctx, &pc, &cev));
    reap1("cancelled poll");

    /* errors as the kernel gives them, through libaio's -errno convention */
    printf("submit nr=-1: %d\n", io_submit(ctx, -1, list));
    printf("submit bad ctx: %d\n", io_submit((io_context_t)0x1234, 1, list));
    struct iocb bad;
    io_prep_pread(&bad, 9999, x, sizeof x, 0);
    list[0] = &bad;
    printf("submit bad fd: %d\n", io_submit(ctx, 1, list));
    struct iocb **volatile unmapped = (struct iocb **)8;
    printf("submit bad iocb pointer: %d\n", io_submit(ctx, 1, unmapped));
    printf("destroy bad ctx: %d\n", io_destroy((io_context_t)0x1234));
    io_prep_pread(&cb, fd, x, sizeof x, 0);
    list[0] = &cb;
    printf("read submit %d\n", io_submit(ctx, 1, list));
    struct io_event *volatile bad_events = (struct io_event *)8;
    printf("getevents into a bad array: %d\n", io_getevents(ctx, 1, 1, bad_events, NULL));
    reap1("after the fault");

    sigset_t empty;
    sigemptyset(&empty);
    struct timespec ten_ms = {0, 10 * 1000 * 1000};
    printf("pgetevents nothing: %d\n", io_pgetevents(ctx, 1, 1, ev, &ten_ms, &empty));
    printf("io_queue_release %d\n", io_queue_release(ctx));
    printf("submit after release: %d\n", io_submit(ctx, 1, list));
    return 0;
}

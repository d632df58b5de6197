/*
 * Ported from libaio harness/cases/16.t: a large write and then a read, each with
 * io_set_eventfd; read(eventfd) gives 1 and io_getevents(0, 1, {0,0}) then finds the event with
 * res = SIZE (the event is in the ring before the eventfd is signalled, LNX-75). Extended with
 * LNX-74..76: two completions count 2, a poll signals too, RESFD must name an eventfd, the flag
 * off means aio_resfd is ignored. Written anew for aioemu.
 */
#include "aioprog.h"
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>

#define SIZE (4 * 1024 * 1024)

static io_context_t ctx;

static int submit1(struct iocb *cb) {
    struct iocb *list[1] = {cb};
    return io_submit(ctx, 1, list);
}

/* waits (bounded) for the eventfd, returns its counter */
static long efd_wait(int efd) {
    struct pollfd pf = {efd, POLLIN, 0};
    if (poll(&pf, 1, 5000) != 1) return -1;
    uint64_t v = 0;
    if (read(efd, &v, sizeof v) != sizeof v) return -2;
    return (long)v;
}

int main(int argc, char **argv) {
    usage_check(argc);
    printf("io_queue_init(16): %s\n", rv(io_queue_init(16, &ctx)));
    int efd = eventfd(0, EFD_NONBLOCK);
    int fd = temp_file(argv[1], "eventfd.dat", O_RDWR);
    char *buf = malloc(SIZE);
    pattern(buf, SIZE, 5);
    struct iocb cb, cb2;
    struct io_event ev[2];
    struct timespec zero = {0, 0};

    io_prep_pwrite(&cb, fd, buf, SIZE, 0);
    io_set_eventfd(&cb, efd);
    printf("pwrite 4 MiB with eventfd: submit %s\n", rv(submit1(&cb)));
    printf("  eventfd counter: %ld\n", efd_wait(efd));
    int n = io_getevents(ctx, 0, 1, ev, &zero);
    printf("  io_getevents(0, 1, {0,0}): %s res=%s\n", rv(n), rv(n == 1 ? (long)ev[0].res : 0));

    memset(buf, 0, SIZE);
    io_prep_pread(&cb, fd, buf, SIZE, 0);
    io_set_eventfd(&cb, efd);
    printf("pread 4 MiB with eventfd: submit %s\n", rv(submit1(&cb)));
    printf("  eventfd counter: %ld\n", efd_wait(efd));
    n = io_getevents(ctx, 0, 1, ev, &zero);
    printf("  io_getevents(0, 1, {0,0}): %s res=%s data-ok=%s\n", rv(n), rv(n == 1 ? (long)ev[0].res : 0), yes(same_pattern(buf, SIZE, 5)));

    /* two completions add 2; both events are there once the counter reads 2 */
    io_prep_pread(&cb, fd, buf, 512, 0);
    io_set_eventfd(&cb, efd);
    io_prep_pread(&cb2, fd, buf + 512, 512, 512);
    io_set_eventfd(&cb2, efd);
    struct iocb *two[2] = {&cb, &cb2};
    printf("two preads with eventfd: submit %s\n", rv(io_submit(ctx, 2, two)));
    long total = 0;
    while (total < 2) {
        long v = efd_wait(efd);
        if (v <= 0) break;
        total += v;
    }
    printf("  eventfd total: %ld\n", total);
    n = io_getevents(ctx, 0, 2, ev, &zero);
    printf("  io_getevents(0, 2, {0,0}): %s\n", rv(n));

    /* a poll that completes later signals the eventfd as well */
    int p[2];
    if (pipe(p) != 0) return 2;
    io_prep_poll(&cb, p[0], POLLIN);
    io_set_eventfd(&cb, efd);
    int r = submit1(&cb);
    printf("poll with eventfd: submit %s, eventfd still 0 before the write: %s\n", rv(r),
           yes(read(efd, &(uint64_t){0}, 8) < 0 && errno == EAGAIN));
    if (write(p[1], "x", 1) != 1) return 2;
    printf("  eventfd counter after the write: %ld\n", efd_wait(efd));
    n = io_getevents(ctx, 0, 1, ev, &zero);
    printf("  io_getevents(0, 1, {0,0}): %s res=0x%lx\n", rv(n), n == 1 ? (long)ev[0].res : 0L);

    /* RESFD must be an eventfd */
    io_prep_pread(&cb, fd, buf, 16, 0);
    io_set_eventfd(&cb, p[0]);
    printf("RESFD = a pipe: %s\n", rv(submit1(&cb)));
    io_prep_pread(&cb, fd, buf, 16, 0);
    io_set_eventfd(&cb, -1);
    printf("RESFD = -1: %s\n", rv(submit1(&cb)));
    /* without IOCB_FLAG_RESFD, aio_resfd is not looked at */
    io_prep_pread(&cb, fd, buf, 16, 0);
    cb.u.c.resfd = -1;
    printf("resfd -1 without the flag: submit %s\n", rv(submit1(&cb)));
    n = reap_one(ctx, ev);
    printf("  event %s res=%s, eventfd untouched: %s\n", rv(n), rv(n == 1 ? (long)ev[0].res : 0), yes(read(efd, &(uint64_t){0}, 8) < 0 && errno == EAGAIN));

    printf("io_queue_release: %s\n", rv(io_queue_release(ctx)));
    return 0;
}

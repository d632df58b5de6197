/*
 * Capacity limits, after gVisor aio.cc ExitWithPendingIo (io_setup(100): 100 unreaped requests
 * are all accepted, then io_destroy succeeds) and libaio harness/cases/17.t (submitting past the
 * ring's capacity gives EAGAIN; reaping gives slots back). The exact capacity of a context
 * depends on the CPU count (LNX-7, LNX-9), so the program prints the rule it obeys:
 * nr_events <= capacity <= ring.nr - 1. The kernel caches free slots per CPU, so the program
 * pins itself to one CPU to make the counts repeatable. Written anew for aioemu.
 */
#include "aioprog.h"
#include <sched.h>
#include <stdint.h>

#define MAXREQ 4096

static struct iocb cbs[MAXREQ];
static struct iocb *list[MAXREQ];
static char buf[16];

static int submit_one_by_one(io_context_t ctx, int fd, int limit, int *last_error) {
    int accepted = 0;
    *last_error = 0;
    for (int i = 0; i < limit; i++) {
        io_prep_pread(&cbs[i], fd, buf, sizeof buf, 0);
        struct iocb *one[1] = {&cbs[i]};
        int r = io_submit(ctx, 1, one);
        if (r != 1) { *last_error = r; break; }
        accepted++;
    }
    return accepted;
}

int main(int argc, char **argv) {
    usage_check(argc);
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        for (int c = 0; c < CPU_SETSIZE; c++) {
            if (CPU_ISSET(c, &set)) { CPU_ZERO(&set); CPU_SET(c, &set); sched_setaffinity(0, sizeof set, &set); break; }
        }
    }
    int fd = temp_file(argv[1], "limits.dat", O_RDWR);
    if (write(fd, "0123456789abcdef", 16) != 16) return 2;
    struct io_event ev[MAXREQ];

    /* ExitWithPendingIo: io_setup(100) takes 100 requests without reaping, and io_destroy is fine */
    io_context_t ctx = 0;
    printf("io_setup(100): %s\n", rv(io_setup(100, &ctx)));
    int err;
    int n = submit_one_by_one(ctx, fd, 100, &err);
    printf("100 unreaped submits accepted: %d (error %s)\n", n, rv(err));
    printf("io_destroy with 100 unreaped events: %s\n", rv(io_destroy(ctx)));

    /* 17.t: io_setup(1) fills up; the capacity is at least nr_events and below ring.nr */
    ctx = 0;
    printf("io_setup(1): %s\n", rv(io_setup(1, &ctx)));
    unsigned ring_nr = ((volatile uint32_t *)ctx)[1];
    n = submit_one_by_one(ctx, fd, MAXREQ, &err);
    printf("submitted until refused: error %s, 1 <= accepted <= ring.nr-1: %s\n", rv(err), yes(n >= 1 && (unsigned)n <= ring_nr - 1));
    struct iocb *next[1] = {&cbs[n]};
    io_prep_pread(&cbs[n], fd, buf, sizeof buf, 0);
    printf("one more: %s\n", rv(io_submit(ctx, 1, next)));
    /* reaping one event frees one slot */
    printf("reap 1: %s\n", rv(io_getevents(ctx, 1, 1, ev, NULL)));
    printf("submit after reaping 1: %s\n", rv(io_submit(ctx, 1, next)));
    printf("and one more: %s\n", rv(io_submit(ctx, 1, next)));
    /* everything outstanding comes back, all reads of 16 bytes */
    int total = 0, all16 = 1;
    for (;;) {
        struct timespec zero = {0, 0};
        int got = io_getevents(ctx, 0, MAXREQ, ev, &zero);
        if (got <= 0) break;
        for (int i = 0; i < got; i++) all16 &= ev[i].res == 16;
        total += got;
    }
    printf("reaped the rest: all accepted requests came back: %s, each res 16: %s\n", yes(total == n), yes(all16));

    /* io_submit of a batch bigger than the capacity: the count accepted, not an error (LNX-25) */
    for (int i = 0; i < MAXREQ; i++) { io_prep_pread(&cbs[i], fd, buf, sizeof buf, 0); list[i] = &cbs[i]; }
    int batch = io_submit(ctx, 400, list);
    printf("io_submit(400) on the empty ctx: the same count as one by one: %s\n", yes(batch == n));
    total = 0;
    while (total < batch) {
        int got = reap_one(ctx, ev);
        if (got != 1) break;
        total++;
    }
    printf("reaped them one at a time: %s\n", yes(total == batch));
    printf("io_destroy: %s\n", rv(io_destroy(ctx)));

    /* io_setup(4096): 4096 requests fit */
    ctx = 0;
    printf("io_setup(4096): %s\n", rv(io_setup(4096, &ctx)));
    n = io_submit(ctx, MAXREQ, list);
    printf("io_submit(4096 reads): %s\n", rv(n));
    total = 0;
    while (total < n) {
        struct timespec five = {5, 0};
        int got = io_getevents(ctx, 1, MAXREQ, ev, &five);
        if (got <= 0) break;
        total += got;
    }
    printf("all 4096 reaped: %s\n", yes(total == 4096));
    printf("io_destroy: %s\n", rv(io_destroy(ctx)));
    return 0;
}

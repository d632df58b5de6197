/*
 * libaio's io_queue_* helpers and callbacks, after LTP testcases/kernel/io/aio/aio02.c (32 x 64 KiB
 * writes and reads over an io_queue_init context, callbacks checking res == nbytes and res2 == 0)
 * and aio01.c (prepare + write, prepare + read, verify): io_queue_init, io_set_callback,
 * io_queue_run (libaio reaps with {0,0} timeouts and calls each iocb's callback), io_poll and
 * io_fdsync helpers, io_queue_release. Written anew for aioemu.
 */
#include "aioprog.h"
#include <poll.h>
#include <time.h>

#define NREQ 32
#define SZ (64 * 1024)

static int calls, good, bad_res2;
static long expect_res;

static void on_done(io_context_t ctx, struct iocb *cb, long res, long res2) {
    (void)ctx;
    (void)cb;
    calls++;
    if (res == expect_res) good++;
    if (res2 != 0) bad_res2++;
}

/* io_queue_run until WANT callbacks have run; bounded at 5 s */
static int run_until(io_context_t ctx, int want) {
    int last = 0;
    for (int i = 0; i < 500 && calls < want; i++) {
        last = io_queue_run(ctx);
        if (last < 0) return last;
        if (calls < want) {
            struct timespec ms10 = {0, 10 * 1000 * 1000};
            nanosleep(&ms10, NULL);
        }
    }
    return last;
}

int main(int argc, char **argv) {
    usage_check(argc);
    io_context_t ctx = 0;
    printf("io_queue_init(0): %s\n", rv(io_queue_init(0, &ctx)));
    printf("io_queue_init(-1): %s\n", rv(io_queue_init(-1, &ctx)));
    printf("io_queue_run(ctx 0): %s\n", rv(io_queue_run((io_context_t)0)));
    printf("io_queue_init(32): %s\n", rv(io_queue_init(32, &ctx)));
    printf("io_queue_run on an empty queue: %s\n", rv(io_queue_run(ctx)));

    int fd = temp_file(argv[1], "queue.dat", O_RDWR);
    static struct iocb cbs[NREQ];
    struct iocb *list[NREQ];
    static char bufs[NREQ][SZ];
    for (int i = 0; i < NREQ; i++) {
        pattern(bufs[i], SZ, i);
        io_prep_pwrite(&cbs[i], fd, bufs[i], SZ, (long long)i * SZ);
        io_set_callback(&cbs[i], on_done);
        list[i] = &cbs[i];
    }
    expect_res = SZ;
    printf("io_submit(32 x 64 KiB pwrite with callbacks): %s\n", rv(io_submit(ctx, NREQ, list)));
    int r = run_until(ctx, NREQ);
    printf("io_queue_run: last %s, callbacks %d, res == 64 KiB %d, res2 != 0 %d\n", rv(r), calls, good, bad_res2);

    calls = good = 0;
    memset(bufs, 0, sizeof bufs);
    for (int i = 0; i < NREQ; i++) {
        io_prep_pread(&cbs[i], fd, bufs[i], SZ, (long long)i * SZ);
        io_set_callback(&cbs[i], on_done);
    }
    printf("io_submit(32 x 64 KiB pread with callbacks): %s\n", rv(io_submit(ctx, NREQ, list)));
    r = run_until(ctx, NREQ);
    int verified = 0;
    for (int i = 0; i < NREQ; i++) verified += same_pattern(bufs[i], SZ, i);
    printf("io_queue_run: last %s, callbacks %d, res == 64 KiB %d, blocks verified %d\n", rv(r), calls, good, verified);

    /* io_fdsync helper: prep + callback + submit */
    struct iocb cb;
    calls = good = 0;
    expect_res = 0;
    printf("io_fdsync(): %s\n", rv(io_fdsync(ctx, &cb, on_done, fd)));
    run_until(ctx, 1);
    printf("  callback ran: %d, res 0: %d\n", calls, good);

    /* io_poll helper on a pipe: the callback runs once data arrives */
    int p[2];
    if (pipe(p) != 0) return 2;
    calls = good = 0;
    expect_res = POLLIN | POLLRDNORM;
    printf("io_poll(POLLIN) on an empty pipe: %s\n", rv(io_poll(ctx, &cb, on_done, p[0], POLLIN)));
    r = io_queue_run(ctx);
    printf("  io_queue_run before data: %s, callbacks %d\n", rv(r), calls);
    if (write(p[1], "x", 1) != 1) return 2;
    run_until(ctx, 1);
    printf("  after a write: callbacks %d, res == POLLIN|POLLRDNORM %d\n", calls, good);

    printf("io_queue_release: %s\n", rv(io_queue_release(ctx)));
    printf("io_queue_release again: %s\n", rv(io_queue_release(ctx)));
    return 0;
}

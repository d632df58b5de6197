/*
 * The cost of one libaio call, for the README's "Running programs on aioemu" figures (not a test:
 * nothing asserts on time). Build once with the system libaio and run natively and on aioemu:
 *   gcc -O2 callcost.c -o callcost -laio
 *   ./callcost FILE                               # host kernel
 *   aioemu exec --abi linux -- ./callcost FILE    # aioemu
 * Prints the median ns of: io_submit of one page-cached 512-byte read (reaped outside the timed
 * part), io_getevents with a {0,0} timeout on an empty context (libaio answers it in user space,
 * the shim in C), and with a {0,1} timeout (the real call: the kernel, or an upcall into the JVM).
 */
#define _GNU_SOURCE
#include <libaio.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long long now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
    qsort(v, n, sizeof *v, cmp);
    return v[n / 2];
}

#define ROUNDS 2000
#define BATCH 100

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) { perror("open"); return 1; }
    static char buf[512];
    if (pread(fd, buf, sizeof buf, 0) != sizeof buf) return 1;   /* page-cached from here on */
    io_context_t ctx = 0;
    if (io_setup(128, &ctx)) return 1;
    static double v[ROUNDS];
    struct io_event ev[BATCH];
    struct iocb cb[BATCH], *list[1];

    for (int warm = 0; warm < 2; warm++)
        for (int r = 0; r < ROUNDS; r++) {
            long long t = 0;
            for (int i = 0; i < BATCH; i++) {
                io_prep_pread(&cb[i], fd, buf, sizeof buf, 0);
                list[0] = &cb[i];
                long long t0 = now();
                if (io_submit(ctx, 1, list) != 1) return 1;
                t += now() - t0;
                if (io_getevents(ctx, 1, 1, ev, NULL) != 1) return 1;
            }
            v[r] = (double)t / BATCH;
        }
    printf("io_submit one cached 512-byte read: %.0f ns (median of %d x %d, timed one by one)\n", median(v, ROUNDS), ROUNDS, BATCH);

    struct timespec zero = {0, 0}, one = {0, 1};
    for (int warm = 0; warm < 2; warm++)
        for (int r = 0; r < ROUNDS; r++) {
            long long t0 = now();
            for (int i = 0; i < BATCH; i++) io_getevents(ctx, 0, 1, ev, &zero);
            v[r] = (double)(now() - t0) / BATCH;
        }
    printf("io_getevents {0,0} timeout, empty context: %.1f ns (median of %d batches of %d)\n", median(v, ROUNDS), ROUNDS, BATCH);

    for (int warm = 0; warm < 2; warm++)
        for (int r = 0; r < ROUNDS; r++) {
            long long t0 = now();
            for (int i = 0; i < BATCH; i++) io_getevents(ctx, 0, 1, ev, &one);
            v[r] = (double)(now() - t0) / BATCH;
        }
    printf("io_getevents {0,1} timeout, empty context: %.0f ns (median of %d batches of %d)\n", median(v, ROUNDS), ROUNDS, BATCH);
    io_destroy(ctx);
    return 0;
}

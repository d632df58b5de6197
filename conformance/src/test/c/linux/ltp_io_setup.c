/*
 * Ported from LTP testcases/kernel/syscalls/io_setup/io_setup01.c and io_destroy/io_destroy01.c
 * (libaio variants), with the extra io_setup arguments of libaio's harness/cases/2.t.
 * Written anew for aioemu: the same checks, printed as lines to compare with the host kernel.
 */
#include "aioprog.h"

static long aio_max_nr(void) {
    FILE *f = fopen("/proc/sys/fs/aio-max-nr", "r");
    long v = -1;
    if (f) { if (fscanf(f, "%ld", &v) != 1) v = -1; fclose(f); }
    return v;
}

int main(int argc, char **argv) {
    usage_check(argc);
    io_context_t ctx;

    /* io_setup01: a valid context */
    memset(&ctx, 0, sizeof ctx);
    int r = io_setup(1, &ctx);
    printf("io_setup(1, &zeroed): %s, ctx non-zero: %s\n", rv(r), yes(ctx != 0));
    /* 2.t: the same ctx variable again (it is no longer zero) */
    io_context_t keep = ctx;
    printf("io_setup(1, &live ctx): %s\n", rv(io_setup(1, &ctx)));
    printf("io_destroy(live): %s\n", rv(io_destroy(keep)));
    printf("io_destroy(destroyed): %s\n", rv(io_destroy(keep)));

    /* io_setup01: ctx preset to garbage bytes */
    memset(&ctx, 0x01, sizeof ctx);
    printf("io_setup(1, &0x0101..): %s\n", rv(io_setup(1, &ctx)));

    /* io_setup01 and 2.t: bad counts */
    long counts[] = {-1, 0, -1000, 0x400001};
    for (unsigned i = 0; i < sizeof counts / sizeof *counts; i++) {
        memset(&ctx, 0, sizeof ctx);
        printf("io_setup(%ld): %s\n", counts[i], rv(io_setup((int)counts[i], &ctx)));
    }

    /* io_setup01 and 2.t: ctxp NULL, even with a bad count */
    printf("io_setup(1, NULL): %s\n", rv(io_setup(1, NULL)));
    printf("io_setup(0, NULL): %s\n", rv(io_setup(0, NULL)));

    /* io_setup01: one more than aio-max-nr */
    long max = aio_max_nr();
    if (max > 0 && max < 0x3fffffff) {
        memset(&ctx, 0, sizeof ctx);
        printf("io_setup(aio-max-nr + 1): %s\n", rv(io_setup((int)(max + 1), &ctx)));
    } else {
        printf("io_setup(aio-max-nr + 1): aio-max-nr unreadable\n");
    }

    /* io_destroy01: a ctx made of 0xff bytes, and other values that name no context */
    memset(&ctx, 0xff, sizeof ctx);
    printf("io_destroy(0xff..): %s\n", rv(io_destroy(ctx)));
    printf("io_destroy(0): %s\n", rv(io_destroy((io_context_t)0)));

    /* a destroyed slot is reused: setup, destroy, setup again all succeed */
    io_context_t a = 0, b = 0;
    int ra = io_setup(32, &a), rb = io_setup(32, &b);
    printf("io_setup(32) twice: %s %s, distinct: %s\n", rv(ra), rv(rb), yes(a != b));
    printf("io_destroy both: %s %s\n", rv(io_destroy(a)), rv(io_destroy(b)));
    return 0;
}

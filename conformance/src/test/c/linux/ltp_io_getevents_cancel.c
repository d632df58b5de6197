/*
 * Ported from LTP testcases/kernel/syscalls/io_getevents/io_getevents01.c + io_getevents02.c and
 * io_cancel/io_cancel01.c + io_cancel02.c (libaio variants): the argument checks, and the order
 * in which the kernel makes them (timeout copy, ctx, min/nr; io_cancel reads the iocb first).
 * Written anew for aioemu.
 */
#include "aioprog.h"

int main(int argc, char **argv) {
    usage_check(argc);
    struct io_event ev[4];
    struct timespec zero = {0, 0};

    /* io_getevents01/02: ctx 0 */
    printf("io_getevents(ctx 0, 0, 0, NULL, NULL): %s\n", rv(io_getevents((io_context_t)0, 0, 0, NULL, NULL)));
    printf("io_getevents(ctx 0, 1, 1, ev, {0,0}): %s\n", rv(io_getevents((io_context_t)0, 1, 1, ev, &zero)));
    /* io_cancel01/02: the iocb is read before anything else */
    printf("io_cancel(ctx 0, NULL, NULL): %s\n", rv(io_cancel((io_context_t)0, NULL, NULL)));

    io_context_t ctx = 0;
    printf("io_setup(8): %s\n", rv(io_setup(8, &ctx)));
    struct timespec ms20 = {0, 20 * 1000 * 1000};
    printf("io_getevents(min -1): %s\n", rv(io_getevents(ctx, -1, 1, ev, &ms20)));
    printf("io_getevents(nr -1): %s\n", rv(io_getevents(ctx, 0, -1, ev, &ms20)));
    printf("io_getevents(min 2 > nr 1): %s\n", rv(io_getevents(ctx, 2, 1, ev, &ms20)));
    /* libaio answers a {0,0} timeout on an empty ring in user space, before any argument check */
    printf("io_getevents(min -1, {0,0}) on an empty ring: %s\n", rv(io_getevents(ctx, -1, 1, ev, &zero)));
    printf("io_getevents(0, 0, NULL, NULL): %s\n", rv(io_getevents(ctx, 0, 0, NULL, NULL)));
    /* empty ring, zero timeout, and a short timeout: 0 events, not an error */
    printf("io_getevents(1, 4, {0,0}) empty: %s\n", rv(io_getevents(ctx, 1, 4, ev, &zero)));
    struct timespec ten_ns = {0, 10};
    printf("io_getevents(1, 1, {0,10ns}) empty: %s\n", rv(io_getevents(ctx, 1, 1, ev, &ten_ns)));
    printf("io_getevents(1, 1, 20 ms) empty: %s\n", rv(io_getevents(ctx, 1, 1, ev, &ms20)));

    /* io_cancel of a request that has completed (a buffered write): EINVAL, nothing written */
    int fd = temp_file(argv[1], "cancel.dat", O_RDWR);
    static char buf[512];
    pattern(buf, sizeof buf, 1);
    struct iocb cb, *list[1] = {&cb};
    io_prep_pwrite(&cb, fd, buf, sizeof buf, 0);
    printf("io_submit(pwrite 512): %s\n", rv(io_submit(ctx, 1, list)));
    struct io_event res;
    memset(&res, 0x5a, sizeof res);
    printf("io_cancel(completed write): %s\n", rv(io_cancel(ctx, &cb, &res)));
    printf("  result untouched: %s\n", yes(((unsigned char *)&res)[0] == 0x5a && ((unsigned char *)&res)[31] == 0x5a));
    /* more events available than min: all of them up to nr come back */
    io_prep_pwrite(&cb, fd, buf, sizeof buf, 512);
    printf("io_submit(pwrite 512 @512): %s\n", rv(io_submit(ctx, 1, list)));
    int n = io_getevents(ctx, 1, 4, ev, NULL);
    printf("io_getevents(1, 4, NULL): %s res=%s,%s\n", rv(n), rv(n > 0 ? (long)ev[0].res : 0), rv(n > 1 ? (long)ev[1].res : 0));

    /* a destroyed ctx: the calls that do not read the (unmapped) ring say EINVAL */
    printf("io_destroy: %s\n", rv(io_destroy(ctx)));
    printf("io_submit(destroyed): %s\n", rv(io_submit(ctx, 1, list)));
    cb.key = 0;
    printf("io_cancel(destroyed): %s\n", rv(io_cancel(ctx, &cb, &res)));
    return 0;
}

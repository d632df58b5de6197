/*
 * Ported from LTP testcases/kernel/syscalls/io_pgetevents/io_pgetevents01.c (a completed write is
 * reaped with a 10 us timeout and an empty signal set) and io_pgetevents02.c (invalid ctx,
 * min/max, events pointer), through libaio's io_pgetevents. The signal mask during the wait
 * (harness/cases/22.t) is libaio_22_sigmask.c. Written anew for aioemu.
 */
#include "aioprog.h"
#include <signal.h>

int main(int argc, char **argv) {
    usage_check(argc);
    io_context_t ctx = 0;
    struct io_event ev[2];
    sigset_t empty;
    sigemptyset(&empty);
    struct timespec us10 = {0, 10000};

    printf("io_setup(1): %s\n", rv(io_setup(1, &ctx)));
    int fd = temp_file(argv[1], "pgetevents.dat", O_RDWR);
    static char buf[4096];
    pattern(buf, sizeof buf, 3);
    struct iocb cb, *list[1] = {&cb};
    io_prep_pwrite(&cb, fd, buf, sizeof buf, 0);
    cb.data = (void *)77;
    printf("io_submit(pwrite 4096): %s\n", rv(io_submit(ctx, 1, list)));

    /* io_pgetevents02: argument errors while an event is waiting (so libaio makes the call) */
    printf("io_pgetevents(ctx 0): %s\n", rv(io_pgetevents((io_context_t)0, 1, 1, ev, &us10, &empty)));
    printf("io_pgetevents(min -1): %s\n", rv(io_pgetevents(ctx, -1, 1, ev, &us10, &empty)));
    printf("io_pgetevents(max -1): %s\n", rv(io_pgetevents(ctx, 1, -1, ev, &us10, &empty)));
    printf("io_pgetevents(events NULL): %s\n", rv(io_pgetevents(ctx, 1, 1, NULL, &us10, &empty)));

    /* io_pgetevents01: the event is still there after the EFAULT */
    int n = io_pgetevents(ctx, 1, 1, ev, &us10, &empty);
    printf("io_pgetevents(1, 1, 10 us, empty set): %s data=%ld res=%s\n", rv(n), n == 1 ? (long)ev[0].data : -1L,
           rv(n == 1 ? (long)ev[0].res : 0));
    printf("file has the pattern: %s\n", yes(pread(fd, buf, sizeof buf, 0) == sizeof buf && same_pattern(buf, sizeof buf, 3)));

    /* sigmask NULL = no mask; a short wait on an empty ring times out with 0 */
    struct timespec ms20 = {0, 20 * 1000 * 1000};
    printf("io_pgetevents(1, 1, 20 ms, NULL mask) empty: %s\n", rv(io_pgetevents(ctx, 1, 1, ev, &ms20, NULL)));

    printf("io_destroy: %s\n", rv(io_destroy(ctx)));
    return 0;
}

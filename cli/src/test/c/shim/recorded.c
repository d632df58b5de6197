/*
 * AIO on a regular file only (written for aioemu's record/replay test): everything the replay
 * needs to know is in the AIO calls themselves. Writes, vectored reads, fsync, libaio's
 * zero-timeout poll of an empty ring, io_pgetevents with a timeout, and two refusals.
 */
#define _GNU_SOURCE
#include <libaio.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    io_context_t ctx = 0;
    printf("io_setup %d\n", io_setup(32, &ctx));
    int fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0600);
    static char blocks[4][4096], back[2][8192];
    struct iocb cbs[4], *list[4];
    struct io_event ev[4];
    struct timespec zero = {0, 0};
    for (int i = 0; i < 4; i++) {
        memset(blocks[i], 'A' + i, sizeof blocks[i]);
        io_prep_pwrite(&cbs[i], fd, blocks[i], sizeof blocks[i], (long long)i * 4096);
        cbs[i].data = (void *)(long)(100 + i);
        list[i] = &cbs[i];
    }
    printf("4 writes submit %d\n", io_submit(ctx, 4, list));
    int got = 0;
    while (got < 4) {
        int n = io_getevents(ctx, 1, 4 - got, ev, NULL);
        if (n <= 0) break;
        got += n;
    }
    printf("writes reaped %d\n", got);
    printf("empty ring, zero timeout: %d\n", io_getevents(ctx, 0, 4, ev, &zero));
    struct iovec v[2] = {{back[0], 8192}, {back[1], 8192}};
    io_prep_preadv(&cbs[0], fd, v, 2, 0);
    cbs[0].data = (void *)200;
    printf("preadv submit %d\n", io_submit(ctx, 1, list));
    got = io_getevents(ctx, 1, 1, ev, NULL);
    printf("preadv getevents %d res %ld\n", got, (long)ev[0].res);
    printf("data %s\n", back[0][0] == 'A' && back[0][4096] == 'B' && back[1][0] == 'C' && back[1][8191] == 'D' ? "ok" : "WRONG");
    io_prep_fdsync(&cbs[0], fd);
    printf("fdsync submit %d\n", io_submit(ctx, 1, list));
    got = io_getevents(ctx, 1, 1, ev, NULL);
    printf("fdsync getevents %d res %ld\n", got, (long)ev[0].res);
    sigset_t none;
    sigemptyset(&none);
    struct timespec short_wait = {0, 5 * 1000 * 1000};
    printf("pgetevents, nothing pending: %d\n", io_pgetevents(ctx, 1, 1, ev, &short_wait, &none));
    io_prep_pread(&cbs[0], 12345, back[0], 10, 0);
    printf("bad fd submit %d\n", io_submit(ctx, 1, list));
    printf("bad ctx submit %d\n", io_submit((io_context_t)0x1000, 1, list));
    printf("io_destroy %d\n", io_destroy(ctx));
    return 0;
}

/*
 * Ported from libaio harness/cases/15.t (PWRITEV/PREADV of 10 x 512-byte iovecs at offset 0, and
 * of 9 iovecs at offset 512, data verified) with gVisor aio.cc BadOffset for PREADV/PWRITEV and
 * the vectored edge cases of LNX-49 (short total at EOF, zero iovecs, NULL iov_base).
 * Written anew for aioemu.
 */
#include "aioprog.h"
#include <sys/uio.h>

#define SEG 512
#define NSEG 10

static io_context_t ctx;
static char wbuf[NSEG][SEG], rbuf[NSEG][SEG];
static struct iovec wiov[NSEG], riov[NSEG];

static long run(struct iocb *cb) {
    struct iocb *list[1] = {cb};
    int r = io_submit(ctx, 1, list);
    if (r != 1) return r;
    struct io_event ev;
    int n = reap_one(ctx, &ev);
    if (n != 1) { printf("  getevents %s\n", rv(n)); return -9999; }
    return (long)ev.res;
}

static int verify(int nseg, unsigned seed0) {
    for (int i = 0; i < nseg; i++) if (!same_pattern(rbuf[i], SEG, seed0 + i)) return 0;
    return 1;
}

int main(int argc, char **argv) {
    usage_check(argc);
    printf("io_setup(16): %s\n", rv(io_setup(16, &ctx)));
    int fd = temp_file(argv[1], "vectored.dat", O_RDWR);
    for (int i = 0; i < NSEG; i++) {
        pattern(wbuf[i], SEG, i);
        wiov[i].iov_base = wbuf[i]; wiov[i].iov_len = SEG;
        riov[i].iov_base = rbuf[i]; riov[i].iov_len = SEG;
    }
    struct iocb cb;

    /* 15.t, first pass: 10 iovecs at offset 0 */
    io_prep_pwritev(&cb, fd, wiov, NSEG, 0);
    printf("pwritev 10x512 @0: res=%s\n", rv(run(&cb)));
    io_prep_preadv(&cb, fd, riov, NSEG, 0);
    long res = run(&cb);
    printf("preadv 10x512 @0: res=%s data-ok=%s\n", rv(res), yes(verify(NSEG, 0)));

    /* 15.t, second pass: 9 iovecs at offset 512 (the file grows to 5120 bytes) */
    for (int i = 0; i < NSEG; i++) pattern(wbuf[i], SEG, 20 + i);
    io_prep_pwritev(&cb, fd, wiov, NSEG - 1, SEG);
    printf("pwritev 9x512 @512: res=%s\n", rv(run(&cb)));
    memset(rbuf, 0, sizeof rbuf);
    io_prep_preadv(&cb, fd, riov, NSEG - 1, SEG);
    res = run(&cb);
    printf("preadv 9x512 @512: res=%s data-ok=%s first-512-kept=%s\n", rv(res), yes(verify(NSEG - 1, 20)),
           yes(pread(fd, rbuf[0], SEG, 0) == SEG && same_pattern(rbuf[0], SEG, 0)));
    struct stat st;
    fstat(fd, &st);
    printf("file size: %ld\n", (long)st.st_size);

    /* the total is what was there: 10 iovecs from offset 4096 find 1024 bytes */
    io_prep_preadv(&cb, fd, riov, NSEG, 4096);
    printf("preadv 10x512 @4096 (EOF at 5120): res=%s\n", rv(run(&cb)));
    /* uneven iovecs 3+4+64 over the last 10 bytes: the first two fill, the third gets 3 */
    char a[3], b[4], c[64];
    struct iovec odd[3] = {{a, 3}, {b, 4}, {c, 64}};
    io_prep_preadv(&cb, fd, odd, 3, 5120 - 10);
    res = run(&cb);
    printf("preadv 3+4+64 @5110: res=%s parts-ok=%s\n", rv(res),
           yes(memcmp(a, wbuf[8] + SEG - 10, 3) == 0 && memcmp(b, wbuf[8] + SEG - 7, 4) == 0 && memcmp(c, wbuf[8] + SEG - 3, 3) == 0));

    /* zero iovecs: accepted, 0 bytes */
    io_prep_preadv(&cb, fd, riov, 0, 0);
    printf("preadv 0 iovecs: res=%s\n", rv(run(&cb)));
    /* BadOffset for the vectored opcodes */
    io_prep_preadv(&cb, fd, riov, 1, -1);
    printf("preadv @-1: %s\n", rv(run(&cb)));
    io_prep_pwritev(&cb, fd, wiov, 1, -1);
    printf("pwritev @-1: %s\n", rv(run(&cb)));
    /* more than UIO_MAXIOV (1024) iovecs */
    io_prep_preadv(&cb, fd, riov, 1025, 0);
    printf("preadv 1025 iovecs: %s\n", rv(run(&cb)));
    /* a NULL iov_base fails in the event */
    struct iovec bad[1] = {{NULL, 16}};
    io_prep_preadv(&cb, fd, bad, 1, 0);
    printf("preadv NULL iov_base: res=%s\n", rv(run(&cb)));
    /* an unreadable iovec array fails at submit */
    io_prep_pwritev(&cb, fd, (struct iovec *)8, 1, 0);
    printf("pwritev iovec array at 0x8: %s\n", rv(run(&cb)));

    printf("io_destroy: %s\n", rv(io_destroy(ctx)));
    return 0;
}

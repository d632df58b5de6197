/*
 * Ported from libaio harness/cases/13.t (eight 1 MiB writes in one io_submit, reaped one at a
 * time with res = 1 MiB) followed by LTP testcases/kernel/io/aio/aio01.c's "write then verify"
 * and its fsync/fdsync use: IOCB_CMD_FSYNC and IOCB_CMD_FDSYNC complete with 0, and the checks
 * the kernel makes on them at submit (LNX-51). Written anew for aioemu.
 */
#include "aioprog.h"

#define MIB (1024 * 1024)
#define NW 8

int main(int argc, char **argv) {
    usage_check(argc);
    io_context_t ctx = 0;
    printf("io_queue_init(16): %s\n", rv(io_queue_init(16, &ctx)));
    int fd = temp_file(argv[1], "batch.dat", O_RDWR);
    static struct iocb cbs[NW];
    struct iocb *list[NW];
    char *bufs[NW];
    for (int i = 0; i < NW; i++) {
        bufs[i] = malloc(MIB);
        pattern(bufs[i], MIB, i);
        io_prep_pwrite(&cbs[i], fd, bufs[i], MIB, (long long)i * MIB);
        cbs[i].data = (void *)(long)(i + 1);
        list[i] = &cbs[i];
    }
    printf("io_submit(8 x 1 MiB pwrite): %s\n", rv(io_submit(ctx, NW, list)));
    unsigned seen = 0;
    int good = 0;
    for (int i = 0; i < NW; i++) {
        struct io_event ev;
        if (reap_one(ctx, &ev) != 1) { printf("event %d missing\n", i); break; }
        long d = (long)ev.data;
        if (ev.res == MIB && ev.res2 == 0 && d >= 1 && d <= NW && ev.obj == &cbs[d - 1] && !(seen & (1u << d))) good++;
        seen |= 1u << d;
    }
    printf("events reaped one at a time with res=1 MiB, each request once: %d/%d\n", good, NW);

    /* aio01: read every block back through AIO and verify it */
    char *rbuf = malloc(MIB);
    int verified = 0;
    for (int i = 0; i < NW; i++) {
        memset(rbuf, 0, MIB);
        io_prep_pread(&cbs[0], fd, rbuf, MIB, (long long)i * MIB);
        struct io_event ev;
        if (io_submit(ctx, 1, list) == 1 && reap_one(ctx, &ev) == 1 && ev.res == MIB && same_pattern(rbuf, MIB, i)) verified++;
    }
    printf("blocks read back and verified: %d/%d\n", verified, NW);

    /* fsync and fdatasync: accepted, complete with 0 */
    struct iocb cb, *one[1] = {&cb};
    struct io_event ev;
    io_prep_fsync(&cb, fd);
    cb.data = (void *)0xf5;
    int r = io_submit(ctx, 1, one);
    int n = reap_one(ctx, &ev);
    printf("FSYNC: submit %s event %s data=0x%lx res=%s\n", rv(r), rv(n), (long)ev.data, rv((long)ev.res));
    io_prep_fdsync(&cb, fd);
    r = io_submit(ctx, 1, one);
    n = reap_one(ctx, &ev);
    printf("FDSYNC: submit %s event %s res=%s\n", rv(r), rv(n), rv((long)ev.res));
    /* io_fsync() helper of libaio: prep + callback + submit in one */
    r = io_fsync(ctx, &cb, NULL, fd);
    n = reap_one(ctx, &ev);
    printf("io_fsync(): submit %s event %s res=%s\n", rv(r), rv(n), rv((long)ev.res));
    /* an O_RDONLY fd can be synced */
    int ro = open(temp_path(argv[1], "batch.dat"), O_RDONLY);
    io_prep_fsync(&cb, ro);
    r = io_submit(ctx, 1, one);
    n = r == 1 ? reap_one(ctx, &ev) : 0;
    printf("FSYNC on O_RDONLY: submit %s res=%s\n", rv(r), rv(n == 1 ? (long)ev.res : 0));
    /* FSYNC with a byte count or offset is EINVAL at submit */
    io_prep_fsync(&cb, fd);
    cb.u.c.nbytes = 4096;
    printf("FSYNC with nbytes 4096: %s\n", rv(io_submit(ctx, 1, one)));
    io_prep_fdsync(&cb, fd);
    cb.u.c.offset = 512;
    printf("FDSYNC with offset 512: %s\n", rv(io_submit(ctx, 1, one)));
    /* a pipe cannot be synced */
    int p[2];
    if (pipe(p) != 0) return 2;
    io_prep_fsync(&cb, p[1]);
    printf("FSYNC on a pipe: %s\n", rv(io_submit(ctx, 1, one)));
    io_prep_fsync(&cb, -1);
    printf("FSYNC fd -1: %s\n", rv(io_submit(ctx, 1, one)));

    struct stat st;
    fstat(fd, &st);
    printf("file size: %ld\n", (long)st.st_size);
    printf("io_queue_release: %s\n", rv(io_queue_release(ctx)));
    return 0;
}

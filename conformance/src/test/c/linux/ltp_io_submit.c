/*
 * Ported from LTP testcases/kernel/syscalls/io_submit/io_submit01.c (libaio), io_submit02.c and
 * io_submit03.c, plus libaio harness/cases/3.t (bad iocb arrays) and 4.t (access modes, bad
 * offsets). Written anew for aioemu: each case prints what io_submit returned and, for accepted
 * requests, the event.
 */
#include "aioprog.h"

static io_context_t ctx;

static void reap_print(const char *what) {
    struct io_event ev;
    int n = reap_one(ctx, &ev);
    if (n == 1) printf("  %s event: res=%s res2=%ld\n", what, rv((long)ev.res), (long)ev.res2);
    else printf("  %s event: getevents %s\n", what, rv(n));
}

int main(int argc, char **argv) {
    usage_check(argc);
    int rw = temp_file(argv[1], "submit.dat", O_RDWR);
    if (write(rw, "0123456789abcdef", 16) != 16) return 2;
    int ro = open(temp_path(argv[1], "submit.dat"), O_RDONLY);
    int wo = open(temp_path(argv[1], "submit.dat"), O_WRONLY);
    static char buf[64];
    struct iocb cb, cb2, *list[2] = {&cb, &cb2};

    printf("io_setup(1): %s\n", rv(io_setup(1, &ctx)));

    /* io_submit01/03: invalid ctx, also with nr 0 */
    io_prep_pread(&cb, rw, buf, 4, 0);
    printf("io_submit(ctx 0, 1): %s\n", rv(io_submit((io_context_t)0, 1, list)));
    printf("io_submit(ctx 0, 0): %s\n", rv(io_submit((io_context_t)0, 0, list)));
    /* io_submit01/03: nr < 0 */
    printf("io_submit(nr -1): %s\n", rv(io_submit(ctx, -1, list)));
    /* io_submit01/02, 3.t: nr 0 never reads the array */
    printf("io_submit(nr 0, NULL): %s\n", rv(io_submit(ctx, 0, NULL)));
    /* io_submit01/03, 3.t: bad arrays */
    printf("io_submit(iocbpp NULL): %s\n", rv(io_submit(ctx, 1, NULL)));
    printf("io_submit(iocbpp -1): %s\n", rv(io_submit(ctx, 1, (struct iocb **)-1)));
    struct iocb *nulls[2] = {NULL, &cb};
    printf("io_submit([NULL, cb]): %s\n", rv(io_submit(ctx, 2, nulls)));

    /* io_submit01/03: bad fds and access modes */
    io_prep_pread(&cb, -1, buf, 4, 0);
    printf("io_submit(pread fd -1): %s\n", rv(io_submit(ctx, 1, list)));
    io_prep_pwrite(&cb, ro, buf, 4, 0);
    printf("io_submit(pwrite on O_RDONLY): %s\n", rv(io_submit(ctx, 1, list)));
    io_prep_pread(&cb, wo, buf, 4, 0);
    printf("io_submit(pread on O_WRONLY): %s\n", rv(io_submit(ctx, 1, list)));

    /* 4.t: negative offset on a file */
    io_prep_pread(&cb, rw, buf, 4, -1);
    printf("io_submit(pread offset -1): %s\n", rv(io_submit(ctx, 1, list)));
    io_prep_pwrite(&cb, rw, buf, 4, -1);
    printf("io_submit(pwrite offset -1): %s\n", rv(io_submit(ctx, 1, list)));

    /* io_submit01/02: a zero-byte read is accepted and completes with 0 */
    io_prep_pread(&cb, rw, buf, 0, 0);
    cb.data = (void *)0x1234;
    printf("io_submit(pread 0 bytes): %s\n", rv(io_submit(ctx, 1, list)));
    reap_print("pread 0 bytes");

    /* a good read returns the data; the data pointer comes back unchanged */
    memset(buf, 0, sizeof buf);
    io_prep_pread(&cb, ro, buf, 10, 6);
    cb.data = (void *)0xabcdef;
    printf("io_submit(pread 10 @6): %s\n", rv(io_submit(ctx, 1, list)));
    struct io_event ev;
    int n = reap_one(ctx, &ev);
    printf("  event: n=%d data-ok=%s obj-ok=%s res=%s buf=%.10s\n", n, yes(ev.data == (void *)0xabcdef),
           yes(ev.obj == &cb), rv((long)ev.res), buf);

    /* 4.t: short read at EOF, read past EOF */
    io_prep_pread(&cb, ro, buf, 64, 12);
    printf("io_submit(pread 64 @12 of 16): %s\n", rv(io_submit(ctx, 1, list)));
    reap_print("short read");
    io_prep_pread(&cb, ro, buf, 64, 100);
    printf("io_submit(pread past EOF): %s\n", rv(io_submit(ctx, 1, list)));
    reap_print("past EOF");

    /* the iocb error at index 0 is returned; at index 1 it is swallowed and the count returned */
    io_prep_pread(&cb, -1, buf, 4, 0);
    io_prep_pread(&cb2, ro, buf, 4, 0);
    printf("io_submit([bad fd, good]): %s\n", rv(io_submit(ctx, 2, list)));
    io_prep_pread(&cb, ro, buf, 4, 0);
    io_prep_pread(&cb2, -1, buf, 4, 0);
    printf("io_submit([good, bad fd]): %s\n", rv(io_submit(ctx, 2, list)));
    reap_print("good of [good, bad fd]");

    /* an opcode Linux does not implement (IOCB_CMD_NOOP) */
    io_prep_pread(&cb, ro, buf, 4, 0);
    cb.aio_lio_opcode = IO_CMD_NOOP;
    printf("io_submit(NOOP): %s\n", rv(io_submit(ctx, 1, list)));

    struct timespec zero = {0, 0};
    printf("io_getevents(0, 1, {0,0}) left over: %s\n", rv(io_getevents(ctx, 0, 1, &ev, &zero)));
    printf("io_destroy: %s\n", rv(io_destroy(ctx)));
    return 0;
}

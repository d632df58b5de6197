/*
 * Ported from gVisor test/syscalls/linux/aio.cc: BasicWrite (ring magic, "hello world!" written,
 * data/obj/res of the event, file contents), BadWrite (a write to a pipe with no reader) and
 * BadOffset (offset -1 for PREAD/PWRITE); with libaio harness/cases/4.t's O_APPEND and NULL
 * write buffer cases. Written anew for aioemu.
 */
#include "aioprog.h"
#include <signal.h>
#include <stdint.h>

int main(int argc, char **argv) {
    usage_check(argc);
    struct sigaction ign;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ign, NULL);
    io_context_t ctx = 0;
    struct io_event ev;
    printf("io_setup(128): %s\n", rv(io_setup(128, &ctx)));
    /* BasicWrite: the ctx is the address of the ring, whose header shows the magic */
    printf("ring magic 0xa10a10a1: %s\n", yes(((volatile uint32_t *)ctx)[4] == 0xa10a10a1u));

    int fd = temp_file(argv[1], "basic.dat", O_RDWR);
    char hello[] = "hello world!";
    struct iocb cb, *list[1] = {&cb};
    io_prep_pwrite(&cb, fd, hello, strlen(hello), 0);
    cb.data = (void *)0x123;
    printf("io_submit(pwrite hello world!): %s\n", rv(io_submit(ctx, 1, list)));
    int n = io_getevents(ctx, 1, 1, &ev, NULL);
    printf("io_getevents(1, 1, NULL): %s data=0x%lx obj-ok=%s res=%s res2=%ld\n", rv(n), (unsigned long)(uintptr_t)ev.data,
           yes(ev.obj == &cb), rv((long)ev.res), (long)ev.res2);
    char back[32] = {0};
    printf("file: \"%.*s\"\n", (int)pread(fd, back, sizeof back, 0), back);

    /* read it back through AIO, at an offset, into a fresh buffer */
    memset(back, 0, sizeof back);
    io_prep_pread(&cb, fd, back, 5, 6);
    printf("io_submit(pread 5 @6): %s\n", rv(io_submit(ctx, 1, list)));
    n = reap_one(ctx, &ev);
    printf("  event: %s res=%s buf=\"%s\"\n", rv(n), rv((long)ev.res), back);

    /* AIO never moves the file position */
    printf("file position still 0: %s\n", yes(lseek(fd, 0, SEEK_CUR) == 0));

    /* a write past EOF extends the file */
    io_prep_pwrite(&cb, fd, "XY", 2, 100);
    printf("io_submit(pwrite 2 @100): %s\n", rv(io_submit(ctx, 1, list)));
    n = reap_one(ctx, &ev);
    struct stat st;
    fstat(fd, &st);
    printf("  event: %s res=%s size=%ld\n", rv(n), rv((long)ev.res), (long)st.st_size);

    /* BadOffset: PREAD and PWRITE at -1 are refused at submit */
    io_prep_pread(&cb, fd, back, 1, -1);
    printf("io_submit(pread @-1): %s\n", rv(io_submit(ctx, 1, list)));
    io_prep_pwrite(&cb, fd, back, 1, -1);
    printf("io_submit(pwrite @-1): %s\n", rv(io_submit(ctx, 1, list)));

    /* 4.t: with O_APPEND the offset is ignored and the data lands at the end */
    int afd = open(temp_path(argv[1], "append.dat"), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
    io_prep_pwrite(&cb, afd, "1234", 4, 0);
    printf("io_submit(append 1234 @0): %s\n", rv(io_submit(ctx, 1, list)));
    n = reap_one(ctx, &ev);
    printf("  event: %s res=%s\n", rv(n), rv((long)ev.res));
    io_prep_pwrite(&cb, afd, "5678", 4, 0);
    printf("io_submit(append 5678 @0): %s\n", rv(io_submit(ctx, 1, list)));
    n = reap_one(ctx, &ev);
    printf("  event: %s res=%s\n", rv(n), rv((long)ev.res));
    int rfd = open(temp_path(argv[1], "append.dat"), O_RDONLY);
    memset(back, 0, sizeof back);
    printf("append file: \"%.*s\"\n", (int)read(rfd, back, sizeof back), back);

    /* 4.t: a NULL user buffer is accepted and fails in the event */
    io_prep_pwrite(&cb, fd, NULL, 16, 0);
    printf("io_submit(pwrite NULL buffer): %s\n", rv(io_submit(ctx, 1, list)));
    n = reap_one(ctx, &ev);
    printf("  event: %s res=%s\n", rv(n), rv((long)ev.res));

    /* BadWrite: the pipe has no reader: the submit succeeds, the event carries the error */
    int p[2];
    if (pipe(p) != 0) return 2;
    close(p[0]);
    io_prep_pwrite(&cb, p[1], hello, strlen(hello), 0);
    printf("io_submit(pwrite to a pipe without reader): %s\n", rv(io_submit(ctx, 1, list)));
    n = reap_one(ctx, &ev);
    printf("  event: %s res=%s\n", rv(n), rv((long)ev.res));

    printf("io_destroy: %s\n", rv(io_destroy(ctx)));
    return 0;
}

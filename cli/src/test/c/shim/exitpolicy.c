/*
 * Exit with I/O in flight (written for aioemu's shim tests; the exit-policy cases of
 * native-bridge.md §4). Submits N O_DIRECT writes of 1 MiB, then ends as argv[2] says:
 *   exit   exit(0); an atexit handler registered BEFORE the first AIO call runs after the
 *          shim's (handlers run in reverse), reaps what is there and prints the count
 *   _exit  _exit(0) right after submitting (no handler of the program runs)
 * Under DRAIN every write has completed when the handler runs / the process is gone.
 */
#define _GNU_SOURCE
#include <libaio.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define N 16
#define SIZE (1 << 20)

static io_context_t ctx;

static void reap_at_exit(void) {
    struct io_event ev[N];
    struct timespec zero = {0, 0};
    int n = io_getevents(ctx, 0, N, ev, &zero);
    int complete = 0, canceled = 0, other = 0;
    for (int i = 0; i < n; i++) {
        if ((long)ev[i].res == SIZE) complete++;
        else if ((long)ev[i].res == -125) canceled++;   /* ECANCELED */
        else other++;
    }
    printf("at exit: events %d complete %d canceled %d other %d\n", n, complete, canceled, other);
    printf("io_destroy at exit %d\n", io_destroy(ctx));
    fflush(stdout);
}

int main(int argc, char **argv) {
    if (argc < 3) return 2;
    atexit(reap_at_exit);
    printf("io_setup %d\n", io_setup(64, &ctx));
    int fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC | O_DIRECT, 0600);
    if (fd < 0) { perror("open"); return 1; }
    struct iocb cbs[N], *list[N];
    for (int i = 0; i < N; i++) {
        void *buf;
        if (posix_memalign(&buf, 4096, SIZE)) return 1;
        memset(buf, 'a' + i, SIZE);
        io_prep_pwrite(&cbs[i], fd, buf, SIZE, (long long)i * SIZE);
        list[i] = &cbs[i];
    }
    printf("submitted %d\n", io_submit(ctx, N, list));
    fflush(stdout);
    if (strcmp(argv[2], "_exit") == 0) _exit(0);
    exit(0);
}

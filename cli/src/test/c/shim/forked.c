/*
 * fork and AIO (written for aioemu's shim tests; LNX-10, libaio harness 12.t, native-bridge.md §3):
 * the child cannot use the parent's context (EINVAL, while libaio's zero-timeout check still
 * answers 0 on its inherited empty ring), creates its own and does I/O on it; the parent's
 * context keeps working. The same output natively and on aioemu.
 */
#define _GNU_SOURCE
#include <libaio.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int write_read(io_context_t ctx, int fd, const char *who) {
    char out[64], in[64];
    snprintf(out, sizeof out, "written by the %s", who);
    struct iocb cb, *list[1] = {&cb};
    struct io_event ev;
    io_prep_pwrite(&cb, fd, out, sizeof out, 0);
    int s = io_submit(ctx, 1, list);
    int g = io_getevents(ctx, 1, 1, &ev, NULL);
    io_prep_pread(&cb, fd, in, sizeof in, 0);
    int s2 = io_submit(ctx, 1, list);
    int g2 = io_getevents(ctx, 1, 1, &ev, NULL);
    printf("%s: submit %d getevents %d submit %d getevents %d res %ld data %s\n", who, s, g, s2, g2, (long)ev.res,
           memcmp(in, out, sizeof in) == 0 ? "same" : "DIFFERENT");
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    io_context_t ctx = 0;
    printf("parent io_setup %d\n", io_setup(8, &ctx));
    int fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0600);
    write_read(ctx, fd, "parent");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        struct iocb cb, *list[1] = {&cb};
        struct io_event ev;
        struct timespec zero = {0, 0};
        char buf[16];
        io_prep_pread(&cb, fd, buf, sizeof buf, 0);
        printf("child: submit on the parent's ctx %d\n", io_submit(ctx, 1, list));
        printf("child: zero-timeout getevents on the parent's ctx %d\n", io_getevents(ctx, 0, 1, &ev, &zero));
        printf("child: io_destroy of the parent's ctx %d\n", io_destroy(ctx));
        io_context_t mine = 0;
        printf("child: io_setup %d\n", io_setup(8, &mine));
        int cfd = open(argv[1], O_RDWR);
        write_read(mine, cfd, "child");
        printf("child: io_destroy %d\n", io_destroy(mine));
        fflush(stdout);
        exit(3);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    printf("parent: child exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    write_read(ctx, fd, "parent");
    printf("parent io_destroy %d\n", io_destroy(ctx));
    return 0;
}

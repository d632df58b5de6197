/*
 * Exit with I/O in flight, after libaio harness/cases/14.t (a child submits large writes without
 * reaping and then exits; the parent sees a normal exit) and gVisor aio.cc ExitWithPendingIo,
 * with LNX-16/LNX-20: process exit waits for in-flight requests, so every block submitted is on
 * the file afterwards, whether the child ends with exit() or _exit(); a pending poll is cancelled
 * at exit and its eventfd is still signalled. The parent makes no AIO call itself: it only forks
 * and checks the files. Written anew for aioemu.
 */
#include "aioprog.h"
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <time.h>

#define BLOCK (256 * 1024)
#define NBLOCKS 32

/* the child: NBLOCKS writes submitted and never reaped, then the process ends */
static void child_writes(const char *path, int use_underscore_exit) {
    io_context_t ctx = 0;
    if (io_setup(NBLOCKS, &ctx) != 0) _exit(10);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_DIRECT, 0600);   /* truly in flight if it can */
    if (fd < 0) fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) _exit(11);
    static struct iocb cbs[NBLOCKS];
    struct iocb *list[NBLOCKS];
    for (int i = 0; i < NBLOCKS; i++) {
        void *buf;
        if (posix_memalign(&buf, 4096, BLOCK) != 0) _exit(12);
        pattern(buf, BLOCK, i);
        io_prep_pwrite(&cbs[i], fd, buf, BLOCK, (long long)i * BLOCK);
        list[i] = &cbs[i];
    }
    if (io_submit(ctx, NBLOCKS, list) != NBLOCKS) _exit(13);
    if (use_underscore_exit) _exit(0);
    exit(0);
}

/* the child: a poll on an empty pipe, signalling EFD, pending when the process ends */
static void child_poll(int rfd, int efd) {
    io_context_t ctx = 0;
    if (io_setup(1, &ctx) != 0) _exit(10);
    struct iocb cb, *list[1] = {&cb};
    io_prep_poll(&cb, rfd, POLLIN);
    io_set_eventfd(&cb, efd);
    if (io_submit(ctx, 1, list) != 1) _exit(13);
    exit(0);
}

/* waits for PID at most 20 s; the status as a line */
static const char *wait_child(pid_t pid) {
    static char s[64];
    for (int i = 0; i < 2000; i++) {
        int st;
        pid_t w = waitpid(pid, &st, WNOHANG);
        if (w == pid) {
            if (WIFEXITED(st)) snprintf(s, sizeof s, "exited %d", WEXITSTATUS(st));
            else snprintf(s, sizeof s, "killed by signal %d", WTERMSIG(st));
            return s;
        }
        struct timespec ms10 = {0, 10 * 1000 * 1000};
        nanosleep(&ms10, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return "did not exit within 20 s";
}

static void check_file(const char *path) {
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) { printf("  file missing\n"); return; }
    char *buf = malloc(BLOCK);
    int good = 0;
    for (int i = 0; i < NBLOCKS; i++) {
        if (pread(fd, buf, BLOCK, (off_t)i * BLOCK) == BLOCK && same_pattern(buf, BLOCK, i)) good++;
    }
    printf("  file size %ld, blocks with their data %d/%d\n", (long)st.st_size, good, NBLOCKS);
    free(buf);
    close(fd);
}

int main(int argc, char **argv) {
    usage_check(argc);
    char a[4096], b[4096];
    snprintf(a, sizeof a, "%s/exit.dat", argv[1]);
    snprintf(b, sizeof b, "%s/underscore_exit.dat", argv[1]);

    pid_t pid = fork();
    if (pid == 0) child_writes(a, 0);
    printf("child: 32 x 256 KiB writes in flight, then exit(0): %s\n", wait_child(pid));
    check_file(a);

    pid = fork();
    if (pid == 0) child_writes(b, 1);
    printf("child: 32 x 256 KiB writes in flight, then _exit(0): %s\n", wait_child(pid));
    check_file(b);

    int p[2];
    if (pipe(p) != 0) return 2;
    int efd = eventfd(0, EFD_NONBLOCK);
    pid = fork();
    if (pid == 0) child_poll(p[0], efd);
    printf("child: poll pending on a pipe, then exit(0): %s\n", wait_child(pid));
    struct pollfd pf = {efd, POLLIN, 0};
    uint64_t v = 0;
    int ready = poll(&pf, 1, 5000);
    if (ready == 1 && read(efd, &v, sizeof v) != sizeof v) v = 0;
    printf("  its eventfd was signalled: %s (count %lu)\n", yes(ready == 1), (unsigned long)v);
    return 0;
}

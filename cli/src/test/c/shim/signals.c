/*
 * The program's signals beside the JVM (written for aioemu's shim tests; native-bridge.md §5):
 * handlers installed AFTER the first AIO call still get their signals (SIGSEGV through libjsig,
 * SIGUSR1, SIGUSR2 which the JVM would otherwise take), sigaction shows the program its own
 * handler, and the JVM keeps working afterwards. With argument "sigpipe" the program writes to
 * a pipe nobody reads and must die of SIGPIPE, as it does natively.
 */
#define _GNU_SOURCE
#include <libaio.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf probe;
static volatile sig_atomic_t usr1, usr2;

static void on_segv(int sig, siginfo_t *si, void *uc) {
    (void)sig; (void)si; (void)uc;
    siglongjmp(probe, 1);
}
static void on_usr1(int sig) { (void)sig; usr1++; }
static void on_usr2(int sig) { (void)sig; usr2++; }

int main(int argc, char **argv) {
    io_context_t ctx = 0;
    printf("io_setup %d\n", io_setup(8, &ctx));
    if (argc > 1 && strcmp(argv[1], "sigpipe") == 0) {
        int p[2];
        if (pipe(p)) return 1;
        close(p[0]);
        fflush(stdout);
        ssize_t n = write(p[1], "x", 1);
        printf("write to a pipe without reader returned %zd\n", n);
        return 0;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    sa.sa_flags = 0;
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_handler = on_usr2;
    sigaction(SIGUSR2, &sa, NULL);

    struct sigaction now;
    sigaction(SIGSEGV, NULL, &now);
    printf("sigaction shows our SIGSEGV handler: %s\n", now.sa_sigaction == on_segv ? "yes" : "no");

    char *page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (int round = 0; round < 3; round++) {
        if (sigsetjmp(probe, 1) == 0) {
            volatile char c = page[0];
            (void)c;
            printf("probe: no fault?\n");
        } else {
            printf("probe %d: own SIGSEGV handler recovered\n", round);
        }
        /* the shim's own fault-safe copy meets a bad context between the probes */
        struct timespec zero = {0, 0};
        struct io_event ev;
        printf("getevents on an unmapped ctx %d\n", io_getevents((io_context_t)page, 0, 1, &ev, &zero));
    }
    raise(SIGUSR1);
    raise(SIGUSR2);
    printf("SIGUSR1 %d SIGUSR2 %d\n", (int)usr1, (int)usr2);

    /* the JVM still works: enough calls to make it allocate and collect */
    struct iocb cb, *list[1] = {&cb};
    struct io_event ev;
    static char buf[64];
    int zero_fd = open("/dev/zero", O_RDONLY);
    int ok = 0;
    for (int i = 0; i < 20000; i++) {
        io_prep_pread(&cb, zero_fd, buf, sizeof buf, 0);
        if (io_submit(ctx, 1, list) == 1 && io_getevents(ctx, 1, 1, &ev, NULL) == 1 && (long)ev.res == 64) ok++;
    }
    printf("calls after the signals: %d\n", ok);
    printf("io_destroy %d\n", io_destroy(ctx));
    return 0;
}

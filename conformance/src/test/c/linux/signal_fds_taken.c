/*
 * A program that closes an fd it did not open while another of its threads sleeps in
 * io_getevents (aioemu's own case). On aioemu that sleep watches a signalfd of its own (see
 * signal_wakeup.c); when the program closes it, the sleep must neither spin on the dead fd (the
 * sleep's 1-s re-check finds it gone; the signal comes 1.5 s later) nor touch that fd number again,
 * and a signal must still end it. Natively there is no such fd, so
 * nothing is closed and the kernel prints the same.
 */
#include "aioprog.h"
#include <dirent.h>
#include <pthread.h>
#include <signal.h>

static volatile sig_atomic_t got_usr1;
static void on_usr1(int s) { (void)s; got_usr1++; }
static pthread_t waiter;

/* Closes every signalfd of the process (the program itself opened none). */
static void close_signalfds(void) {
    DIR *d = opendir("/proc/self/fd");
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char path[300], link[64];
        snprintf(path, sizeof path, "/proc/self/fd/%s", e->d_name);
        ssize_t n = readlink(path, link, sizeof link - 1);
        if (n <= 0) continue;
        link[n] = 0;
        if (strcmp(link, "anon_inode:[signalfd]") == 0) close(atoi(e->d_name));
    }
    closedir(d);
}

static void *meddle(void *arg) {
    (void)arg;
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &usr1, NULL);
    usleep(100 * 1000);
    close_signalfds();
    usleep(2400 * 1000);   /* past the sleep's 1-s re-check, which finds the fd gone */
    pthread_kill(waiter, SIGUSR1);
    return NULL;
}

int main(int argc, char **argv) {
    usage_check(argc);
    (void)argv;
    io_context_t ctx = 0;
    struct io_event ev[1];
    struct timespec s30 = {30, 0};
    printf("io_setup(1): %s\n", rv(io_setup(1, &ctx)));
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);

    waiter = pthread_self();
    pthread_t t;
    pthread_create(&t, NULL, meddle, NULL);
    long c0 = thread_cpu_ms(), t0 = now_ms();
    int n = io_getevents(ctx, 1, 1, ev, &s30);
    long cpu = thread_cpu_ms() - c0, took = now_ms() - t0;
    pthread_join(t, NULL);
    printf("io_getevents(1, 1, 30 s), the sleep's fds closed by another thread after 100 ms, SIGUSR1 after 2.5 s: "
           "%s handler ran: %s ended within 10 s: %s spinning: %s\n",
           rv(n), yes(got_usr1 == 1), yes(took < 10000), yes(cpu > 500));

    printf("io_destroy: %s\n", rv(io_destroy(ctx)));
    return 0;
}

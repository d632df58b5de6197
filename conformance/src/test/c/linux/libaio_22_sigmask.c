/*
 * Signals during the wait, after libaio harness/cases/22.t (io_pgetevents with a mask that lets
 * SIGUSR1 in is interrupted: -EINTR, the handler runs) and LNX-64/67: a signal the mask keeps
 * blocked stays pending and the wait times out; a handler that runs during io_getevents ends
 * the wait with -EINTR when no event has been collected. Written anew for aioemu.
 */
#include "aioprog.h"
#include <signal.h>
#include <sys/time.h>

static volatile sig_atomic_t got_usr1, got_alrm;
static void on_usr1(int s) { (void)s; got_usr1 = 1; }
static void on_alrm(int s) { (void)s; got_alrm = 1; }

int main(int argc, char **argv) {
    usage_check(argc);
    (void)argv;
    io_context_t ctx = 0;
    struct io_event ev[1];
    struct timespec ms20 = {0, 20 * 1000 * 1000}, s1 = {1, 0};
    printf("io_setup(1): %s\n", rv(io_setup(1, &ctx)));

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_handler = on_alrm;
    sa.sa_flags = SA_RESTART;                      /* io_getevents is never restarted anyway */
    sigaction(SIGALRM, &sa, NULL);

    /* SIGUSR1 blocked in the thread and pending */
    sigset_t usr1, empty, old;
    sigemptyset(&empty);
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, &old);
    raise(SIGUSR1);
    int n = io_pgetevents(ctx, 1, 1, ev, &ms20, &usr1);
    printf("io_pgetevents(mask blocks SIGUSR1) with it pending: %s handler ran: %s\n", rv(n), yes(got_usr1));
    n = io_pgetevents(ctx, 1, 1, ev, &ms20, &empty);
    printf("io_pgetevents(mask unblocks SIGUSR1) with it pending: %s handler ran: %s\n", rv(n), yes(got_usr1));
    sigprocmask(SIG_SETMASK, &old, NULL);

    /* a timer's signal arrives 50 ms into a 1 s io_getevents on an empty ring */
    struct itimerval it = {{0, 0}, {0, 50 * 1000}};
    setitimer(ITIMER_REAL, &it, NULL);
    n = io_getevents(ctx, 1, 1, ev, &s1);
    printf("io_getevents(1, 1, 1 s) with SIGALRM after 50 ms: %s handler ran: %s\n", rv(n), yes(got_alrm));

    printf("io_destroy: %s\n", rv(io_destroy(ctx)));
    return 0;
}

/*
 * A signal ends a sleeping io_getevents when it arrives, not at the next look (aioemu's own case,
 * LNX-64/67). Run with the emulation's safety re-check set to ten minutes (LinuxProgramsTest), so
 * a wait that only noticed signals by asking again would run into its 30 s timeout here:
 * - SIGUSR1 (a handler) sent to the waiting thread 100 ms into a 30 s wait: -EINTR at once;
 * - SIGUSR1 sent to the process, every other thread blocking it: the waiter takes it, -EINTR;
 * - SIGCHLD (default action: ignored) from a child that exits 50 ms into a 300 ms wait: the wait
 *   goes on to its timeout (0 events), without spinning on the pending signal;
 * - io_pgetevents with a mask that blocks SIGUSR1, sent 50 ms into a 300 ms wait: it times out,
 *   and the handler runs once the call has put the thread's own mask back.
 */
#include "aioprog.h"
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>

static volatile sig_atomic_t got_usr1;
static void on_usr1(int s) { (void)s; got_usr1++; }

struct shot { pthread_t target; int to_process; int delay_ms; };

static void *send_later(void *arg) {
    struct shot *s = arg;
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &usr1, NULL);   /* a process-directed SIGUSR1 cannot land here */
    usleep(s->delay_ms * 1000);
    if (s->to_process) kill(getpid(), SIGUSR1);
    else pthread_kill(s->target, SIGUSR1);
    return NULL;
}

static pthread_t shoot(int to_process, int delay_ms) {
    static struct shot s;
    s.target = pthread_self();
    s.to_process = to_process;
    s.delay_ms = delay_ms;
    pthread_t t;
    pthread_create(&t, NULL, send_later, &s);
    return t;
}

int main(int argc, char **argv) {
    usage_check(argc);
    (void)argv;
    io_context_t ctx = 0;
    struct io_event ev[1];
    struct timespec s30 = {30, 0}, ms300 = {0, 300 * 1000 * 1000};
    printf("io_setup(1): %s\n", rv(io_setup(1, &ctx)));

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);

    for (int to_process = 0; to_process <= 1; to_process++) {
        got_usr1 = 0;
        pthread_t t = shoot(to_process, 100);
        long t0 = now_ms();
        int n = io_getevents(ctx, 1, 1, ev, &s30);
        long took = now_ms() - t0;
        pthread_join(t, NULL);
        printf("io_getevents(1, 1, 30 s), SIGUSR1 to the %s after 100 ms: %s handler ran: %s ended within 10 s: %s\n",
               to_process ? "process" : "thread", rv(n), yes(got_usr1 == 1), yes(took < 10000));
    }

    pid_t child = fork();
    if (child == 0) {
        usleep(50 * 1000);
        _exit(0);
    }
    long c0 = thread_cpu_ms(), t0 = now_ms();
    int n = io_getevents(ctx, 1, 1, ev, &ms300);
    long cpu = thread_cpu_ms() - c0, took = now_ms() - t0;
    waitpid(child, NULL, 0);
    printf("io_getevents(1, 1, 300 ms), a child exits after 50 ms (SIGCHLD ignored by default): %s full wait: %s spinning: %s\n",
           rv(n), yes(took >= 250), yes(cpu > 150));

    got_usr1 = 0;
    sigset_t blocks_usr1;
    sigemptyset(&blocks_usr1);
    sigaddset(&blocks_usr1, SIGUSR1);
    pthread_t t = shoot(0, 50);
    c0 = thread_cpu_ms();
    n = io_pgetevents(ctx, 1, 1, ev, &ms300, &blocks_usr1);
    cpu = thread_cpu_ms() - c0;
    pthread_join(t, NULL);
    printf("io_pgetevents(1, 1, 300 ms, mask blocks SIGUSR1), SIGUSR1 to the thread after 50 ms: %s spinning: %s handler ran after: %s\n",
           rv(n), yes(cpu > 150), yes(got_usr1 == 1));

    printf("io_destroy: %s\n", rv(io_destroy(ctx)));
    return 0;
}

/*
 * From FreeBSD tests/sys/aio/aio_test.c, file_signal (SIGEV_SIGNAL with SIGUSR1, waited for
 * before reaping), and Open POSIX lio_listio/3-1 (per-request SIGRTMIN+1 and a list signal
 * SIGRTMIN+2 for a LIO_NOWAIT list). The signals are the host's real ones: a SA_SIGINFO handler
 * sees si_code SI_ASYNCIO and si_value = sigev_value. FreeBSD's aio_free_entry: a request's
 * signal still pending (blocked) when the request is reaped is taken back. SIGEV_THREAD_ID aims
 * the signal at one thread (sigwaitinfo on that thread receives it).
 */
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread_np.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NLIST 4

static volatile sig_atomic_t usr1, rt1, rt2, bad_code;
static volatile long usr1_value, rt2_value;

static void handler(int sig, siginfo_t *si, void *uc) {
	(void)uc;
	if (si->si_code != SI_ASYNCIO) bad_code++;
	if (sig == SIGUSR1) { usr1++; usr1_value = (long)si->si_value.sival_ptr; }
	else if (sig == SIGRTMIN + 1) rt1++;
	else if (sig == SIGRTMIN + 2) { rt2++; rt2_value = si->si_value.sival_int; }
}

static void wait_for(volatile sig_atomic_t *n, int want) {
	for (int i = 0; i < 5000 && *n < want; i++)
		usleep(1000);
}

int main(void) {
	char path[] = "/tmp/aioemu-fbsd-signal.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) { perror("mkstemp"); return 1; }
	unlink(path);

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGRTMIN + 1, &sa, NULL);
	sigaction(SIGRTMIN + 2, &sa, NULL);

	static char buf[8192];
	memset(buf, 'q', sizeof buf);
	struct aiocb cb;
	memset(&cb, 0, sizeof cb);
	cb.aio_fildes = fd;
	cb.aio_buf = buf;
	cb.aio_nbytes = sizeof buf;
	cb.aio_sigevent.sigev_notify = SIGEV_SIGNAL;
	cb.aio_sigevent.sigev_signo = SIGUSR1;
	cb.aio_sigevent.sigev_value.sival_ptr = &cb;
	printf("aio_write: %d\n", aio_write(&cb));
	wait_for(&usr1, 1);
	printf("SIGUSR1 delivered: %d, si_value is the aiocb: %s\n", (int)usr1, usr1_value == (long)&cb ? "yes" : "no");
	int e = aio_error(&cb);
	printf("aio_error: %d, aio_return: %zd\n", e, aio_return(&cb));

	/* lio_listio/3-1: one signal per request and one for the list */
	static struct aiocb lcb[NLIST];
	struct aiocb *list[NLIST];
	static char lbuf[NLIST][512];
	for (int i = 0; i < NLIST; i++) {
		memset(&lcb[i], 0, sizeof lcb[i]);
		lcb[i].aio_fildes = fd;
		lcb[i].aio_buf = lbuf[i];
		lcb[i].aio_nbytes = sizeof lbuf[i];
		lcb[i].aio_offset = i * 512;
		lcb[i].aio_lio_opcode = LIO_READ;
		lcb[i].aio_sigevent.sigev_notify = SIGEV_SIGNAL;
		lcb[i].aio_sigevent.sigev_signo = SIGRTMIN + 1;
		list[i] = &lcb[i];
	}
	struct sigevent lsig;
	memset(&lsig, 0, sizeof lsig);
	lsig.sigev_notify = SIGEV_SIGNAL;
	lsig.sigev_signo = SIGRTMIN + 2;
	lsig.sigev_value.sival_int = 1234;
	printf("lio_listio: %d\n", lio_listio(LIO_NOWAIT, list, NLIST, &lsig));
	wait_for(&rt1, NLIST);
	wait_for(&rt2, 1);
	printf("per-request signals: %d, list signals: %d (value %ld)\n", (int)rt1, (int)rt2, rt2_value);
	int ok = 0;
	for (int i = 0; i < NLIST; i++)
		if (aio_return(&lcb[i]) == 512) ok++;
	printf("list reads returned 512: %d\n", ok);

	/* blocked: the signal stays pending until the request is reaped, which takes it back */
	sigset_t set, pending;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	usr1 = 0;
	printf("aio_read: %d\n", aio_read(&cb));
	while (aio_error(&cb) == EINPROGRESS)
		usleep(1000);
	for (int i = 0; i < 5000; i++) {
		sigpending(&pending);
		if (sigismember(&pending, SIGUSR1)) break;
		usleep(1000);
	}
	printf("pending before aio_return: %d\n", sigismember(&pending, SIGUSR1));
	printf("aio_return: %zd\n", aio_return(&cb));
	sigpending(&pending);
	printf("pending after aio_return: %d\n", sigismember(&pending, SIGUSR1));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	printf("handler ran after unblocking: %d\n", (int)usr1);

	/* SIGEV_THREAD_ID: to this thread; taken with sigwaitinfo while blocked */
	sigprocmask(SIG_BLOCK, &set, NULL);
	cb.aio_sigevent.sigev_notify = SIGEV_THREAD_ID;
	cb.aio_sigevent.sigev_notify_thread_id = pthread_getthreadid_np();
	cb.aio_sigevent.sigev_value.sival_int = 77;
	printf("aio_read SIGEV_THREAD_ID: %d\n", aio_read(&cb));
	siginfo_t si;
	int sig = sigwaitinfo(&set, &si);
	printf("sigwaitinfo: %s, SI_ASYNCIO %s, value %d\n", sig == SIGUSR1 ? "SIGUSR1" : "other",
	    si.si_code == SI_ASYNCIO ? "yes" : "no", si.si_value.sival_int);
	printf("aio_return: %zd\n", aio_return(&cb));
	printf("handler saw another si_code: %d\n", (int)bad_code);
	close(fd);
	return 0;
}

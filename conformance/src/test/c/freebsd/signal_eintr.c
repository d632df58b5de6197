/*
 * FreeBSD's interruptible AIO sleeps (vfs_aio.c kern_aio_suspend, kern_aio_waitcomplete,
 * kern_lio_listio and kern_event.c kqueue_scan sleep with PCATCH; freebsd-aio.md FBSD-26/28) and
 * POSIX aio_suspend's [EINTR]: a caught signal ends aio_suspend, lio_listio(LIO_WAIT) and kevent
 * with -1/EINTR (never restarted), and aio_waitcomplete with a timeout too; without a timeout and
 * with SA_RESTART, aio_waitcomplete starts over and returns the request that completes later.
 * The signal comes from another thread of the program with pthread_kill, repeated until the
 * call returned (so it cannot be missed before the call sleeps).
 */
#include <aio.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/event.h>
#include <sys/socket.h>
#include <unistd.h>

static volatile sig_atomic_t handled;
static volatile int returned;
static pthread_t main_thread;
static int peer = -1;

static void handler(int sig) { (void)sig; handled++; }

/* Signals the main thread every 50 ms until it says its call returned; then, if asked, sends a byte. */
static void *kicker(void *arg) {
	int write_after = arg != NULL;
	for (int i = 0; i < 200 && !returned; i++) {
		pthread_kill(main_thread, SIGUSR1);
		if (write_after) break;
		usleep(50000);
	}
	if (write_after) {
		usleep(300000);
		if (write(peer, "z", 1) != 1) perror("write");
	}
	return NULL;
}

static void start_kicker(pthread_t *t, int write_after) {
	returned = 0;
	handled = 0;
	pthread_create(t, NULL, kicker, write_after ? (void *)1 : NULL);
}

static void stop_kicker(pthread_t t) {
	returned = 1;
	pthread_join(t, NULL);
}

static const char *ename(int e) { return e == EINTR ? "EINTR" : strerror(e); }

int main(void) {
	main_thread = pthread_self();
	int sv[2];
	socketpair(PF_UNIX, SOCK_STREAM, 0, sv);
	peer = sv[1];
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);

	char byte = 0;
	struct aiocb cb;
	memset(&cb, 0, sizeof cb);
	cb.aio_fildes = sv[0];
	cb.aio_buf = &byte;
	cb.aio_nbytes = 1;
	printf("aio_read: %d\n", aio_read(&cb));

	pthread_t t;
	const struct aiocb *list[1] = {&cb};
	start_kicker(&t, 0);
	int r = aio_suspend(list, 1, NULL);
	int e = errno;
	stop_kicker(t);
	printf("aio_suspend: %d %s, handler ran: %s\n", r, ename(e), handled ? "yes" : "no");

	struct aiocb *done = &cb;
	struct timespec ten = {10, 0};
	start_kicker(&t, 0);
	ssize_t n = aio_waitcomplete(&done, &ten);
	e = errno;
	stop_kicker(t);
	printf("aio_waitcomplete with a timeout: %zd %s, iocb %s\n", n, ename(e), done == NULL ? "NULL" : "set");

	int kq = kqueue();
	struct kevent ev;
	start_kicker(&t, 0);
	r = kevent(kq, NULL, 0, &ev, 1, NULL);
	e = errno;
	stop_kicker(t);
	printf("kevent: %d %s\n", r, ename(e));

	struct aiocb lr;
	char lbyte;
	memset(&lr, 0, sizeof lr);
	lr.aio_fildes = sv[0];
	lr.aio_buf = &lbyte;
	lr.aio_nbytes = 1;
	lr.aio_lio_opcode = LIO_READ;
	struct aiocb *llist[1] = {&lr};
	start_kicker(&t, 0);
	r = lio_listio(LIO_WAIT, llist, 1, NULL);
	e = errno;
	stop_kicker(t);
	printf("lio_listio LIO_WAIT: %d %s, its read: %s\n", r, ename(e), aio_error(&lr) == EINPROGRESS ? "EINPROGRESS" : "done");
	printf("aio_cancel: %s\n", aio_cancel(sv[0], &lr) == AIO_CANCELED ? "AIO_CANCELED" : "other");
	n = aio_return(&lr);
	printf("its aio_return: %zd %s\n", n, errno == ECANCELED ? "ECANCELED" : strerror(errno));

	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	start_kicker(&t, 1);
	done = NULL;
	n = aio_waitcomplete(&done, NULL);
	stop_kicker(t);
	printf("aio_waitcomplete, SA_RESTART: %zd, iocb %s, byte %c, handler ran: %s\n", n, done == &cb ? "the read" : "other",
	    byte, handled ? "yes" : "no");
	close(kq);
	return 0;
}

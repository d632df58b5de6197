/*
 * Cost of calls through libaioemu-freebsd (README, "FreeBSD programs"): the first AIO call
 * (it starts the JVM), then the median over 20 batches of 10000 calls each of
 *   aio_error() on a finished, unreaped request   (upcall + job lookup + errno mapping)
 *   aio_return() of an unknown aiocb -> EINVAL     (upcall + lookup + errno)
 *   the signal-mask pair every call makes          (2 x rt_sigprocmask, for scale)
 * Build and run:  ./aioemu cc --abi freebsd -O2 -o call_cost abi-freebsd/src/test/c/call_cost.c
 *                 ./aioemu exec --abi freebsd -- ./call_cost
 */
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define BATCHES 20
#define PER 10000

static double now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp(const void *a, const void *b) {
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v) {
	qsort(v, BATCHES, sizeof *v, cmp);
	return v[BATCHES / 2];
}

int main(void) {
	char path[] = "/tmp/aioemu-call-cost.XXXXXX";
	int fd = mkstemp(path);
	unlink(path);
	static char buf[512];
	struct aiocb cb, unknown;
	memset(&cb, 0, sizeof cb);
	memset(&unknown, 0, sizeof unknown);
	cb.aio_fildes = fd;
	cb.aio_buf = buf;
	cb.aio_nbytes = sizeof buf;

	double t0 = now();
	int r = aio_write(&cb);
	double t1 = now();
	printf("first call (JVM start): %.0f ms (aio_write %d)\n", (t1 - t0) / 1e6, r);
	while (aio_error(&cb) == EINPROGRESS)
		;

	double v[BATCHES];
	volatile long sink = 0;
	for (int b = 0; b < BATCHES; b++) {
		double s = now();
		for (int i = 0; i < PER; i++) sink += aio_error(&cb);
		v[b] = (now() - s) / PER;
	}
	printf("aio_error (finished job): %.0f ns\n", median(v));
	for (int b = 0; b < BATCHES; b++) {
		double s = now();
		for (int i = 0; i < PER; i++) sink += aio_return(&unknown);
		v[b] = (now() - s) / PER;
	}
	printf("aio_return (unknown aiocb, EINVAL): %.0f ns\n", median(v));
	sigset_t all, old;
	sigfillset(&all);
	for (int b = 0; b < BATCHES; b++) {
		double s = now();
		for (int i = 0; i < PER; i++) {
			syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, 8);
			syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, 8);
		}
		v[b] = (now() - s) / PER;
	}
	printf("rt_sigprocmask pair: %.0f ns\n", median(v));
	printf("aio_return: %zd\n", aio_return(&cb));
	return (int)(sink & 0);
}

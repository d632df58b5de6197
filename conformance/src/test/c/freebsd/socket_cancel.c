/*
 * From FreeBSD tests/sys/aio/aio_test.c, aio_socket_two_reads: two aio_reads queued on one
 * socket, one byte sent: exactly one read completes with that byte, the other is still
 * EINPROGRESS and aio_cancel cancels it (AIO_CANCELED; its status is ECANCELED, aio_return -1).
 * Open POSIX aio_cancel/8-1 (a completed request: AIO_ALLDONE), aio_cancel/9-1 and 10-1
 * (aio_cancel(-1, NULL) is -1 with EBADF), and aio_suspend/3-1 with a NULL entry and a timeout
 * (EAGAIN while nothing finished).
 */
#include <aio.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *ename(int e) {
	switch (e) {
	case 0: return "0";
	case EINPROGRESS: return "EINPROGRESS";
	case ECANCELED: return "ECANCELED";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	default: return strerror(e);
	}
}

static const char *cname(int r) {
	switch (r) {
	case AIO_CANCELED: return "AIO_CANCELED";
	case AIO_NOTCANCELED: return "AIO_NOTCANCELED";
	case AIO_ALLDONE: return "AIO_ALLDONE";
	default: return "-1";
	}
}

int main(void) {
	int sv[2];
	if (socketpair(PF_UNIX, SOCK_STREAM, 0, sv) != 0) { perror("socketpair"); return 1; }

	char b0[16], b1[16];
	struct aiocb cb[2];
	memset(cb, 0, sizeof cb);
	cb[0].aio_fildes = cb[1].aio_fildes = sv[0];
	cb[0].aio_buf = b0;
	cb[1].aio_buf = b1;
	cb[0].aio_nbytes = cb[1].aio_nbytes = sizeof b0;
	printf("aio_read 0: %d\n", aio_read(&cb[0]));
	printf("aio_read 1: %d\n", aio_read(&cb[1]));

	const struct aiocb *list[3] = {NULL, &cb[0], &cb[1]};
	struct timespec ts = {0, 50 * 1000 * 1000};
	int r = aio_suspend(list, 3, &ts);
	printf("aio_suspend before data: %d %s\n", r, ename(errno));

	if (write(sv[1], "X", 1) != 1) { perror("write"); return 1; }
	r = aio_suspend(list, 3, NULL);
	printf("aio_suspend after one byte: %d\n", r);

	int done = -1;
	for (int i = 0; i < 2; i++) {
		int e = aio_error(&cb[i]);
		if (e == 0) done = i;
	}
	int other = 1 - done;
	printf("one read finished: %s\n", done >= 0 ? "yes" : "no");
	printf("its aio_return: %zd byte %c\n", aio_return(&cb[done]), done == 0 ? b0[0] : b1[0]);
	printf("other aio_error: %s\n", ename(aio_error(&cb[other])));
	printf("aio_cancel other: %s\n", cname(aio_cancel(sv[0], &cb[other])));
	printf("other after cancel: %s\n", ename(aio_error(&cb[other])));
	ssize_t n = aio_return(&cb[other]);
	printf("other aio_return: %zd %s\n", n, ename(errno));

	/* a request that already finished cannot be cancelled */
	memset(&cb[0], 0, sizeof cb[0]);
	cb[0].aio_fildes = sv[1];
	cb[0].aio_buf = b0;
	cb[0].aio_nbytes = 4;
	printf("aio_write: %d\n", aio_write(&cb[0]));
	while (aio_error(&cb[0]) == EINPROGRESS)
		usleep(1000);
	printf("aio_cancel finished write: %s\n", cname(aio_cancel(sv[1], &cb[0])));
	printf("write returned %zd\n", aio_return(&cb[0]));
	printf("aio_cancel fd with nothing queued: %s\n", cname(aio_cancel(sv[1], NULL)));

	errno = 0;
	r = aio_cancel(-1, NULL);
	printf("aio_cancel(-1, NULL): %d %s\n", r, ename(errno));
	close(sv[0]);
	close(sv[1]);
	return 0;
}

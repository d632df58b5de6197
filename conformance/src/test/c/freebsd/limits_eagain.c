/*
 * From FreeBSD tests/sys/aio/lio_test.c, lio_listio_eagain_kevent, and Open POSIX aio_read/9-1
 * and aio_write/7-1: requests that wait (reads of a socket nobody writes to) are queued until
 * the per-process limit (vfs.aio.max_aio_queue_per_proc, 256) refuses one with EAGAIN; a
 * lio_listio of further requests then fails with EAGAIN as well. Cancelling them all
 * (aio_cancel(fd, NULL) = AIO_CANCELED) and reaping each (ECANCELED) frees the slots: a new
 * request is accepted again.
 */
#include <aio.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX 300

static struct aiocb cbs[MAX + 4];
static char bufs[MAX + 4][8];

int main(void) {
	int sv[2];
	if (socketpair(PF_UNIX, SOCK_STREAM, 0, sv) != 0) { perror("socketpair"); return 1; }
	int queued = 0, err = 0;
	for (int i = 0; i < MAX; i++) {
		memset(&cbs[i], 0, sizeof cbs[i]);
		cbs[i].aio_fildes = sv[0];
		cbs[i].aio_buf = bufs[i];
		cbs[i].aio_nbytes = sizeof bufs[i];
		if (aio_read(&cbs[i]) != 0) {
			err = errno;
			break;
		}
		queued++;
	}
	printf("queued %d, then %s\n", queued, err == EAGAIN ? "EAGAIN" : strerror(err));

	struct aiocb *list[2];
	for (int i = 0; i < 2; i++) {
		struct aiocb *cb = &cbs[MAX + i];
		memset(cb, 0, sizeof *cb);
		cb->aio_fildes = sv[0];
		cb->aio_buf = bufs[MAX + i];
		cb->aio_nbytes = sizeof bufs[MAX + i];
		cb->aio_lio_opcode = LIO_READ;
		list[i] = cb;
	}
	int r = lio_listio(LIO_NOWAIT, list, 2, NULL);
	printf("lio_listio over the limit: %d %s\n", r, errno == EAGAIN ? "EAGAIN" : strerror(errno));
	printf("its entries: %s %s\n", aio_error(list[0]) == EAGAIN ? "EAGAIN" : "other",
	    aio_error(list[1]) == EAGAIN ? "EAGAIN" : "other");

	r = aio_cancel(sv[0], NULL);
	printf("aio_cancel all: %s\n", r == AIO_CANCELED ? "AIO_CANCELED" : "other");
	int canceled = 0;
	for (int i = 0; i < queued; i++) {
		if (aio_error(&cbs[i]) == ECANCELED && aio_return(&cbs[i]) == -1 && errno == ECANCELED)
			canceled++;
	}
	printf("reaped %d cancelled\n", canceled);

	memset(&cbs[0], 0, sizeof cbs[0]);
	cbs[0].aio_fildes = sv[1];
	cbs[0].aio_buf = "ok";
	cbs[0].aio_nbytes = 2;
	printf("aio_write after reaping: %d\n", aio_write(&cbs[0]));
	while (aio_error(&cbs[0]) == EINPROGRESS)
		usleep(1000);
	printf("write returned %zd\n", aio_return(&cbs[0]));
	return 0;
}

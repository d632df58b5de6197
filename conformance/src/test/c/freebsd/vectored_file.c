/*
 * From FreeBSD tests/sys/aio/aio_test.c, vectored_file_poll and aio_writev_empty_file_poll:
 * aio_writev of three iovecs of odd sizes to a file, aio_readv of the same bytes into a
 * different split, compared; an aio_writev with aio_iovcnt 0 completes with 0 (waited for with
 * aio_suspend); aio_writev_dos_iovcnt: aio_iovcnt over UIO_MAXIOV is EINVAL at submission.
 */
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

static ssize_t suspend_done(struct aiocb *cb) {
	const struct aiocb *list[1] = {cb};
	int r = aio_suspend(list, 1, NULL);
	printf("aio_suspend: %d\n", r);
	while (aio_error(cb) == EINPROGRESS)
		usleep(1000);
	return aio_return(cb);
}

int main(void) {
	char path[] = "/tmp/aioemu-fbsd-vectored.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) { perror("mkstemp"); return 1; }
	unlink(path);

	static char data[12289];
	for (size_t i = 0; i < sizeof data; i++) data[i] = (char)('a' + i % 26);

	struct iovec wv[3] = {{data, 1}, {data + 1, 8191}, {data + 8192, 4097}};
	struct aiocb cb;
	memset(&cb, 0, sizeof cb);
	cb.aio_fildes = fd;
	cb.aio_iov = wv;
	cb.aio_iovcnt = 3;
	printf("aio_writev: %d\n", aio_writev(&cb));
	printf("writev returned %zd\n", suspend_done(&cb));

	static char back[12289];
	struct iovec rv[2] = {{back, 5000}, {back + 5000, sizeof back - 5000}};
	memset(&cb, 0, sizeof cb);
	cb.aio_fildes = fd;
	cb.aio_iov = rv;
	cb.aio_iovcnt = 2;
	printf("aio_readv: %d\n", aio_readv(&cb));
	printf("readv returned %zd\n", suspend_done(&cb));
	printf("contents %s\n", memcmp(back, data, sizeof data) == 0 ? "match" : "differ");

	memset(&cb, 0, sizeof cb);
	cb.aio_fildes = fd;
	cb.aio_iov = wv;
	cb.aio_iovcnt = 0;
	printf("empty aio_writev: %d\n", aio_writev(&cb));
	printf("empty writev returned %zd\n", suspend_done(&cb));

	cb.aio_iovcnt = 1 << 30;
	int r = aio_writev(&cb);
	int e = errno;
	printf("huge iovcnt: %d %s\n", r, e == EINVAL ? "EINVAL" : strerror(e));
	printf("aio_error after refusal: %s\n", aio_error(&cb) == EINVAL ? "EINVAL" : "other");
	close(fd);
	return 0;
}

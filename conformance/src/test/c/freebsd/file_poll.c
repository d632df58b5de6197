/*
 * From FreeBSD tests/sys/aio/aio_test.c, file_poll (aio_file_test with the poll completion):
 * write a 16 KiB buffer to a regular file with aio_write, poll aio_error until it is no longer
 * EINPROGRESS, reap with aio_return; read it back with aio_read and compare. Also the Open POSIX
 * aio_read/3-2 and aio_return/2-1 cases: a read past end of file is short, and a second
 * aio_return on a reaped aiocb fails with EINVAL.
 */
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUF_SIZE 16384

static void fill(char *buf, size_t len, unsigned seed) {
	for (size_t i = 0; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (char)(seed >> 16);
	}
}

static ssize_t poll_done(struct aiocb *cb) {
	int error;
	while ((error = aio_error(cb)) == EINPROGRESS)
		usleep(1000);
	printf("aio_error: %s\n", error == 0 ? "0" : strerror(error));
	return aio_return(cb);
}

int main(void) {
	char path[] = "/tmp/aioemu-fbsd-file_poll.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) { perror("mkstemp"); return 1; }
	unlink(path);

	static char out[BUF_SIZE], in[BUF_SIZE];
	fill(out, sizeof out, 42);

	struct aiocb cb;
	memset(&cb, 0, sizeof cb);
	cb.aio_fildes = fd;
	cb.aio_buf = out;
	cb.aio_nbytes = sizeof out;
	cb.aio_offset = 0;
	printf("aio_write: %d\n", aio_write(&cb));
	printf("write returned %zd\n", poll_done(&cb));

	ssize_t again = aio_return(&cb);
	int e = errno;
	printf("second aio_return: %zd %s\n", again, e == EINVAL ? "EINVAL" : strerror(e));

	memset(&cb, 0, sizeof cb);
	cb.aio_fildes = fd;
	cb.aio_buf = in;
	cb.aio_nbytes = sizeof in;
	printf("aio_read: %d\n", aio_read(&cb));
	printf("read returned %zd\n", poll_done(&cb));
	printf("contents %s\n", memcmp(in, out, sizeof in) == 0 ? "match" : "differ");

	/* a read that starts 1000 bytes before end of file returns only those */
	memset(&cb, 0, sizeof cb);
	cb.aio_fildes = fd;
	cb.aio_buf = in;
	cb.aio_nbytes = 4096;
	cb.aio_offset = BUF_SIZE - 1000;
	printf("aio_read at end: %d\n", aio_read(&cb));
	printf("short read returned %zd\n", poll_done(&cb));
	printf("tail %s\n", memcmp(in, out + BUF_SIZE - 1000, 1000) == 0 ? "match" : "differ");

	/* the file offset is neither used nor moved (reads and writes are positional) */
	printf("lseek: %ld\n", (long)lseek(fd, 0, SEEK_CUR));
	close(fd);
	return 0;
}

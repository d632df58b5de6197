/*
 * Bad addresses get EFAULT, never a crash (FreeBSD's copyin/copyout): from FreeBSD
 * tests/sys/aio/aio_test.c aio_writev_efault (an iovec whose base is unmapped; on a regular file
 * the job runs on the daemon path, so its error is EFAULT at completion, not at submission), and
 * the calls' own pointer arguments: an aiocb, an aiocb list, a lio_listio list, a kevent list and
 * a timespec that point at unmapped memory fail with -1/EFAULT; aio_error() on an unreadable
 * aiocb returns -1 (fuword's answer).
 */
#include <aio.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/event.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

static const char *ename(int e) { return e == EFAULT ? "EFAULT" : strerror(e); }

int main(void) {
	char path[] = "/tmp/aioemu-fbsd-efault.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) { perror("mkstemp"); return 1; }
	unlink(path);
	long page = sysconf(_SC_PAGESIZE);
	void *hole = mmap(NULL, (size_t)page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (hole == MAP_FAILED) { perror("mmap"); return 1; }

	int r = aio_read((struct aiocb *)hole);
	printf("aio_read(unmapped aiocb): %d %s\n", r, ename(errno));
	r = aio_write((struct aiocb *)8);
	printf("aio_write((aiocb *)8): %d %s\n", r, ename(errno));
	printf("aio_error(unmapped aiocb): %d\n", aio_error((struct aiocb *)hole));

	struct iovec iov[2] = {{"good", 4}, {hole, 4}};
	struct aiocb cb;
	memset(&cb, 0, sizeof cb);
	cb.aio_fildes = fd;
	cb.aio_iov = iov;
	cb.aio_iovcnt = 2;
	r = aio_writev(&cb);
	printf("aio_writev with an unmapped iov_base: %d\n", r);
	while (aio_error(&cb) == EINPROGRESS)
		usleep(1000);
	printf("its aio_error: %s\n", ename(aio_error(&cb)));
	ssize_t n = aio_return(&cb);
	printf("its aio_return: %zd %s\n", n, ename(errno));

	memset(&cb, 0, sizeof cb);
	cb.aio_fildes = fd;
	cb.aio_buf = "x";
	cb.aio_nbytes = 1;
	if (aio_write(&cb) != 0) { perror("aio_write"); return 1; }
	r = aio_suspend((const struct aiocb *const *)hole, 1, NULL);
	printf("aio_suspend(unmapped list): %d %s\n", r, ename(errno));
	const struct aiocb *list[1] = {&cb};
	r = aio_suspend(list, 1, (struct timespec *)hole);
	printf("aio_suspend(unmapped timeout): %d %s\n", r, ename(errno));
	r = lio_listio(LIO_WAIT, (struct aiocb *const *)hole, 1, NULL);
	printf("lio_listio(unmapped list): %d %s\n", r, ename(errno));

	int kq = kqueue();
	r = kevent(kq, (struct kevent *)hole, 1, NULL, 0, NULL);
	printf("kevent(unmapped changelist): %d %s\n", r, ename(errno));
	while (aio_error(&cb) == EINPROGRESS)
		usleep(1000);
	printf("the good write returned %zd\n", aio_return(&cb));
	close(kq);
	close(fd);
	return 0;
}

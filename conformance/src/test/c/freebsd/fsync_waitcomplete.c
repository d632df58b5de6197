/*
 * From FreeBSD tests/sys/aio/aio_test.c, aio_fsync_sync_test, aio_fsync_dsync_test and
 * aio_fsync_errors, and file_waitcomplete: sixteen block writes are queued, then aio_fsync;
 * aio_waitcomplete reaps every job (the fsync completes with 0, after the writes it must cover);
 * a {0,0} aio_waitcomplete with nothing done fails with EAGAIN and stores NULL. Errors: an op
 * other than O_SYNC/O_DSYNC is EINVAL, a bad descriptor EBADF, a bad sigev_notify EINVAL
 * (Open POSIX aio_fsync/12-1 and 14-1 check the same two).
 */
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NBLOCKS 16
#define BLOCK 4096

static const char *ename(int e) {
	switch (e) {
	case 0: return "0";
	case EINVAL: return "EINVAL";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	default: return strerror(e);
	}
}

static int run(int op, const char *name) {
	char path[] = "/tmp/aioemu-fbsd-fsync.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) { perror("mkstemp"); return 1; }
	unlink(path);

	static char bufs[NBLOCKS][BLOCK];
	static struct aiocb cbs[NBLOCKS];
	struct aiocb sync;
	for (int i = 0; i < NBLOCKS; i++) {
		memset(bufs[i], 'A' + i, BLOCK);
		memset(&cbs[i], 0, sizeof cbs[i]);
		cbs[i].aio_fildes = fd;
		cbs[i].aio_buf = bufs[i];
		cbs[i].aio_nbytes = BLOCK;
		cbs[i].aio_offset = (off_t)i * BLOCK;
		if (aio_write(&cbs[i]) != 0) { perror("aio_write"); return 1; }
	}
	memset(&sync, 0, sizeof sync);
	sync.aio_fildes = fd;
	printf("%s aio_fsync: %d\n", name, aio_fsync(op, &sync));

	int writes = 0, syncs = 0, written = 0;
	for (int i = 0; i < NBLOCKS + 1; i++) {
		struct aiocb *done = NULL;
		ssize_t r = aio_waitcomplete(&done, NULL);
		if (done == &sync) {
			syncs++;
			printf("%s fsync returned %zd after %d of %d writes\n", name, r, writes, NBLOCKS);
		} else if (done >= &cbs[0] && done < &cbs[NBLOCKS]) {
			writes++;
			if (r == BLOCK) written++;
		}
	}
	printf("%s reaped %d writes (%d complete), %d fsync\n", name, writes, written, syncs);

	struct aiocb *none = (struct aiocb *)&sync;
	struct timespec zero = {0, 0};
	ssize_t r = aio_waitcomplete(&none, &zero);
	int e = errno;
	printf("%s idle aio_waitcomplete: %zd %s, iocb %s\n", name, r, ename(e), none == NULL ? "NULL" : "set");
	close(fd);
	return 0;
}

int main(void) {
	if (run(O_SYNC, "O_SYNC") || run(O_DSYNC, "O_DSYNC")) return 1;

	char path[] = "/tmp/aioemu-fbsd-fsync-errors.XXXXXX";
	int fd = mkstemp(path);
	unlink(path);
	struct aiocb cb;
	memset(&cb, 0, sizeof cb);
	cb.aio_fildes = fd;
	int r = aio_fsync(666, &cb);
	printf("op 666: %d %s\n", r, ename(errno));
	cb.aio_fildes = 666;
	r = aio_fsync(O_SYNC, &cb);
	printf("fd 666: %d %s\n", r, ename(errno));
	cb.aio_fildes = fd;
	cb.aio_sigevent.sigev_notify = 666;
	r = aio_fsync(O_SYNC, &cb);
	printf("sigev_notify 666: %d %s\n", r, ename(errno));
	close(fd);
	return 0;
}

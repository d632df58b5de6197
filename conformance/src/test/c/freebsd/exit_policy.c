/*
 * Process exit with AIO outstanding (FreeBSD's aio_proc_rundown, run from exit1(); POSIX _exit
 * and exit: outstanding requests may be cancelled, the others complete as if the process were
 * still there, and no notification is sent). FreeBSD's tests/sys/aio has no case for it; this
 * follows freebsd-aio.md FBSD-67/68 and Open POSIX's _exit assertions. A child, forked before
 * any AIO call, queues a socket read that can never complete and a 1 MiB file write, then calls
 * _exit(3): it must end (the read is cancelled) with its own status, and the write is either
 * whole or not done at all, never torn. The parent then leaves main with a read still queued:
 * its exit must not hang either (the harness bounds it).
 */
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BIG (1 << 20)

static void queue_read(int fd, struct aiocb *cb, char *buf) {
	memset(cb, 0, sizeof *cb);
	cb->aio_fildes = fd;
	cb->aio_buf = buf;
	cb->aio_nbytes = 1;
	/* a signal the process would die of, if rundown let the cancelled read notify */
	cb->aio_sigevent.sigev_notify = SIGEV_SIGNAL;
	cb->aio_sigevent.sigev_signo = SIGTERM;
}

int main(void) {
	char path[] = "/tmp/aioemu-fbsd-exit.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) { perror("mkstemp"); return 1; }
	int sv[2];
	socketpair(PF_UNIX, SOCK_STREAM, 0, sv);
	fflush(stdout);

	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid == 0) {
		static struct aiocb r, w;
		static char one, buf[BIG];
		memset(buf, 'E', sizeof buf);
		queue_read(sv[0], &r, &one);
		if (aio_read(&r) != 0) _exit(10);
		memset(&w, 0, sizeof w);
		w.aio_fildes = fd;
		w.aio_buf = buf;
		w.aio_nbytes = BIG;
		if (aio_write(&w) != 0) _exit(11);
		_exit(3);
	}
	int status;
	waitpid(pid, &status, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("child exited: %s, status %d, within 10 s: %s\n", WIFEXITED(status) ? "yes" : "no",
	    WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status), secs < 10 ? "yes" : "no");
	struct stat st;
	fstat(fd, &st);
	printf("file write whole or not done: %s\n", st.st_size == 0 || st.st_size == BIG ? "yes" : "no");
	unlink(path);

	static struct aiocb r;
	static char one;
	queue_read(sv[1], &r, &one);
	printf("parent aio_read: %d\n", aio_read(&r));
	printf("parent leaves main with it queued\n");
	fflush(stdout);
	return 0;
}

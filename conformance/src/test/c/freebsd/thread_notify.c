/*
 * From FreeBSD tests/sys/aio/aio_test.c, file_thread and vectored_thread (SIGEV_THREAD: the
 * completion calls sigev_notify_function(sigev_value) on another thread, which posts a
 * semaphore the test waits on before reaping), and lio_test.c lio_listio_empty_nowait_thread
 * (an empty LIO_NOWAIT list with SIGEV_THREAD calls its function at once).
 */
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

static sem_t done;
static volatile int calls, other_thread;
static volatile void *seen;
static pthread_t main_thread;

static void notify(union sigval sv) {
	seen = sv.sival_ptr;
	if (!pthread_equal(pthread_self(), main_thread)) other_thread++;
	calls++;
	sem_post(&done);
}

static int wait_done(void) {
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 5;
	return sem_timedwait(&done, &ts);
}

int main(void) {
	main_thread = pthread_self();
	sem_init(&done, 0, 0);
	char path[] = "/tmp/aioemu-fbsd-thread.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) { perror("mkstemp"); return 1; }
	unlink(path);

	static char buf[4096];
	memset(buf, 't', sizeof buf);
	struct aiocb cb;
	memset(&cb, 0, sizeof cb);
	cb.aio_fildes = fd;
	cb.aio_buf = buf;
	cb.aio_nbytes = sizeof buf;
	cb.aio_sigevent.sigev_notify = SIGEV_THREAD;
	cb.aio_sigevent.sigev_notify_function = notify;
	cb.aio_sigevent.sigev_notify_attributes = NULL;
	cb.aio_sigevent.sigev_value.sival_ptr = &cb;
	printf("aio_write: %d\n", aio_write(&cb));
	printf("notified: %d\n", wait_done());
	printf("value is the aiocb: %s\n", seen == &cb ? "yes" : "no");
	printf("aio_return: %zd\n", aio_return(&cb));

	static char r1[1000], r2[3096];
	struct iovec iov[2] = {{r1, sizeof r1}, {r2, sizeof r2}};
	memset(&cb, 0, sizeof cb);
	cb.aio_fildes = fd;
	cb.aio_iov = iov;
	cb.aio_iovcnt = 2;
	cb.aio_sigevent.sigev_notify = SIGEV_THREAD;
	cb.aio_sigevent.sigev_notify_function = notify;
	cb.aio_sigevent.sigev_value.sival_ptr = iov;
	printf("aio_readv: %d\n", aio_readv(&cb));
	printf("notified: %d\n", wait_done());
	printf("value is the iovec: %s\n", seen == iov ? "yes" : "no");
	printf("aio_return: %zd, data %s\n", aio_return(&cb), r1[0] == 't' && r2[3095] == 't' ? "ok" : "bad");

	struct sigevent sev;
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_THREAD;
	sev.sigev_notify_function = notify;
	sev.sigev_value.sival_ptr = &sev;
	printf("empty lio_listio: %d\n", lio_listio(LIO_NOWAIT, NULL, 0, &sev));
	printf("notified: %d\n", wait_done());
	printf("value is the sigevent: %s\n", seen == &sev ? "yes" : "no");
	printf("calls %d, all on another thread: %s\n", calls, other_thread == calls ? "yes" : "no");
	close(fd);
	return 0;
}

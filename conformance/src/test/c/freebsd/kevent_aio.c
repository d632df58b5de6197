/*
 * From FreeBSD tests/sys/aio/aio_test.c, file_kq (poll_kqueue: SIGEV_KEVENT on the program's
 * kqueue; the event has ident = the aiocb, filter EVFILT_AIO, EV_EOF, fflags 0, data 0 and
 * udata = sigev_value) and ev_oneshot (with EV_ONESHOT the event is reported once, and not again
 * before aio_return), and aio_kqueue_test.c (many writes drained through kevent, each
 * aio_return checked). A level-triggered AIO event stays until its job is reaped. A program
 * cannot add an EVFILT_AIO knote itself (EPERM). The kqueue is a real descriptor.
 */
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/event.h>
#include <unistd.h>

#define NWRITES 32
#define WSIZE 32768

int main(void) {
	char path[] = "/tmp/aioemu-fbsd-kevent.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) { perror("mkstemp"); return 1; }
	unlink(path);
	int kq = kqueue();
	printf("kqueue is a descriptor: %s\n", kq >= 0 && fcntl(kq, F_GETFD) >= 0 ? "yes" : "no");

	static char buf[WSIZE];
	memset(buf, 'k', sizeof buf);
	struct aiocb cb;
	memset(&cb, 0, sizeof cb);
	cb.aio_fildes = fd;
	cb.aio_buf = buf;
	cb.aio_nbytes = 4096;
	cb.aio_sigevent.sigev_notify = SIGEV_KEVENT;
	cb.aio_sigevent.sigev_notify_kqueue = kq;
	cb.aio_sigevent.sigev_value.sival_ptr = (void *)0xdeadbeef;
	printf("aio_write: %d\n", aio_write(&cb));

	struct kevent ev;
	struct timespec five = {5, 0}, zero = {0, 0};
	int n = kevent(kq, NULL, 0, &ev, 1, &five);
	printf("kevent: %d ident-is-aiocb %s filter %s flags %s fflags %u data %ld udata %p\n", n,
	    ev.ident == (uintptr_t)&cb ? "yes" : "no", ev.filter == EVFILT_AIO ? "EVFILT_AIO" : "other",
	    (ev.flags & EV_EOF) ? "EV_EOF" : "none", ev.fflags, (long)ev.data, ev.udata);
	n = kevent(kq, NULL, 0, &ev, 1, &zero);
	printf("again before aio_return: %d\n", n);
	printf("aio_return: %zd\n", aio_return(&cb));
	n = kevent(kq, NULL, 0, &ev, 1, &zero);
	printf("after aio_return: %d\n", n);

	/* ev_oneshot: aio_fsync with EV_ONESHOT */
	memset(&cb, 0, sizeof cb);
	cb.aio_fildes = fd;
	cb.aio_sigevent.sigev_notify = SIGEV_KEVENT;
	cb.aio_sigevent.sigev_notify_kqueue = kq;
	cb.aio_sigevent.sigev_notify_kevent_flags = EV_ONESHOT;
	printf("aio_fsync: %d\n", aio_fsync(O_SYNC, &cb));
	n = kevent(kq, NULL, 0, &ev, 1, &five);
	printf("oneshot kevent: %d flags %s%s\n", n, (ev.flags & EV_EOF) ? "EV_EOF" : "", (ev.flags & EV_ONESHOT) ? "|EV_ONESHOT" : "");
	n = kevent(kq, NULL, 0, &ev, 1, &zero);
	printf("oneshot again: %d\n", n);
	printf("aio_return: %zd\n", aio_return(&cb));

	/* aio_kqueue_test: a batch of writes, drained by kevent, reaped by the event's ident */
	static struct aiocb cbs[NWRITES];
	for (int i = 0; i < NWRITES; i++) {
		memset(&cbs[i], 0, sizeof cbs[i]);
		cbs[i].aio_fildes = fd;
		cbs[i].aio_buf = buf;
		cbs[i].aio_nbytes = WSIZE;
		cbs[i].aio_offset = (off_t)i * WSIZE;
		cbs[i].aio_sigevent.sigev_notify = SIGEV_KEVENT;
		cbs[i].aio_sigevent.sigev_notify_kqueue = kq;
		cbs[i].aio_sigevent.sigev_value.sival_ptr = &cbs[i];
		if (aio_write(&cbs[i]) != 0) { perror("aio_write"); return 1; }
	}
	int reaped = 0, good = 0;
	while (reaped < NWRITES) {
		struct kevent evs[8];
		n = kevent(kq, NULL, 0, evs, 8, &five);
		if (n <= 0) break;
		for (int i = 0; i < n; i++) {
			struct aiocb *done = (struct aiocb *)evs[i].ident;
			if (evs[i].udata == done && aio_return(done) == WSIZE) good++;
			reaped++;
		}
	}
	printf("batch: %d reaped, %d returned %d with udata = ident\n", reaped, good, WSIZE);

	struct kevent change;
	EV_SET(&change, (uintptr_t)&cb, EVFILT_AIO, EV_ADD, 0, 0, NULL);
	n = kevent(kq, &change, 1, NULL, 0, NULL);
	printf("EV_ADD EVFILT_AIO by hand: %d %s\n", n, errno == EPERM ? "EPERM" : strerror(errno));

	/* a kqueue fd that is not one: EBADF at submission */
	memset(&cb, 0, sizeof cb);
	cb.aio_fildes = fd;
	cb.aio_buf = buf;
	cb.aio_nbytes = 1;
	cb.aio_sigevent.sigev_notify = SIGEV_KEVENT;
	cb.aio_sigevent.sigev_notify_kqueue = fd;
	n = aio_write(&cb);
	printf("SIGEV_KEVENT on a file fd: %d %s\n", n, errno == EBADF ? "EBADF" : strerror(errno));
	close(kq);
	close(fd);
	return 0;
}

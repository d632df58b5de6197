/*
 * From FreeBSD tests/sys/aio/lio_kqueue_test.c (LIO_NOWAIT lists with SIGEV_KEVENT: one
 * EVFILT_LIO event per list, ident = the list, udata = sigev_value, then every entry reaped
 * with aio_return) and lio_test.c: lio_listio_opcodes (LIO_WRITE, LIO_WRITEV, LIO_READ,
 * LIO_READV in LIO_WAIT lists), lio_listio_invalid_opcode (LIO_SYNC and LIO_MLOCK entries: -1
 * with EIO, each entry EINVAL), lio_listio_empty_wait / empty_nowait (0); Open POSIX
 * lio_listio/18-1 (a bad mode is EINVAL). The kevent data of a cancelled request is the host's
 * ECANCELED.
 */
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/event.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define NLISTS 5
#define PER_LIST 8
#define WSIZE 32768

static const char *ename(int e) {
	switch (e) {
	case 0: return "0";
	case EINVAL: return "EINVAL";
	case EIO: return "EIO";
	case ECANCELED: return "ECANCELED";
	default: return strerror(e);
	}
}

int main(void) {
	char path[] = "/tmp/aioemu-fbsd-lio.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) { perror("mkstemp"); return 1; }
	unlink(path);
	int kq = kqueue();

	static char buf[WSIZE];
	memset(buf, 'L', sizeof buf);
	static struct aiocb cbs[NLISTS][PER_LIST];
	static struct aiocb *lists[NLISTS][PER_LIST];
	for (int l = 0; l < NLISTS; l++) {
		for (int i = 0; i < PER_LIST; i++) {
			struct aiocb *cb = &cbs[l][i];
			memset(cb, 0, sizeof *cb);
			cb->aio_fildes = fd;
			cb->aio_buf = buf;
			cb->aio_nbytes = WSIZE;
			cb->aio_offset = (off_t)(l * PER_LIST + i) * WSIZE;
			cb->aio_lio_opcode = LIO_WRITE;
			lists[l][i] = cb;
		}
		struct sigevent sig;
		memset(&sig, 0, sizeof sig);
		sig.sigev_notify = SIGEV_KEVENT;
		sig.sigev_notify_kqueue = kq;
		sig.sigev_value.sival_ptr = (void *)(intptr_t)(100 + l);
		if (lio_listio(LIO_NOWAIT, lists[l], PER_LIST, &sig) != 0) { perror("lio_listio"); return 1; }
	}
	int events = 0, lists_ok = 0;
	struct timespec five = {5, 0}, zero = {0, 0};
	while (events < NLISTS) {
		struct kevent ev;
		if (kevent(kq, NULL, 0, &ev, 1, &five) != 1) break;
		events++;
		int l = (int)((intptr_t)ev.udata - 100);
		if (ev.filter != EVFILT_LIO || l < 0 || l >= NLISTS || ev.ident != (uintptr_t)lists[l]) continue;
		int ok = 0;
		for (int i = 0; i < PER_LIST; i++)
			if (aio_error(lists[l][i]) == 0 && aio_return(lists[l][i]) == WSIZE) ok++;
		if (ok == PER_LIST) lists_ok++;
	}
	printf("EVFILT_LIO events: %d, lists with every entry %d: %d\n", events, WSIZE, lists_ok);
	struct kevent ev;
	printf("no event left: %d\n", kevent(kq, NULL, 0, &ev, 1, &zero));

	/* lio_listio_opcodes */
	struct aiocb w1, wv, r1, rv;
	struct iovec wiov[2] = {{"c", 1}, {"d", 1}};
	char one = 0, two[2] = {0, 0};
	struct iovec riov[2] = {{&two[1], 1}, {&two[0], 1}};
	memset(&w1, 0, sizeof w1);
	w1.aio_fildes = fd; w1.aio_buf = "a"; w1.aio_nbytes = 1; w1.aio_lio_opcode = LIO_WRITE;
	memset(&wv, 0, sizeof wv);
	wv.aio_fildes = fd; wv.aio_iov = wiov; wv.aio_iovcnt = 2; wv.aio_offset = 2; wv.aio_lio_opcode = LIO_WRITEV;
	struct aiocb *wl[2] = {&w1, &wv};
	printf("LIO_WAIT writes: %d\n", lio_listio(LIO_WAIT, wl, 2, NULL));
	printf("returns: %zd %zd\n", aio_return(&w1), aio_return(&wv));
	memset(&r1, 0, sizeof r1);
	r1.aio_fildes = fd; r1.aio_buf = &one; r1.aio_nbytes = 1; r1.aio_lio_opcode = LIO_READ;
	memset(&rv, 0, sizeof rv);
	rv.aio_fildes = fd; rv.aio_iov = riov; rv.aio_iovcnt = 2; rv.aio_offset = 2; rv.aio_lio_opcode = LIO_READV;
	struct aiocb *rl[3] = {&r1, NULL, &rv};
	printf("LIO_WAIT reads with a NULL entry: %d\n", lio_listio(LIO_WAIT, rl, 3, NULL));
	printf("returns: %zd %zd, data %c%c%c\n", aio_return(&r1), aio_return(&rv), one, two[0], two[1]);

	/* lio_listio_invalid_opcode */
	struct aiocb s1, m1;
	memset(&s1, 0, sizeof s1);
	s1.aio_fildes = fd; s1.aio_lio_opcode = LIO_SYNC;
	memset(&m1, 0, sizeof m1);
	m1.aio_fildes = fd; m1.aio_buf = buf; m1.aio_nbytes = 1; m1.aio_lio_opcode = LIO_MLOCK;
	struct aiocb *bad[2] = {&s1, &m1};
	int r = lio_listio(LIO_WAIT, bad, 2, NULL);
	printf("LIO_SYNC + LIO_MLOCK entries: %d %s\n", r, ename(errno));
	printf("entries: %s %s\n", ename(aio_error(&s1)), ename(aio_error(&m1)));
	ssize_t n = aio_return(&s1);
	printf("aio_return of a refused entry: %zd %s\n", n, ename(errno));

	printf("empty LIO_WAIT: %d\n", lio_listio(LIO_WAIT, NULL, 0, NULL));
	printf("empty LIO_NOWAIT: %d\n", lio_listio(LIO_NOWAIT, NULL, 0, NULL));
	r = lio_listio(-1, wl, 2, NULL);
	printf("mode -1: %d %s\n", r, ename(errno));

	/* a cancelled request's kevent carries ECANCELED (the host's number, like errno) */
	int sv[2];
	socketpair(PF_UNIX, SOCK_STREAM, 0, sv);
	struct aiocb sr;
	memset(&sr, 0, sizeof sr);
	sr.aio_fildes = sv[0]; sr.aio_buf = two; sr.aio_nbytes = 2;
	sr.aio_sigevent.sigev_notify = SIGEV_KEVENT;
	sr.aio_sigevent.sigev_notify_kqueue = kq;
	printf("socket aio_read: %d\n", aio_read(&sr));
	printf("aio_cancel: %s\n", aio_cancel(sv[0], &sr) == AIO_CANCELED ? "AIO_CANCELED" : "other");
	n = kevent(kq, NULL, 0, &ev, 1, &five);
	printf("kevent: %zd data %s\n", n, ename((int)ev.data));
	n = aio_return(&sr);
	printf("aio_return: %zd %s\n", n, ename(errno));
	close(kq);
	close(fd);
	return 0;
}

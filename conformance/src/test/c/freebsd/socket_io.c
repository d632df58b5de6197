/*
 * From FreeBSD tests/sys/aio/aio_test.c: socket_poll (aio_write on one end of a socketpair,
 * aio_read on the other), aio_socket_listen_fail (aio_read/aio_write on a listening socket are
 * EINVAL), aio_socket_blocking_short_write (an aio_write of twice the send buffer on a blocking
 * socket completes only when all of it is sent; the peer reads it with MSG_WAITALL) and
 * aio_socket_shutdown (a write after SHUT_WR fails with EPIPE and, SIGPIPE blocked, leaves
 * SIGPIPE pending). TCP on 127.0.0.1: a read queued before the data arrives completes with it.
 */
#include <aio.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static ssize_t poll_return(struct aiocb *cb) {
	while (aio_error(cb) == EINPROGRESS)
		usleep(1000);
	return aio_return(cb);
}

static const char *ename(int e) {
	switch (e) {
	case EINVAL: return "EINVAL";
	case EPIPE: return "EPIPE";
	default: return strerror(e);
	}
}

int main(void) {
	int sv[2], rc;
	if (socketpair(PF_UNIX, SOCK_STREAM, 0, sv) != 0) { perror("socketpair"); return 1; }
	char out[256], in[256];
	for (int i = 0; i < 256; i++) out[i] = (char)i;
	struct aiocb w, r;
	memset(&w, 0, sizeof w);
	w.aio_fildes = sv[0]; w.aio_buf = out; w.aio_nbytes = sizeof out;
	memset(&r, 0, sizeof r);
	r.aio_fildes = sv[1]; r.aio_buf = in; r.aio_nbytes = sizeof in;
	printf("aio_write: %d\n", aio_write(&w));
	printf("aio_read: %d\n", aio_read(&r));
	ssize_t wn = poll_return(&w), rn = poll_return(&r);
	printf("write %zd read %zd %s\n", wn, rn, memcmp(in, out, sizeof in) ? "differ" : "match");

	/* blocking short write: 2 x SO_SNDBUF in one request */
	int sndbuf;
	socklen_t len = sizeof sndbuf;
	getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, &len);
	size_t big = 2 * (size_t)sndbuf;
	char *bigbuf = malloc(big), *sink = malloc(big);
	memset(bigbuf, 'B', big);
	memset(&w, 0, sizeof w);
	w.aio_fildes = sv[0]; w.aio_buf = bigbuf; w.aio_nbytes = big;
	printf("big aio_write: %d\n", aio_write(&w));
	ssize_t got = recv(sv[1], sink, big, MSG_WAITALL);
	printf("peer got all: %s, aio_return all: %s\n", got == (ssize_t)big ? "yes" : "no",
	    poll_return(&w) == (ssize_t)big ? "yes" : "no");

	/* write after SHUT_WR: EPIPE, and SIGPIPE (blocked here) pending */
	sigset_t set, pending;
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &set, NULL);
	shutdown(sv[0], SHUT_WR);
	memset(&w, 0, sizeof w);
	w.aio_fildes = sv[0]; w.aio_buf = out; w.aio_nbytes = 1;
	printf("aio_write after SHUT_WR: %d\n", aio_write(&w));
	while (aio_error(&w) == EINPROGRESS)
		usleep(1000);
	printf("aio_error: %s\n", ename(aio_error(&w)));
	ssize_t n = aio_return(&w);
	printf("aio_return: %zd %s\n", n, ename(errno));
	sigpending(&pending);
	printf("SIGPIPE pending: %d\n", sigismember(&pending, SIGPIPE));
	/* the peer's read sees end of file */
	memset(&r, 0, sizeof r);
	r.aio_fildes = sv[1]; r.aio_buf = in; r.aio_nbytes = sizeof in;
	rc = aio_read(&r);
	printf("aio_read at EOF: %d, returned %zd\n", rc, poll_return(&r));
	close(sv[0]);
	close(sv[1]);

	/* TCP, 127.0.0.1 */
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sin;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(ls, (struct sockaddr *)&sin, sizeof sin);
	len = sizeof sin;
	getsockname(ls, (struct sockaddr *)&sin, &len);
	listen(ls, 1);
	memset(&r, 0, sizeof r);
	r.aio_fildes = ls; r.aio_buf = in; r.aio_nbytes = 1;
	rc = aio_read(&r);
	printf("aio_read on a listening socket: %d %s\n", rc, ename(errno));
	rc = aio_write(&r);
	printf("aio_write on a listening socket: %d %s\n", rc, ename(errno));
	int c = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(c, (struct sockaddr *)&sin, sizeof sin) != 0) { perror("connect"); return 1; }
	int a = accept(ls, NULL, NULL);
	memset(&r, 0, sizeof r);
	r.aio_fildes = a; r.aio_buf = in; r.aio_nbytes = sizeof in;
	rc = aio_read(&r);
	printf("tcp aio_read: %d, then %s\n", rc, aio_error(&r) == EINPROGRESS ? "EINPROGRESS" : "done");
	if (write(c, "hello", 5) != 5) { perror("write"); return 1; }
	n = poll_return(&r);
	printf("tcp read returned %zd: %.5s\n", n, in);
	close(c);
	close(a);
	close(ls);
	return 0;
}

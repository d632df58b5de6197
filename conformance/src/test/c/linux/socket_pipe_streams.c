/*
 * Reads, writes and polls on a socketpair and a pipe, after libaio harness/cases/22.t and 23.t
 * (a poll on a pipe completes when data arrives) and gVisor aio.cc BadWrite (a write with no
 * reader), with the stream rules the host kernel shows (LNX-34, 39, 47, 54, 55): the offset is
 * refused on a socket (-ESPIPE in the event) and ignored on a pipe, a read of an empty blocking socket completes when the peer writes, an
 * O_NONBLOCK stream answers -EAGAIN in the event. Written anew for aioemu.
 */
#include "aioprog.h"
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <time.h>

static io_context_t ctx;

static void show(const char *what, int r, const char *buf) {
    struct io_event ev;
    int n = r == 1 ? reap_one(ctx, &ev) : 0;
    if (n == 1 && buf) printf("%s: submit %s event res=%s data=\"%.*s\"\n", what, rv(r), rv((long)ev.res), ev.res > 0 ? (int)ev.res : 0, buf);
    else if (n == 1) printf("%s: submit %s event res=%s\n", what, rv(r), rv((long)ev.res));
    else printf("%s: submit %s event %s\n", what, rv(r), rv(n));
}

static int submit1(struct iocb *cb) {
    struct iocb *list[1] = {cb};
    return io_submit(ctx, 1, list);
}

struct later { int fd; const char *text; };

/* writes TEXT to FD after 50 ms: the read submitted meanwhile has to wait for it */
static void *write_later(void *arg) {
    struct later *l = arg;
    struct timespec ms50 = {0, 50 * 1000 * 1000};
    nanosleep(&ms50, NULL);
    if (write(l->fd, l->text, strlen(l->text)) < 0) perror("write");
    return NULL;
}

int main(int argc, char **argv) {
    usage_check(argc);
    (void)argv;
    struct sigaction ign;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ign, NULL);
    printf("io_setup(16): %s\n", rv(io_setup(16, &ctx)));
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return 2;
    static char buf[64];
    struct iocb cb;

    /* data already waiting: an offset on a socket is an error in the event; at 0 the read takes
       what is there */
    if (write(sv[1], "ping", 4) != 4) return 2;
    memset(buf, 0, sizeof buf);
    io_prep_pread(&cb, sv[0], buf, sizeof buf, 12345);
    show("socket read @12345 with 4 bytes waiting", submit1(&cb), NULL);
    io_prep_pread(&cb, sv[0], buf, sizeof buf, 0);
    show("socket read @0 with 4 bytes waiting", submit1(&cb), buf);

    /* an AIO write on the socket reaches the peer */
    io_prep_pwrite(&cb, sv[0], "pong!", 5, 0);
    show("socket write 5", submit1(&cb), NULL);
    memset(buf, 0, sizeof buf);
    printf("  peer read: \"%.*s\"\n", (int)read(sv[1], buf, sizeof buf), buf);

    /* an empty blocking socket: the read completes once the peer writes */
    pthread_t t;
    struct later l = {sv[1], "late data"};
    pthread_create(&t, NULL, write_later, &l);
    memset(buf, 0, sizeof buf);
    io_prep_pread(&cb, sv[0], buf, sizeof buf, 0);
    show("socket read before the peer writes", submit1(&cb), buf);
    pthread_join(t, NULL);

    /* the same on a pipe */
    int p[2];
    if (pipe(p) != 0) return 2;
    l.fd = p[1];
    l.text = "through the pipe";
    pthread_create(&t, NULL, write_later, &l);
    memset(buf, 0, sizeof buf);
    io_prep_pread(&cb, p[0], buf, sizeof buf, 0);
    show("pipe read before the writer writes", submit1(&cb), buf);
    pthread_join(t, NULL);
    /* on a pipe the offset is ignored */
    if (write(p[1], "pipe@", 5) != 5) return 2;
    memset(buf, 0, sizeof buf);
    io_prep_pread(&cb, p[0], buf, sizeof buf, 12345);
    show("pipe read @12345 with 5 bytes waiting", submit1(&cb), buf);

    /* a vectored read on a socket gathers across iovecs */
    if (write(sv[1], "abcdefgh", 8) != 8) return 2;
    char a[3] = {0}, b[16] = {0};
    struct iovec iov[2] = {{a, 3}, {b, 16}};
    io_prep_preadv(&cb, sv[0], iov, 2, 0);
    int r = submit1(&cb);
    struct io_event ev;
    int n = r == 1 ? reap_one(ctx, &ev) : 0;
    printf("socket preadv 3+16 with 8 waiting: submit %s event %s res=%s parts=\"%.3s\"+\"%s\"\n", rv(r), rv(n), rv((long)ev.res), a, b);

    /* poll on the socket: pending until the peer writes, then the wakeup mask */
    io_prep_poll(&cb, sv[0], POLLIN);
    r = submit1(&cb);
    struct timespec zero = {0, 0};
    printf("socket poll(POLLIN) on an empty socket: submit %s, pending: %s\n", rv(r), yes(io_getevents(ctx, 0, 1, &ev, &zero) == 0));
    if (write(sv[1], "!", 1) != 1) return 2;
    n = reap_one(ctx, &ev);
    printf("  after the peer writes: event %s res has POLLIN: %s\n", rv(n), yes(n == 1 && (ev.res & POLLIN)));
    if (read(sv[0], buf, 1) != 1) return 2;

    /* O_NONBLOCK: an empty stream answers -EAGAIN in the event */
    int fl = fcntl(sv[0], F_GETFL);
    fcntl(sv[0], F_SETFL, fl | O_NONBLOCK);
    io_prep_pread(&cb, sv[0], buf, sizeof buf, 0);
    show("O_NONBLOCK socket read, nothing waiting", submit1(&cb), NULL);
    fcntl(sv[0], F_SETFL, fl);

    /* the peer goes away: a read sees end of stream, a write gets EPIPE */
    close(sv[1]);
    io_prep_pread(&cb, sv[0], buf, sizeof buf, 0);
    show("socket read after the peer closed", submit1(&cb), NULL);
    io_prep_pwrite(&cb, sv[0], "x", 1, 0);
    show("socket write after the peer closed", submit1(&cb), NULL);
    close(p[0]);
    io_prep_pwrite(&cb, p[1], "x", 1, 0);
    show("pipe write without a reader", submit1(&cb), NULL);

    printf("io_destroy: %s\n", rv(io_destroy(ctx)));
    return 0;
}

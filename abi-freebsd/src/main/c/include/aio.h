/*
 * aioemu: FreeBSD's <aio.h> (amd64 layouts, FreeBSD values) for programs that run on this Linux
 * host through libaioemu-freebsd.so.
 *
 * The program otherwise lives on the host: it includes glibc's <signal.h>, <errno.h>, <time.h>
 * and <pthread.h>. glibc also has a `struct sigevent` (64 bytes, Linux SIGEV_* values), which
 * would clash with FreeBSD's (80 bytes). So this header includes glibc's headers that define it
 * FIRST (after that glibc never defines it again, whatever the include order), then renames the
 * tag: every `struct sigevent` written after this point is FreeBSD's. `aioemu cc` force-includes
 * this header (-include aio.h) so every translation unit of the program agrees on one layout.
 *
 * Contract (README, "FreeBSD programs"):
 *  - layouts and constants below are FreeBSD's (struct aiocb 160 bytes, struct sigevent 80,
 *    SIGEV_SIGNAL 1, LIO_READ 2, AIO_CANCELED 1, ...);
 *  - signal numbers in sigev_signo are the HOST's (SIGUSR1, SIGRTMIN+n from glibc's <signal.h>);
 *    notifications are real host signals, si_code = the host's SI_ASYNCIO;
 *  - errno values the calls report (errno, aio_error(), kevent data) are the HOST's, so they
 *    compare equal to <errno.h>'s names;
 *  - the calls bind to __aioemu_fbsd_* symbols (asm labels), never to glibc's aio_*;
 *  - timer_create and mq_notify take the FreeBSD sigevent and are translated by the shim;
 *  - aio_fsync's op is <fcntl.h>'s O_SYNC or O_DSYNC (host values, as open() takes them).
 */
#ifndef _AIOEMU_FREEBSD_AIO_H_
#define _AIOEMU_FREEBSD_AIO_H_

#include <sys/types.h>
#include <signal.h>
#include <time.h>
#include <mqueue.h>   /* defines glibc's struct sigevent even in strict ISO C: now it never comes again */
#include <sys/uio.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#define __AIOEMU_STATIC_ASSERT(c, m) static_assert(c, m)
#else
#define __AIOEMU_STATIC_ASSERT(c, m) __extension__ _Static_assert(c, m)
#endif

#ifndef __USE_POSIX199309
/* glibc calls it union __sigval in strict ISO C; FreeBSD's <signal.h> always has union sigval */
union sigval {
	int	sival_int;
	void	*sival_ptr;
};
#define __AIOEMU_PTHREAD_ATTR void
#else
/* FreeBSD: struct pthread_attr ** (pthread_attr_t is a pointer to it), i.e. pthread_attr_t * */
#define __AIOEMU_PTHREAD_ATTR pthread_attr_t
#endif

/* ---- FreeBSD struct sigevent (sys/sys/signal.h), 80 bytes ---------------------------------- */
#define sigevent __aioemu_fbsd_sigevent
struct sigevent {
	int	sigev_notify;			/* Notification type */
	int	sigev_signo;			/* Signal number (HOST numbering) */
	union sigval sigev_value;		/* Signal value */
	union {
		__pid_t		_threadid;	/* a host thread id (gettid) */
		struct {
			void (*_function)(union sigval);
			__AIOEMU_PTHREAD_ATTR *_attribute;
		} _sigev_thread;
		unsigned short	_kevent_flags;
		long		__spare__[8];
	} _sigev_un;
};

#undef SIGEV_NONE
#undef SIGEV_SIGNAL
#undef SIGEV_THREAD
#undef SIGEV_THREAD_ID
#define SIGEV_NONE	0		/* No async notification. */
#define SIGEV_SIGNAL	1		/* Generate a queued signal. */
#define SIGEV_THREAD	2		/* Call back from another pthread. */
#define SIGEV_KEVENT	3		/* Generate a kevent. */
#define SIGEV_THREAD_ID	4		/* Send signal to a kernel thread. */

#undef sigev_notify_kqueue
#undef sigev_notify_kevent_flags
#undef sigev_notify_thread_id
#undef sigev_notify_function
#undef sigev_notify_attributes
#define sigev_notify_kqueue		sigev_signo
#define sigev_notify_kevent_flags	_sigev_un._kevent_flags
#define sigev_notify_thread_id		_sigev_un._threadid
#define sigev_notify_function		_sigev_un._sigev_thread._function
#define sigev_notify_attributes		_sigev_un._sigev_thread._attribute

/* glibc's timer_create/mq_notify take glibc's sigevent: these take FreeBSD's and translate */
#define timer_create	__aioemu_fbsd_timer_create
#define mq_notify	__aioemu_fbsd_mq_notify
int timer_create(clockid_t, struct sigevent *__restrict, timer_t *__restrict);
int mq_notify(mqd_t, const struct sigevent *);

/* ---- FreeBSD <aio.h> ---------------------------------------------------------------------- */
/* aio_cancel() results */
#define AIO_CANCELED		0x1
#define AIO_NOTCANCELED		0x2
#define AIO_ALLDONE		0x3

/* aio_lio_opcode */
#define LIO_NOP			0x0
#define LIO_WRITE		0x1
#define LIO_READ		0x2
#define LIO_VECTORED		0x4
#define LIO_WRITEV		(LIO_WRITE | LIO_VECTORED)
#define LIO_READV		(LIO_READ | LIO_VECTORED)
/* FreeBSD shows these only with _KERNEL or _WANT_ALL_LIO_OPCODES; here they are always defined,
   because `aioemu cc` includes this header before any line of the program (-include aio.h), so a
   program's own #define _WANT_ALL_LIO_OPCODES would come too late. */
#define LIO_SYNC		0x8
#define LIO_DSYNC		(0x10 | LIO_SYNC)
#define LIO_MLOCK		0x20

/* lio_listio() modes */
#define LIO_NOWAIT		0x0
#define LIO_WAIT		0x1

/* The header's value; the emulated kernel, like FreeBSD's, allows vfs.aio.max_aio_queue_per_proc. */
#define AIO_LISTIO_MAX		16

/* aio_fsync(op, ...) takes <fcntl.h>'s O_SYNC / O_DSYNC: the host's values (this program's open()
   uses them too); the shim hands FreeBSD's to the emulation. */

struct __aiocb_private {
	long	status;
	long	error;
	void	*kernelinfo;
};

typedef struct aiocb {
	int	aio_fildes;		/* File descriptor */
	off_t	aio_offset;		/* File offset for I/O */
	volatile void *aio_buf;		/* I/O buffer in process space */
	size_t	aio_nbytes;		/* Number of bytes for I/O */
	int	__spare__[2];
	void	*__spare2__;
	int	aio_lio_opcode;		/* LIO opcode */
	int	aio_reqprio;		/* Request priority -- ignored */
	struct	__aiocb_private	_aiocb_private;
	struct	sigevent aio_sigevent;	/* Signal to deliver */
} aiocb_t;

#define aio_iov		aio_buf		/* I/O scatter/gather list */
#define aio_iovcnt	aio_nbytes	/* Length of aio_iov */

int	aio_read(struct aiocb *) __asm__("__aioemu_fbsd_aio_read");
int	aio_readv(struct aiocb *) __asm__("__aioemu_fbsd_aio_readv");
int	aio_write(struct aiocb *) __asm__("__aioemu_fbsd_aio_write");
int	aio_writev(struct aiocb *) __asm__("__aioemu_fbsd_aio_writev");
int	lio_listio(int, struct aiocb *__restrict const *__restrict, int, struct sigevent *)
	    __asm__("__aioemu_fbsd_lio_listio");
int	aio_error(const struct aiocb *) __asm__("__aioemu_fbsd_aio_error");
ssize_t	aio_return(struct aiocb *) __asm__("__aioemu_fbsd_aio_return");
int	aio_cancel(int, struct aiocb *) __asm__("__aioemu_fbsd_aio_cancel");
int	aio_suspend(const struct aiocb * const[], int, const struct timespec *)
	    __asm__("__aioemu_fbsd_aio_suspend");
int	aio_fsync(int op, struct aiocb *) __asm__("__aioemu_fbsd_aio_fsync");
int	aio_mlock(struct aiocb *) __asm__("__aioemu_fbsd_aio_mlock");
ssize_t	aio_waitcomplete(struct aiocb **, struct timespec *) __asm__("__aioemu_fbsd_aio_waitcomplete");

/* The layouts libaioemu-freebsd's Java side reads (FreeBsdAiocb, FreeBsdSigevent): checked here
   and, line by line, by abi-freebsd's FreeBsdHeaderLayoutTest against the Java layouts. */
__AIOEMU_STATIC_ASSERT(sizeof(struct aiocb) == 160, "struct aiocb");
__AIOEMU_STATIC_ASSERT(offsetof(struct aiocb, aio_fildes) == 0, "aio_fildes");
__AIOEMU_STATIC_ASSERT(offsetof(struct aiocb, aio_offset) == 8, "aio_offset");
__AIOEMU_STATIC_ASSERT(offsetof(struct aiocb, aio_buf) == 16, "aio_buf");
__AIOEMU_STATIC_ASSERT(offsetof(struct aiocb, aio_nbytes) == 24, "aio_nbytes");
__AIOEMU_STATIC_ASSERT(offsetof(struct aiocb, aio_lio_opcode) == 48, "aio_lio_opcode");
__AIOEMU_STATIC_ASSERT(offsetof(struct aiocb, aio_reqprio) == 52, "aio_reqprio");
__AIOEMU_STATIC_ASSERT(offsetof(struct aiocb, _aiocb_private) == 56, "_aiocb_private");
__AIOEMU_STATIC_ASSERT(offsetof(struct aiocb, aio_sigevent) == 80, "aio_sigevent");
__AIOEMU_STATIC_ASSERT(sizeof(struct sigevent) == 80, "struct sigevent");
__AIOEMU_STATIC_ASSERT(offsetof(struct sigevent, sigev_notify) == 0, "sigev_notify");
__AIOEMU_STATIC_ASSERT(offsetof(struct sigevent, sigev_signo) == 4, "sigev_signo");
__AIOEMU_STATIC_ASSERT(offsetof(struct sigevent, sigev_value) == 8, "sigev_value");
__AIOEMU_STATIC_ASSERT(offsetof(struct sigevent, _sigev_un._threadid) == 16, "_threadid");
__AIOEMU_STATIC_ASSERT(offsetof(struct sigevent, _sigev_un._kevent_flags) == 16, "_kevent_flags");
__AIOEMU_STATIC_ASSERT(offsetof(struct sigevent, _sigev_un._sigev_thread._function) == 16, "_function");
__AIOEMU_STATIC_ASSERT(offsetof(struct sigevent, _sigev_un._sigev_thread._attribute) == 24, "_attribute");

#ifdef __cplusplus
}
#endif

#endif /* !_AIOEMU_FREEBSD_AIO_H_ */

/*
 * aioemu: FreeBSD's <sys/event.h> (amd64), the part of kqueue(2)/kevent(2) that AIO uses:
 * struct kevent, EV_SET, the EVFILT_* and EV_* values. kqueue() returns a real host descriptor
 * (emulated: a pipe's read end kept by the emulation, closed by the program's close()); kevent()
 * on it supports EVFILT_AIO and EVFILT_LIO knotes, which aio_*(SIGEV_KEVENT) and
 * lio_listio(SIGEV_KEVENT) register. Other filters are defined with FreeBSD's values but a
 * kevent() change using them fails with EINVAL. kevent's `data` for EVFILT_AIO (the job's error)
 * and EV_ERROR events is a HOST errno value, like errno.
 */
#ifndef _AIOEMU_FREEBSD_SYS_EVENT_H_
#define _AIOEMU_FREEBSD_SYS_EVENT_H_

#include <sys/types.h>
#include <stdint.h>
#include <stddef.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#define __AIOEMU_EV_STATIC_ASSERT(c, m) static_assert(c, m)
#else
#define __AIOEMU_EV_STATIC_ASSERT(c, m) __extension__ _Static_assert(c, m)
#endif

#define EVFILT_READ		(-1)
#define EVFILT_WRITE		(-2)
#define EVFILT_AIO		(-3)	/* attached to aio requests */
#define EVFILT_VNODE		(-4)
#define EVFILT_PROC		(-5)
#define EVFILT_SIGNAL		(-6)
#define EVFILT_TIMER		(-7)
#define EVFILT_PROCDESC		(-8)
#define EVFILT_FS		(-9)
#define EVFILT_LIO		(-10)	/* attached to lio requests */
#define EVFILT_USER		(-11)
#define EVFILT_SENDFILE		(-12)
#define EVFILT_EMPTY		(-13)
#define EVFILT_SYSCOUNT		13

struct kevent {
	uintptr_t	ident;		/* identifier for this event */
	short		filter;		/* filter for event */
	unsigned short	flags;		/* action flags for kqueue */
	unsigned int	fflags;		/* filter flag value */
	int64_t		data;		/* filter data value */
	void		*udata;		/* opaque user data identifier */
	uint64_t	ext[4];		/* extensions */
};

#define EV_SET(kevp_, a, b, c, d, e, f) do {		\
	struct kevent *__aioemu_kevp = (kevp_);		\
	__aioemu_kevp->ident = (a);			\
	__aioemu_kevp->filter = (b);			\
	__aioemu_kevp->flags = (c);			\
	__aioemu_kevp->fflags = (d);			\
	__aioemu_kevp->data = (e);			\
	__aioemu_kevp->udata = (f);			\
	__aioemu_kevp->ext[0] = 0;			\
	__aioemu_kevp->ext[1] = 0;			\
	__aioemu_kevp->ext[2] = 0;			\
	__aioemu_kevp->ext[3] = 0;			\
} while (0)

/* actions */
#define EV_ADD		0x0001		/* add event to kq (implies enable) */
#define EV_DELETE	0x0002		/* delete event from kq */
#define EV_ENABLE	0x0004		/* enable event */
#define EV_DISABLE	0x0008		/* disable event (not reported) */
#define EV_FORCEONESHOT	0x0100		/* enable _ONESHOT and force trigger */
#define EV_KEEPUDATA	0x0200		/* do not update the udata field */

/* flags */
#define EV_ONESHOT	0x0010		/* only report one occurrence */
#define EV_CLEAR	0x0020		/* clear event state after reporting */
#define EV_RECEIPT	0x0040		/* force EV_ERROR on success, data=0 */
#define EV_DISPATCH	0x0080		/* disable event after reporting */

#define EV_SYSFLAGS	0xF000		/* reserved by system */
#define EV_DROP		0x1000		/* note should be dropped */
#define EV_FLAG1	0x2000		/* filter-specific flag */
#define EV_FLAG2	0x4000		/* filter-specific flag */

/* returned values */
#define EV_EOF		0x8000		/* EOF detected */
#define EV_ERROR	0x4000		/* error, data contains errno */

int	kqueue(void) __asm__("__aioemu_fbsd_kqueue");
int	kevent(int kq, const struct kevent *changelist, int nchanges,
	    struct kevent *eventlist, int nevents, const struct timespec *timeout)
	    __asm__("__aioemu_fbsd_kevent");

/* The layout libaioemu-freebsd's Java side reads (FreeBsdKevent). */
__AIOEMU_EV_STATIC_ASSERT(sizeof(struct kevent) == 64, "struct kevent");
__AIOEMU_EV_STATIC_ASSERT(offsetof(struct kevent, ident) == 0, "ident");
__AIOEMU_EV_STATIC_ASSERT(offsetof(struct kevent, filter) == 8, "filter");
__AIOEMU_EV_STATIC_ASSERT(offsetof(struct kevent, flags) == 10, "flags");
__AIOEMU_EV_STATIC_ASSERT(offsetof(struct kevent, fflags) == 12, "fflags");
__AIOEMU_EV_STATIC_ASSERT(offsetof(struct kevent, data) == 16, "data");
__AIOEMU_EV_STATIC_ASSERT(offsetof(struct kevent, udata) == 24, "udata");
__AIOEMU_EV_STATIC_ASSERT(offsetof(struct kevent, ext) == 32, "ext");

#ifdef __cplusplus
}
#endif

#endif /* !_AIOEMU_FREEBSD_SYS_EVENT_H_ */

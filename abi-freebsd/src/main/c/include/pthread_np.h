/*
 * aioemu: the part of FreeBSD's <pthread_np.h> AIO programs use: pthread_getthreadid_np() names
 * the calling thread for SIGEV_THREAD_ID (sigev_notify_thread_id). Here it is the host thread id
 * (gettid), which is what the shim's SIGEV_THREAD_ID signals are aimed at.
 */
#ifndef _AIOEMU_FREEBSD_PTHREAD_NP_H_
#define _AIOEMU_FREEBSD_PTHREAD_NP_H_

#include <pthread.h>
#include <unistd.h>
#include <sys/syscall.h>

static __inline int
pthread_getthreadid_np(void)
{
	return (int)syscall(SYS_gettid);
}

#endif /* !_AIOEMU_FREEBSD_PTHREAD_NP_H_ */

package org.aioemu.freebsd;

import java.lang.foreign.MemorySegment;

/**
 * aio_waitcomplete() (a FreeBSD extension): stores NULL in *iocbp, then takes the oldest finished
 * job of the process (any job, lio_listio entries too), stores its aiocb address in *iocbp, reaps
 * it and returns its status, or -1 with errno = its error. A NULL timeout waits without end (a
 * signal restarts the wait under SA_RESTART, else EINTR); {0, 0} polls (EAGAIN if nothing has
 * finished); another timeout is validated (EINVAL) and runs out with EAGAIN, re-armed after each
 * wakeup as aio_suspend's is. It creates the process's AIO state if there was none, so a NULL
 * timeout in a process with no AIO blocks (the man page's EAGAIN is not what the code does).
 */
final class FreeBsdAioWaitComplete {
    private final FreeBsdAioProcess proc;

    FreeBsdAioWaitComplete(FreeBsdAioProcess proc) {
        this.proc = proc;
    }

    /** The reaped job's status, or -errno. */
    long waitcomplete(long iocbp, long timeout) {
        FreeBsdTimespec.Value ts = null;
        if (timeout != 0) {
            MemorySegment t = FreeBsdUserMemory.copyin(timeout, FreeBsdTimespec.SIZE);
            if (t == null) return -FreeBsdErrno.EFAULT;
            ts = FreeBsdTimespec.read(t);
        }
        for (;;) {   // a wait without timeout that a signal ended under SA_RESTART starts over
            FreeBsdUserMemory.suword(iocbp, 0);
            boolean poll = ts != null && ts.isZero();
            long timo = 0;
            if (ts != null && !poll) {
                if (!ts.valid()) return -FreeBsdErrno.EINVAL;
                timo = ts.sleepNanos();
            }
            FreeBsdAioState ki = proc.aioState();
            FreeBsdJob job;
            int error = 0;
            ki.lock.lock();
            try {
                while ((job = ki.oldestDone()) == null) {
                    if (ki.dead()) return -FreeBsdErrno.EINTR;
                    if (poll) {
                        error = FreeBsdErrno.EWOULDBLOCK;
                        break;
                    }
                    error = ki.channel.msleep(ki.lock, proc.signals(), timo);
                    if (timo != 0 && error == FreeBsdWaitChannel.ERESTART) error = FreeBsdErrno.EINTR;
                    if (error != 0) break;
                }
                if (job != null) {
                    proc.charge(job);
                    ki.freeLocked(job);
                }
            } finally {
                ki.lock.unlock();
            }
            if (job == null) {
                if (error != FreeBsdWaitChannel.ERESTART) return -error;
                proc.signals().returnToUser();   // the handler runs, then the call starts over
                continue;
            }
            FreeBsdUserMemory.suword(iocbp, job.ujob);
            FreeBsdUserMemory.storePrivate(job.ujob, job.status, job.error);
            return job.error != 0 ? -job.error : job.status;
        }
    }
}

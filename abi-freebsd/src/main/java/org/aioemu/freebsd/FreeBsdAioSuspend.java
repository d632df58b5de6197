package org.aioemu.freebsd;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * aio_suspend(): sleeps until one listed job has finished. In FreeBSD's order: nent outside
 * [0, max_aio_queue_per_proc] is EINVAL; the timeout and the list are copied in (EFAULT); a bad
 * timespec is EINVAL; a process that never used AIO gets EAGAIN at once; nent 0 returns 0. Then
 * it returns 0 as soon as a listed job is finished, and also at once when no listed aiocb names a
 * live job (all NULL, reaped, never queued). Each wakeup re-arms the whole relative timeout (the
 * kernel sleeps timo ticks per round, with no absolute deadline); running out is EAGAIN. A signal
 * is EINTR, never a restart.
 */
final class FreeBsdAioSuspend {
    private final FreeBsdAioProcess proc;

    FreeBsdAioSuspend(FreeBsdAioProcess proc) {
        this.proc = proc;
    }

    /** 0 or a FreeBSD errno. */
    int suspend(long list, int nent, long timeout) {
        if (nent < 0 || nent > proc.system().sysctl().maxAioQueuePerProc()) return FreeBsdErrno.EINVAL;
        FreeBsdTimespec.Value ts = null;
        if (timeout != 0) {
            MemorySegment t = FreeBsdUserMemory.copyin(timeout, FreeBsdTimespec.SIZE);
            if (t == null) return FreeBsdErrno.EFAULT;
            ts = FreeBsdTimespec.read(t);
        }
        MemorySegment l = FreeBsdUserMemory.copyinKept(list, (long) nent * 8);
        if (l == null) return FreeBsdErrno.EFAULT;
        long[] ujobs = l.toArray(ValueLayout.JAVA_LONG);
        long timo = 0;
        if (ts != null) {
            if (!ts.valid()) return FreeBsdErrno.EINVAL;
            timo = ts.sleepNanos();
        }
        FreeBsdAioState ki = proc.existingAioState();
        if (ki == null) return FreeBsdErrno.EAGAIN;
        if (nent == 0) return 0;

        ki.lock.lock();
        try {
            for (;;) {
                if (ki.dead()) return FreeBsdErrno.EINTR;
                boolean anyLive = false;
                for (long ujob : ujobs) {
                    for (FreeBsdJob job : ki.jobs(ujob)) {
                        if (job.finished) return 0;
                        anyLive = true;
                    }
                }
                if (!anyLive) return 0;
                int rc = ki.channel.msleep(ki.lock, proc.signals(), timo);
                if (rc == FreeBsdWaitChannel.ERESTART) rc = FreeBsdErrno.EINTR;
                if (rc != 0) return rc;
            }
        } finally {
            ki.lock.unlock();
        }
    }
}

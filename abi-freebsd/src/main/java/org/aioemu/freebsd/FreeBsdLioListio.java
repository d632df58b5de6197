package org.aioemu.freebsd;

import static org.aioemu.freebsd.FreeBsdAioConstants.EVFILT_LIO;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_NOP;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_NOWAIT;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_WAIT;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_KEVENT;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_NONE;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_SIGNAL;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_THREAD;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_THREAD_ID;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * lio_listio() as kern_lio_listio does it. Before anything is queued: mode other than
 * LIO_WAIT/LIO_NOWAIT, or nent outside [0, max_aio_queue_per_proc] (AIO_LISTIO_MAX is not
 * enforced), is EINVAL; {@code sig} is read only for LIO_NOWAIT (SIGEV_KEVENT registers an
 * EVFILT_LIO knote whose ident is the list's address; SIGEV_SIGNAL/SIGEV_THREAD_ID need a valid
 * signal; librt handles SIGEV_THREAD; anything else is EINVAL). Then every non-NULL entry is
 * queued on its own, as a LIO_NOP-typed aio_aqueue (its aio_lio_opcode decides; LIO_NOP entries
 * are validated and dropped). Result: any entry refused for a reason other than EAGAIN makes it
 * -1/EIO, else any EAGAIN makes it -1/EAGAIN; queued entries run regardless. LIO_WAIT sleeps
 * until every queued entry has finished (their own failures do not fail the call) or a signal
 * (EINTR); LIO_NOWAIT posts the list notification at once if nothing is left running (so an empty
 * list signals immediately, but its kevent is freed unseen: FreeBSD bug 251515).
 */
final class FreeBsdLioListio {
    private final FreeBsdAioProcess proc;

    FreeBsdLioListio(FreeBsdAioProcess proc) {
        this.proc = proc;
    }

    /** 0 or a FreeBSD errno. */
    int listio(int mode, long list, int nent, long sig) {
        if (mode != LIO_NOWAIT && mode != LIO_WAIT) return FreeBsdErrno.EINVAL;
        if (nent < 0 || nent > proc.system().sysctl().maxAioQueuePerProc()) return FreeBsdErrno.EINVAL;
        FreeBsdSigevent.Value sev = FreeBsdSigevent.Value.NONE;
        boolean listSignal = sig != 0 && mode == LIO_NOWAIT;
        if (listSignal) {
            MemorySegment s = FreeBsdUserMemory.copyin(sig, FreeBsdSigevent.LAYOUT.byteSize());
            if (s == null) return FreeBsdErrno.EFAULT;
            sev = FreeBsdSigevent.read(s, 0);
        }
        MemorySegment l = FreeBsdUserMemory.copyinKept(list, (long) nent * 8);
        if (l == null) return FreeBsdErrno.EFAULT;
        long[] entries = l.toArray(ValueLayout.JAVA_LONG);

        FreeBsdAioState ki = proc.aioState();
        FreeBsdLioJob lj = new FreeBsdLioJob(list, sev);
        if (listSignal) {
            switch (sev.sigevNotify()) {
                case SIGEV_KEVENT -> {
                    FreeBsdKqueue kq = proc.kqueues().lookup(sev.kqueue());
                    if (kq == null) return FreeBsdErrno.EBADF;
                    lj.knote = kq.attach(list, EVFILT_LIO, 0, sev.value(), lj);
                }
                case SIGEV_NONE -> { }
                case SIGEV_SIGNAL, SIGEV_THREAD_ID -> {
                    if (!proc.signalTarget().valid(sev.signo())) return FreeBsdErrno.EINVAL;
                    lj.signalWanted = true;
                }
                case SIGEV_THREAD -> lj.signalWanted = true;   // librt: SIGEV_THREAD_ID + SIGLIBRT to its thread
                default -> {
                    return FreeBsdErrno.EINVAL;
                }
            }
        }
        ki.lock.lock();
        try {
            ki.lioStarted(lj);
            lj.count = 1;   // holds the batch (and its notification) until every entry is queued
        } finally {
            ki.lock.unlock();
        }

        int again = 0;
        int errors = 0;
        for (long ujob : entries) {
            if (ujob == 0) continue;
            int error = proc.queue().aqueue(ujob, lj, LIO_NOP, false);
            if (error == FreeBsdErrno.EAGAIN) again++;
            else if (error != 0) errors++;
        }

        int error = 0;
        ki.lock.lock();
        try {
            if (mode == LIO_WAIT) {
                while (lj.count - 1 != lj.finished) {
                    if (ki.dead()) {
                        error = FreeBsdErrno.EINTR;
                        break;
                    }
                    error = ki.channel.msleep(ki.lock, proc.signals(), 0);
                    if (error == FreeBsdWaitChannel.ERESTART) error = FreeBsdErrno.EINTR;
                    if (error != 0) break;
                }
            } else if (lj.count - 1 == lj.finished && !ki.core.inRundown()) {
                ki.lioDoneLocked(lj, lj.count != 1);
            }
            lj.count--;
            if (lj.count == 0) ki.freeLioLocked(lj);
        } finally {
            ki.lock.unlock();
        }
        if (errors > 0) return FreeBsdErrno.EIO;
        if (again > 0) return FreeBsdErrno.EAGAIN;
        return error;
    }
}

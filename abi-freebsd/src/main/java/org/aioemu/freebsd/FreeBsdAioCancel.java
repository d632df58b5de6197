package org.aioemu.freebsd;

import static org.aioemu.freebsd.FreeBsdAioConstants.AIO_ALLDONE;
import static org.aioemu.freebsd.FreeBsdAioConstants.AIO_CANCELED;
import static org.aioemu.freebsd.FreeBsdAioConstants.AIO_NOTCANCELED;

import java.util.ArrayList;
import java.util.List;

import org.aioemu.core.CancelOutcome;
import org.aioemu.core.host.FdInfo;

/**
 * aio_cancel() as sys_aio_cancel does it: EBADF for a descriptor that is not open; AIO_ALLDONE
 * for a process that never used AIO; AIO_NOTCANCELED for a raw disk (physio jobs have no cancel
 * routine). Otherwise it walks the unfinished jobs whose aio_fildes is this descriptor number
 * (and, given an aiocb, only the first with that address). A job waiting (for a worker, on a
 * socket buffer, or an fsync waiting for earlier writes) is completed with ECANCELED and counts as
 * cancelled; a socket job that already moved bytes completes with that short count and does not;
 * a running job, or one already marked cancelled, does not (it completes normally).
 * The answer: the aiocb's job was cancelled: AIO_CANCELED; else any not cancelled:
 * AIO_NOTCANCELED; else any cancelled: AIO_CANCELED; else AIO_ALLDONE.
 */
final class FreeBsdAioCancel {
    private final FreeBsdAioProcess proc;

    FreeBsdAioCancel(FreeBsdAioProcess proc) {
        this.proc = proc;
    }

    /** AIO_CANCELED, AIO_NOTCANCELED, AIO_ALLDONE, or -errno. */
    int cancel(int fd, long ujob) {
        FdInfo info = FdInfo.probeOrNull(fd, new int[1]);
        if (info == null) return -FreeBsdErrno.EBADF;
        FreeBsdAioState ki = proc.existingAioState();
        if (ki == null) return AIO_ALLDONE;
        if (FreeBsdFileType.of(info) == FreeBsdFileType.DISK) return AIO_NOTCANCELED;

        List<FreeBsdJob> targets = new ArrayList<>();
        int notCancelled = 0;
        ki.lock.lock();
        try {
            for (FreeBsdJob job : ki.pendingJobs()) {
                if (job.cb.fildes() != fd || (ujob != 0 && job.ujob != ujob)) continue;
                if (job.cancelFlagged) notCancelled++;   // aio_cancel_job: already cancelled (running) counts as not
                else {
                    job.cancelFlagged = true;
                    targets.add(job);
                }
                if (ujob != 0) break;
            }
        } finally {
            ki.lock.unlock();
        }
        int cancelled = 0;
        for (FreeBsdJob job : targets) {
            // The cancel routine may complete the job on this thread; the sink takes the lock itself.
            CancelOutcome o = ki.context.cancel(job.request);
            if (o == CancelOutcome.CANCELED) cancelled++;
            else if (o == CancelOutcome.NOT_CANCELED) notCancelled++;
        }
        if (ujob != 0 && cancelled > 0) return AIO_CANCELED;
        if (notCancelled > 0) return AIO_NOTCANCELED;
        if (cancelled > 0) return AIO_CANCELED;
        return AIO_ALLDONE;
    }
}

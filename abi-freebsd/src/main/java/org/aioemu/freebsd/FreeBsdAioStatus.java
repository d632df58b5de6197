package org.aioemu.freebsd;

/**
 * aio_error() and aio_return(): the status life cycle. aio_error reports EINPROGRESS for a job
 * still running and the job's error once finished, from the kernel's copy; for an aiocb with no
 * live job it falls back on the program's own copy ("hack for failure of aio_aqueue"): status -1
 * means the stored error (a refused submission, or a reaped failed job), anything else EINVAL.
 * aio_return reaps a finished job exactly once, writing the final error and status back into the
 * program's aiocb; anything else is EINVAL.
 */
final class FreeBsdAioStatus {
    private final FreeBsdAioProcess proc;

    FreeBsdAioStatus(FreeBsdAioProcess proc) {
        this.proc = proc;
    }

    /** aio_error's value (never a -1/errno failure; a bad pointer reads as status -1, error -1, as fuword gives). */
    long error(long ujob) {
        FreeBsdAioState ki = proc.existingAioState();
        if (ki == null) return FreeBsdErrno.EINVAL;
        ki.lock.lock();
        try {
            FreeBsdJob job = ki.firstJob(ujob);
            if (job != null) return job.finished ? job.error : FreeBsdErrno.EINPROGRESS;
        } finally {
            ki.lock.unlock();
        }
        long status = FreeBsdUserMemory.fuword(ujob + FreeBsdAiocb.STATUS_OFFSET);
        if (status == -1) return FreeBsdUserMemory.fuword(ujob + FreeBsdAiocb.ERROR_OFFSET);
        return FreeBsdErrno.EINVAL;
    }

    /** Reaps: the job's status, or -errno (the job's error, or EINVAL if nothing finished is there to reap). */
    long reap(long ujob) {
        FreeBsdAioState ki = proc.existingAioState();
        if (ki == null) return -FreeBsdErrno.EINVAL;
        FreeBsdJob job;
        ki.lock.lock();
        try {
            job = ki.doneJob(ujob);
            if (job == null) return -FreeBsdErrno.EINVAL;
            proc.charge(job);
            ki.freeLocked(job);
        } finally {
            ki.lock.unlock();
        }
        FreeBsdUserMemory.storePrivate(ujob, job.status, job.error);
        return job.error != 0 ? -job.error : job.status;
    }
}

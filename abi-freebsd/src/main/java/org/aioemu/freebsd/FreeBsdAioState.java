package org.aioemu.freebsd;

import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_KEVENT;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import org.aioemu.core.AioContext;
import org.aioemu.core.AioException;
import org.aioemu.core.AioProcess;
import org.aioemu.core.ExitPolicy;

/**
 * A process's AIO state (the kernel's {@code struct kaioinfo}), made at its first AIO call and
 * gone at exit or exec: its jobs by aiocb address ({@code kaio_all}), the unfinished ones
 * ({@code kaio_jobqueue}, what aio_cancel scans), the finished unreaped ones in completion order
 * ({@code kaio_done}, what aio_waitcomplete takes from), its lio batches, and the one wait
 * channel every AIO sleeper of the process shares. One lock guards it all, as kaio_mtx does.
 *
 * <p>The work itself is the core's: one {@link AioProcess} with one {@link AioContext} whose slots
 * are held until a job is reaped, so the core's per-process limit counts finished-but-unreaped
 * jobs exactly as {@code kaio_count} does.
 */
final class FreeBsdAioState {
    final FreeBsdAioProcess proc;
    final AioProcess core;
    final AioContext context;
    final ReentrantLock lock = new ReentrantLock();
    final FreeBsdWaitChannel channel = new FreeBsdWaitChannel();
    private final FreeBsdNotifier notifier;
    private final Map<Long, ArrayDeque<FreeBsdJob>> all = new HashMap<>();
    private final Set<FreeBsdJob> pending = new LinkedHashSet<>();
    private final Set<FreeBsdJob> done = new LinkedHashSet<>();
    private final Set<FreeBsdLioJob> lios = new LinkedHashSet<>();
    private int count;
    private long doneSeq;
    private volatile boolean dead;

    FreeBsdAioState(FreeBsdAioProcess proc, AioProcess core) throws AioException {
        this.proc = proc;
        this.core = core;
        this.notifier = new FreeBsdNotifier(proc);
        core.setSyncOrdering(true);
        this.context = core.newContext(Integer.MAX_VALUE, new FreeBsdCompletion());
    }

    /** Jobs queued and not yet reaped (kaio_count). */
    int count() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    boolean dead() {
        return dead;
    }

    FreeBsdNotifier notifier() {
        return notifier;
    }

    // ---- queueing (end of aio_aqueue) ----------------------------------------------------------

    /** The job was accepted: it joins kaio_all, and kaio_jobqueue or (if it finished while queueing) kaio_done. */
    void queued(FreeBsdJob job) {
        lock.lock();
        try {
            job.queueing = false;
            all.computeIfAbsent(job.ujob, k -> new ArrayDeque<>(1)).add(job);
            count++;
            if (job.lio != null) job.lio.count++;
            if (job.finished) doneNotifyLocked(job);
            else pending.add(job);
        } finally {
            lock.unlock();
        }
    }

    void lioStarted(FreeBsdLioJob lj) {
        lios.add(lj);
    }

    // ---- completion (aio_complete, aio_bio_done_notify) ---------------------------------------

    void complete(FreeBsdJob job, long status, int error) {
        lock.lock();
        try {
            job.status = status;
            job.error = error;
            job.finished = true;
            if (dead || job.queueing) return;   // freed with the process, or notified at the end of queueing
            pending.remove(job);
            doneNotifyLocked(job);
        } finally {
            lock.unlock();
        }
    }

    /**
     * In FreeBSD's order: join kaio_done, then (unless the process runs down) the job's signal,
     * its kevent, and if it was the batch's last the batch's kevent and signal; then every sleeper
     * of the process wakes to rescan. fsyncs waiting on this job are released by the core.
     */
    private void doneNotifyLocked(FreeBsdJob job) {
        FreeBsdLioJob lj = job.lio;
        boolean batchDone = false;
        if (lj != null) {
            lj.finished++;
            batchDone = lj.count == lj.finished;
        }
        done.add(job);
        job.doneOrder = ++doneSeq;
        if (!core.inRundown()) {
            notifier.send(job.cb.sigevent(), job.ksi, job.ujob);
            if (job.knote != null) job.knote.kq.activate(job.knote);
            if (batchDone) lioDoneLocked(lj, true);
        }
        channel.wakeup();
    }

    /** The batch's notification, once; {@code withdrawable}: queued under the batch's own token. */
    void lioDoneLocked(FreeBsdLioJob lj, boolean withdrawable) {
        if (lj.signal.sigevNotify() == SIGEV_KEVENT) {
            lj.keventPosted = true;
            if (lj.knote != null) lj.knote.kq.activate(lj.knote);
        }
        if (lj.signalWanted && !lj.signalPosted) {
            notifier.send(lj.signal, lj.ksi, lj.list);
            lj.signalPosted = true;
            lj.signalWithdrawable = withdrawable;
        }
    }

    // ---- lookups -------------------------------------------------------------------------------

    /** The first job (in kaio_all order) with this aiocb, or null. */
    FreeBsdJob firstJob(long ujob) {
        ArrayDeque<FreeBsdJob> jobs = all.get(ujob);
        return jobs == null ? null : jobs.peekFirst();
    }

    /** Every job with this aiocb (the same aiocb queued twice is not detected: FBSD-15). */
    Iterable<FreeBsdJob> jobs(long ujob) {
        ArrayDeque<FreeBsdJob> jobs = all.get(ujob);
        return jobs == null ? List.of() : jobs;
    }

    /** The finished job with this aiocb that finished first (kaio_done order), or null. */
    FreeBsdJob doneJob(long ujob) {
        FreeBsdJob best = null;
        for (FreeBsdJob j : jobs(ujob)) {
            if (done.contains(j) && (best == null || j.doneOrder < best.doneOrder)) best = j;
        }
        return best;
    }

    /** The oldest finished, unreaped job of the process, or null. */
    FreeBsdJob oldestDone() {
        return done.isEmpty() ? null : done.iterator().next();
    }

    /** Unfinished jobs in submission order (kaio_jobqueue). */
    List<FreeBsdJob> pendingJobs() {
        return new ArrayList<>(pending);
    }

    boolean hasPendingOn(java.util.function.Predicate<FreeBsdJob> which) {
        for (FreeBsdJob j : pending) if (which.test(j)) return true;
        return false;
    }

    // ---- reaping (aio_free_entry) --------------------------------------------------------------

    /** Frees a finished job: its slot, its knote, its undelivered signal, and its batch if it was the last. */
    void freeLocked(FreeBsdJob job) {
        count--;
        done.remove(job);
        ArrayDeque<FreeBsdJob> jobs = all.get(job.ujob);
        if (jobs != null) {
            jobs.remove(job);
            if (jobs.isEmpty()) all.remove(job.ujob);
        }
        FreeBsdLioJob lj = job.lio;
        if (lj != null) {
            lj.count--;
            lj.finished--;
            if (lj.count == 0) freeLioLocked(lj);
        }
        if (job.knote != null) job.knote.kq.drop(job.knote);
        notifier.withdraw(job.ksi);
        context.release(job.request);
    }

    void freeLioLocked(FreeBsdLioJob lj) {
        lios.remove(lj);
        if (lj.knote != null) lj.knote.kq.drop(lj.knote);
        if (lj.signalWithdrawable) notifier.withdraw(lj.ksi);
    }

    // ---- rundown (aio_proc_rundown) ------------------------------------------------------------

    /**
     * Runs the process's AIO down with the given policy (FreeBSD: CANCEL_THEN_DRAIN, no deadline):
     * from the first moment no completion notifies anything; then every finished job is freed
     * without writing anything back to the program. Returns false if a deadline ended the wait
     * (the jobs still in flight finish in the background, unseen).
     */
    boolean rundown(ExitPolicy policy, Duration deadline) {
        boolean ok = core.exit(policy, deadline);
        lock.lock();
        try {
            dead = true;
            for (FreeBsdJob job : new ArrayList<>(done)) freeLocked(job);
            for (FreeBsdJob job : pending) {
                if (job.knote != null) job.knote.kq.drop(job.knote);
            }
            for (FreeBsdLioJob lj : new ArrayList<>(lios)) freeLioLocked(lj);
            channel.wakeup();
        } finally {
            lock.unlock();
        }
        return ok;
    }
}

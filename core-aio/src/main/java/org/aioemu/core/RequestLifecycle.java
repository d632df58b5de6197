package org.aioemu.core;

import java.util.HashSet;
import java.util.List;

import org.aioemu.core.Request.Option;
import org.aioemu.core.Request.State;
import org.aioemu.core.host.FdInfo;
import org.aioemu.core.host.FdKind;
import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;

/**
 * A request's life in one place, as vfs_aio.c tells a job's: admission, the non-blocking first
 * attempt, the three ways on (caller, worker pool, readiness), cancellation and the single
 * completion. Whoever moves a request out of NEW, QUEUED or WAITING owns it until it delivers
 * the completion; the state CAS decides every race between completing and cancelling.
 */
final class RequestLifecycle {
    private final AioSystem system;

    RequestLifecycle(AioSystem system) {
        this.system = system;
    }

    // ---- submission -------------------------------------------------------------------------

    /** Validates and admits every request, all or none, then starts each in order. */
    void submit(AioContext ctx, List<Request> batch) throws AioException {
        AioProcess proc = ctx.process();
        if (batch.size() > 1 && new HashSet<>(batch).size() != batch.size()) {   // identity: Request keeps Object.equals
            throw new IllegalStateException("a request is submitted once, but a batch holds one twice");
        }
        for (Request r : batch) validate(ctx, r);
        try {
            Admission.reserve(ctx, batch.size());
        } catch (AioException e) {
            system.stats.refused.add(batch.size());
            throw e;
        }
        for (Request r : batch) {
            r.context = ctx;
            r.seq = system.nextSeq();
            r.submitNanos = System.nanoTime();
            ctx.undelivered.incrementAndGet();
            proc.outstanding.add(r);
            if (proc.syncOrdering() && r.op.isReadWrite()) proc.barriers.started(r);
            system.stats.submitted.increment();
        }
        for (Request r : batch) start(r);
    }

    private void validate(AioContext ctx, Request r) throws AioException {
        if (r.state() != State.NEW || r.context != null) {
            throw new IllegalStateException("a request is submitted once: " + r);
        }
        if (ctx.isClosed()) throw new AioException(AioError.EINVAL, "context is destroyed");
        if (ctx.process().inRundown()) throw new AioException(AioError.EINVAL, "process is exiting");
        if (r.op == Request.Op.NOOP || r.fdInfo != null) return;
        int[] errno = new int[1];
        FdInfo info = FdInfo.probeOrNull(r.fd, errno);
        if (info == null) {
            throw new AioException(AioError.fromHost(errno[0]), "fd " + r.fd + " cannot be used");
        }
        r.fdInfo = info;
    }

    private void start(Request r) {
        switch (r.op) {
            case NOOP -> complete(r, 0, CompletionPath.INLINE);
            case POLL -> startPoll(r);
            case FSYNC, FDATASYNC -> {
                AioProcess proc = r.process();
                if (r.has(Option.ORDERED_SYNC) && proc.syncOrdering() && proc.barriers.mustWait(r)) {
                    system.stats.parked.increment();   // released by SyncBarriers when the last earlier request ends
                } else {
                    toWorker(r);
                }
            }
            default -> startReadWrite(r);
        }
    }

    private void startReadWrite(Request r) {
        FdKind kind = r.fdInfo.kind();
        boolean nowait = (r.rwFlags & HostConstants.RWF_NOWAIT) != 0;
        if (readinessDriven(kind)) {
            boolean behind = system.continuations.hasWaiters(r);
            if (nowait) {
                // one non-blocking try, its answer the result: never parked. Requests already waiting
                // that way mean it is not ready, and the data or room is theirs (FIFO): EAGAIN.
                long n = behind ? -HostOps.EAGAIN : HostOps.attempt(r, r.fd, kind);
                if (!behind) wakeReaders(r, n);
                complete(r, n, CompletionPath.INLINE);   // a partial write is the answer, WRITE_ALL or not
            } else if (behind) {   // per-direction FIFO: no overtaking parked requests
                park(r);
            } else if (r.has(Option.RUN_ON_CALLER)) {
                long n = HostOps.runOnCaller(r, r.fd, kind);   // a signal ends it with EINTR: not retried
                wakeReaders(r, n);
                complete(r, n, CompletionPath.CALLER);
            } else {
                long n = HostOps.attempt(r, r.fd, kind);
                wakeReaders(r, n);
                if (HostOps.wouldBlock(n)) park(r);
                else if (n > 0 && unfinishedWriteAll(r, n)) park(r);
                else complete(r, n, CompletionPath.INLINE);
            }
            return;
        }
        if (nowait) {   // the program asked for one non-blocking try: its answer is the result
            complete(r, HostOps.attempt(r, r.fd, kind), CompletionPath.INLINE);
        } else if (r.has(Option.RUN_ON_CALLER) && !r.fdInfo.direct()) {
            complete(r, HostOps.run(r, r.fd, kind, false), CompletionPath.CALLER);
        } else if (r.fdInfo.direct() && r.has(Option.BLOCK_LAYER) && system.blockLayer.offer(r)) {
            return;                       // at the device; the block layer's reaper completes it
        } else if (r.has(Option.NO_FAST_PATH) || r.fdInfo.direct() || kind == FdKind.CHAR_DEVICE) {
            toWorker(r);
        } else {
            long n = HostOps.attempt(r, r.fd, kind);
            if (n == -HostOps.EAGAIN || n == -HostOps.EOPNOTSUPP) {
                toWorker(r);              // not in the page cache, or no NOWAIT for this file: may block
            } else if (n > 0 && r.op.isRead() && shortOfFileEnd(r, n)) {
                r.progress = n;           // part was cached: the rest may block
                toWorker(r);
            } else {
                complete(r, n, CompletionPath.INLINE);
            }
        }
    }

    /**
     * A write on the submitting thread wakes the other end's waiting polls within the call, as
     * Linux's writers do. pipe_write wakes the read end whenever the pipe is polled (poll_usage),
     * whatever it managed to write: bytes, a fault (EFAULT), a full pipe (EAGAIN); only a
     * zero-length write returns before that. A socket wakes its peer when data went in.
     */
    private void wakeReaders(Request r, long n) {
        if (!r.op.isWrite()) return;
        if (r.fdInfo.kind() == FdKind.PIPE && r.length() > 0) system.continuations.pipeWritten(r.fdInfo);
        if (r.fdInfo.kind() == FdKind.SOCKET && r.progress + n > 0) system.continuations.socketWritten();
    }

    /**
     * Sockets and pipes, and anonymous-inode files (eventfd and friends), can wait for readiness;
     * regular files and devices cannot (epoll refuses them), so they go to workers.
     */
    static boolean readinessDriven(FdKind kind) {
        return kind.isStream() || kind == FdKind.OTHER;
    }

    /** A NOWAIT read that stopped before both the request's end and the file's end (as seen at submit). */
    private static boolean shortOfFileEnd(Request r, long n) {
        return n < r.length() && r.offset + n < r.fdInfo.size();
    }

    private static boolean unfinishedWriteAll(Request r, long n) {
        if (!r.op.isWrite() || !r.has(Option.WRITE_ALL)) return false;
        if (r.progress + n >= r.length()) return false;
        r.progress += n;
        return true;
    }

    private void startPoll(Request r) {
        int want = r.pollEvents | HostConstants.POLLERR | HostConstants.POLLHUP;
        int revents = HostIo.pollOne(r.fd, (short) PollWakeup.ALL, 0);
        if (revents < 0) {
            complete(r, revents, CompletionPath.INLINE);
        } else if ((revents & want) != 0) {
            complete(r, revents & want, CompletionPath.INLINE);   // ready now: ready ∩ asked (Linux aio_poll)
        } else {
            r.readyAtPark = revents;   // what is already there wakes nobody (PollWakeup)
            park(r);
        }
    }

    private void park(Request r) {
        system.stats.parked.increment();
        long rc = system.continuations.park(r);
        if (rc < 0) complete(r, rc, CompletionPath.INLINE);   // could not take a reference to the file
    }

    /** Hands a request to the worker pool holding its own reference to the file (the kernel's fget). */
    void toWorker(Request r) {
        int own = HostIo.dup(r.fd);
        r.ownFd = own;   // if dup failed (EMFILE) the worker uses the program's fd itself
        r.setState(State.QUEUED);
        system.workers.enqueue(r);
    }

    /** Called on a worker thread that won the QUEUED→RUNNING race. */
    void runOnWorker(Request r) {
        int fd = r.ownFd >= 0 ? r.ownFd : r.fd;
        complete(r, HostOps.run(r, fd, r.fdInfo.kind(), true), CompletionPath.WORKER);
    }

    // ---- completion -------------------------------------------------------------------------

    /**
     * Records a host result (count, poll mask or -errno) for a request this thread owns and
     * delivers it. Bytes already moved win over a later error: a socket write that sent half and
     * then hit EPIPE reports the half, as both kernels do.
     */
    void complete(Request r, long hostResult, CompletionPath path) {
        if (hostResult >= 0) {
            r.result = r.progress + hostResult;
            r.error = null;
        } else if (r.progress > 0) {
            r.result = r.progress;
            r.error = null;
        } else {
            r.result = 0;
            r.error = AioError.fromHost((int) -hostResult);
        }
        r.setState(State.DONE);
        deliver(r, path);
    }

    /** Completes a request this thread took out of QUEUED or WAITING by a cancel. */
    void completeCancelled(Request r) {
        if (r.progress > 0) {
            r.result = r.progress;
            r.error = null;
            r.setState(State.DONE);
            deliver(r, CompletionPath.CONTINUATION);
        } else {
            r.result = 0;
            r.error = AioError.ECANCELED;
            r.setState(State.CANCELLED);
            deliver(r, CompletionPath.CANCELLED);
        }
    }

    private void deliver(Request r, CompletionPath path) {
        r.path = path;
        r.completeNanos = System.nanoTime();
        if (r.ownFd >= 0) {
            HostIo.close(r.ownFd);
            r.ownFd = -1;
        }
        AioProcess proc = r.process();
        system.stats.count(path);
        r.context.undelivered.decrementAndGet();
        try {
            r.context.sink().completed(r);
        } catch (RuntimeException | Error e) {
            system.sinkFailed(r, e);   // a broken sink must not take a worker or the poller down
        }
        r.context.delivered(r);
        if (path != CompletionPath.DEVICE) system.blockLayer.kickIfWaiting(r.context);
        if (r.syncTracked) {   // not syncOrdering(): it may have been switched since the submit
            for (Request fsync : proc.barriers.finished(r)) {
                if (fsync.transition(State.WAITING, State.NEW)) toWorker(fsync);
            }
        }
        proc.finished(r);
    }

    // ---- cancellation -----------------------------------------------------------------------

    CancelOutcome cancel(Request r) {
        if (r.isFinished()) return CancelOutcome.ALL_DONE;
        switch (r.state()) {
            case QUEUED -> {
                if (r.transition(State.QUEUED, State.CANCELLED)) {   // the worker that finds it skips it
                    completeCancelled(r);   // a read the fast path had partly served completes with that part
                    return r.state() == State.CANCELLED ? CancelOutcome.CANCELED : CancelOutcome.NOT_CANCELED;
                }
            }
            case WAITING -> {
                if (r.op.isSync()) {
                    if (r.process().barriers.withdraw(r) && r.transition(State.WAITING, State.CANCELLED)) {
                        completeCancelled(r);
                        return CancelOutcome.CANCELED;
                    }
                } else {
                    CancelOutcome o = system.continuations.cancel(r);
                    if (o != null) return o;
                }
            }
            case RUNNING -> {
                // A waiting stream request is RUNNING only while the poller retries it, under its file's
                // lock: wait for that attempt, then cancel it if it went back to waiting. Answering
                // NOT_CANCELED at once would leave it waiting, and the cancel lost.
                if (!r.op.isSync() && readinessDriven(r.fdInfo.kind())) {
                    CancelOutcome o = system.continuations.cancel(r);
                    if (o != null) return o;
                }
            }
            default -> { }
        }
        return r.isFinished() ? CancelOutcome.ALL_DONE : CancelOutcome.NOT_CANCELED;
    }
}

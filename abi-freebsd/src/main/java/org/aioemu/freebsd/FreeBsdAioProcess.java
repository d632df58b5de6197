package org.aioemu.freebsd;

import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_DSYNC;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_MLOCK;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_READ;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_READV;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_SYNC;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_WRITE;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_WRITEV;
import static org.aioemu.freebsd.FreeBsdAioConstants.O_DSYNC;
import static org.aioemu.freebsd.FreeBsdAioConstants.O_SYNC;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

import org.aioemu.core.AioException;
import org.aioemu.core.ExitPolicy;
import org.aioemu.core.host.FdInfo;
import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;

/**
 * One emulated FreeBSD process and its AIO calls, with FreeBSD's signatures and libc's
 * convention: a call that fails returns -1 and sets the calling thread's emulated errno
 * ({@link #errno()}, FreeBSD numbers). Every pointer argument is a raw address in the program's
 * memory (an aiocb, a list of aiocb pointers, a sigevent, a timespec, a kevent array), copied
 * in and out without ever dereferencing a bad one: that is EFAULT.
 *
 * <p>The process's AIO state is made by its first AIO call and run down by {@link #exit} and
 * {@link #exec} (FreeBSD's aio_proc_rundown: cancel what waits, wait for what runs, notify
 * nothing, write nothing back; other core exit policies can be chosen). {@link #fork} gives a
 * child with no AIO state. Closing a descriptor ({@link #close}, or a plain close(2)) neither
 * cancels nor waits for its jobs: each holds its own reference to the file.
 */
public final class FreeBsdAioProcess {
    private final FreeBsdAioSystem system;
    private final String name;
    private final int pid;
    private final FreeBsdSignals signals;
    private final FreeBsdSigevThreads sigevThreads;
    private final FreeBsdKqueueTable kqueues = new FreeBsdKqueueTable();
    private final FreeBsdAioQueue queue = new FreeBsdAioQueue(this);
    private final FreeBsdAioStatus status = new FreeBsdAioStatus(this);
    private final FreeBsdAioSuspend suspend = new FreeBsdAioSuspend(this);
    private final FreeBsdAioWaitComplete waitComplete = new FreeBsdAioWaitComplete(this);
    private final FreeBsdAioCancel cancel = new FreeBsdAioCancel(this);
    private final FreeBsdLioListio lio = new FreeBsdLioListio(this);
    private final FreeBsdKeventCall keventCall = new FreeBsdKeventCall(this);
    private final Map<Thread, Integer> lwpidOf = new WeakHashMap<>();
    private final Map<Integer, WeakReference<Thread>> threadOf = new ConcurrentHashMap<>();
    private final Object stateLock = new Object();
    private volatile FreeBsdSignalTarget signalTarget;
    private volatile FreeBsdAioState state;
    private volatile ExitPolicy exitPolicy = ExitPolicy.CANCEL_THEN_DRAIN;
    private volatile Duration exitDeadline;
    private volatile boolean exited;
    private volatile int killedBy;
    private long msgsnd;
    private long msgrcv;

    FreeBsdAioProcess(FreeBsdAioSystem system, String name, int pid, FreeBsdAioProcess parent) {
        this.system = system;
        this.name = name;
        this.pid = pid;
        this.signals = parent == null ? new FreeBsdSignals(this) : parent.signals.forkedFor(this);
        this.sigevThreads = new FreeBsdSigevThreads(name);
        this.signalTarget = signals;
        if (parent != null) {
            exitPolicy = parent.exitPolicy;
            exitDeadline = parent.exitDeadline;
        }
    }

    public String name() { return name; }
    public int pid() { return pid; }
    public FreeBsdAioSystem system() { return system; }

    /** The calling thread's emulated errno, as the last failing call of this ABI on this thread set it. */
    public int errno() {
        return FreeBsdErrno.get();
    }

    // ---- the AIO calls -------------------------------------------------------------------------

    public int aio_read(long iocb) { return submit(iocb, LIO_READ, true); }
    public int aio_write(long iocb) { return submit(iocb, LIO_WRITE, true); }
    public int aio_readv(long iocb) { return submit(iocb, LIO_READV, true); }
    public int aio_writev(long iocb) { return submit(iocb, LIO_WRITEV, true); }

    /** aio_mlock(2): wires [aio_buf, aio_buf + aio_nbytes); aio_fildes is ignored. librt does not wrap it: no SIGEV_THREAD. */
    public int aio_mlock(long iocb) { return submit(iocb, LIO_MLOCK, false); }

    /** aio_fsync(2): {@code op} is O_SYNC or O_DSYNC (EINVAL otherwise, before anything else is looked at). */
    public int aio_fsync(int op, long iocb) {
        int type;
        if (op == O_SYNC) type = LIO_SYNC;
        else if (op == O_DSYNC) type = LIO_DSYNC;
        else return (int) ret(-FreeBsdErrno.EINVAL);
        return submit(iocb, type, true);
    }

    private int submit(long iocb, int type, boolean viaLibrt) {
        alive();
        int error = queue.aqueue(iocb, null, type, viaLibrt);
        return (int) ret(error == 0 ? 0 : -error);
    }

    /** aio_error(2): EINPROGRESS, 0, or the job's errno, always as the value (it does not fail with -1/errno). */
    public int aio_error(long iocb) {
        alive();
        long v = status.error(iocb);
        signals.returnToUser();
        return (int) v;
    }

    /** aio_return(2): the finished job's status, reaping it; -1 with errno = its error, or EINVAL if there is none to reap. */
    public long aio_return(long iocb) {
        alive();
        return ret(status.reap(iocb));
    }

    /** aio_suspend(2): {@code list} is a {@code const struct aiocb *const[nent]}; {@code timeout} a timespec or 0. */
    public int aio_suspend(long list, int nent, long timeout) {
        alive();
        int error = suspend.suspend(list, nent, timeout);
        return (int) ret(error == 0 ? 0 : -error);
    }

    /** aio_cancel(2): AIO_CANCELED, AIO_NOTCANCELED, AIO_ALLDONE, or -1 (EBADF). */
    public int aio_cancel(int fd, long iocb) {
        alive();
        return (int) ret(cancel.cancel(fd, iocb));
    }

    /** aio_waitcomplete(2): {@code iocbp} is a {@code struct aiocb **}; {@code timeout} a timespec or 0 (wait forever). */
    public long aio_waitcomplete(long iocbp, long timeout) {
        alive();
        return ret(waitComplete.waitcomplete(iocbp, timeout));
    }

    /** lio_listio(2): {@code mode} LIO_WAIT or LIO_NOWAIT; {@code list} a {@code struct aiocb *const[nent]}; {@code sig} a sigevent or 0. */
    public int lio_listio(int mode, long list, int nent, long sig) {
        alive();
        int error = lio.listio(mode, list, nent, sig);
        return (int) ret(error == 0 ? 0 : -error);
    }

    /** kqueue(2): a new emulated kqueue's descriptor. */
    public int kqueue() {
        alive();
        return (int) ret(kqueues.create());
    }

    /** kevent(2) on an emulated kqueue (the AIO filters EVFILT_AIO and EVFILT_LIO are emulated). */
    public int kevent(int kq, long changelist, int nchanges, long eventlist, int nevents, long timeout) {
        alive();
        return (int) ret(keventCall.kevent(kq, changelist, nchanges, eventlist, nevents, timeout));
    }

    /** listen(2) with FreeBSD's AIO rule: a socket with AIO requests queued on it cannot start listening (EINVAL). */
    public int listen(int fd, int backlog) {
        alive();
        FdInfo info = FdInfo.probeOrNull(fd, new int[1]);
        FreeBsdAioState ki = state;
        if (info != null && ki != null) {
            ki.lock.lock();
            try {
                if (ki.hasPendingOn(j -> j.type == FreeBsdFileType.SOCKET && j.info.dev() == info.dev()
                        && j.info.ino() == info.ino())) {
                    return (int) ret(-FreeBsdErrno.EINVAL);
                }
            } finally {
                ki.lock.unlock();
            }
        }
        int rc = HostIo.listen(fd, backlog);
        return (int) ret(rc < 0 ? -FreeBsdErrno.fromHost(rc) : rc);
    }

    /**
     * shutdown(2) with FreeBSD's SHUT_RD: data already received is discarded (sorflush), so a read
     * afterwards sees end of file at once (Linux would still hand out what was queued).
     */
    public int shutdown(int fd, int how) {
        alive();
        int rc = HostIo.shutdown(fd, how);
        if (rc < 0) return (int) ret(-FreeBsdErrno.fromHost(rc));
        if (how == HostConstants.SHUT_RD || how == HostConstants.SHUT_RDWR) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment sink = arena.allocate(65536);
                while (HostIo.recv(fd, sink, sink.byteSize(), HostConstants.MSG_DONTWAIT) > 0) {
                    // discard
                }
            }
        }
        return (int) ret(0);
    }

    /** close(2): a kqueue goes with its knotes; any other descriptor's AIO jobs are neither cancelled nor waited for. */
    public int close(int fd) {
        alive();
        if (kqueues.close(fd)) return (int) ret(0);
        int rc = HostIo.close(fd);
        return (int) ret(rc < 0 ? -FreeBsdErrno.fromHost(rc) : 0);
    }

    /** The libc ending of every call: handlers of signals taken during it run, then errno is set. */
    private long ret(long resultOrMinusErrno) {
        signals.returnToUser();
        if (resultOrMinusErrno < 0) {
            FreeBsdErrno.set((int) -resultOrMinusErrno);
            return -1;
        }
        return resultOrMinusErrno;
    }

    // ---- signals -------------------------------------------------------------------------------

    /** sigaction(2) with a handler (flags: SA_RESTART, SA_RESETHAND). 0, or -1/EINVAL. */
    public int sigaction(int signo, FreeBsdSignalHandler handler, int flags) {
        return (int) ret(-signals.setHandler(signo, handler, flags));
    }

    /** signal(signo, SIG_IGN). */
    public int sigignore(int signo) {
        return (int) ret(-signals.setIgnore(signo));
    }

    /** signal(signo, SIG_DFL). */
    public int sigdefault(int signo) {
        return (int) ret(-signals.setDefault(signo));
    }

    /** sigprocmask(SIG_BLOCK / SIG_UNBLOCK, {signo}) (the mask is the process's here, not the thread's). */
    public int sigprocmask(int how, int signo) {
        if (!FreeBsdSignals.validSignal(signo)) return (int) ret(-FreeBsdErrno.EINVAL);
        switch (how) {
            case FreeBsdAioConstants.SIG_BLOCK -> signals.block(signo, true);
            case FreeBsdAioConstants.SIG_UNBLOCK -> signals.block(signo, false);
            default -> { return (int) ret(-FreeBsdErrno.EINVAL); }
        }
        return (int) ret(0);
    }

    /** kill(getpid(), signo): sends the process a signal (si_code SI_USER). 0, or -1/EINVAL for a bad number. */
    public int kill(int signo) {
        if (!FreeBsdSignals.validSignal(signo)) return (int) ret(-FreeBsdErrno.EINVAL);
        signals.post(new FreeBsdSigInfo(signo, FreeBsdAioConstants.SI_USER, 0, 0), null);
        return (int) ret(0);
    }

    /**
     * Sends this process's AIO signals (SIGEV_SIGNAL, SIGEV_THREAD_ID, a broken socket write's
     * SIGPIPE) to {@code target} instead of its emulated signals: the shim gives the host's real
     * signals. Set it before the first AIO call.
     */
    public void deliverSignalsTo(FreeBsdSignalTarget target) {
        signalTarget = target;
    }

    /** Blocked signals waiting for delivery, oldest first. */
    public List<FreeBsdSigInfo> pendingSignals() {
        return signals.pending();
    }

    /** Signals delivered so far (handlers run, or default actions taken). */
    public long signalsDelivered() {
        return signals.delivered();
    }

    /** The first exception a signal handler threw (it did not stop delivery), or null. */
    public Throwable signalHandlerFailure() {
        return signals.handlerFailure();
    }

    /** SIGEV_THREAD callbacks run so far, and dropped (a function pointer that was not code). */
    public long sigevThreadCalls() { return sigevThreads.called(); }
    public long sigevThreadDrops() { return sigevThreads.dropped(); }

    /** thr_self(2): the calling thread's id in this process (what sigev_notify_thread_id names). */
    public int thr_self() {
        return currentLwpid();
    }

    int currentLwpid() {
        Thread t = Thread.currentThread();
        synchronized (lwpidOf) {
            Integer id = lwpidOf.get(t);
            if (id == null) {
                id = system.nextLwpid();
                lwpidOf.put(t, id);
                threadOf.put(id, new WeakReference<>(t));
            }
            return id;
        }
    }

    boolean lwpAlive(int lwpid) {
        WeakReference<Thread> ref = threadOf.get(lwpid);
        Thread t = ref == null ? null : ref.get();
        return t != null && t.isAlive();
    }

    /** The signal's default action ended the process. */
    void terminateBySignal(int signo) {
        killedBy = signo;
        exit();
    }

    /** The signal that killed the process (its default action), or 0. */
    public int killedBySignal() {
        return killedBy;
    }

    // ---- process life --------------------------------------------------------------------------

    /** How exit and exec run the AIO down: FreeBSD's is CANCEL_THEN_DRAIN with no deadline. */
    public void setExitPolicy(ExitPolicy policy, Duration deadlineOrNull) {
        exitPolicy = policy;
        exitDeadline = deadlineOrNull;
    }

    public ExitPolicy exitPolicy() {
        return exitPolicy;
    }

    /** fork(2): the child has no AIO state (none of the parent's jobs), the parent's signal actions and mask, no kqueues. */
    public FreeBsdAioProcess fork() {
        alive();
        return system.forkOf(this);
    }

    /**
     * execve(2): the AIO state is run down as at exit; the process goes on with none, caught
     * signals back to their default action. Returns false if the exit deadline cut the wait short.
     */
    public boolean exec() {
        alive();
        boolean ok = rundown();
        signals.resetHandlersForExec();
        return ok;
    }

    /** _exit(2): the AIO rundown, then the process is gone (its kqueues close, signals stop). */
    public boolean exit() {
        synchronized (stateLock) {
            if (exited) return true;
            exited = true;
        }
        boolean ok = rundown();
        kqueues.closeAll();
        signals.close();
        sigevThreads.close();
        system.forget(this);
        return ok;
    }

    public boolean exited() {
        return exited;
    }

    private boolean rundown() {
        FreeBsdAioState ki;
        synchronized (stateLock) {
            ki = state;
            state = null;
        }
        return ki == null || ki.rundown(exitPolicy, exitDeadline);
    }

    private void alive() {
        if (exited) throw new IllegalStateException("process " + name + " has exited");
    }

    // ---- for the calls ---------------------------------------------------------------------------

    /** The AIO state, made now if the process has none (aio_init_aioinfo). */
    FreeBsdAioState aioState() {
        FreeBsdAioState ki = state;
        if (ki != null) return ki;
        synchronized (stateLock) {
            if (state == null) {
                try {
                    state = new FreeBsdAioState(this, system.core().newProcess(name, exitPolicy));
                } catch (AioException e) {
                    throw new IllegalStateException("a new core process refused a context", e);
                }
            }
            return state;
        }
    }

    /** The AIO state if the process has one (the calls that answer "no AIO state" differently use this). */
    FreeBsdAioState existingAioState() {
        return state;
    }

    /** True once an AIO call made the process's AIO state (and until exit or exec). */
    public boolean hasAioState() {
        return state != null;
    }

    /** Jobs queued and not yet reaped (kaio_count; what max_aio_queue_per_proc limits). */
    public int aioJobCount() {
        FreeBsdAioState ki = state;
        return ki == null ? 0 : ki.count();
    }

    FreeBsdAioQueue queue() { return queue; }
    FreeBsdSignals signals() { return signals; }
    FreeBsdSignalTarget signalTarget() { return signalTarget; }
    FreeBsdSigevThreads sigevThreads() { return sigevThreads; }
    FreeBsdKqueueTable kqueues() { return kqueues; }

    /** The reaping thread pays the job's rusage (FreeBSD charges it to whoever reaps). */
    synchronized void charge(FreeBsdJob job) {
        msgsnd += job.msgsnd;
        msgrcv += job.msgrcv;
    }

    /** getrusage(RUSAGE_SELF): messages sent and received, as AIO on sockets counts them. */
    public synchronized long ru_msgsnd() { return msgsnd; }
    public synchronized long ru_msgrcv() { return msgrcv; }

    @Override
    public String toString() {
        return "FreeBsdAioProcess[" + name + " pid=" + pid + (exited ? " exited" : "") + "]";
    }
}

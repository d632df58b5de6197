package org.aioemu.freebsd;

import static org.aioemu.freebsd.FreeBsdAioConstants.EVFILT_AIO;
import static org.aioemu.freebsd.FreeBsdAioConstants.EV_CLEAR;
import static org.aioemu.freebsd.FreeBsdAioConstants.EV_DISPATCH;
import static org.aioemu.freebsd.FreeBsdAioConstants.EV_ONESHOT;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_DSYNC;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_MLOCK;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_NOP;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_READ;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_READV;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_SYNC;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_VECTORED;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_WRITE;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_WRITEV;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_KEVENT;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_NONE;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_SIGNAL;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_THREAD;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_THREAD_ID;
import static org.aioemu.freebsd.FreeBsdAioConstants.UIO_MAXIOV;

import java.lang.foreign.MemorySegment;

import org.aioemu.core.AioException;
import org.aioemu.core.Request;
import org.aioemu.core.host.FdInfo;
import org.aioemu.core.host.ForeignMemory;
import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.aioemu.core.host.IoVec;

/**
 * aio_aqueue(): validates and queues one job, every check in vfs_aio.c's order (which decides
 * the errno when several things are wrong): the program's private fields reset (status -1,
 * error 0, kernelinfo -1); EAGAIN at the queue limits (counting finished, unreaped jobs);
 * the aiocb copied in (EFAULT), vectored iovecs copied in (EINVAL over UIO_MAXIOV or IOSIZE_MAX,
 * EFAULT); aio_nbytes over IOSIZE_MAX (EINVAL, for every opcode); the sigevent (EINVAL); a
 * lio_listio opcode (EINVAL); the descriptor and its access mode (EBADF); fsync without a vnode
 * and a negative offset off a VCHR device (EINVAL); the job id stored; a LIO_NOP ends here; the
 * kevent flags (EINVAL) and the kqueue (EBADF); error EINPROGRESS stored; then the backend:
 * listening sockets (EINVAL), unsafe file types (EOPNOTSUPP unless vfs.aio.enable_unsafe). A
 * failure stores status -1 and the errno in the program's aiocb, where aio_error finds it.
 */
final class FreeBsdAioQueue {
    /** x86_64's TASK_SIZE_MAX: Linux refuses a buffer reaching past it before transferring anything. */
    private static final long TASK_SIZE = ForeignMemory.USER_SPACE_END - 4096;

    private final FreeBsdAioProcess proc;

    FreeBsdAioQueue(FreeBsdAioProcess proc) {
        this.proc = proc;
    }

    /**
     * Queues the aiocb at {@code ujob}: {@code type} is the opcode the call implies (LIO_READ for
     * aio_read, LIO_SYNC for aio_fsync(O_SYNC), ...) or LIO_NOP for a lio_listio entry, whose own
     * aio_lio_opcode then counts. {@code viaLibrt}: the call is one librt wraps, which turns
     * SIGEV_THREAD into a notification of its service thread. Returns 0 or a FreeBSD errno.
     */
    int aqueue(long ujob, FreeBsdLioJob lio, int type, boolean viaLibrt) {
        FreeBsdAioState ki = proc.aioState();
        FreeBsdSysctl sysctl = proc.system().sysctl();
        FreeBsdUserMemory.storePrivate(ujob, -1, 0, -1);

        if (proc.system().core().limits().queuedSystem() >= sysctl.maxAioQueue() || ki.count() >= sysctl.maxAioQueuePerProc()) {
            return fail(ujob, FreeBsdErrno.EAGAIN);
        }
        MemorySegment copy = FreeBsdUserMemory.copyin(ujob, FreeBsdAiocb.SIZE);
        if (copy == null) return fail(ujob, FreeBsdErrno.EFAULT);
        FreeBsdAiocb.Value cb = FreeBsdAiocb.read(copy);

        MemorySegment iov = null;
        int iovcnt = 0;
        int vtype = type == LIO_NOP ? cb.opcode() : type;
        if ((vtype & LIO_VECTORED) != 0) {
            long cnt = cb.iovcnt() & 0xffff_ffffL;   // copyinuio() takes a u_int
            if (cnt > UIO_MAXIOV) return fail(ujob, FreeBsdErrno.EINVAL);
            iovcnt = (int) cnt;
            iov = FreeBsdUserMemory.copyinKept(cb.iov(), iovcnt * IoVec.LAYOUT.byteSize());
            if (iov == null) return fail(ujob, FreeBsdErrno.EFAULT);
            long resid = 0;
            for (int i = 0; i < iovcnt; i++) {
                long len = IoVec.len(iov, i);
                if (Long.compareUnsigned(len, sysctl.iosizeMax() - resid) > 0) return fail(ujob, FreeBsdErrno.EINVAL);
                resid += len;
            }
        }
        if (Long.compareUnsigned(cb.nbytes(), sysctl.iosizeMax()) > 0) return fail(ujob, FreeBsdErrno.EINVAL);

        FreeBsdSigevent.Value sev = cb.sigevent();
        int notify = sev.sigevNotify();
        boolean threadViaLibrt = notify == SIGEV_THREAD && viaLibrt;
        if (notify != SIGEV_KEVENT && notify != SIGEV_SIGNAL && notify != SIGEV_THREAD_ID && notify != SIGEV_NONE
                && !threadViaLibrt) {
            return fail(ujob, FreeBsdErrno.EINVAL);
        }
        if ((notify == SIGEV_SIGNAL || notify == SIGEV_THREAD_ID) && !proc.signalTarget().valid(sev.signo())) {
            return fail(ujob, FreeBsdErrno.EINVAL);
        }

        int opcode;
        if (type == LIO_NOP) {
            opcode = cb.opcode();
            if (opcode != LIO_WRITE && opcode != LIO_WRITEV && opcode != LIO_NOP && opcode != LIO_READ && opcode != LIO_READV) {
                return fail(ujob, FreeBsdErrno.EINVAL);
            }
        } else {
            opcode = type;
        }

        int fd = cb.fildes();
        FdInfo info = null;
        if (opcode != LIO_MLOCK) {
            info = FdInfo.probeOrNull(fd, new int[1]);
            if (info == null) return fail(ujob, FreeBsdErrno.EBADF);
            boolean path = (info.statusFlags() & HostConstants.O_PATH) != 0;
            if (path) return fail(ujob, FreeBsdErrno.EBADF);
            if ((opcode & LIO_WRITE) != 0 && (opcode & LIO_SYNC) == 0 && !info.writable()) return fail(ujob, FreeBsdErrno.EBADF);
            if ((opcode & LIO_READ) != 0 && !info.readable()) return fail(ujob, FreeBsdErrno.EBADF);
        }
        FreeBsdFileType ftype = info == null ? FreeBsdFileType.OTHER : FreeBsdFileType.of(info);
        if ((opcode & LIO_SYNC) != 0 && !ftype.hasVnode()) return fail(ujob, FreeBsdErrno.EINVAL);
        boolean rw = opcode == LIO_READ || opcode == LIO_READV || opcode == LIO_WRITE || opcode == LIO_WRITEV;
        if (rw && cb.offset() < 0 && !ftype.isVchr()) return fail(ujob, FreeBsdErrno.EINVAL);

        long jobref = proc.system().nextJobRef();
        if (!FreeBsdUserMemory.suword(ujob + FreeBsdAiocb.KERNELINFO_OFFSET, jobref)) return fail(ujob, FreeBsdErrno.EINVAL);
        if (opcode == LIO_NOP) return 0;

        FreeBsdJob job = new FreeBsdJob(ki, ujob, cb, opcode, lio, ftype, info);
        if (notify == SIGEV_KEVENT) {
            int evflags = sev.keventFlags();
            if ((evflags & ~(EV_CLEAR | EV_DISPATCH | EV_ONESHOT)) != 0) return fail(ujob, FreeBsdErrno.EINVAL);
            FreeBsdKqueue kq = proc.kqueues().lookup(sev.kqueue());
            if (kq == null) return fail(ujob, FreeBsdErrno.EBADF);
            job.knote = kq.attach(ujob, EVFILT_AIO, evflags, sev.value(), job);
        }
        FreeBsdUserMemory.suword(ujob + FreeBsdAiocb.ERROR_OFFSET, FreeBsdErrno.EINPROGRESS);

        int error = backendCheck(ftype, fd, opcode, sysctl);
        if (error != 0) return failQueued(job, error);
        job.request = request(job, info, iov, iovcnt).withAttachment(job);
        if (info != null) job.request.withFdInfo(info);
        try {
            ki.context.submit(job.request);
        } catch (AioException e) {
            return failQueued(job, FreeBsdErrno.of(e.error()));
        }
        ki.queued(job);
        return 0;
    }

    /** fo_aio_queue for sockets, aio_queue_file for the rest: where a job can still be refused. */
    private static int backendCheck(FreeBsdFileType ftype, int fd, int opcode, FreeBsdSysctl sysctl) {
        if (opcode == LIO_MLOCK) return 0;
        if (ftype == FreeBsdFileType.SOCKET) {
            return HostIo.getsockoptInt(fd, HostConstants.SOL_SOCKET, HostConstants.SO_ACCEPTCONN) > 0 ? FreeBsdErrno.EINVAL : 0;
        }
        if (!ftype.safe() && !sysctl.unsafeEnabled()) {
            sysctl.countUnsafeWarning();
            return FreeBsdErrno.EOPNOTSUPP;
        }
        return 0;
    }

    /** The core request that does the job's work. */
    private Request request(FreeBsdJob job, FdInfo info, MemorySegment iov, int iovcnt) {
        int op = job.opcode;
        if (op == LIO_MLOCK) {
            job.mlockResult = HostIo.mlock(job.cb.buf(), job.cb.nbytes());
            return Request.noop();
        }
        int fd = job.cb.fildes();
        if (op == LIO_SYNC) return Request.fsync(fd).withOptions(Request.Option.ORDERED_SYNC);
        if (op == LIO_DSYNC) return Request.fdatasync(fd).withOptions(Request.Option.ORDERED_SYNC);
        long off = job.type.positional() ? job.cb.offset() : Request.NO_OFFSET;
        boolean write = (op & LIO_WRITE) != 0;
        Request r;
        if ((op & LIO_VECTORED) != 0) {
            for (int i = 0; i < iovcnt; i++) IoVec.set(iov, i, IoVec.base(iov, i), reachable(IoVec.base(iov, i), IoVec.len(iov, i)));
            r = write ? Request.writev(fd, iov, iovcnt, off) : Request.readv(fd, iov, iovcnt, off);
        } else {
            MemorySegment buf = userBuffer(job.cb.buf(), job.cb.nbytes());
            r = write ? Request.write(fd, buf, off) : Request.read(fd, buf, off);
        }
        boolean blocking = !info.nonBlocking();
        switch (job.type) {
            // soaio: a write on a blocking socket completes only when all of it is sent; reads take what is there
            case SOCKET -> { if (write && blocking) r.withOptions(Request.Option.WRITE_ALL); }
            // an aiod's fo_read/fo_write: a blocking pipe write writes everything; a non-blocking fd tries once
            case PIPE, FIFO, OTHER -> {
                if (!blocking) r.withRwFlags(HostConstants.RWF_NOWAIT);
                else if (write) r.withOptions(Request.Option.WRITE_ALL);
            }
            default -> { }
        }
        return r;
    }

    /** The program's buffer as a segment the host calls may use. */
    @SuppressWarnings("restricted")
    private static MemorySegment userBuffer(long addr, long len) {
        return MemorySegment.ofAddress(addr).reinterpret(reachable(addr, len));
    }

    /**
     * FreeBSD transfers until it meets a bad page; Linux refuses a whole buffer that reaches past
     * user space. Trimming the length to the end of user space keeps FreeBSD's answer for a
     * transfer that stops before (a read at end of file with an oversized aio_nbytes returns 0).
     */
    private static long reachable(long addr, long len) {
        if (addr >= 0 && addr < TASK_SIZE && Long.compareUnsigned(len, TASK_SIZE - addr) > 0) return TASK_SIZE - addr;
        return len;
    }

    /** A failure before the job exists anywhere: status -1 and the errno in the program's aiocb. */
    private static int fail(long ujob, int error) {
        FreeBsdUserMemory.suword(ujob + FreeBsdAiocb.ERROR_OFFSET, error);
        return error;
    }

    /** A failure after the kevent registration (err4/err3): the knote goes too. */
    private static int failQueued(FreeBsdJob job, int error) {
        if (job.knote != null) job.knote.kq.drop(job.knote);
        return fail(job.ujob, error);
    }
}

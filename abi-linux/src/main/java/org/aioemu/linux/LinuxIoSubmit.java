package org.aioemu.linux;

import static org.aioemu.linux.LinuxAioConstants.*;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import org.aioemu.core.AioError;
import org.aioemu.core.AioException;
import org.aioemu.core.CompletionPath;
import org.aioemu.core.Request;
import org.aioemu.core.host.FdInfo;
import org.aioemu.core.host.FdKind;
import org.aioemu.core.host.ForeignMemory;
import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.aioemu.core.host.IoVec;

/**
 * One iocb of io_submit, checked in the kernel's order (io_submit_one, __io_submit_one,
 * aio_prep_rw, aio_read/aio_write, aio_fsync, aio_poll; LNX-27..56) and turned into a core
 * request. Every check that the kernel makes at submit gives the kernel's errno here; errors the
 * kernel reports in the event (a NULL buffer, I/O errors) come back from the host call itself.
 */
final class LinuxIoSubmit {
    private LinuxIoSubmit() {}

    /**
     * One io_submit call. A signal that ended a wait of one of its iocbs with EINTR stays pending in
     * Linux until the call returns, so every later iocb of the call that would wait ends with -EINTR
     * at once (probed: two empty-pipe reads in one call, one tgkill, both events -EINTR, io_submit
     * returns 2; SA_RESTART or not). Here the handler has run by then, so the pending signal is
     * remembered instead.
     */
    static final class Call {
        private boolean signalled;
    }

    /** Submits the iocb at {@code obj}; 0 or a negative Linux errno. */
    static long submitOne(LinuxAioContext ctx, LinuxSubmitMode mode, long obj, Call call) {
        MemorySegment iocb = Scratch.get().iocb;
        if (ForeignMemory.copyIn(obj, iocb, Iocb.SIZE) < 0) return -LinuxErrno.EFAULT;
        if (Iocb.aio_reserved2(iocb) != 0) return -LinuxErrno.EINVAL;
        if (Iocb.aio_nbytes(iocb) < 0) return -LinuxErrno.EINVAL;        // > SSIZE_MAX
        if (ctx.core.inUse() >= ctx.capacity) {
            ctx.releaseUserReaped();                                     // user_refill_reqs_available
            if (ctx.core.inUse() >= ctx.capacity) return -LinuxErrno.EAGAIN;
        }
        int[] errno = new int[1];
        FdInfo info = FdInfo.probeOrNull(Iocb.aio_fildes(iocb), errno);
        if (info == null || (info.statusFlags() & HostConstants.O_PATH) != 0) return -LinuxErrno.EBADF;
        int resfd = -1;
        if ((Iocb.aio_flags(iocb) & IOCB_FLAG_RESFD) != 0) {
            int fd = Iocb.aio_resfd(iocb);
            FdInfo ev = FdInfo.probeOrNull(fd, errno);
            if (ev == null) return -LinuxErrno.EBADF;
            if (!isEventfd(fd)) return -LinuxErrno.EINVAL;
            resfd = HostIo.dup(fd);                                      // eventfd_ctx_fdget: a reference of our own (LNX-76)
            if (resfd < 0) return resfd;
        }
        long rc = submitChecked(ctx, mode, obj, iocb, info, resfd, call);
        if (rc < 0 && resfd >= 0) HostIo.close(resfd);
        return rc;
    }

    private static long submitChecked(LinuxAioContext ctx, LinuxSubmitMode mode, long obj, MemorySegment iocb, FdInfo info,
                                      int resfd, Call call) {
        if (ForeignMemory.copyOut(Scratch.ZERO_KEY, obj + Iocb.AIO_KEY_OFFSET, 4) < 0) return -LinuxErrno.EFAULT;   // KIOCB_KEY (LNX-31)
        Object req = switch (Iocb.aio_lio_opcode(iocb)) {
            case IOCB_CMD_PREAD, IOCB_CMD_PWRITE, IOCB_CMD_PREADV, IOCB_CMD_PWRITEV -> readWrite(iocb, info, mode, call.signalled);
            case IOCB_CMD_FSYNC, IOCB_CMD_FDSYNC -> sync(iocb, info);
            case IOCB_CMD_POLL -> poll(iocb, info);
            default -> (long) -LinuxErrno.EINVAL;                        // NOOP, the old PREADX, anything else (LNX-28)
        };
        if (req instanceof Long err) return err;
        Long answer = null;
        if (req instanceof InEvent e) {
            answer = e.res();
            req = Request.noop();
        }
        Request r = (Request) req;
        // a wait it would start ends at once: its one non-blocking try's EAGAIN is EINTR (see Call)
        boolean interrupted = call.signalled && r.has(Request.Option.RUN_ON_CALLER) && !info.nonBlocking()
                && (r.rwFlags() & ~Iocb.aio_rw_flags(iocb) & RWF_NOWAIT) != 0;
        r.withFdInfo(info)
                .withCookie(obj)
                .withAttachment(new LinuxAioContext.Ticket(Iocb.aio_data(iocb), obj, resfd, answer, interrupted));
        boolean isPoll = r.op() == Request.Op.POLL;
        if (isPoll) ctx.pollSubmitted(r, obj);
        try {
            ctx.core.submit(r);
            if (r.path() == CompletionPath.CALLER && r.error() == AioError.EINTR) call.signalled = true;
            return 0;
        } catch (AioException e) {
            if (isPoll) ctx.pollGone(r, obj);
            return -LinuxErrno.of(e.error());
        }
    }

    /** A request accepted at submit whose event result the kernel's read_iter gives without any I/O. */
    private record InEvent(long res) {}

    /** aio_prep_rw, then aio_read/aio_write: a Request, an InEvent, or a Long holding -errno. */
    private static Object readWrite(MemorySegment iocb, FdInfo info, LinuxSubmitMode mode, boolean signalPending) {
        int op = Iocb.aio_lio_opcode(iocb);
        boolean write = op == IOCB_CMD_PWRITE || op == IOCB_CMD_PWRITEV;
        boolean vectored = op == IOCB_CMD_PREADV || op == IOCB_CMD_PWRITEV;
        if ((Iocb.aio_flags(iocb) & IOCB_FLAG_IOPRIO) != 0) {
            long rc = ioprioCheck(Iocb.aio_reqprio(iocb));
            if (rc < 0) return rc;
        }
        int rwFlags = Iocb.aio_rw_flags(iocb);
        // kiocb_set_rw_flags, before the fd's mode is looked at (so a directory or a wrong-way pipe end gets EOPNOTSUPP, not EBADF)
        if ((rwFlags & ~RWF_SUPPORTED) != 0) return (long) -LinuxErrno.EOPNOTSUPP;
        if ((rwFlags & RWF_APPEND) != 0 && (rwFlags & RWF_NOAPPEND) != 0) return (long) -LinuxErrno.EINVAL;
        if ((rwFlags & RWF_NOWAIT) != 0 && !LinuxFileModes.nowait(info, info.kind() == FdKind.OTHER && isEventfd(info.fd()))) {
            return (long) -LinuxErrno.EOPNOTSUPP;
        }
        if ((rwFlags & RWF_ATOMIC) != 0 && !(write && info.direct())) return (long) -LinuxErrno.EOPNOTSUPP;
        if ((rwFlags & RWF_DONTCACHE) != 0 && !LinuxFileModes.dontcache(info)) return (long) -LinuxErrno.EOPNOTSUPP;
        if (write ? !info.writable() : !info.readable()) return (long) -LinuxErrno.EBADF;
        if (info.kind() == FdKind.DIRECTORY) return (long) -LinuxErrno.EINVAL;                       // no read_iter/write_iter
        if (info.kind() == FdKind.OTHER && !hasIter(info.fd(), write)) return (long) -LinuxErrno.EINVAL;
        long buf = Iocb.aio_buf(iocb);
        long nbytes = Iocb.aio_nbytes(iocb);
        MemorySegment data;
        int iovcnt = 0;
        long count;                                                      // iov_iter_count: what rw_verify_area sees
        if (vectored) {
            long nrSegs = nbytes & 0xffff_ffffL;                       // __import_iovec takes an unsigned int (LNX-49)
            if (nrSegs > UIO_MAXIOV) return (long) -LinuxErrno.EINVAL;
            iovcnt = (int) nrSegs;
            data = Arena.ofAuto().allocate(IoVec.LAYOUT, Math.max(1, iovcnt)).asSlice(0, iovcnt * IoVec.LAYOUT.byteSize());
            if (ForeignMemory.copyIn(buf, data, data.byteSize()) < 0) return (long) -LinuxErrno.EFAULT;
            for (int i = 0; i < iovcnt; i++) {
                if (IoVec.len(data, i) < 0) return (long) -LinuxErrno.EINVAL;   // iovec_from_user, before any access_ok
            }
            count = 0;
            for (int i = 0; i < iovcnt; i++) {
                long len = IoVec.len(data, i);
                if (iovcnt == 1) len = Math.min(len, MAX_RW_COUNT);       // one segment goes the import_ubuf way
                if (!accessOk(IoVec.base(data, i), len)) return (long) -LinuxErrno.EFAULT;
                count += Math.min(len, MAX_RW_COUNT - count);             // the total is cut at MAX_RW_COUNT
            }
        } else {
            count = Math.min(nbytes, MAX_RW_COUNT);                        // import_ubuf caps, then access_ok (LNX-35)
            if (!accessOk(buf, count)) return (long) -LinuxErrno.EFAULT;
            data = MemorySegment.ofAddress(buf).reinterpret(count);
        }
        long offset = Iocb.aio_offset(iocb);
        // rw_verify_area, on every file, pipes included: a negative offset, or one the count would
        // carry past LLONG_MAX, is EINVAL at submit (probed: a pipe read at LLONG_MAX-63 of 4 bytes
        // runs, of 100 bytes is EINVAL; LNX-34).
        if (offset < 0 || offset + count < 0) return (long) -LinuxErrno.EINVAL;
        // eventfd_read refuses a buffer smaller than the counter; the host's read(2) and readv(2)
        // skip read_iter for zero bytes (and would answer 0), aio_read calls it whatever the count
        if (!write && info.kind() == FdKind.OTHER && count < Long.BYTES) return new InEvent(-LinuxErrno.EINVAL);
        // likewise a zero-byte RWF_NOWAIT write reaches the filesystem, which may refuse NOWAIT first
        if (write && count == 0 && (rwFlags & RWF_NOWAIT) != 0 && LinuxFileModes.refusesBufferedNowaitWrite(info)) {
            return new InEvent(-LinuxErrno.EOPNOTSUPP);
        }
        boolean stream = info.kind() == FdKind.PIPE || info.kind() == FdKind.SOCKET || info.kind() == FdKind.OTHER;
        // Pipes and other streams ignore the offset (LNX-34), but sock_read_iter/sock_write_iter
        // refuse any ki_pos but 0: passed on, the host answers ESPIPE, which lands in the event.
        long off = info.kind() == FdKind.SOCKET && offset != 0 ? offset : stream ? Request.NO_OFFSET : offset;
        Request r = vectored
                ? (write ? Request.writev(info.fd(), data, iovcnt, off) : Request.readv(info.fd(), data, iovcnt, off))
                : (write ? Request.write(info.fd(), data, off) : Request.read(info.fd(), data, off));
        // A stream the program made non-blocking answers -EAGAIN in the event rather than waiting
        // (LNX-47); in an io_submit a signal interrupted, a blocking one gets one try too (see Call).
        boolean oneTry = info.nonBlocking() || (signalPending && mode == LinuxSubmitMode.LINUX);
        r.withRwFlags(stream && oneTry ? rwFlags | RWF_NOWAIT : rwFlags);
        if (mode == LinuxSubmitMode.LINUX) r.withOptions(Request.Option.RUN_ON_CALLER);   // O_DIRECT never runs on the caller
        // O_DIRECT: the kernel queues the bio inside io_submit, and io_cancel cannot reach it (LNX-71)
        if (info.direct()) r.withOptions(Request.Option.BLOCK_LAYER);
        return r;
    }

    /** aio_fsync: no buffer, offset, length or flags, and a file with ->fsync (LNX-51). */
    private static Object sync(MemorySegment iocb, FdInfo info) {
        if (Iocb.aio_buf(iocb) != 0 || Iocb.aio_offset(iocb) != 0 || Iocb.aio_nbytes(iocb) != 0 || Iocb.aio_rw_flags(iocb) != 0) {
            return (long) -LinuxErrno.EINVAL;
        }
        switch (info.kind()) {
            case REGULAR, DIRECTORY, BLOCK_DEVICE -> { }
            default -> { return (long) -LinuxErrno.EINVAL; }                 // pipes, sockets, eventfds, /dev/null
        }
        return Iocb.aio_lio_opcode(iocb) == IOCB_CMD_FSYNC ? Request.fsync(info.fd()) : Request.fdatasync(info.fd());
    }

    /** aio_poll: a 16-bit mask, nothing else set (LNX-53); files without ->poll answer DEFAULT_POLLMASK (LNX-56). */
    private static Object poll(MemorySegment iocb, FdInfo info) {
        long buf = Iocb.aio_buf(iocb);
        if ((buf & ~0xffffL) != 0) return (long) -LinuxErrno.EINVAL;
        if (Iocb.aio_offset(iocb) != 0 || Iocb.aio_nbytes(iocb) != 0 || Iocb.aio_rw_flags(iocb) != 0) return (long) -LinuxErrno.EINVAL;
        int events = (int) buf;
        boolean noPollMethod = info.kind() == FdKind.REGULAR || info.kind() == FdKind.DIRECTORY || info.kind() == FdKind.BLOCK_DEVICE;
        if (noPollMethod && (DEFAULT_POLLMASK & (events | HostConstants.POLLERR | HostConstants.POLLHUP)) == 0) {
            return (long) -LinuxErrno.EINVAL;
        }
        return Request.poll(info.fd(), events);
    }

    /**
     * x86_64 access_ok: the range must end at or below TASK_SIZE_MAX, whatever its length, so a
     * kernel address is refused even for zero bytes (probed on 6.18: (0x7ffffffff000, 0) passes,
     * (0x7ffffffff000, 1) and (0x7fffffffffff, 0) are EFAULT).
     */
    private static boolean accessOk(long addr, long len) {
        long end = addr + len;
        return addr >= 0 && len >= 0 && end >= addr && end <= TASK_SIZE_MAX;
    }

    /** ioprio_check_cap: class NONE with a level, or classes past IDLE, are EINVAL; RT needs privilege (we run privileged). */
    private static long ioprioCheck(short reqprio) {
        int prio = reqprio;
        int cls = (prio >> IOPRIO_CLASS_SHIFT) & 7;
        int level = prio & 7;
        if (cls > IOPRIO_CLASS_MAX) return -LinuxErrno.EINVAL;
        if (cls == 0 && level != 0) return -LinuxErrno.EINVAL;
        return 0;
    }

    /** IOCB_FLAG_RESFD takes an eventfd only (LNX-74): its /proc link names it. */
    private static boolean isEventfd(int fd) {
        return "anon_inode:[eventfd]".equals(link(fd));
    }

    /**
     * Whether an anonymous-inode file has the read_iter/write_iter that aio_read/aio_write need:
     * an eventfd reads through read_iter but writes only through plain write (so PWRITE is
     * EINVAL at submit); epoll, timerfd, signalfd and the like have neither.
     */
    private static boolean hasIter(int fd, boolean write) {
        return !write && isEventfd(fd);
    }

    private static String link(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }
}

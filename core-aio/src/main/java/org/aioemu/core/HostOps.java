package org.aioemu.core;

import static org.aioemu.core.host.HostConstants.MSG_DONTWAIT;
import static org.aioemu.core.host.HostConstants.MSG_NOSIGNAL;
import static org.aioemu.core.host.HostConstants.RWF_NOWAIT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.aioemu.core.host.FdKind;
import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostErrno;
import org.aioemu.core.host.HostIo;
import org.aioemu.core.host.IoVec;

/**
 * Runs one request's operation on the host, either as one non-blocking attempt (the fast path and
 * every continuation retry) or to its end (caller and workers). Results follow {@link HostIo}:
 * a count, or a negative host errno. Progress already made ({@link Request#progress}) is skipped,
 * so a request can be continued where a partial attempt left it.
 */
final class HostOps {
    private HostOps() {}

    static final int EAGAIN = HostErrno.number("EAGAIN");
    static final int EINTR = HostErrno.number("EINTR");
    static final int EOPNOTSUPP = HostErrno.number("EOPNOTSUPP");
    private static final int ENXIO = HostErrno.number("ENXIO");
    private static final int EPIPE = HostErrno.number("EPIPE");

    private static final int SCRATCH_IOVECS = 1024 + 1;   // IOV_MAX, plus one for single buffers
    private static final ThreadLocal<MemorySegment> SCRATCH =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(IoVec.LAYOUT, SCRATCH_IOVECS));

    /** One attempt that never blocks; -EAGAIN means it would have. */
    static long attempt(Request r, int fd, FdKind kind) {
        if (kind == FdKind.SOCKET && !r.op.isVectored() && r.offset == Request.NO_OFFSET) {
            MemorySegment buf = remaining(r);
            return r.op.isRead()
                    ? HostIo.recv(fd, buf, buf.byteSize(), MSG_DONTWAIT)
                    : HostIo.send(fd, buf, buf.byteSize(), MSG_DONTWAIT | MSG_NOSIGNAL);
        }
        // preadv2/pwritev2 with RWF_NOWAIT: page-cache-only for files, MSG_DONTWAIT for sockets and
        // pipes. Our dup shares the file description with the program's fd, so O_NONBLOCK is not ours
        // to set. A position on a stream gives the kernel's ESPIPE.
        long n = rw2(r, fd, position(r), r.rwFlags | RWF_NOWAIT);
        if (n == -EOPNOTSUPP && kind == FdKind.PIPE) n = attemptOnOwnDescription(r, fd);
        return n;
    }

    /**
     * Named FIFOs refuse RWF_NOWAIT (EOPNOTSUPP; only pipe(2) pipes take it), so the one
     * non-blocking try goes through a file description of our own, opened O_NONBLOCK on the same
     * FIFO through /proc/self/fd with the program's access mode, for this attempt only. Opening
     * a write side with no reader left fails with ENXIO; a write there is EPIPE.
     */
    private static long attemptOnOwnDescription(Request r, int fd) {
        int mode = r.fdInfo.statusFlags() & HostConstants.O_ACCMODE;
        int own = HostIo.open("/proc/self/fd/" + fd, mode | HostConstants.O_NONBLOCK | HostConstants.O_CLOEXEC, 0);
        if (own < 0) return own == -ENXIO ? -EPIPE : own;
        try {
            MemorySegment iov = remainingIovecs(r);
            int cnt = (int) (iov.byteSize() / IoVec.LAYOUT.byteSize());
            return r.op.isRead() ? HostIo.readv(own, iov, cnt) : HostIo.writev(own, iov, cnt);
        } finally {
            HostIo.close(own);
        }
    }

    /**
     * Runs a read or write on a stream (pipe, socket, eventfd) to its end on the submitting thread,
     * as the Linux kernel does inside io_submit: a read returns what is there once something is, a
     * write returns once all is written. The waits are in poll(2), which a signal handler always
     * ends with EINTR, SA_RESTART or not (signal(7)), as a signal always ends the kernel's own wait
     * there (aio reports its ERESTARTSYS as -EINTR). EINTR is then the result, after any bytes moved.
     */
    static long runOnCaller(Request r, int fd, FdKind kind) {
        for (;;) {
            long n = attempt(r, fd, kind);
            if (n > 0 && r.op.isWrite() && r.progress + n < r.length()) {
                r.progress += n;               // the rest waits for room
                continue;
            }
            if (n != -EAGAIN) return n;
            int rc = HostIo.pollOne(fd, (short) (r.op.isRead() ? HostConstants.POLLIN : HostConstants.POLLOUT), -1);
            if (rc < 0) return rc;             // -EINTR: a signal handler ran on this thread
        }
    }

    /** Runs the operation to its end, blocking if it must; {@code retryEintr} for threads a signal is not meant for. */
    static long run(Request r, int fd, FdKind kind, boolean retryEintr) {
        for (;;) {
            long n = runOnce(r, fd, kind);
            if (n == -EINTR && retryEintr) continue;
            if (n > 0 && r.has(Request.Option.WRITE_ALL) && r.op.isWrite() && RequestLifecycle.readinessDriven(kind)) {
                r.progress += n;
                if (r.progress < r.length()) continue;
                long all = r.progress;
                r.progress = 0;
                return all;
            }
            return n;
        }
    }

    private static long runOnce(Request r, int fd, FdKind kind) {
        switch (r.op) {
            case FSYNC: return HostIo.fsync(fd);
            case FDATASYNC: return HostIo.fdatasync(fd);
            default: break;
        }
        long off = position(r);
        if (r.rwFlags != 0) return rw2(r, fd, off, r.rwFlags & ~RWF_NOWAIT);
        if (r.op.isVectored()) {
            MemorySegment iov = remainingIovecs(r);
            int cnt = (int) (iov.byteSize() / IoVec.LAYOUT.byteSize());
            if (off == Request.NO_OFFSET) return r.op.isRead() ? HostIo.readv(fd, iov, cnt) : HostIo.writev(fd, iov, cnt);
            return r.op.isRead() ? HostIo.preadv(fd, iov, cnt, off) : HostIo.pwritev(fd, iov, cnt, off);
        }
        MemorySegment buf = remaining(r);
        if (off == Request.NO_OFFSET && kind == FdKind.SOCKET && r.op.isWrite()) {
            return HostIo.send(fd, buf, buf.byteSize(), MSG_NOSIGNAL);   // EPIPE without SIGPIPE
        }
        if (off == Request.NO_OFFSET) return r.op.isRead() ? HostIo.read(fd, buf, buf.byteSize()) : HostIo.write(fd, buf, buf.byteSize());
        return r.op.isRead() ? HostIo.pread(fd, buf, buf.byteSize(), off) : HostIo.pwrite(fd, buf, buf.byteSize(), off);
    }

    private static long rw2(Request r, int fd, long off, int flags) {
        MemorySegment iov = remainingIovecs(r);
        int cnt = (int) (iov.byteSize() / IoVec.LAYOUT.byteSize());
        return r.op.isRead() ? HostIo.preadv2(fd, iov, cnt, off, flags) : HostIo.pwritev2(fd, iov, cnt, off, flags);
    }

    private static long position(Request r) {
        return r.offset == Request.NO_OFFSET ? Request.NO_OFFSET : r.offset + r.progress;
    }

    private static MemorySegment remaining(Request r) {
        return r.progress == 0 ? r.buffer : r.buffer.asSlice(r.progress);
    }

    /** The request's data as an iovec array, past any progress; single buffers use a per-thread scratch. */
    private static MemorySegment remainingIovecs(Request r) {
        MemorySegment scratch = SCRATCH.get();
        if (!r.op.isVectored()) {
            MemorySegment buf = remaining(r);
            IoVec.set(scratch, 0, buf.address(), buf.byteSize());
            return scratch.asSlice(0, IoVec.LAYOUT.byteSize());
        }
        long iovSize = IoVec.LAYOUT.byteSize();
        if (r.progress == 0) return r.buffer.asSlice(0, r.iovcnt * iovSize);
        long skip = r.progress;
        int out = 0;
        for (int i = 0; i < r.iovcnt; i++) {
            long base = IoVec.base(r.buffer, i), len = IoVec.len(r.buffer, i);
            if (skip >= len) { skip -= len; continue; }
            IoVec.set(scratch, out++, base + skip, len - skip);
            skip = 0;
        }
        return scratch.asSlice(0, out * iovSize);
    }

    static boolean wouldBlock(long n) {
        return n == -EAGAIN;
    }
}

package org.aioemu.cli.replay;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.aioemu.core.host.FdInfo;
import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;

/**
 * Replays the calls around the AIO ones on the host: opens (under the replay root), closes, dups,
 * pipes, socketpairs, eventfds, truncation, unlink, and the data moved outside AIO (read/write,
 * pread64/pwrite64), which is written with the replay's pattern and checked when read back.
 * Eventfd counters are written and compared as the trace shows them. A read or write on a
 * stream that the trace shows completing waits for readiness up to the wait limit, never forever.
 */
final class FdReplay {
    private static final int AT_REMOVEDIR = 0x200;
    private static final int FALLOC_FL_PUNCH_HOLE = 0x2, FALLOC_FL_ZERO_RANGE = 0x10, FALLOC_FL_COLLAPSE_RANGE = 0x8,
            FALLOC_FL_INSERT_RANGE = 0x20;
    private static final long EBADF = -LinuxNames.errnoNumber("EBADF");

    private final ReplayWorld world;
    private final FdTable fds;
    private final BufferPool pool;
    private final ReplayReport report;
    private final int waitLimitMillis;
    private final AtomicLong epoch;

    FdReplay(ReplayWorld world, FdTable fds, BufferPool pool, ReplayReport report, long waitLimitNanos, AtomicLong epoch) {
        this.world = world;
        this.fds = fds;
        this.pool = pool;
        this.report = report;
        this.waitLimitMillis = (int) Math.min(Integer.MAX_VALUE, waitLimitNanos / 1_000_000);
        this.epoch = epoch;
    }

    long open(TraceCall c, CallArgs.Open o) {
        String path = TracePaths.resolve(base(o.dirfd()), o.path());
        Path host = world.host(path);
        boolean existed = Files.exists(host);
        int r = HostIo.open(host.toString(), o.flags(), Math.max(o.mode(), 0));
        if (r < 0) return r;
        if (!c.outcome().succeeded()) {
            HostIo.close(r);
            return r;
        }
        if (!existed) world.forget(path); // created by this open: a new, empty file
        OpenFd f = fds.opened(c.outcome().value().intValue(), r, path);
        if (f.file() != null && (o.flags() & HostConstants.O_TRUNC) != 0) f.file().truncate(0, epoch.incrementAndGet());
        return r;
    }

    private String base(FdRef dirfd) {
        if (dirfd == null || dirfd.isCwd()) return dirfd != null && dirfd.path() != null ? dirfd.path() : "/";
        OpenFd f = fds.get(dirfd.fd());
        return f != null && f.tracePath() != null ? f.tracePath() : dirfd.path();
    }

    long close(TraceCall c, CallArgs.Close a) {
        fds.resolve(a.fd(), FdTable.Use.OTHER, c.line());
        int host = fds.remove(a.fd().fd());
        if (host >= 0) return HostIo.close(host);
        return fds.get(a.fd().fd()) == null && c.outcome().succeeded() ? 0 : EBADF;
    }

    long dup(TraceCall c, CallArgs.Dup a) {
        OpenFd old = fds.resolve(a.oldFd(), FdTable.Use.OTHER, c.line());
        if (old == null) return EBADF;
        if (a.newFd() != null && a.newFd().fd() == a.oldFd().fd()) {
            // dup2 of an fd onto itself returns it; dup3 refuses
            return c.call().equals("dup3") ? -LinuxNames.errnoNumber("EINVAL") : a.newFd().fd();
        }
        int r = HostIo.dup(old.host());
        if (r < 0 || !c.outcome().succeeded()) {
            if (r >= 0) HostIo.close(r);
            return r;
        }
        int traceFd = a.newFd() != null ? a.newFd().fd() : c.outcome().value().intValue();
        fds.enter(traceFd, new OpenFd(r, old.kind(), old.tracePath(), old.file(), old.position(), old.in(), old.out()));
        return r;
    }

    long pipe(TraceCall c, CallArgs.Pipe a) {
        int[] p = new int[2];
        int r = HostIo.pipe2(p, a.flags());
        if (r < 0) return r;
        if (a.fds().size() != 2) {
            HostIo.close(p[0]);
            HostIo.close(p[1]);
            return r;
        }
        StreamContent s = new StreamContent();
        fds.enter(a.fds().get(0).fd(), new OpenFd(p[0], OpenFd.Kind.PIPE, a.fds().get(0).path(), null, null, s, null));
        fds.enter(a.fds().get(1).fd(), new OpenFd(p[1], OpenFd.Kind.PIPE, a.fds().get(1).path(), null, null, null, s));
        return r;
    }

    long socketpair(TraceCall c, CallArgs.SocketPair a) {
        int[] p = new int[2];
        int r = HostIo.socketpair(a.domain(), a.type(), a.protocol(), p);
        if (r < 0) return r;
        if (a.fds().size() != 2) {
            HostIo.close(p[0]);
            HostIo.close(p[1]);
            return r;
        }
        StreamContent ab = new StreamContent(), ba = new StreamContent();
        fds.enter(a.fds().get(0).fd(), new OpenFd(p[0], OpenFd.Kind.SOCKET, a.fds().get(0).path(), null, null, ba, ab));
        fds.enter(a.fds().get(1).fd(), new OpenFd(p[1], OpenFd.Kind.SOCKET, a.fds().get(1).path(), null, null, ab, ba));
        return r;
    }

    long eventfd(TraceCall c, CallArgs.EventFd a) {
        int r = HostIo.eventfd((int) a.initval(), a.flags());
        if (r >= 0 && c.outcome().succeeded()) {
            fds.enter(c.outcome().value().intValue(), new OpenFd(r, OpenFd.Kind.EVENTFD, c.outcome().path(), null, null, null, null));
        } else if (r >= 0) {
            HostIo.close(r);
        }
        return r;
    }

    long ftruncate(TraceCall c, CallArgs.Truncate a) {
        OpenFd f = fds.resolve(a.fd(), FdTable.Use.WRITE, c.line());
        int r = HostIo.ftruncate(f != null ? f.host() : -1, a.length());
        if (r == 0 && f.file() != null) f.file().truncate(a.length(), epoch.incrementAndGet());
        return r;
    }

    long fallocate(TraceCall c, CallArgs.Fallocate a) {
        OpenFd f = fds.resolve(a.fd(), FdTable.Use.WRITE, c.line());
        int r = HostIo.fallocate(f != null ? f.host() : -1, a.mode(), a.offset(), a.length());
        if (r == 0 && f.file() != null) {
            long end = a.offset() + a.length();
            if ((a.mode() & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE)) != 0) f.file().zero(a.offset(), end, epoch.incrementAndGet());
            if ((a.mode() & (FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_INSERT_RANGE)) != 0) {
                f.file().unknown(a.offset(), Long.MAX_VALUE, epoch.incrementAndGet()); // data moved: not modelled
            }
        }
        return r;
    }

    long unlink(TraceCall c, CallArgs.Unlink a) {
        String path = TracePaths.resolve(base(a.dirfd()), a.path());
        String host = world.host(path).toString();
        int r = (a.flags() & AT_REMOVEDIR) != 0 ? HostIo.rmdir(host) : HostIo.unlink(host);
        if (r == 0) world.forget(path);
        return r;
    }

    long sync(TraceCall c, CallArgs.Sync a) {
        OpenFd f = fds.resolve(a.fd(), FdTable.Use.OTHER, c.line());
        int fd = f != null ? f.host() : -1;
        return c.call().equals("fdatasync") ? HostIo.fdatasync(fd) : HostIo.fsync(fd);
    }

    /** read/pread64; null when the call would block where the trace's did not (reported as a difference). */
    Long read(TraceCall c, CallArgs.ReadWrite a) {
        OpenFd f = fds.resolve(a.fd(), FdTable.Use.READ, c.line());
        if (f != null && !ready(c, f, HostConstants.POLLIN)) return null;
        long count = readCount(a.count(), c.outcome().value());
        BufferPool.Lease buf = pool.lease(0, count);
        try {
            long pos = f != null && f.position() != null ? (a.offset() >= 0 ? a.offset() : f.position().offset) : 0;
            long issuedAt = epoch.incrementAndGet();
            int fd = f != null ? f.host() : -1;
            long r = a.offset() >= 0 ? HostIo.pread(fd, buf.buffer(), count, a.offset()) : HostIo.read(fd, buf.buffer(), count);
            if (r > 0 && f != null) {
                if (a.offset() < 0 && f.position() != null) f.position().offset += r;
                check(c, a, f, buf.buffer().asSlice(0, r), pos, issuedAt);
            }
            return r;
        } finally {
            pool.release(buf);
        }
    }

    /**
     * How much to ask for: programs often pass big buffers and get little. A page more than the
     * recorded result still shows a read that would return more than the trace's did, and keeps
     * an O_DIRECT count aligned; a failed read gets at most 1 MiB.
     */
    private static long readCount(long asked, long recorded) {
        long page = BufferPool.PAGE;
        long cap = recorded >= 0 ? (recorded + page - 1) / page * page + page : 1 << 20;
        return Math.max(0, Math.min(asked, cap));
    }

    /**
     * How much to write: what the trace's kernel took (a write the trace saw cut short is replayed
     * as the part that went through); at most 1 MiB of a write that failed.
     */
    private static long writeCount(long asked, long recorded) {
        return Math.max(0, Math.min(asked, recorded >= 0 ? recorded : 1 << 20));
    }

    private void check(TraceCall c, CallArgs.ReadWrite a, OpenFd f, MemorySegment got, long pos, long issuedAt) {
        String bad = null;
        switch (f.kind()) {
            case FILE -> {
                FileContent.Check k = f.file().check(got, pos, issuedAt);
                report.bytesVerified += k.verified();
                if (!k.ok()) bad = "byte at file offset " + k.mismatchAt() + " is not " + k.expected();
            }
            case PIPE, SOCKET -> {
                long m = f.in() != null ? f.in().consume(got) : -1;
                if (m >= 0) bad = "byte " + m + " is not what was written into the stream";
                else report.bytesVerified += got.byteSize();
            }
            case EVENTFD -> {
                // the counter is the program's own data: compare it with the recorded value
                if (a.data() != null && !a.data().truncated() && a.data().length() == got.byteSize()) {
                    byte[] replayed = got.toArray(ValueLayout.JAVA_BYTE);
                    if (!Arrays.equals(replayed, a.data().bytes())) {
                        report.difference(new Difference(c.line(), c.call(), "eventfd value " + counter(a.data().bytes()),
                                "eventfd value " + counter(replayed), "the count of completions signalled differs"));
                        report.checksFailed++;
                        return;
                    }
                    report.bytesVerified += got.byteSize();
                }
            }
            case DIRECTORY, PLACEHOLDER -> { }
        }
        if (bad != null) {
            report.checksFailed++;
            report.difference(new Difference(c.line(), c.call(), "data as written", "different data", bad));
        }
    }

    private static long counter(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** write/pwrite64; null when the call would block where the trace's did not. */
    Long write(TraceCall c, CallArgs.ReadWrite a) {
        OpenFd f = fds.resolve(a.fd(), FdTable.Use.WRITE, c.line());
        if (f != null && !ready(c, f, HostConstants.POLLOUT)) return null;
        long count = writeCount(a.count(), c.outcome().value());
        BufferPool.Lease buf = pool.lease(0, count);
        try {
            long seed = ((long) c.line() << 16) ^ 0xB5AD4ECEDA1CE2A9L;
            int fd = f != null ? f.host() : -1;
            FdInfo before = f != null && f.stream() ? FdInfo.probeOrNull(fd, new int[1]) : null;
            boolean wasNonBlocking = before == null || before.nonBlocking();
            FileContent.PendingWrite pw = null;
            long pos = 0;
            if (f == null || f.kind() == OpenFd.Kind.PLACEHOLDER || f.kind() == OpenFd.Kind.DIRECTORY) {
                DataPattern.fill(buf.buffer(), seed, 0);
            } else if (f.kind() == OpenFd.Kind.EVENTFD) {
                eventfdValue(a, buf.buffer());
            } else if (f.kind() == OpenFd.Kind.FILE) {
                pos = a.offset() >= 0 ? a.offset() : appendOrPosition(f);
                pw = f.file().begin(pos, pos + count);
                DataPattern.fill(buf.buffer(), seed, pos);
            } else {
                DataPattern.fill(buf.buffer(), seed, f.out().append(seed, count));
            }
            // room for one byte is not room for all: a blocking stream write is made non-blocking, so it
            // cannot wait for a reader that, in a one-thread replay, comes after it
            boolean unblocked = !wasNonBlocking && HostIo.setNonBlocking(fd, true) == 0;
            long r;
            try {
                r = a.offset() >= 0 ? HostIo.pwrite(fd, buf.buffer(), count, a.offset()) : HostIo.write(fd, buf.buffer(), count);
            } finally {
                if (unblocked) HostIo.setNonBlocking(fd, false);
            }
            if (pw != null) f.file().complete(pw, Math.max(0, r), seed, epoch.incrementAndGet());
            if (f != null && f.out() != null && r != count) f.out().markUnknown();
            if (r > 0 && a.offset() < 0 && f != null && f.position() != null) f.position().offset = pos + r;
            return r;
        } finally {
            pool.release(buf);
        }
    }

    // The trace's eventfd writes are values, not data: write the value strace showed (1 if it showed none).
    private static void eventfdValue(CallArgs.ReadWrite a, MemorySegment buf) {
        buf.fill((byte) 0);
        if (a.data() != null && !a.data().truncated() && a.data().length() == buf.byteSize()) {
            MemorySegment.copy(MemorySegment.ofArray(a.data().bytes()), 0, buf, 0, buf.byteSize());
        } else if (buf.byteSize() > 0) {
            buf.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
        }
    }

    private static long appendOrPosition(OpenFd f) {
        FdInfo info = FdInfo.probeOrNull(f.host(), new int[1]);
        if (info != null && info.append()) f.position().offset = info.size();
        return f.position().offset;
    }

    /** Waits (up to the limit) until a blocking stream fd could do what the trace shows it did without blocking forever. */
    private boolean ready(TraceCall c, OpenFd f, int events) {
        if (!f.stream()) return true;
        FdInfo info = FdInfo.probeOrNull(f.host(), new int[1]);
        if (info == null || info.nonBlocking()) return true;
        int rev = HostIo.pollOne(f.host(), (short) events, waitLimitMillis);
        if (rev != 0) return true;
        report.difference(new Difference(c.line(), c.call(), c.outcome().toString(), "would block",
                "not " + (events == HostConstants.POLLIN ? "readable" : "writable") + " within " + waitLimitMillis + " ms"));
        return false;
    }
}

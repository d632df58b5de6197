package org.aioemu.cli.record;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.aioemu.cli.replay.AioStructs.TraceIocb;
import org.aioemu.cli.replay.AioStructs.TraceIoEvent;
import org.aioemu.cli.replay.AioStructs.TraceIovec;
import org.aioemu.cli.replay.AioStructs.TraceTimespec;
import org.aioemu.cli.replay.FdRef;
import org.aioemu.cli.replay.TraceBytes;
import org.aioemu.core.host.ForeignMemory;
import org.aioemu.core.host.IoVec;
import org.aioemu.linux.IoEvent;
import org.aioemu.linux.Iocb;
import org.aioemu.linux.LinuxAioConstants;
import org.aioemu.linux.LinuxTimespec;

/**
 * Decodes the traced program's AIO structs from its memory into the trace model, the way strace
 * shows them (written data up to {@link #DATA_SHOWN} bytes, fds with the path they refer to).
 * Everything is read with fault-safe copies: a bad pointer leaves the field out, the call itself
 * still gets its EFAULT from the emulation.
 */
final class ProgramMemory {
    private ProgramMemory() {}

    static final int DATA_SHOWN = 64;
    private static final int MAX_SHOWN = 1024;   // iocbs, iovecs or events per call

    static Long readLong(long addr) {
        MemorySegment s = Arena.ofAuto().allocate(8, 8);
        return ForeignMemory.copyIn(addr, s, 8) == 0 ? s.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0) : null;
    }

    static TraceTimespec timespec(long addr) {
        if (addr == 0) return null;
        MemorySegment s = Arena.ofAuto().allocate(LinuxTimespec.LAYOUT);
        if (ForeignMemory.copyIn(addr, s, LinuxTimespec.SIZE) != 0) return null;
        return new TraceTimespec(LinuxTimespec.tv_sec(s), LinuxTimespec.tv_nsec(s));
    }

    /** The iocbs an io_submit names, up to the first unreadable one. */
    static List<TraceIocb> iocbs(long iocbpp, long nr) {
        List<TraceIocb> out = new ArrayList<>();
        for (long i = 0; i < Math.min(nr, MAX_SHOWN); i++) {
            Long p = readLong(iocbpp + 8 * i);
            TraceIocb cb = p == null ? null : iocb(p);
            if (cb == null) break;
            out.add(cb);
        }
        return out;
    }

    static TraceIocb iocb(long addr) {
        MemorySegment s = Arena.ofAuto().allocate(Iocb.LAYOUT);
        if (ForeignMemory.copyIn(addr, s, Iocb.SIZE) != 0) return null;
        int opcode = Iocb.aio_lio_opcode(s);
        long buf = Iocb.aio_buf(s), nbytes = Iocb.aio_nbytes(s);
        Long shownBuf = buf;
        TraceBytes data = null;
        List<TraceIovec> iov = null;
        if (opcode == LinuxAioConstants.IOCB_CMD_PWRITE) {
            data = bytes(buf, nbytes);
            if (data != null) shownBuf = null;
        } else if (opcode == LinuxAioConstants.IOCB_CMD_PREADV || opcode == LinuxAioConstants.IOCB_CMD_PWRITEV) {
            iov = iovecs(buf, nbytes, opcode == LinuxAioConstants.IOCB_CMD_PWRITEV);
            if (iov != null) shownBuf = null;
        }
        int flags = Iocb.aio_flags(s);
        FdRef resfd = (flags & LinuxAioConstants.IOCB_FLAG_RESFD) != 0 ? fd(Iocb.aio_resfd(s)) : null;
        return new TraceIocb(Iocb.aio_data(s), Iocb.aio_key(s), Iocb.aio_rw_flags(s), opcode, Iocb.aio_reqprio(s),
                fd(Iocb.aio_fildes(s)), shownBuf, data, iov, nbytes, Iocb.aio_offset(s), flags, resfd, addr);
    }

    private static List<TraceIovec> iovecs(long addr, long count, boolean writes) {
        if (count < 0 || count > MAX_SHOWN) return null;
        MemorySegment s = Arena.ofAuto().allocate(IoVec.LAYOUT, Math.max(1, count));
        if (ForeignMemory.copyIn(addr, s, count * IoVec.LAYOUT.byteSize()) != 0) return null;
        List<TraceIovec> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long base = IoVec.base(s, i), len = IoVec.len(s, i);
            TraceBytes data = writes ? bytes(base, len) : null;
            out.add(new TraceIovec(data == null ? base : null, data, len));
        }
        return out;
    }

    private static TraceBytes bytes(long addr, long len) {
        if (len < 0) return null;
        int n = (int) Math.min(len, DATA_SHOWN);
        MemorySegment s = Arena.ofAuto().allocate(Math.max(1, n));
        if (ForeignMemory.copyIn(addr, s, n) != 0) return null;
        return new TraceBytes(s.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), len > n);
    }

    static List<TraceIoEvent> events(long addr, long n) {
        List<TraceIoEvent> out = new ArrayList<>();
        n = Math.min(n, MAX_SHOWN);
        if (n <= 0) return out;
        MemorySegment s = Arena.ofAuto().allocate(IoEvent.LAYOUT, n);
        if (ForeignMemory.copyIn(addr, s, n * IoEvent.SIZE) != 0) return out;
        for (long i = 0; i < n; i++) out.add(new TraceIoEvent(IoEvent.data(s, i), IoEvent.obj(s, i), IoEvent.res(s, i), IoEvent.res2(s, i)));
        return out;
    }

    /** An fd with what it refers to, as strace -y shows it (a path, pipe:[ino], anon_inode:[eventfd]). */
    static FdRef fd(int fd) {
        try {
            return new FdRef(fd, Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString());
        } catch (IOException | UnsupportedOperationException e) {
            return new FdRef(fd, null);
        }
    }
}

package org.aioemu.freebsd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.aioemu.core.host.FdInfo;
import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.aioemu.core.host.Stat;

/**
 * What FreeBSD's AIO sees in a descriptor: whether it has a vnode (aio_fsync needs one), whether
 * it is a VCHR device (the only kind where a negative offset is allowed), and whether AIO on it is
 * "safe" (vfs_aio.c aio_queue_file: local regular files and directories, raw disks, and sockets,
 * which have their own queue) or needs vfs.aio.enable_unsafe (pipes, FIFOs, ttys and other
 * devices, anything else).
 *
 * <p>Linux reports pipes and FIFOs alike as S_IFIFO; an anonymous pipe lives on pipefs, whose
 * device number is learnt once from a pipe of our own. Host block devices play FreeBSD's disks.
 * Files on network file systems are not told apart (they count as local here).
 */
enum FreeBsdFileType {
    REGULAR(true, false, true),
    DIRECTORY(true, false, true),
    DISK(true, true, true),
    CHAR_DEVICE(true, true, false),
    FIFO(true, false, false),
    PIPE(false, false, false),
    SOCKET(false, false, true),
    OTHER(false, false, false);

    private final boolean vnode;
    private final boolean vchr;
    private final boolean safe;

    FreeBsdFileType(boolean vnode, boolean vchr, boolean safe) {
        this.vnode = vnode;
        this.vchr = vchr;
        this.safe = safe;
    }

    boolean hasVnode() { return vnode; }
    boolean isVchr() { return vchr; }
    boolean safe() { return safe; }

    /** Reads and writes at aio_offset (files, disks); the rest are streams that ignore it. */
    boolean positional() {
        return this == REGULAR || this == DIRECTORY || this == DISK;
    }

    private static final long PIPEFS_DEV = pipefsDev();

    static FreeBsdFileType of(FdInfo info) {
        return switch (info.kind()) {
            case REGULAR -> REGULAR;
            case DIRECTORY -> DIRECTORY;
            case BLOCK_DEVICE -> DISK;
            case CHAR_DEVICE -> CHAR_DEVICE;
            case SOCKET -> SOCKET;
            case PIPE -> info.dev() == PIPEFS_DEV ? PIPE : FIFO;
            default -> OTHER;
        };
    }

    private static long pipefsDev() {
        int[] ends = new int[2];
        if (HostIo.pipe2(ends, HostConstants.O_CLOEXEC) < 0) return -1;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(Stat.LAYOUT);
            return HostIo.fstat(ends[0], st) < 0 ? -1 : Stat.dev(st);
        } finally {
            HostIo.close(ends[0]);
            HostIo.close(ends[1]);
        }
    }
}

package org.aioemu.core.host;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * What the host says about an fd at one moment: its kind and identity from fstat, and its file
 * status flags (access mode, O_NONBLOCK, O_DIRECT, ...) from fcntl(F_GETFL). {@code size} means
 * something only for regular files and block devices.
 */
public record FdInfo(int fd, FdKind kind, long dev, long ino, long size, int statusFlags) {

    public static FdInfo probe(int fd) throws HostException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(Stat.LAYOUT);
            HostException.check("fstat", HostIo.fstat(fd, st));
            int flags = HostIo.fcntl(fd, HostConstants.F_GETFL, 0);
            HostException.check("fcntl(F_GETFL)", flags);
            return of(fd, st, flags);
        }
    }

    /** Like {@link #probe} without the exception: null, and {@code errnoOut[0]} = errno, on failure. */
    public static FdInfo probeOrNull(int fd, int[] errnoOut) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(Stat.LAYOUT);
            int rc = HostIo.fstat(fd, st);
            if (rc >= 0) rc = HostIo.fcntl(fd, HostConstants.F_GETFL, 0);
            if (rc < 0) {
                errnoOut[0] = -rc;
                return null;
            }
            return of(fd, st, rc);
        }
    }

    private static FdInfo of(int fd, MemorySegment st, int flags) {
        return new FdInfo(fd, FdKind.fromMode(Stat.mode(st)), Stat.dev(st), Stat.ino(st), Stat.size(st), flags);
    }

    public boolean readable() {
        int mode = statusFlags & HostConstants.O_ACCMODE;
        return !isPath() && (mode == HostConstants.O_RDONLY || mode == HostConstants.O_RDWR);
    }

    public boolean writable() {
        int mode = statusFlags & HostConstants.O_ACCMODE;
        return !isPath() && (mode == HostConstants.O_WRONLY || mode == HostConstants.O_RDWR);
    }

    public boolean direct() {
        return (statusFlags & HostConstants.O_DIRECT) != 0;
    }

    public boolean nonBlocking() {
        return (statusFlags & HostConstants.O_NONBLOCK) != 0;
    }

    public boolean append() {
        return (statusFlags & HostConstants.O_APPEND) != 0;
    }

    // An O_PATH fd reports access mode O_RDONLY (0) yet allows neither read nor write.
    private boolean isPath() {
        return (statusFlags & HostConstants.O_PATH) != 0;
    }
}

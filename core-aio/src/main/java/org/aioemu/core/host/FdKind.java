package org.aioemu.core.host;

/** What an fd refers to, from the file type bits of its {@code st_mode}. */
public enum FdKind {
    REGULAR,
    BLOCK_DEVICE,
    CHAR_DEVICE,
    SOCKET,
    /** A pipe or a FIFO: the kernel reports both as S_IFIFO. */
    PIPE,
    DIRECTORY,
    SYMLINK,
    OTHER;

    public static FdKind fromMode(int stMode) {
        return switch (stMode & HostConstants.S_IFMT) {
            case HostConstants.S_IFREG -> REGULAR;
            case HostConstants.S_IFBLK -> BLOCK_DEVICE;
            case HostConstants.S_IFCHR -> CHAR_DEVICE;
            case HostConstants.S_IFSOCK -> SOCKET;
            case HostConstants.S_IFIFO -> PIPE;
            case HostConstants.S_IFDIR -> DIRECTORY;
            case HostConstants.S_IFLNK -> SYMLINK;
            default -> OTHER;
        };
    }

    /**
     * Whether I/O on this kind waits for readiness (data or room) rather than for a device: such
     * fds have no offsets and can block indefinitely, so they are polled, not handed to a worker.
     */
    public boolean isStream() {
        return this == SOCKET || this == PIPE;
    }
}

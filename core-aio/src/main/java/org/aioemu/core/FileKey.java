package org.aioemu.core;

import org.aioemu.core.host.FdInfo;
import org.aioemu.core.host.HostConstants;

/**
 * Names an open file independently of the fd number that reaches it, so that per-file order
 * survives a close() and a reuse of the number. A pipe's two ends share one inode, so the access
 * mode is part of the name: the read end and the write end wait in different places.
 * Anonymous-inode files (eventfds, timerfds, ...) all share one inode, so among those the
 * {@code instance} tells open files apart (0 elsewhere; see {@link SocketContinuations}).
 */
record FileKey(long dev, long ino, int accessMode, long instance) {
    /** The file itself, whatever the access mode (for ordering that concerns the file's data). */
    static FileKey fileOf(FdInfo info) {
        return new FileKey(info.dev(), info.ino(), -1, 0);
    }

    static FileKey of(FdInfo info) {
        return new FileKey(info.dev(), info.ino(), info.statusFlags() & HostConstants.O_ACCMODE, 0);
    }

    /** The read end of the pipe or FIFO {@code info} names. */
    static FileKey readEndOf(FdInfo info) {
        return new FileKey(info.dev(), info.ino(), HostConstants.O_RDONLY, 0);
    }

    FileKey instance(long n) {
        return new FileKey(dev, ino, accessMode, n);
    }

    boolean sameInode(FileKey k) {
        return dev == k.dev && ino == k.ino && accessMode == k.accessMode;
    }
}

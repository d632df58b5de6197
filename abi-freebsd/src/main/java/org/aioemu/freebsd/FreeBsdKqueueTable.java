package org.aioemu.freebsd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.aioemu.core.host.Stat;

/**
 * The emulated kqueues of one process, by descriptor. A kqueue's fd is a host pipe's read end;
 * every lookup checks that the number still names that pipe, so a kqueue the program closed with
 * a plain close(2) (or whose number was reused) is found gone and torn down.
 */
final class FreeBsdKqueueTable {
    private final Map<Integer, FreeBsdKqueue> byFd = new HashMap<>();

    /** kqueue(2): the new descriptor, or -errno (EMFILE, ENFILE). */
    synchronized int create() {
        int[] ends = new int[2];
        int rc = HostIo.pipe2(ends, HostConstants.O_CLOEXEC);
        if (rc < 0) return rc;
        long[] id = identity(ends[0]);
        if (id == null) {
            HostIo.close(ends[0]);
            HostIo.close(ends[1]);
            return -FreeBsdErrno.EBADF;
        }
        byFd.put(ends[0], new FreeBsdKqueue(ends[0], id[0], id[1], ends[1]));
        return ends[0];
    }

    /** The kqueue open as {@code fd}, or null (not a kqueue, or closed since). */
    synchronized FreeBsdKqueue lookup(int fd) {
        FreeBsdKqueue kq = byFd.get(fd);
        if (kq == null) return null;
        long[] id = identity(fd);
        if (id == null || !kq.sameFile(id[0], id[1])) {
            forget(kq);
            return null;
        }
        return kq;
    }

    /** close(2) on a kqueue descriptor: false if {@code fd} is not one. */
    synchronized boolean close(int fd) {
        FreeBsdKqueue kq = lookup(fd);
        if (kq == null) return false;
        forget(kq);
        HostIo.close(fd);
        return true;
    }

    /** Process exit: every kqueue goes (their descriptors close with the process's). */
    synchronized void closeAll() {
        for (FreeBsdKqueue kq : List.copyOf(byFd.values())) {
            long[] id = identity(kq.fd);
            boolean stillOurs = id != null && kq.sameFile(id[0], id[1]);
            forget(kq);
            if (stillOurs) HostIo.close(kq.fd);
        }
    }

    private void forget(FreeBsdKqueue kq) {
        byFd.remove(kq.fd, kq);
        kq.close();
        HostIo.close(kq.keepFd());
    }

    private static long[] identity(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(Stat.LAYOUT);
            if (HostIo.fstat(fd, st) < 0) return null;
            return new long[] {Stat.dev(st), Stat.ino(st)};
        }
    }
}

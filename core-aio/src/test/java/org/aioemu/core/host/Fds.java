package org.aioemu.core.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

/** Host fds opened by one test, closed after it. */
final class Fds implements AutoCloseable {
    private final List<Integer> open = new ArrayList<>();

    int track(int fd) {
        assertTrue(fd >= 0, () -> "expected an fd, got " + HostErrno.name(fd));
        open.add(fd);
        return fd;
    }

    int open(String path, int flags) {
        return track(HostIo.open(path, flags | HostConstants.O_CLOEXEC, 0600));
    }

    /** [read end, write end] */
    int[] pipe(int flags) {
        int[] fds = new int[2];
        assertEquals(0, HostIo.pipe2(fds, flags | HostConstants.O_CLOEXEC));
        track(fds[0]);
        track(fds[1]);
        return fds;
    }

    int[] socketpair() {
        int[] fds = new int[2];
        assertEquals(0, HostIo.socketpair(HostConstants.AF_UNIX,
                HostConstants.SOCK_STREAM | HostConstants.SOCK_CLOEXEC, 0, fds));
        track(fds[0]);
        track(fds[1]);
        return fds;
    }

    /** Closes now, so close() at the end does not hit an fd number someone else has reused. */
    void closeNow(int fd) {
        open.remove(Integer.valueOf(fd));
        assertEquals(0, HostIo.close(fd));
    }

    @Override
    public void close() {
        for (int fd : open) HostIo.close(fd);
        open.clear();
    }
}

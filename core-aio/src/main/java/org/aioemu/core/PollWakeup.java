package org.aioemu.core;

import static org.aioemu.core.host.HostConstants.EPOLLIN;
import static org.aioemu.core.host.HostConstants.EPOLLOUT;
import static org.aioemu.core.host.HostConstants.POLLERR;
import static org.aioemu.core.host.HostConstants.POLLHUP;
import static org.aioemu.core.host.HostConstants.POLLIN;
import static org.aioemu.core.host.HostConstants.POLLOUT;
import static org.aioemu.core.host.HostConstants.POLLPRI;
import static org.aioemu.core.host.HostConstants.POLLRDBAND;
import static org.aioemu.core.host.HostConstants.POLLRDHUP;
import static org.aioemu.core.host.HostConstants.POLLRDNORM;
import static org.aioemu.core.host.HostConstants.POLLWRBAND;
import static org.aioemu.core.host.HostConstants.POLLWRNORM;

import org.aioemu.core.host.FdKind;

/**
 * What a waiting poll completes with, Linux's way (aio_poll_wake, LNX-55). The kernel completes
 * it with the key of the wakeup that found it, not with the file's readiness: a waker that passes
 * a key (data arrived, room freed) gives that key whether or not the poll asked for all of it,
 * and is ignored if the key shares no bit with what was asked (plus ERR|HUP); a waker without a
 * key (a close, a shutdown) makes the kernel poll the file and mask with what was asked. Probed
 * on 6.18: a pipe write gives IN|RDNORM (0x41), a pipe read OUT|WRNORM (0x104), a socket write
 * IN|PRI|RDNORM|RDBAND (0xc3) even to a poll asking POLLPRI alone, an eventfd write IN; a closed
 * pipe writer gives HUP masked (0x10 for a poll asking POLLPRI even with data queued), a closed
 * socket peer IN|HUP masked (0x11 for POLLIN).
 *
 * <p>We see readiness, not keys, so the key is inferred from what changed since the poll was
 * parked: data that was not there is the data waker's key, room that was not there the room
 * waker's; otherwise (or when a socket's peer has shut down, which wakes without a key) the
 * readiness masked with what was asked.
 */
final class PollWakeup {
    /** Every bit a readiness check asks about. */
    static final int ALL = POLLIN | POLLPRI | POLLRDNORM | POLLRDBAND | POLLRDHUP | POLLOUT | POLLWRNORM | POLLWRBAND
            | POLLERR | POLLHUP;

    private PollWakeup() {}

    /** The key Linux's data waker passes for this kind of file. */
    static int readKey(FdKind kind) {
        return switch (kind) {
            case PIPE -> POLLIN | POLLRDNORM;                                   // pipe_write
            case SOCKET -> POLLIN | POLLPRI | POLLRDNORM | POLLRDBAND;           // sock_def_readable
            default -> POLLIN;                                                  // eventfd_write, timerfd
        };
    }

    /** The key Linux's room waker passes for this kind of file. */
    private static int writeKey(FdKind kind) {
        return switch (kind) {
            case PIPE -> POLLOUT | POLLWRNORM;                                  // pipe_read
            case SOCKET -> POLLOUT | POLLWRNORM | POLLWRBAND;                   // sock_def_write_space
            default -> POLLOUT;                                                 // eventfd_read
        };
    }

    /** The epoll interest for a poll parked with {@code readyAtPark}: what it asked, and the direction whose key would wake it. */
    static int interest(FdKind kind, int asked, int readyAtPark) {
        int ev = asked;
        if ((readKey(kind) & asked) != 0 && (readyAtPark & POLLIN) == 0) ev |= EPOLLIN;
        if ((writeKey(kind) & asked) != 0 && (readyAtPark & POLLOUT) == 0) ev |= EPOLLOUT;
        return ev;
    }

    /** The result of a wakeup with a known key for a poll asking {@code asked}: the key, or 0 if it is ignored. */
    static int keyed(int key, int asked) {
        return (key & (asked | POLLERR | POLLHUP)) != 0 ? key : 0;
    }

    /** The result for a poll asking {@code asked}, parked with {@code readyAtPark}, now that the file is {@code revents}; 0 to keep waiting. */
    static int result(FdKind kind, int asked, int readyAtPark, int revents) {
        int want = asked | POLLERR | POLLHUP;
        boolean peerGone = kind == FdKind.SOCKET && (revents & (POLLHUP | POLLRDHUP | POLLERR)) != 0;
        if (!peerGone) {
            if ((revents & POLLIN) != 0 && (readyAtPark & POLLIN) == 0 && (readKey(kind) & want) != 0) return readKey(kind);
            if ((revents & POLLOUT) != 0 && (readyAtPark & POLLOUT) == 0 && (writeKey(kind) & want) != 0) return writeKey(kind);
        }
        return revents & want;
    }
}

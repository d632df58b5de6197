package org.aioemu.cli.replay;

/**
 * A trace fd's replayed counterpart: the host fd, what it is, and the content models reads on it
 * are checked against. Dups share the {@link Position} (one open file description).
 */
record OpenFd(int host, Kind kind, String tracePath, FileContent file, Position position,
              StreamContent in, StreamContent out) {

    enum Kind {
        FILE, DIRECTORY, PIPE, SOCKET, EVENTFD,
        /** Stands in for an fd replay cannot recreate (a tty, a timerfd): /dev/null, never checked. */
        PLACEHOLDER
    }

    /** The file position read(2)/write(2) use, shared by dups. */
    static final class Position {
        long offset;
    }

    boolean stream() {
        return kind == Kind.PIPE || kind == Kind.SOCKET || kind == Kind.EVENTFD;
    }
}

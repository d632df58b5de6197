package org.aioemu.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.junit.jupiter.api.Assumptions;

/**
 * Holds one worker thread for as long as a test wants, with no sleep and no mock: a read on the
 * master side of a fresh pseudo-terminal. A pty master is a character device, which the core
 * hands to the worker pool (it does not wait for readiness on devices), and the read blocks there
 * because nothing has been written. {@link #release()} writes one byte to the master; the line
 * discipline echoes it (ECHO is on by default, no slave needed), and the blocked read returns it.
 *
 * <p>Why not a pipe or a FIFO: the core treats both as streams and parks them on epoll, holding
 * no thread. Regular files never block for long. A pty is the one always-present device here
 * whose read blocks until we say so.
 */
final class PtyBlocker {
    final int master;
    private final MemorySegment buf;
    private final MemorySegment poke;
    private boolean released;

    PtyBlocker(Harness h) {
        int fd = HostIo.open("/dev/ptmx", HostConstants.O_RDWR | HostConstants.O_NOCTTY | HostConstants.O_CLOEXEC, 0);
        Assumptions.assumeTrue(fd >= 0, "no /dev/ptmx here: cannot hold a worker deterministically");
        this.master = h.track(fd);
        Arena arena = h.arena;
        this.buf = arena.allocate(16);
        this.poke = arena.allocateFrom("x").asSlice(0, 1);
    }

    /** A request that blocks a worker until {@link #release()}; it then completes with 1 byte. */
    Request read() {
        return Request.read(master, buf, Request.NO_OFFSET);
    }

    synchronized void release() {
        if (released) return;
        released = true;
        assertEquals(1, HostIo.write(master, poke, 1));
    }
}

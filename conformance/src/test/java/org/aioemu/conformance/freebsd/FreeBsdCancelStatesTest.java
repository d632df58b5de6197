package org.aioemu.conformance.freebsd;

import static org.aioemu.conformance.freebsd.Fbsd.ECANCELED;
import static org.aioemu.conformance.freebsd.Fbsd.EINPROGRESS;
import static org.aioemu.freebsd.FreeBsdAioConstants.AIO_ALLDONE;
import static org.aioemu.freebsd.FreeBsdAioConstants.AIO_CANCELED;
import static org.aioemu.freebsd.FreeBsdAioConstants.AIO_NOTCANCELED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import org.aioemu.core.host.HostConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * aio_cancel by job state (FBSD-33..37): waiting for an aiod or on a socket buffer is cancelled;
 * running is not (and stays "not cancelled" on a second try: it is only flagged); the match is on
 * the descriptor number and, given one, the aiocb.
 */
@Timeout(60)
class FreeBsdCancelStatesTest {
    @TempDir Path dir;
    private Fbsd fx;

    @BeforeEach
    void start() {
        fx = new Fbsd(dir);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    @DisplayName("aioemu freebsd aio_cancel: a job waiting for an aiod is cancelled (AIO_CANCELED, then ECANCELED)")
    void waitingForAnAiod() {
        fx.sysctl("vfs.aio.max_aio_per_proc", 1);
        Fbsd.Blocker busy = fx.new Blocker().awaitRunning();
        int fd = fx.file("f");
        MemorySegment cb = fx.aiocb(fd, fx.randomBuffer(64), 0);
        assertEquals(0, fx.p.aio_write(cb.address()));
        assertEquals(AIO_CANCELED, fx.p.aio_cancel(fd, cb.address()));
        assertEquals(ECANCELED, fx.p.aio_error(cb.address()));
        assertEquals(-1, fx.p.aio_return(cb.address()));
        assertEquals(ECANCELED, fx.p.errno());
        busy.release();
    }

    @Test
    @DisplayName("aioemu freebsd aio_cancel: a running job is not cancelled, twice over, and completes normally")
    void running() {
        Fbsd.Blocker busy = fx.new Blocker().awaitRunning();
        assertEquals(AIO_NOTCANCELED, fx.p.aio_cancel(busy.master, busy.cb.address()));
        assertEquals(AIO_NOTCANCELED, fx.p.aio_cancel(busy.master, 0), "already flagged: still not cancelled");
        assertEquals(EINPROGRESS, fx.p.aio_error(busy.cb.address()));
        busy.release();
    }

    @Test
    @DisplayName("aioemu freebsd aio_cancel: a read waiting on a socket buffer is cancelled; aio_cancel(fd, NULL) covers every job on the fd")
    void waitingOnASocket() {
        int[] s = fx.socketpair(HostConstants.SOCK_STREAM);
        MemorySegment a = fx.aiocb(s[0], fx.buffer(8), 0);
        MemorySegment b = fx.aiocb(s[0], fx.buffer(8), 0);
        assertEquals(0, fx.p.aio_read(a.address()));
        assertEquals(0, fx.p.aio_read(b.address()));
        assertEquals(AIO_CANCELED, fx.p.aio_cancel(s[0], 0));
        assertEquals(ECANCELED, fx.p.aio_error(a.address()));
        assertEquals(ECANCELED, fx.p.aio_error(b.address()));
        assertEquals(AIO_ALLDONE, fx.p.aio_cancel(s[0], 0));
    }

    @Test
    @DisplayName("aioemu freebsd aio_cancel: the match is on the descriptor number; another fd's aiocb, or another fd, is AIO_ALLDONE")
    void matchByFdNumber() {
        int[] s = fx.socketpair(HostConstants.SOCK_STREAM);
        MemorySegment cb = fx.aiocb(s[0], fx.buffer(8), 0);
        assertEquals(0, fx.p.aio_read(cb.address()));
        assertEquals(AIO_ALLDONE, fx.p.aio_cancel(s[1], cb.address()));
        assertEquals(AIO_ALLDONE, fx.p.aio_cancel(s[0], fx.aiocb().address()));
        assertEquals(EINPROGRESS, fx.p.aio_error(cb.address()));
        assertEquals(AIO_CANCELED, fx.p.aio_cancel(s[0], cb.address()));
    }
}

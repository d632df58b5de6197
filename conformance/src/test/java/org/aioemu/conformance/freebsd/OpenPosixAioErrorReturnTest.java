package org.aioemu.conformance.freebsd;

import static org.aioemu.conformance.freebsd.Fbsd.EINPROGRESS;
import static org.aioemu.conformance.freebsd.Fbsd.EINVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import org.aioemu.core.host.HostIo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Open POSIX test suite conformance/interfaces/aio_error and aio_return. */
@Timeout(60)
class OpenPosixAioErrorReturnTest {
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
    @DisplayName("posix aio_error/1-1: aio_error is 0 once a write has completed")
    void error_1_1() {
        int fd = fx.file("f");
        MemorySegment cb = fx.aiocb(fd, fx.randomBuffer(512), 0);
        assertEquals(0, fx.p.aio_write(cb.address()));
        assertEquals(0, fx.awaitDone(cb));
        assertEquals(512, fx.p.aio_return(cb.address()));
    }

    @Test
    @DisplayName("posix aio_error/2-1: with many writes queued on a full socket, at least one reports EINPROGRESS")
    void error_2_1() {
        MemorySegment[] reqs = new MemorySegment[6];
        fx.setupAio(reqs);
        for (MemorySegment r : reqs) assertEquals(0, fx.p.aio_write(r.address()));
        int inProgress = 0;
        for (MemorySegment r : reqs) if (fx.p.aio_error(r.address()) == EINPROGRESS) inProgress++;
        assertTrue(inProgress > 0);
    }

    @Test
    @DisplayName("posix aio_error/3-1: aio_error on an aiocb never submitted returns EINVAL as its value")
    void error_3_1() {
        MemorySegment cb = fx.aiocb(fx.file("f"), fx.buffer(16), 0);
        assertEquals(EINVAL, fx.p.aio_error(cb.address()));   // no AIO state yet
        MemorySegment other = fx.aiocb(fx.file("g"), fx.buffer(16), 0);
        assertEquals(0, fx.p.aio_write(other.address()));
        assertEquals(EINVAL, fx.p.aio_error(cb.address()));   // AIO state, but no job and status 0
    }

    @Test
    @DisplayName("posix aio_return/1-1: aio_return gives the number of bytes written")
    void return_1_1() {
        int fd = fx.file("f");
        MemorySegment cb = fx.aiocb(fd, fx.randomBuffer(1000), 0);
        assertEquals(0, fx.p.aio_write(cb.address()));
        assertEquals(0, fx.awaitDone(cb));
        assertEquals(1000, fx.p.aio_return(cb.address()));
    }

    @Test
    @DisplayName("posix aio_return/2-1: a second aio_return on the same aiocb fails (-1/EINVAL)")
    void return_2_1() {
        int fd = fx.file("f");
        MemorySegment cb = fx.aiocb(fd, fx.randomBuffer(100), 0);
        assertEquals(0, fx.p.aio_write(cb.address()));
        assertEquals(0, fx.awaitDone(cb));
        assertEquals(100, fx.p.aio_return(cb.address()));
        assertEquals(-1, fx.p.aio_return(cb.address()));
        assertEquals(EINVAL, fx.p.errno());
    }

    @Test
    @DisplayName("posix aio_return/3-1: an aiocb reused after aio_return reports its new result")
    void return_3_1() {
        int fd = fx.file("f");
        MemorySegment cb = fx.aiocb(fd, fx.randomBuffer(100), 0);
        assertEquals(0, fx.p.aio_write(cb.address()));
        assertEquals(0, fx.awaitDone(cb));
        assertEquals(100, fx.p.aio_return(cb.address()));
        MemorySegment bigger = fx.randomBuffer(300);
        org.aioemu.freebsd.FreeBsdAiocb.setBuf(cb, bigger.address());
        org.aioemu.freebsd.FreeBsdAiocb.setNbytes(cb, 300);
        assertEquals(0, fx.p.aio_write(cb.address()));
        assertEquals(0, fx.awaitDone(cb));
        assertEquals(300, fx.p.aio_return(cb.address()));
    }

    @Test
    @DisplayName("posix aio_return/3-2: reuse after reaping: the second read of a file returns its own count, then EINVAL")
    void return_3_2() {
        int fd = fx.file("f");
        assertEquals(10, HostIo.write(fd, fx.text("0123456789"), 10));
        MemorySegment buf = fx.buffer(16);
        MemorySegment cb = fx.aiocb(fd, buf, 16, 0);
        assertEquals(0, fx.p.aio_read(cb.address()));
        assertEquals(0, fx.awaitDone(cb));
        assertEquals(10, fx.p.aio_return(cb.address()));
        org.aioemu.freebsd.FreeBsdAiocb.setOffset(cb, 6);
        assertEquals(0, fx.p.aio_read(cb.address()));
        assertEquals(0, fx.awaitDone(cb));
        assertEquals(4, fx.p.aio_return(cb.address()));
        assertEquals(-1, fx.p.aio_return(cb.address()));
    }

    @Test
    @DisplayName("posix aio_return/4-1: aio_return on an aiocb never submitted fails (-1/EINVAL)")
    void return_4_1() {
        MemorySegment cb = fx.aiocb(fx.file("f"), fx.buffer(16), 0);
        assertEquals(-1, fx.p.aio_return(cb.address()));
        assertEquals(EINVAL, fx.p.errno());
    }
}

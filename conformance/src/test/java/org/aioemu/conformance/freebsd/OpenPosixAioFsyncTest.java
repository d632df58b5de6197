package org.aioemu.conformance.freebsd;

import static org.aioemu.conformance.freebsd.Fbsd.EBADF;
import static org.aioemu.conformance.freebsd.Fbsd.EINPROGRESS;
import static org.aioemu.conformance.freebsd.Fbsd.EINVAL;
import static org.aioemu.freebsd.FreeBsdAioConstants.O_DSYNC;
import static org.aioemu.freebsd.FreeBsdAioConstants.O_SYNC;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import org.aioemu.freebsd.FreeBsdAiocb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Open POSIX test suite conformance/interfaces/aio_fsync. */
@Timeout(60)
class OpenPosixAioFsyncTest {
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

    private MemorySegment syncCb(int fd) {
        MemorySegment cb = fx.aiocb();
        FreeBsdAiocb.setFildes(cb, fd);
        return cb;
    }

    /** A write, then aio_fsync(op): the fsync completes with 0. */
    private void writeThenSync(int op) {
        int fd = fx.file("f");
        MemorySegment w = fx.aiocb(fd, fx.randomBuffer(1024), 0);
        assertEquals(0, fx.p.aio_write(w.address()));
        assertEquals(0, fx.awaitDone(w));
        assertEquals(1024, fx.p.aio_return(w.address()));
        MemorySegment s = syncCb(fd);
        assertEquals(0, fx.p.aio_fsync(op, s.address()));
        assertEquals(0, fx.awaitDone(s));
        assertEquals(0, fx.p.aio_return(s.address()));
    }

    @Test
    @DisplayName("posix aio_fsync/2-1: aio_fsync(O_DSYNC) after a write completes with 0")
    void fsync_2_1() {
        writeThenSync(O_DSYNC);
    }

    @Test
    @DisplayName("posix aio_fsync/3-1: aio_fsync(O_SYNC) after a write completes with 0")
    void fsync_3_1() {
        writeThenSync(O_SYNC);
    }

    @Test
    @DisplayName("posix aio_fsync/4-1: aio_write immediately followed by aio_fsync; the fsync's aio_return is 0")
    void fsync_4_1() {
        int fd = fx.file("f");
        MemorySegment w = fx.aiocb(fd, fx.randomBuffer(4096), 0);
        assertEquals(0, fx.p.aio_write(w.address()));
        MemorySegment s = syncCb(fd);
        assertEquals(0, fx.p.aio_fsync(O_SYNC, s.address()));
        assertEquals(0, fx.awaitDone(s));
        assertEquals(0, fx.p.aio_return(s.address()));
        assertEquals(0, fx.awaitDone(w));
        assertEquals(4096, fx.p.aio_return(w.address()));
    }

    @Test
    @DisplayName("posix aio_fsync/5-1: aio_error on a queued fsync is EINPROGRESS (made certain here: max_aio_per_proc=1 "
            + "and the process's one aiod busy, instead of the original's hope)")
    void fsync_5_1() {
        fx.sysctl("vfs.aio.max_aio_per_proc", 1);
        Fbsd.Blocker busy = fx.new Blocker();
        int fd = fx.file("f");
        MemorySegment s = syncCb(fd);
        assertEquals(0, fx.p.aio_fsync(O_SYNC, s.address()));
        Fbsd.sleep(50);
        assertEquals(EINPROGRESS, fx.p.aio_error(s.address()));
        busy.release();
        assertEquals(0, fx.awaitDone(s));
        assertEquals(0, fx.p.aio_return(s.address()));
    }

    @Test
    @DisplayName("posix aio_fsync/8-1: aio_nbytes (size_t)-1 on aio_fsync is EINVAL on FreeBSD (aio_aqueue checks "
            + "aio_nbytes for every opcode; the suite expects it to be ignored)")
    void fsync_8_1() {
        MemorySegment s = syncCb(fx.file("f"));
        FreeBsdAiocb.setNbytes(s, -1L);
        assertEquals(-1, fx.p.aio_fsync(O_SYNC, s.address()));
        assertEquals(EINVAL, fx.p.errno());
        assertEquals(EINVAL, fx.p.aio_error(s.address()));
    }

    @Test
    @DisplayName("posix aio_fsync/8-2: aio_buf NULL is ignored by aio_fsync")
    void fsync_8_2() {
        MemorySegment s = syncCb(fx.file("f"));
        FreeBsdAiocb.setBuf(s, 0);
        assertEquals(0, fx.p.aio_fsync(O_SYNC, s.address()));
        assertEquals(0, fx.awaitDone(s));
    }

    @Test
    @DisplayName("posix aio_fsync/8-3: aio_reqprio -1 is ignored by aio_fsync")
    void fsync_8_3() {
        MemorySegment s = syncCb(fx.file("f"));
        FreeBsdAiocb.setReqprio(s, -1);
        assertEquals(0, fx.p.aio_fsync(O_SYNC, s.address()));
        assertEquals(0, fx.awaitDone(s));
    }

    @Test
    @DisplayName("posix aio_fsync/8-4: aio_offset -1 is ignored by aio_fsync")
    void fsync_8_4() {
        MemorySegment s = syncCb(fx.file("f"));
        FreeBsdAiocb.setOffset(s, -1);
        assertEquals(0, fx.p.aio_fsync(O_SYNC, s.address()));
        assertEquals(0, fx.awaitDone(s));
    }

    @Test
    @DisplayName("posix aio_fsync/9-1: aio_fsync returns 0 when queued and the request completes")
    void fsync_9_1() {
        MemorySegment s = syncCb(fx.file("f"));
        assertEquals(0, fx.p.aio_fsync(O_DSYNC, s.address()));
        assertEquals(0, fx.awaitDone(s));
        assertEquals(0, fx.p.aio_return(s.address()));
    }

    @Test
    @DisplayName("posix aio_fsync/12-1: aio_fsync on a bad descriptor is -1/EBADF")
    void fsync_12_1() {
        MemorySegment s = syncCb(Fbsd.closedFd());
        assertEquals(-1, fx.p.aio_fsync(O_SYNC, s.address()));
        assertEquals(EBADF, fx.p.errno());
    }

    @Test
    @DisplayName("posix aio_fsync/14-1: aio_fsync with op -1 is -1/EINVAL")
    void fsync_14_1() {
        MemorySegment s = syncCb(fx.file("f"));
        assertEquals(-1, fx.p.aio_fsync(-1, s.address()));
        assertEquals(EINVAL, fx.p.errno());
    }
}

package org.aioemu.conformance.freebsd;

import static org.aioemu.conformance.freebsd.Fbsd.EAGAIN;
import static org.aioemu.conformance.freebsd.Fbsd.EINVAL;
import static org.aioemu.conformance.freebsd.Fbsd.EIO;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_MLOCK;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_NOWAIT;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_READ;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_READV;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_SYNC;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_WAIT;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_WRITE;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_WRITEV;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_KEVENT;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_SIGNAL;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_THREAD;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGUSR1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;

import org.aioemu.core.host.HostIo;
import org.aioemu.freebsd.FreeBsdAiocb;
import org.aioemu.freebsd.FreeBsdSigevent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** FreeBSD tests/sys/aio/lio_test.c. */
@Timeout(60)
class LioTestTest {
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
    @DisplayName("freebsd lio_test.c lio_listio_eagain_kevent: a second full list of max_aio_queue_per_proc writes is -1/EAGAIN")
    void lio_listio_eagain_kevent() {
        fx.sysctl("vfs.aio.enable_unsafe", 1);
        int perCall = (int) fx.sysctl("vfs.aio.max_aio_queue_per_proc");
        int fd = fx.file("tempfile");
        int kq = fx.p.kqueue();
        assertTrue(kq > 0);
        MemorySegment buffer = fx.buffer(4096);
        MemorySegment[] lists = new MemorySegment[2];
        MemorySegment[] sevs = new MemorySegment[2];
        for (int i = 0; i < 2; i++) {
            MemorySegment[] cbs = new MemorySegment[perCall];
            for (int j = 0; j < perCall; j++) {
                cbs[j] = fx.aiocb(fd, buffer, (long) (i * perCall + j) * 4096);
                FreeBsdAiocb.setLioOpcode(cbs[j], LIO_WRITE);
            }
            lists[i] = fx.list(cbs);
            sevs[i] = fx.sigevent();
            FreeBsdSigevent.setNotify(sevs[i], 0, SIGEV_KEVENT);
            FreeBsdSigevent.setKqueue(sevs[i], 0, kq);
            FreeBsdSigevent.setValue(sevs[i], 0, 0xdead0000L + i);
        }
        assertEquals(0, fx.p.lio_listio(LIO_NOWAIT, lists[0].address(), perCall, sevs[0].address()));
        assertEquals(-1, fx.p.lio_listio(LIO_NOWAIT, lists[1].address(), perCall, sevs[1].address()));
        assertEquals(EAGAIN, fx.p.errno());
    }

    @Test
    @DisplayName("freebsd lio_test.c lio_listio_empty_wait: nent 0 with LIO_WAIT returns 0 at once")
    void lio_listio_empty_wait() {
        assertEquals(0, fx.p.lio_listio(LIO_WAIT, fx.list(MemorySegment.NULL).address(), 0, 0));
    }

    @Test
    @DisplayName("freebsd lio_test.c lio_listio_empty_nowait: nent 0 with LIO_NOWAIT and no sigevent returns 0")
    void lio_listio_empty_nowait() {
        assertEquals(0, fx.p.lio_listio(LIO_NOWAIT, fx.list(MemorySegment.NULL).address(), 0, 0));
    }

    @Test
    @DisplayName("freebsd lio_test.c lio_listio_empty_nowait_kevent: nent 0 with SIGEV_KEVENT never delivers the event "
            + "(FreeBSD bug 251515, which the original expects as a timeout; asserted as FreeBSD behaves)")
    void lio_listio_empty_nowait_kevent() {
        int kq = fx.p.kqueue();
        assertTrue(kq > 0);
        MemorySegment sev = fx.sigevent();
        FreeBsdSigevent.setNotify(sev, 0, SIGEV_KEVENT);
        FreeBsdSigevent.setKqueue(sev, 0, kq);
        FreeBsdSigevent.setValue(sev, 0, 0xdeadbeefdeadbeefL);
        MemorySegment list = fx.list(MemorySegment.NULL);
        assertEquals(0, fx.p.lio_listio(LIO_NOWAIT, list.address(), 0, sev.address()));
        assertEquals(0, fx.p.kevent(kq, 0, 0, fx.kevents(1).address(), 1, fx.timespec(0, 300_000_000).address()));
    }

    @Test
    @DisplayName("freebsd lio_test.c lio_listio_empty_nowait_signal: nent 0 with SIGEV_SIGNAL delivers the signal at once")
    void lio_listio_empty_nowait_signal() {
        Semaphore sem = new Semaphore(0);
        MemorySegment sev = fx.sigevent();
        FreeBsdSigevent.setNotify(sev, 0, SIGEV_SIGNAL);
        FreeBsdSigevent.setSigno(sev, 0, SIGUSR1);
        assertEquals(0, fx.p.sigaction(SIGUSR1, info -> sem.release(), 0));
        assertEquals(0, fx.p.lio_listio(LIO_NOWAIT, fx.list(MemorySegment.NULL).address(), 0, sev.address()));
        assertTrue(Fbsd.acquire(sem));
    }

    @Test
    @DisplayName("freebsd lio_test.c lio_listio_empty_nowait_thread: nent 0 with SIGEV_THREAD calls the function at once")
    void lio_listio_empty_nowait_thread() {
        Semaphore sem = new Semaphore(0);
        MemorySegment sev = fx.sigevent();
        FreeBsdSigevent.setNotify(sev, 0, SIGEV_THREAD);
        FreeBsdSigevent.setFunction(sev, 0, fx.callback(v -> sem.release()));
        assertEquals(0, fx.p.lio_listio(LIO_NOWAIT, fx.list(MemorySegment.NULL).address(), 0, sev.address()),
                () -> "errno " + fx.p.errno());
        assertTrue(Fbsd.acquire(sem));
    }

    @Test
    @DisplayName("freebsd lio_test.c lio_listio_opcodes: LIO_WRITE, LIO_READ, LIO_WRITEV, LIO_READV in one LIO_WAIT list")
    void lio_listio_opcodes() {
        int fd = fx.file("testfile");
        assertEquals(6, HostIo.write(fd, fx.text("123456"), 6));
        MemorySegment buffer = fx.text("abcdef");
        MemorySegment write = fx.aiocb(fd, buffer.asSlice(0, 1), 0);        // a -> 1
        FreeBsdAiocb.setLioOpcode(write, LIO_WRITE);
        MemorySegment read = fx.aiocb(fd, buffer.asSlice(1, 1), 1);         // b <- 2
        FreeBsdAiocb.setLioOpcode(read, LIO_READ);
        MemorySegment writev = fx.aiocbv(fd, 2, buffer.asSlice(3, 1), buffer.asSlice(2, 1));   // d -> 3, c -> 4
        FreeBsdAiocb.setLioOpcode(writev, LIO_WRITEV);
        MemorySegment readv = fx.aiocbv(fd, 4, buffer.asSlice(5, 1), buffer.asSlice(4, 1));    // f <- 5, e <- 6
        FreeBsdAiocb.setLioOpcode(readv, LIO_READV);
        assertEquals(0, fx.p.lio_listio(LIO_WAIT, fx.list(write, read, writev, readv).address(), 4, 0));
        assertEquals(0, fx.p.aio_error(write.address()));
        assertEquals(1, fx.p.aio_return(write.address()));
        assertEquals(0, fx.p.aio_error(read.address()));
        assertEquals(1, fx.p.aio_return(read.address()));
        assertEquals(0, fx.p.aio_error(writev.address()));
        assertEquals(2, fx.p.aio_return(writev.address()));
        assertEquals(0, fx.p.aio_error(readv.address()));
        assertEquals(2, fx.p.aio_return(readv.address()));
        assertEquals("a2cd65", Fbsd.string(buffer));
        MemorySegment back = fx.buffer(6);
        assertEquals(6, HostIo.pread(fd, back, 6, 0));
        assertEquals("a2dc56", Fbsd.string(back));
    }

    @Test
    @DisplayName("freebsd lio_test.c lio_listio_invalid_opcode: LIO_SYNC and LIO_MLOCK entries make it -1/EIO; each entry EINVAL")
    void lio_listio_invalid_opcode() {
        int fd = fx.file("testfile");
        MemorySegment sync = fx.aiocb();
        FreeBsdAiocb.setFildes(sync, fd);
        FreeBsdAiocb.setLioOpcode(sync, LIO_SYNC);
        MemorySegment mlock = fx.aiocb();
        FreeBsdAiocb.setLioOpcode(mlock, LIO_MLOCK);
        assertEquals(-1, fx.p.lio_listio(LIO_WAIT, fx.list(sync, mlock).address(), 2, 0));
        assertEquals(EIO, fx.p.errno());
        assertEquals(EINVAL, fx.p.aio_error(sync.address()));
        assertEquals(-1, fx.p.aio_return(sync.address()));
        assertEquals(EINVAL, fx.p.errno());
        assertEquals(EINVAL, fx.p.aio_error(mlock.address()));
        assertEquals(-1, fx.p.aio_return(mlock.address()));
        assertEquals(EINVAL, fx.p.errno());
    }
}

package org.aioemu.conformance.freebsd;

import static org.aioemu.conformance.freebsd.Fbsd.EAGAIN;
import static org.aioemu.conformance.freebsd.Fbsd.EBADF;
import static org.aioemu.conformance.freebsd.Fbsd.EINVAL;
import static org.aioemu.freebsd.FreeBsdAioConstants.AIO_ALLDONE;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_SIGNAL;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGUSR1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;

import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.aioemu.freebsd.FreeBsdAioProcess;
import org.aioemu.freebsd.FreeBsdAiocb;
import org.aioemu.freebsd.FreeBsdSigevent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * fork and close with AIO in flight (no suite tests these). fork: the child's p_aioinfo starts
 * empty, so the parent's jobs are invisible there. close: each job holds its own reference to the
 * file, so close(2) neither cancels nor waits, and the descriptor number is then unknown to
 * aio_cancel (EBADF).
 */
@Timeout(60)
class FreeBsdForkCloseTest {
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
    @DisplayName("aioemu freebsd fork: the child has no AIO state; the parent's aiocb is EINVAL to aio_error and aio_return there")
    void childSeesNoParentJobs() {
        int[] s = fx.socketpair(HostConstants.SOCK_STREAM);
        MemorySegment cb = fx.aiocb(s[0], fx.buffer(8), 0);
        assertEquals(0, fx.p.aio_read(cb.address()));
        FreeBsdAioProcess child = fx.p.fork();
        assertFalse(child.hasAioState());
        assertEquals(EINVAL, child.aio_error(cb.address()));
        assertEquals(-1, child.aio_return(cb.address()));
        assertEquals(EINVAL, child.errno());
        assertEquals(-1, child.aio_suspend(fx.list(cb).address(), 1, fx.timespec(0, 0).address()));
        assertEquals(EAGAIN, child.errno(), "aio_suspend in a process with no AIO state");
        assertEquals(AIO_ALLDONE, child.aio_cancel(s[0], cb.address()));
        assertEquals(-1, child.aio_waitcomplete(fx.pointer().address(), fx.timespec(0, 0).address()));
        assertEquals(EAGAIN, child.errno());
        assertTrue(child.hasAioState(), "aio_waitcomplete made the child's AIO state");

        assertEquals(2, HostIo.write(s[1], fx.text("hi"), 2));
        assertEquals(0, fx.awaitDone(cb));
        assertEquals(2, fx.p.aio_return(cb.address()));
        assertEquals(-1, child.aio_return(cb.address()));
        child.exit();
    }

    @Test
    @DisplayName("aioemu freebsd fork: the child keeps the parent's signal handlers; its own jobs notify through them")
    void childInheritsHandlers() {
        Semaphore sem = new Semaphore(0);
        assertEquals(0, fx.p.sigaction(SIGUSR1, info -> sem.release(), 0));
        FreeBsdAioProcess child = fx.p.fork();
        MemorySegment cb = fx.aiocb(fx.file("f"), fx.randomBuffer(64), 0);
        MemorySegment sev = FreeBsdAiocb.sigevent(cb);
        FreeBsdSigevent.setNotify(sev, 0, SIGEV_SIGNAL);
        FreeBsdSigevent.setSigno(sev, 0, SIGUSR1);
        assertEquals(0, child.aio_write(cb.address()));
        assertTrue(Fbsd.acquire(sem));
        assertEquals(64, child.aio_return(cb.address()));
        assertEquals(-1, fx.p.aio_return(cb.address()), "the parent cannot reap the child's job");
        child.exit();
    }

    @Test
    @DisplayName("aioemu freebsd fork: the parent's kqueue is not a kqueue in the child (EBADF)")
    void kqueueNotInherited() {
        int kq = fx.p.kqueue();
        FreeBsdAioProcess child = fx.p.fork();
        assertEquals(-1, child.kevent(kq, 0, 0, fx.kevents(1).address(), 1, fx.timespec(0, 0).address()));
        assertEquals(EBADF, child.errno());
        child.exit();
    }

    @Test
    @DisplayName("aioemu freebsd close: closing a file with a queued write neither cancels nor waits; the write lands; aio_cancel then says EBADF")
    void closeNeitherCancelsNorWaits() throws Exception {
        fx.sysctl("vfs.aio.max_aio_per_proc", 1);
        Fbsd.Blocker busy = fx.new Blocker();
        int fd = HostIo.open(fx.path("f").toString(), HostConstants.O_RDWR | HostConstants.O_CREAT, 0600);
        MemorySegment cb = fx.aiocb(fd, fx.text("survives close"), 0);
        assertEquals(0, fx.p.aio_write(cb.address()));
        assertEquals(0, fx.p.close(fd));
        assertEquals(-1, fx.p.aio_cancel(fd, cb.address()));
        assertEquals(EBADF, fx.p.errno());
        busy.release();
        assertEquals(0, fx.awaitDone(cb));
        assertEquals(14, fx.p.aio_return(cb.address()));
        assertEquals("survives close", Files.readString(fx.path("f")));
    }

    @Test
    @DisplayName("aioemu freebsd close: a socket closed under a waiting aio_read stays open for it; the peer's data completes it")
    void closedSocketKeepsWaitingRead() {
        int[] s = new int[2];
        assertEquals(0, HostIo.socketpair(HostConstants.AF_UNIX, HostConstants.SOCK_STREAM, 0, s));
        fx.track(s[1]);
        MemorySegment cb = fx.aiocb(s[0], fx.buffer(16), 0);
        assertEquals(0, fx.p.aio_read(cb.address()));
        assertEquals(0, fx.p.close(s[0]));
        assertEquals(5, HostIo.write(s[1], fx.text("later"), 5), "the peer is still connected");
        assertEquals(0, fx.awaitDone(cb));
        assertEquals(5, fx.p.aio_return(cb.address()));
        assertEquals("later", Fbsd.string(Fbsd.bufferOf(cb).asSlice(0, 5)));
    }

    @Test
    @DisplayName("aioemu freebsd close: closing a kqueue drops its knotes; the job still completes and is reaped")
    void closeKqueue() {
        int kq = fx.p.kqueue();
        int[] s = fx.socketpair(HostConstants.SOCK_STREAM);
        MemorySegment cb = fx.aiocb(s[0], fx.buffer(4), 0);
        Fbsd.keventOnCompletion(cb, kq, 1, 0);
        assertEquals(0, fx.p.aio_read(cb.address()));
        assertEquals(0, fx.p.close(kq));
        assertEquals(-1, fx.p.kevent(kq, 0, 0, fx.kevents(1).address(), 1, fx.timespec(0, 0).address()));
        assertEquals(EBADF, fx.p.errno());
        assertEquals(1, HostIo.write(s[1], fx.text("!"), 1));
        assertEquals(0, fx.awaitDone(cb));
        assertEquals(1, fx.p.aio_return(cb.address()));
    }
}

package org.aioemu.conformance.freebsd;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.aioemu.conformance.freebsd.Fbsd.EAGAIN;
import static org.aioemu.conformance.freebsd.Fbsd.EBADF;
import static org.aioemu.conformance.freebsd.Fbsd.EFAULT;
import static org.aioemu.conformance.freebsd.Fbsd.EINPROGRESS;
import static org.aioemu.conformance.freebsd.Fbsd.EINVAL;
import static org.aioemu.conformance.freebsd.Fbsd.EPIPE;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_NOP;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_NOWAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.aioemu.freebsd.FreeBsdAiocb;
import org.aioemu.freebsd.FreeBsdErrno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status life cycle and the waits, where no suite looks: what the program's _aiocb_private
 * holds and when; the stored-error rule after reaping; aio_waitcomplete polling, timing out and
 * reaping failures; aio_suspend's early answers; aio_mlock; LIO_NOP entries; and bad pointers,
 * which are EFAULT (or, where FreeBSD reads with fuword, -1) and never a crash.
 */
@Timeout(60)
class FreeBsdStatusTest {
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
    @DisplayName("aioemu freebsd status: queueing stores status -1, error EINPROGRESS and the job id; completion writes nothing; "
            + "aio_return stores the final status and error")
    void privateFieldsLifeCycle() {
        int[] s = fx.socketpair(HostConstants.SOCK_STREAM);
        MemorySegment cb = fx.aiocb(s[0], fx.buffer(8), 0);
        FreeBsdAiocb.setFildes(cb, s[0]);
        cb.set(JAVA_LONG, FreeBsdAiocb.STATUS_OFFSET, 1234);
        assertEquals(0, fx.p.aio_read(cb.address()));
        assertEquals(-1, FreeBsdAiocb.status(cb));
        assertEquals(EINPROGRESS, FreeBsdAiocb.error(cb));
        assertTrue(FreeBsdAiocb.kernelinfo(cb) > 0);
        assertEquals(3, HostIo.write(s[1], fx.text("abc"), 3));
        assertEquals(0, fx.awaitDone(cb));
        assertEquals(-1, FreeBsdAiocb.status(cb), "completion leaves the program's copy alone");
        assertEquals(EINPROGRESS, FreeBsdAiocb.error(cb));
        assertEquals(3, fx.p.aio_return(cb.address()));
        assertEquals(3, FreeBsdAiocb.status(cb));
        assertEquals(0, FreeBsdAiocb.error(cb));
    }

    @Test
    @DisplayName("aioemu freebsd status: after reaping, a failed job's aio_error is its stored error (status -1), a successful one's EINVAL")
    void storedErrorAfterReap() {
        int[] s = fx.socketpair(HostConstants.SOCK_STREAM);
        assertEquals(0, HostIo.shutdown(s[1], HostConstants.SHUT_WR));
        assertEquals(0, fx.p.sigignore(org.aioemu.freebsd.FreeBsdAioConstants.SIGPIPE));
        MemorySegment failed = fx.aiocb(s[1], fx.randomBuffer(8), 0);
        assertEquals(0, fx.p.aio_write(failed.address()));
        assertEquals(EPIPE, fx.awaitDone(failed));
        assertEquals(-1, fx.p.aio_return(failed.address()));
        assertEquals(EPIPE, fx.p.errno());
        assertEquals(EPIPE, fx.p.aio_error(failed.address()));
        MemorySegment ok = fx.aiocb(fx.file("f"), fx.randomBuffer(8), 0);
        assertEquals(0, fx.p.aio_write(ok.address()));
        assertEquals(0, fx.awaitDone(ok));
        assertEquals(8, fx.p.aio_return(ok.address()));
        assertEquals(EINVAL, fx.p.aio_error(ok.address()));
    }

    @Test
    @DisplayName("aioemu freebsd aio_waitcomplete: {0,0} polls (EAGAIN, *iocbp NULL); a timeout runs out with EAGAIN; a bad timespec is EINVAL")
    void waitcompletePollAndTimeout() {
        MemorySegment pp = fx.pointer();
        pp.set(JAVA_LONG, 0, 99);
        assertEquals(-1, fx.p.aio_waitcomplete(pp.address(), fx.timespec(0, 0).address()));
        assertEquals(EAGAIN, fx.p.errno());
        assertEquals(0, pp.get(JAVA_LONG, 0));
        long t0 = System.nanoTime();
        assertEquals(-1, fx.p.aio_waitcomplete(pp.address(), fx.timespec(0, 50_000_000).address()));
        assertEquals(EAGAIN, fx.p.errno());
        assertTrue(System.nanoTime() - t0 >= 50_000_000L);
        assertEquals(-1, fx.p.aio_waitcomplete(pp.address(), fx.timespec(0, 1_000_000_000L).address()));
        assertEquals(EINVAL, fx.p.errno());
        assertEquals(-1, fx.p.aio_waitcomplete(pp.address(), fx.timespec(-1, 0).address()));
        assertEquals(EINVAL, fx.p.errno());
    }

    @Test
    @DisplayName("aioemu freebsd aio_waitcomplete: reaping a failed job returns -1 with its errno and still names the aiocb")
    void waitcompleteReapsFailure() {
        int[] s = fx.socketpair(HostConstants.SOCK_STREAM);
        MemorySegment cb = fx.aiocb(s[0], fx.buffer(8), 0);
        assertEquals(0, fx.p.aio_read(cb.address()));
        assertEquals(org.aioemu.freebsd.FreeBsdAioConstants.AIO_CANCELED, fx.p.aio_cancel(s[0], cb.address()));
        MemorySegment pp = fx.pointer();
        assertEquals(-1, fx.p.aio_waitcomplete(pp.address(), 0));
        assertEquals(Fbsd.ECANCELED, fx.p.errno());
        assertEquals(cb.address(), pp.get(JAVA_LONG, 0));
        assertEquals(-1, fx.p.aio_return(cb.address()));
        assertEquals(EINVAL, fx.p.errno(), "already reaped");
    }

    @Test
    @DisplayName("aioemu freebsd aio_waitcomplete: with no timeout in a process that never used AIO it waits (the code, not the man page's EAGAIN)")
    void waitcompleteWithoutStateBlocks() throws Exception {
        MemorySegment pp = fx.pointer();
        CompletableFuture<Long> wait = CompletableFuture.supplyAsync(() -> fx.p.aio_waitcomplete(pp.address(), 0));
        Fbsd.sleep(200);
        assertFalse(wait.isDone());
        assertTrue(fx.p.hasAioState());
        MemorySegment cb = fx.aiocb(fx.file("f"), fx.randomBuffer(20), 0);
        assertEquals(0, fx.p.aio_write(cb.address()));
        assertEquals(20L, wait.get(5, TimeUnit.SECONDS));
        assertEquals(cb.address(), pp.get(JAVA_LONG, 0));
    }

    @Test
    @DisplayName("aioemu freebsd aio_suspend: no AIO state is EAGAIN; nent 0 is 0; a list naming no live job returns 0 at once; "
            + "bad timespecs are EINVAL")
    void suspendEarlyAnswers() {
        MemorySegment never = fx.aiocb(fx.file("f"), fx.buffer(4), 0);
        assertEquals(-1, fx.p.aio_suspend(fx.list(never).address(), 1, 0));
        assertEquals(EAGAIN, fx.p.errno());
        MemorySegment cb = fx.aiocb(fx.file("g"), fx.randomBuffer(4), 0);
        assertEquals(0, fx.p.aio_write(cb.address()));
        assertEquals(0, fx.p.aio_suspend(fx.list(never).address(), 0, 0));
        assertEquals(0, fx.p.aio_suspend(fx.list(never, MemorySegment.NULL).address(), 2, 0), "no live job: returns at once");
        assertEquals(-1, fx.p.aio_suspend(fx.list(cb).address(), 1, fx.timespec(0, -1).address()));
        assertEquals(EINVAL, fx.p.errno());
        assertEquals(-1, fx.p.aio_suspend(fx.list(cb).address(), -1, 0));
        assertEquals(EINVAL, fx.p.errno());
    }

    @Test
    @DisplayName("aioemu freebsd aio_mlock: wires a buffer (status 0); an unmapped range fails later with ENOMEM; aio_fildes is ignored")
    void mlock() {
        MemorySegment page = fx.buffer(4096);
        MemorySegment cb = fx.aiocb(-1, page, 0);
        assertEquals(0, fx.p.aio_mlock(cb.address()));
        assertEquals(0, fx.awaitDone(cb));
        assertEquals(0, fx.p.aio_return(cb.address()));
        HostIo.munlock(page.address(), 4096);
        MemorySegment bad = fx.aiocb();
        FreeBsdAiocb.setBuf(bad, Fbsd.unmapped());
        FreeBsdAiocb.setNbytes(bad, 4096);
        assertEquals(0, fx.p.aio_mlock(bad.address()));
        assertEquals(FreeBsdErrno.ENOMEM, fx.awaitDone(bad));
        assertEquals(-1, fx.p.aio_return(bad.address()));
    }

    @Test
    @DisplayName("aioemu freebsd lio_listio: a LIO_NOP entry gets a job id, queues nothing; aio_error 0, aio_return EINVAL; a bad fd in it is EBADF")
    void lioNop() {
        int fd = fx.file("f");
        MemorySegment nop = fx.aiocb(fd, fx.buffer(4), 0);
        FreeBsdAiocb.setLioOpcode(nop, LIO_NOP);
        assertEquals(0, fx.p.lio_listio(LIO_NOWAIT, fx.list(nop).address(), 1, 0));
        assertTrue(FreeBsdAiocb.kernelinfo(nop) > 0);
        assertEquals(0, fx.p.aio_error(nop.address()));
        assertEquals(-1, fx.p.aio_return(nop.address()));
        assertEquals(0, fx.p.aioJobCount());
        FreeBsdAiocb.setFildes(nop, -1);
        assertEquals(-1, fx.p.lio_listio(LIO_NOWAIT, fx.list(nop).address(), 1, 0));
        assertEquals(Fbsd.EIO, fx.p.errno());
        assertEquals(EBADF, fx.p.aio_error(nop.address()));
    }

    @Test
    @DisplayName("aioemu freebsd bad pointers: EFAULT for an unmapped or kernel-space aiocb, list, sigevent, timespec, iovec array "
            + "or kevent array; no crash")
    void badPointers() {
        long hole = Fbsd.unmapped();
        assertEquals(-1, fx.p.aio_read(hole));
        assertEquals(EFAULT, fx.p.errno());
        assertEquals(-1, fx.p.aio_write(0xffff_8000_0000_0000L));
        assertEquals(EFAULT, fx.p.errno());
        assertEquals(-1, fx.p.aio_fsync(org.aioemu.freebsd.FreeBsdAioConstants.O_SYNC, 0));
        assertEquals(EFAULT, fx.p.errno());
        assertEquals(-1, fx.p.aio_suspend(hole, 1, 0));
        assertEquals(EFAULT, fx.p.errno());
        MemorySegment cb = fx.aiocb(fx.file("f"), fx.randomBuffer(4), 0);
        assertEquals(0, fx.p.aio_write(cb.address()));
        assertEquals(-1, fx.p.aio_suspend(fx.list(cb).address(), 1, hole));
        assertEquals(EFAULT, fx.p.errno());
        assertEquals(-1, fx.p.lio_listio(LIO_NOWAIT, hole, 2, 0));
        assertEquals(EFAULT, fx.p.errno());
        assertEquals(-1, fx.p.lio_listio(LIO_NOWAIT, fx.list(cb).address(), 1, hole));
        assertEquals(EFAULT, fx.p.errno());
        assertEquals(-1, fx.p.aio_waitcomplete(fx.pointer().address(), hole));
        assertEquals(EFAULT, fx.p.errno());
        MemorySegment v = fx.aiocb();
        FreeBsdAiocb.setFildes(v, fx.file("g"));
        FreeBsdAiocb.setIov(v, hole);
        FreeBsdAiocb.setIovcnt(v, 2);
        assertEquals(-1, fx.p.aio_writev(v.address()));
        assertEquals(EFAULT, fx.p.errno());
        int kq = fx.p.kqueue();
        assertEquals(-1, fx.p.kevent(kq, hole, 1, 0, 0, 0));
        assertEquals(EFAULT, fx.p.errno());
        assertEquals(0, fx.awaitDone(cb));
        Fbsd.keventOnCompletion(cb, kq, 1, 0);
        assertEquals(4, fx.p.aio_return(cb.address()));
        assertEquals(0, fx.p.aio_write(cb.address()));
        assertEquals(0, fx.awaitDone(cb));
        assertEquals(-1, fx.p.kevent(kq, 0, 0, hole, 1, 0));
        assertEquals(EFAULT, fx.p.errno());
        assertEquals(-1, fx.p.aio_error(hole), "fuword of a bad address reads -1, as the kernel's does");
        assertEquals(-1, fx.p.aio_return(hole));
        assertEquals(EINVAL, fx.p.errno());
    }

    @Test
    @DisplayName("aioemu freebsd bad pointers: a file read into unmapped memory fails with EFAULT when it runs, not at submission")
    void badBufferFailsAtCompletion() {
        int fd = fx.file("f");
        assertEquals(64, HostIo.write(fd, fx.randomBuffer(64), 64));
        MemorySegment cb = fx.aiocb();
        FreeBsdAiocb.setFildes(cb, fd);
        FreeBsdAiocb.setBuf(cb, Fbsd.unmapped());
        FreeBsdAiocb.setNbytes(cb, 64);
        assertEquals(0, fx.p.aio_read(cb.address()));
        assertEquals(EFAULT, fx.awaitDone(cb));
        assertEquals(-1, fx.p.aio_return(cb.address()));
        assertEquals(EFAULT, fx.p.errno());
    }
}

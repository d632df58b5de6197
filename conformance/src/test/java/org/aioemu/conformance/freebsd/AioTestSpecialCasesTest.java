package org.aioemu.conformance.freebsd;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.aioemu.conformance.freebsd.Fbsd.EAGAIN;
import static org.aioemu.conformance.freebsd.Fbsd.EBADF;
import static org.aioemu.conformance.freebsd.Fbsd.EFAULT;
import static org.aioemu.conformance.freebsd.Fbsd.EINPROGRESS;
import static org.aioemu.conformance.freebsd.Fbsd.EINVAL;
import static org.aioemu.conformance.freebsd.Fbsd.EPIPE;
import static org.aioemu.freebsd.FreeBsdAioConstants.AIO_CANCELED;
import static org.aioemu.freebsd.FreeBsdAioConstants.AIO_NOTCANCELED;
import static org.aioemu.freebsd.FreeBsdAioConstants.EVFILT_AIO;
import static org.aioemu.freebsd.FreeBsdAioConstants.EV_EOF;
import static org.aioemu.freebsd.FreeBsdAioConstants.EV_ONESHOT;
import static org.aioemu.freebsd.FreeBsdAioConstants.O_DSYNC;
import static org.aioemu.freebsd.FreeBsdAioConstants.O_SYNC;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGPIPE;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIG_BLOCK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;

import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.aioemu.freebsd.FreeBsdAiocb;
import org.aioemu.freebsd.FreeBsdKevent;
import org.aioemu.freebsd.FreeBsdSigevent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** FreeBSD tests/sys/aio/aio_test.c, "various special cases" and the vectored cases. */
@Timeout(60)
class AioTestSpecialCasesTest {
    private static final int MSG_WAITALL = 0x100;   // Linux <sys/socket.h>, for the host-side recv

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

    private int unlinkedFile() throws Exception {
        int fd = fx.file("testfile");
        Files.delete(fx.path("testfile"));
        return fd;
    }

    @Test
    @DisplayName("freebsd aio_test.c aio_fsync_errors: bad op EINVAL, bad fd EBADF, bad sigev_notify EINVAL")
    void aio_fsync_errors() throws Exception {
        fx.sysctl("vfs.aio.enable_unsafe", 1);
        int fd = unlinkedFile();
        MemorySegment cb = fx.aiocb();
        FreeBsdAiocb.setFildes(cb, fd);
        assertEquals(-1, fx.p.aio_fsync(666, cb.address()));
        assertEquals(EINVAL, fx.p.errno());

        cb = fx.aiocb();
        FreeBsdAiocb.setFildes(cb, Fbsd.closedFd());
        assertEquals(-1, fx.p.aio_fsync(O_SYNC, cb.address()));
        assertEquals(EBADF, fx.p.errno());

        cb = fx.aiocb();
        FreeBsdAiocb.setFildes(cb, fd);
        FreeBsdSigevent.setNotify(FreeBsdAiocb.sigevent(cb), 0, 666);
        assertEquals(-1, fx.p.aio_fsync(666, cb.address()));
        assertEquals(EINVAL, fx.p.errno());
    }

    /** 16 block-sized writes, then aio_fsync: it may only complete after every write. */
    private void fsyncAfterWrites(int op) throws Exception {
        fx.sysctl("vfs.aio.enable_unsafe", 1);
        int fd = unlinkedFile();
        long blk = Fbsd.blksize(fd);
        assertTrue(blk > 0);
        assertEquals(0, HostIo.ftruncate(fd, blk * 16));
        MemorySegment[] cbs = new MemorySegment[16];
        boolean[] done = new boolean[16];
        for (int i = 0; i < 16; i++) {
            cbs[i] = fx.aiocb(fd, fx.randomBuffer((int) blk), blk * i);
            assertEquals(0, fx.p.aio_write(cbs[i].address()));
        }
        MemorySegment sync = fx.aiocb();
        FreeBsdAiocb.setFildes(sync, fd);
        assertEquals(0, fx.p.aio_fsync(op, sync.address()));
        MemorySegment pp = fx.pointer();
        next:
        for (;;) {
            long rval = fx.p.aio_waitcomplete(pp.address(), 0);
            long iocbp = pp.get(JAVA_LONG, 0);
            assertNotEquals(0, iocbp);
            if (iocbp == sync.address()) {
                assertEquals(0, rval);
                break;
            }
            for (int i = 0; i < 16; i++) {
                if (iocbp == cbs[i].address()) {
                    assertFalse(done[i]);
                    assertEquals(blk, rval);
                    done[i] = true;
                    continue next;
                }
            }
            fail("unmatched AIO request");
        }
        for (int i = 0; i < 16; i++) assertTrue(done[i], "AIO request " + i + " did not complete");
    }

    @Test
    @DisplayName("freebsd aio_test.c aio_fsync_sync_test: aio_fsync(O_SYNC) completes after the 16 writes queued before it")
    void aio_fsync_sync_test() throws Exception {
        fsyncAfterWrites(O_SYNC);
    }

    @Test
    @DisplayName("freebsd aio_test.c aio_fsync_dsync_test: aio_fsync(O_DSYNC) completes after the 16 writes queued before it")
    void aio_fsync_dsync_test() throws Exception {
        fsyncAfterWrites(O_DSYNC);
    }

    @Test
    @DisplayName("freebsd aio_test.c aio_large_read_test: aio_nbytes = SSIZE_MAX from an empty file reads 0; SSIZE_MAX + 1 is EINVAL")
    void aio_large_read_test() throws Exception {
        fx.sysctl("vfs.aio.enable_unsafe", 1);
        long len = fx.sysctl("debug.iosize_max_clamp") != 0 ? Integer.MAX_VALUE : Long.MAX_VALUE;
        int fd = unlinkedFile();
        MemorySegment cb = fx.aiocb();
        FreeBsdAiocb.setNbytes(cb, len);
        FreeBsdAiocb.setFildes(cb, fd);
        assertEquals(0, fx.p.aio_read(cb.address()), () -> "errno " + fx.p.errno());
        MemorySegment pp = fx.pointer();
        assertEquals(0, fx.p.aio_waitcomplete(pp.address(), 0), () -> "errno " + fx.p.errno());

        cb = fx.aiocb();
        FreeBsdAiocb.setNbytes(cb, len + 1);
        FreeBsdAiocb.setFildes(cb, fd);
        if (fx.p.aio_read(cb.address()) == -1) {
            assertEquals(EINVAL, fx.p.errno());
            return;
        }
        assertEquals(-1, fx.p.aio_waitcomplete(pp.address(), 0));
        assertEquals(EINVAL, fx.p.errno());
    }

    @Test
    @DisplayName("freebsd aio_test.c aio_socket_two_reads: one arriving byte completes exactly one of two queued reads; the other is cancellable")
    void aio_socket_two_reads() {
        int[] s = fx.socketpair(HostConstants.SOCK_STREAM);
        MemorySegment[] cbs = new MemorySegment[2];
        MemorySegment[] bufs = new MemorySegment[2];
        for (int i = 0; i < 2; i++) {
            bufs[i] = fx.buffer(1024);
            cbs[i] = fx.aiocb(s[0], bufs[i], 0);
            assertEquals(0, fx.p.aio_read(cbs[i].address()));
        }
        MemorySegment c = fx.buffer(1);
        c.set(JAVA_BYTE, 0, (byte) 0xc3);
        assertEquals(1, HostIo.write(s[1], c, 1));
        MemorySegment pp = fx.pointer();
        assertEquals(1, fx.p.aio_waitcomplete(pp.address(), 0));
        int i = pp.get(JAVA_LONG, 0) == cbs[0].address() ? 0 : 1;
        assertEquals((byte) 0xc3, bufs[i].get(JAVA_BYTE, 0));
        i ^= 1;
        assertEquals(EINPROGRESS, fx.p.aio_error(cbs[i].address()));
        assertEquals(AIO_CANCELED, fx.p.aio_cancel(s[0], cbs[i].address()));
    }

    private int sockbufMax(int[] s) {
        return Math.max(Fbsd.sockopt(s[0], HostConstants.SO_RCVBUF), Fbsd.sockopt(s[1], HostConstants.SO_SNDBUF));
    }

    private void blockingShortWrite(boolean vectored) {
        int[] s = fx.socketpair(HostConstants.SOCK_STREAM);
        int size = 2 * sockbufMax(s);
        MemorySegment in = fx.buffer(size);
        MemorySegment out = fx.randomBuffer(size);
        MemorySegment cb = vectored
                ? fx.aiocbv(s[1], 0, out.asSlice(0, size / 2 + 1), out.asSlice(size / 2 + 1, size / 2 - 1))
                : fx.aiocb(s[1], out, 0);
        assertEquals(0, vectored ? fx.p.aio_writev(cb.address()) : fx.p.aio_write(cb.address()));
        assertEquals(size, HostIo.recv(s[0], in, size, MSG_WAITALL));
        assertEquals(size, fx.waitcomplete(cb));
        assertArrayEquals(out.toArray(JAVA_BYTE), in.toArray(JAVA_BYTE));
    }

    @Test
    @DisplayName("freebsd aio_test.c aio_socket_blocking_short_write: a write of 2x the socket buffers on a blocking socket completes in full")
    void aio_socket_blocking_short_write() {
        blockingShortWrite(false);
    }

    @Test
    @DisplayName("freebsd aio_test.c aio_socket_blocking_short_write_vectored: the same through aio_writev with an odd split")
    void aio_socket_blocking_short_write_vectored() {
        blockingShortWrite(true);
    }

    @Test
    @DisplayName("freebsd aio_test.c aio_socket_listen_fail: aio_read and aio_write on a listening socket are EINVAL")
    void aio_socket_listen_fail() {
        int s = fx.boundUnixSocket("listen.sock");
        assertEquals(0, HostIo.listen(s, 5));
        MemorySegment cb = fx.aiocb(s, fx.buffer(16), 0);
        assertEquals(-1, fx.p.aio_read(cb.address()));
        assertEquals(EINVAL, fx.p.errno());
        assertEquals(-1, fx.p.aio_write(cb.address()));
        assertEquals(EINVAL, fx.p.errno());
    }

    @Test
    @Disabled("known difference: Linux fails a read on a never-connected AF_UNIX stream socket at once (EINVAL), "
            + "where FreeBSD's read waits (soreadable is false); so no request stays queued for listen() to refuse")
    @DisplayName("freebsd aio_test.c aio_socket_listen_pending: listen() on a socket with a queued aio_read is EINVAL")
    void aio_socket_listen_pending() {
        int s = fx.boundUnixSocket("pending.sock");
        MemorySegment cb = fx.aiocb(s, fx.buffer(16), 0);
        assertEquals(0, fx.p.aio_read(cb.address()));
        assertEquals(-1, fx.p.listen(s, 5));
        assertEquals(EINVAL, fx.p.errno());
        assertNotEquals(-1, fx.p.aio_cancel(s, cb.address()));
    }

    @Test
    @DisplayName("freebsd aio_test.c aio_socket_short_write_cancel: cancelling a partly sent write gives AIO_NOTCANCELED and the short count")
    void aio_socket_short_write_cancel() {
        int[] s = fx.socketpair(HostConstants.SOCK_STREAM);
        int size = sockbufMax(s);
        MemorySegment in = fx.buffer(size);
        MemorySegment out = fx.randomBuffer(size * 3);
        MemorySegment cb = fx.aiocb(s[1], out, 0);
        assertEquals(0, fx.p.aio_write(cb.address()));
        assertEquals(size, HostIo.recv(s[0], in, size, MSG_WAITALL));
        assertEquals(EINPROGRESS, fx.p.aio_error(cb.address()));
        assertEquals(AIO_NOTCANCELED, fx.p.aio_cancel(s[1], cb.address()));
        long done = fx.waitcomplete(cb);
        assertTrue(done >= size && done <= 2L * size, "done " + done);
        assertArrayEquals(out.asSlice(0, size).toArray(JAVA_BYTE), in.toArray(JAVA_BYTE));
    }

    @Test
    @DisplayName("freebsd aio_test.c aio_socket_shutdown: a read after SHUT_RD returns 0; a write after SHUT_WR fails EPIPE (SIGPIPE blocked, left pending)")
    void aio_socket_shutdown() {
        int[] s = fx.socketpair(HostConstants.SOCK_STREAM);
        MemorySegment buf = fx.buffer(1024);
        assertEquals(1024, HostIo.send(s[1], buf, 1024, 0));
        assertEquals(0, fx.p.shutdown(s[0], HostConstants.SHUT_RD));
        MemorySegment cb = fx.aiocb(s[0], buf, 0);
        assertEquals(0, fx.p.aio_read(cb.address()));
        assertEquals(0, fx.poll(cb));

        assertEquals(0, fx.p.shutdown(s[1], HostConstants.SHUT_WR));
        assertEquals(0, fx.p.sigprocmask(SIG_BLOCK, SIGPIPE));
        cb = fx.aiocb(s[1], buf, 0);
        assertEquals(0, fx.p.aio_write(cb.address()));
        long end = System.nanoTime() + 10_000_000_000L;
        int error;
        while ((error = fx.p.aio_error(cb.address())) == EINPROGRESS && System.nanoTime() < end) Fbsd.sleep(25);
        assertEquals(EPIPE, error);
        assertEquals(SIGPIPE, fx.p.pendingSignals().get(0).signo());
    }

    @Test
    @DisplayName("freebsd aio_test.c aio_writev_dos_iov_len: iov_len 1 GiB over a 14-byte string is queued, then fails EFAULT")
    void aio_writev_dos_iov_len() {
        fx.sysctl("vfs.aio.enable_unsafe", 1);
        int fd = fx.file("testfile");
        MemorySegment wbuf = Fbsd.atEndOfMapping("Hello, world!\0");
        MemorySegment iov = fx.buffer(16);
        iov.set(JAVA_LONG, 0, wbuf.address());
        iov.set(JAVA_LONG, 8, 1L << 30);
        MemorySegment cb = fx.aiocb();
        FreeBsdAiocb.setFildes(cb, fd);
        FreeBsdAiocb.setIov(cb, iov.address());
        FreeBsdAiocb.setIovcnt(cb, 1);
        assertEquals(0, fx.p.aio_writev(cb.address()));
        assertEquals(0, fx.p.aio_suspend(fx.list(cb).address(), 1, 0));
        assertEquals(-1, fx.p.aio_return(cb.address()));
        assertTrue(fx.p.errno() == EFAULT || fx.p.errno() == EINVAL, "errno " + fx.p.errno());
    }

    @Test
    @DisplayName("freebsd aio_test.c aio_writev_dos_iovcnt: aio_iovcnt 1<<30 is EINVAL at submission")
    void aio_writev_dos_iovcnt() {
        fx.sysctl("vfs.aio.enable_unsafe", 1);
        int fd = fx.file("testfile");
        MemorySegment cb = fx.aiocbv(fd, 0, fx.text("Hello, world!"));
        FreeBsdAiocb.setIovcnt(cb, 1 << 30);
        assertEquals(-1, fx.p.aio_writev(cb.address()));
        assertEquals(EINVAL, fx.p.errno());
    }

    @Test
    @Disabled("not applicable: needs an md(4) disk; the synchronous EFAULT comes from the physio path, which Linux files do not take")
    @DisplayName("freebsd aio_test.c aio_writev_efault: md(4) disk, iov[1].iov_base = -1: aio_writev fails EFAULT at once")
    void aio_writev_efault() { }

    @Test
    @DisplayName("freebsd aio_test.c aio_writev_empty_file_poll: aio_writev with iovcnt 0 completes with 0")
    void aio_writev_empty_file_poll() {
        fx.sysctl("vfs.aio.enable_unsafe", 1);
        int fd = fx.file("testfile");
        MemorySegment cb = fx.aiocb();
        FreeBsdAiocb.setFildes(cb, fd);
        assertEquals(0, fx.p.aio_writev(cb.address()));
        assertEquals(0, fx.suspend(cb));
    }

    @Test
    @DisplayName("freebsd aio_test.c aio_writev_empty_file_signal: aio_writev with iovcnt 0 signals and completes with 0")
    void aio_writev_empty_file_signal() {
        fx.sysctl("vfs.aio.enable_unsafe", 1);
        int fd = fx.file("testfile");
        MemorySegment cb = fx.aiocb();
        FreeBsdAiocb.setFildes(cb, fd);
        Semaphore sem = new Semaphore(0);
        fx.signalOnCompletion(cb, sem);
        assertEquals(0, fx.p.aio_writev(cb.address()));
        assertEquals(0, fx.pollSignaled(cb, sem));
    }

    @Test
    @DisplayName("freebsd aio_test.c ev_oneshot: an EV_ONESHOT EVFILT_AIO event is reported once, even before aio_return")
    void ev_oneshot() {
        int kq = fx.p.kqueue();
        assertTrue(kq >= 0);
        int fd = fx.file("testfile");
        MemorySegment cb = fx.aiocb();
        FreeBsdAiocb.setFildes(cb, fd);
        Fbsd.keventOnCompletion(cb, kq, 0xdeadbeefL, EV_ONESHOT);
        assertEquals(0, fx.p.aio_fsync(O_SYNC, cb.address()));
        MemorySegment ev = fx.kevents(1);
        assertEquals(1, fx.p.kevent(kq, 0, 0, ev.address(), 1, 0));
        FreeBsdKevent.Value e = FreeBsdKevent.read(ev, 0);
        assertEquals(cb.address(), e.ident());
        assertEquals(EVFILT_AIO, e.filter());
        assertEquals(EV_EOF | EV_ONESHOT, e.flags());
        assertEquals(0, e.fflags());
        assertEquals(0, e.data());
        assertEquals(0xdeadbeefL, e.udata());
        assertEquals(0, fx.p.kevent(kq, 0, 0, ev.address(), 1, fx.timespec(0, 100_000_000).address()));
        assertEquals(0, fx.p.aio_return(cb.address()));
        assertEquals(0, fx.p.close(kq));
    }

    private static final String NO_DISK = "not applicable: needs an md(4) disk or a ZFS zvol (FreeBSD kernel, root)";

    @Test @Disabled(NO_DISK)
    @DisplayName("freebsd aio_test.c vectored_big_iovcnt: md(4) disk, iovcnt = max_buf_aio + 1 falls back to the daemon path")
    void vectored_big_iovcnt() { }

    @Test
    @DisplayName("freebsd aio_test.c vectored_file_poll: file aio_writev/aio_readv round trip, polling")
    void vectored_file_poll() {
        fx.sysctl("vfs.aio.enable_unsafe", 1);
        int fd = fx.file("testfile");
        vectoredRoundTrip(fd, fd, 16384, null);
    }

    @Test @Disabled(NO_DISK)
    @DisplayName("freebsd aio_test.c vectored_md_poll: md(4) disk aio_writev/aio_readv round trip")
    void vectored_md_poll() { }

    @Test @Disabled(NO_DISK)
    @DisplayName("freebsd aio_test.c vectored_zvol_poll: zvol aio_writev/aio_readv round trip")
    void vectored_zvol_poll() { }

    @Test @Disabled(NO_DISK)
    @DisplayName("freebsd aio_test.c vectored_unaligned: zvol, iov elements not sector multiples")
    void vectored_unaligned() { }

    @Test
    @DisplayName("freebsd aio_test.c vectored_socket_poll: socketpair aio_writev/aio_readv round trip, polling")
    void vectored_socket_poll() {
        int[] s = fx.socketpair(HostConstants.SOCK_STREAM);
        vectoredRoundTrip(s[0], s[1], 256, null);
        assertEquals(1, fx.p.ru_msgsnd());
        assertEquals(1, fx.p.ru_msgrcv());
    }

    @Test
    @DisplayName("freebsd aio_test.c vectored_thread: file aio_writev/aio_readv round trip, SIGEV_THREAD")
    void vectored_thread() {
        fx.sysctl("vfs.aio.enable_unsafe", 1);
        int fd = fx.file("testfile");
        vectoredRoundTrip(fd, fd, 16384, new Semaphore(0));
    }

    private void vectoredRoundTrip(int readFd, int writeFd, int len, Semaphore thread) {
        MemorySegment data = fx.randomBuffer(len);
        byte[] expected = data.toArray(JAVA_BYTE);
        long l0 = len * 3L / 4, l1 = len / 4;
        MemorySegment w = fx.aiocbv(writeFd, 0, data.asSlice(l1, l0), data.asSlice(0, l1));
        if (thread != null) fx.threadOnCompletion(w, thread);
        assertEquals(0, fx.p.aio_writev(w.address()));
        assertEquals(len, thread != null ? fx.pollSignaled(w, thread) : fx.poll(w));
        data.fill((byte) 0);
        MemorySegment r = fx.aiocbv(readFd, 0, data.asSlice(l1, l0), data.asSlice(0, l1));
        if (thread != null) fx.threadOnCompletion(r, thread);
        assertEquals(0, fx.p.aio_readv(r.address()));
        assertEquals(len, thread != null ? fx.pollSignaled(r, thread) : fx.poll(r));
        assertArrayEquals(expected, data.toArray(JAVA_BYTE));
    }

    static int eagain() {
        return EAGAIN;
    }
}

package org.aioemu.conformance.freebsd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;

import org.aioemu.core.host.HostConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * FreeBSD tests/sys/aio/aio_test.c, "every file type with every completion method": a random
 * buffer is written with AIO to one descriptor and read back with AIO from another (the same one
 * for files), each completion awaited by polling aio_error, a SIGEV_SIGNAL handler, aio_suspend,
 * a SIGEV_THREAD function, aio_waitcomplete, or an EVFILT_AIO kevent. Sizes as in the original:
 * 16 KiB for files, 256 bytes for fifos, pipes, ptys and socket pairs. As there, the unsafe
 * types run with vfs.aio.enable_unsafe=1.
 */
@Timeout(60)
class AioTestFileTypesTest {
    enum Method { KQ, POLL, SIGNAL, SUSPEND, THREAD, WAITCOMPLETE }

    private static final long UDATA = 0xdeadbeefL;

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

    /** aio_write then aio_read of one random buffer through the chosen completion method. */
    private void roundTrip(int readFd, int writeFd, int len, Method m, boolean vectored) {
        int kq = m == Method.KQ ? fx.p.kqueue() : -1;
        Semaphore sem = new Semaphore(0);
        MemorySegment data = fx.randomBuffer(len);
        byte[] expected = data.toArray(ValueLayout.JAVA_BYTE);

        MemorySegment wcb = vectored ? split(writeFd, data) : fx.aiocb(writeFd, data, 0);
        notifyBy(m, wcb, kq, sem);
        assertEquals(0, vectored ? fx.p.aio_writev(wcb.address()) : fx.p.aio_write(wcb.address()));
        assertEquals(len, complete(m, wcb, kq, sem), "write");

        data.fill((byte) 0);
        MemorySegment rcb = vectored ? split(readFd, data) : fx.aiocb(readFd, data, 0);
        notifyBy(m, rcb, kq, sem);
        assertEquals(0, vectored ? fx.p.aio_readv(rcb.address()) : fx.p.aio_read(rcb.address()));
        assertEquals(len, complete(m, rcb, kq, sem), "read");
        assertArrayEquals(expected, data.toArray(ValueLayout.JAVA_BYTE), "buffer mismatched");
    }

    /** The original's vectored layout: two pieces of dissimilar size with their offsets swapped. */
    private MemorySegment split(int fd, MemorySegment buf) {
        long len0 = buf.byteSize() * 3 / 4;
        long len1 = buf.byteSize() / 4;
        return fx.aiocbv(fd, 0, buf.asSlice(len1, len0), buf.asSlice(0, len1));
    }

    private void notifyBy(Method m, MemorySegment cb, int kq, Semaphore sem) {
        switch (m) {
            case KQ -> Fbsd.keventOnCompletion(cb, kq, UDATA, 0);
            case SIGNAL -> fx.signalOnCompletion(cb, sem);
            case THREAD -> fx.threadOnCompletion(cb, sem);
            default -> { }
        }
    }

    private long complete(Method m, MemorySegment cb, int kq, Semaphore sem) {
        return switch (m) {
            case KQ -> fx.pollKqueue(cb, kq, UDATA);
            case POLL -> fx.poll(cb);
            case SIGNAL, THREAD -> fx.pollSignaled(cb, sem);
            case SUSPEND -> fx.suspend(cb);
            case WAITCOMPLETE -> fx.waitcomplete(cb);
        };
    }

    private void file(Method m, boolean vectored) {
        fx.sysctl("vfs.aio.enable_unsafe", 1);
        int fd = fx.file("testfile");
        roundTrip(fd, fd, 16384, m, vectored);
    }

    private void fifo(Method m) {
        fx.sysctl("vfs.aio.enable_unsafe", 1);
        int[] f = fx.fifo("testfifo");
        roundTrip(f[0], f[1], 256, m, false);
    }

    void socket(Method m, boolean vectored) {
        int[] s = fx.socketpair(HostConstants.SOCK_STREAM);
        long sndBefore = fx.p.ru_msgsnd();
        long rcvBefore = fx.p.ru_msgrcv();
        roundTrip(s[0], s[1], 256, m, vectored);
        assertEquals(sndBefore + 1, fx.p.ru_msgsnd(), "ru_msgsnd");
        assertEquals(rcvBefore + 1, fx.p.ru_msgrcv(), "ru_msgrcv");
    }

    private void pty(Method m) {
        fx.sysctl("vfs.aio.enable_unsafe", 1);
        int[] t = fx.pty();
        roundTrip(t[0], t[1], 256, m, false);
    }

    private void pipe(Method m) {
        fx.sysctl("vfs.aio.enable_unsafe", 1);
        int[] p = fx.pipe(0);
        roundTrip(p[0], p[1], 256, m, false);
    }

    @Test @DisplayName("freebsd aio_test.c file_kq: file write+read, EVFILT_AIO completion")
    void file_kq() { file(Method.KQ, false); }
    @Test @DisplayName("freebsd aio_test.c file_poll: file write+read, aio_error polling")
    void file_poll() { file(Method.POLL, false); }
    @Test @DisplayName("freebsd aio_test.c file_signal: file write+read, SIGEV_SIGNAL")
    void file_signal() { file(Method.SIGNAL, false); }
    @Test @DisplayName("freebsd aio_test.c file_suspend: file write+read, aio_suspend")
    void file_suspend() { file(Method.SUSPEND, false); }
    @Test @DisplayName("freebsd aio_test.c file_thread: file write+read, SIGEV_THREAD")
    void file_thread() { file(Method.THREAD, false); }
    @Test @DisplayName("freebsd aio_test.c file_waitcomplete: file write+read, aio_waitcomplete")
    void file_waitcomplete() { file(Method.WAITCOMPLETE, false); }

    @Test @DisplayName("freebsd aio_test.c fifo_kq: FIFO (unsafe) write+read, EVFILT_AIO completion")
    void fifo_kq() { fifo(Method.KQ); }
    @Test @DisplayName("freebsd aio_test.c fifo_poll: FIFO (unsafe) write+read, aio_error polling")
    void fifo_poll() { fifo(Method.POLL); }
    @Test @DisplayName("freebsd aio_test.c fifo_signal: FIFO (unsafe) write+read, SIGEV_SIGNAL")
    void fifo_signal() { fifo(Method.SIGNAL); }
    @Test @DisplayName("freebsd aio_test.c fifo_suspend: FIFO (unsafe) write+read, aio_suspend")
    void fifo_suspend() { fifo(Method.SUSPEND); }
    @Test @DisplayName("freebsd aio_test.c fifo_thread: FIFO (unsafe) write+read, SIGEV_THREAD")
    void fifo_thread() { fifo(Method.THREAD); }
    @Test @DisplayName("freebsd aio_test.c fifo_waitcomplete: FIFO (unsafe) write+read, aio_waitcomplete")
    void fifo_waitcomplete() { fifo(Method.WAITCOMPLETE); }

    @Test @DisplayName("freebsd aio_test.c socket_kq: AF_UNIX stream pair, EVFILT_AIO; one message sent and received in rusage")
    void socket_kq() { socket(Method.KQ, false); }
    @Test @DisplayName("freebsd aio_test.c socket_poll: AF_UNIX stream pair, aio_error polling; rusage +1/+1")
    void socket_poll() { socket(Method.POLL, false); }
    @Test @DisplayName("freebsd aio_test.c socket_signal: AF_UNIX stream pair, SIGEV_SIGNAL; rusage +1/+1")
    void socket_signal() { socket(Method.SIGNAL, false); }
    @Test @DisplayName("freebsd aio_test.c socket_suspend: AF_UNIX stream pair, aio_suspend; rusage +1/+1")
    void socket_suspend() { socket(Method.SUSPEND, false); }
    @Test @DisplayName("freebsd aio_test.c socket_thread: AF_UNIX stream pair, SIGEV_THREAD; rusage +1/+1")
    void socket_thread() { socket(Method.THREAD, false); }
    @Test @DisplayName("freebsd aio_test.c socket_waitcomplete: AF_UNIX stream pair, aio_waitcomplete; rusage +1/+1")
    void socket_waitcomplete() { socket(Method.WAITCOMPLETE, false); }

    @Test @DisplayName("freebsd aio_test.c pty_kq: raw pty (unsafe) write+read, EVFILT_AIO completion")
    void pty_kq() { pty(Method.KQ); }
    @Test @DisplayName("freebsd aio_test.c pty_poll: raw pty (unsafe) write+read, aio_error polling")
    void pty_poll() { pty(Method.POLL); }
    @Test @DisplayName("freebsd aio_test.c pty_signal: raw pty (unsafe) write+read, SIGEV_SIGNAL")
    void pty_signal() { pty(Method.SIGNAL); }
    @Test @DisplayName("freebsd aio_test.c pty_suspend: raw pty (unsafe) write+read, aio_suspend")
    void pty_suspend() { pty(Method.SUSPEND); }
    @Test @DisplayName("freebsd aio_test.c pty_thread: raw pty (unsafe) write+read, SIGEV_THREAD")
    void pty_thread() { pty(Method.THREAD); }
    @Test @DisplayName("freebsd aio_test.c pty_waitcomplete: raw pty (unsafe) write+read, aio_waitcomplete")
    void pty_waitcomplete() { pty(Method.WAITCOMPLETE); }

    @Test @DisplayName("freebsd aio_test.c pipe_kq: pipe (unsafe) write+read, EVFILT_AIO completion")
    void pipe_kq() { pipe(Method.KQ); }
    @Test @DisplayName("freebsd aio_test.c pipe_poll: pipe (unsafe) write+read, aio_error polling")
    void pipe_poll() { pipe(Method.POLL); }
    @Test @DisplayName("freebsd aio_test.c pipe_signal: pipe (unsafe) write+read, SIGEV_SIGNAL")
    void pipe_signal() { pipe(Method.SIGNAL); }
    @Test @DisplayName("freebsd aio_test.c pipe_suspend: pipe (unsafe) write+read, aio_suspend")
    void pipe_suspend() { pipe(Method.SUSPEND); }
    @Test @DisplayName("freebsd aio_test.c pipe_thread: pipe (unsafe) write+read, SIGEV_THREAD")
    void pipe_thread() { pipe(Method.THREAD); }
    @Test @DisplayName("freebsd aio_test.c pipe_waitcomplete: pipe (unsafe) write+read, aio_waitcomplete")
    void pipe_waitcomplete() { pipe(Method.WAITCOMPLETE); }

    private static final String NO_MD = "not applicable: needs an md(4) malloc-backed raw disk (FreeBSD kernel, root) to exercise the physio path";

    @Test @Disabled(NO_MD) @DisplayName("freebsd aio_test.c md_kq: md(4) disk write+read, EVFILT_AIO")
    void md_kq() { }
    @Test @Disabled(NO_MD) @DisplayName("freebsd aio_test.c md_poll: md(4) disk write+read, polling")
    void md_poll() { }
    @Test @Disabled(NO_MD) @DisplayName("freebsd aio_test.c md_signal: md(4) disk write+read, SIGEV_SIGNAL")
    void md_signal() { }
    @Test @Disabled(NO_MD) @DisplayName("freebsd aio_test.c md_suspend: md(4) disk write+read, aio_suspend")
    void md_suspend() { }
    @Test @Disabled(NO_MD) @DisplayName("freebsd aio_test.c md_thread: md(4) disk write+read, SIGEV_THREAD")
    void md_thread() { }
    @Test @Disabled(NO_MD) @DisplayName("freebsd aio_test.c md_waitcomplete: md(4) disk write+read, aio_waitcomplete")
    void md_waitcomplete() { }
}

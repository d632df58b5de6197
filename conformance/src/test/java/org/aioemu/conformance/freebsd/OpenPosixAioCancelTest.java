package org.aioemu.conformance.freebsd;

import static org.aioemu.conformance.freebsd.Fbsd.EBADF;
import static org.aioemu.conformance.freebsd.Fbsd.ECANCELED;
import static org.aioemu.conformance.freebsd.Fbsd.EINPROGRESS;
import static org.aioemu.freebsd.FreeBsdAioConstants.AIO_ALLDONE;
import static org.aioemu.freebsd.FreeBsdAioConstants.AIO_CANCELED;
import static org.aioemu.freebsd.FreeBsdAioConstants.SA_RESTART;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_NONE;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_SIGNAL;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGRTMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.aioemu.freebsd.FreeBsdAiocb;
import org.aioemu.freebsd.FreeBsdSigevent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Open POSIX test suite conformance/interfaces/aio_cancel. The socket cases use the suite's
 * setup_aio(): datagram writes of half the send buffer, so the first two go out and the rest
 * block. Where the suite expects glibc's answer for a blocked write (AIO_NOTCANCELED: a glibc
 * thread is inside write()), FreeBSD's code cancels it (it waits on the socket buffer with a
 * cancel routine): those cases assert FreeBSD's behaviour and say so.
 */
@Timeout(60)
class OpenPosixAioCancelTest {
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

    private MemorySegment[] queuedSocketWrites(int n, int[] pairOut) {
        MemorySegment[] reqs = new MemorySegment[n];
        int[] pair = fx.setupAio(reqs);
        pairOut[0] = pair[0];
        pairOut[1] = pair[1];
        for (MemorySegment r : reqs) assertEquals(0, fx.p.aio_write(r.address()));
        return reqs;
    }

    @Test
    @DisplayName("posix aio_cancel/1-1: aio_cancel on a just-written file aiocb does not fail")
    void cancel_1_1() {
        int fd = fx.file("f");
        MemorySegment cb = fx.aiocb(fd, fx.buffer(1024), 0);
        assertEquals(0, fx.p.aio_write(cb.address()));
        assertNotEquals(-1, fx.p.aio_cancel(fd, cb.address()));
    }

    @Test
    @DisplayName("posix aio_cancel/2-1: cancelling all blocked socket writes (FreeBSD: AIO_CANCELED, where the suite's "
            + "Linux numbering expects 0 or AIO_NOTCANCELED); every write after the second ends ECANCELED")
    void cancel_2_1() {
        int[] pair = new int[2];
        MemorySegment[] reqs = queuedSocketWrites(8, pair);
        assertEquals(AIO_CANCELED, fx.p.aio_cancel(pair[0], 0));
        for (int i = 2; i < reqs.length; i++) {
            assertEquals(ECANCELED, fx.p.aio_error(reqs[i].address()), "write " + i);
            assertEquals(-1, fx.p.aio_return(reqs[i].address()));
        }
    }

    @Test
    @DisplayName("posix aio_cancel/2-2: aio_cancel on a descriptor with no AIO is not -1 (AIO_ALLDONE)")
    void cancel_2_2() {
        int fd = fx.file("f");
        assertEquals(AIO_ALLDONE, fx.p.aio_cancel(fd, 0));
    }

    @Test
    @DisplayName("posix aio_cancel/3-1: every write notifies (SIGEV_SIGNAL), the cancelled ones too; some were cancelled")
    void cancel_3_1() {
        AtomicInteger countdown = new AtomicInteger(8);
        AtomicInteger cancelled = new AtomicInteger();
        assertEquals(0, fx.p.sigaction(SIGRTMIN + 1, info -> {
            if (fx.p.aio_error(info.value()) == ECANCELED) cancelled.incrementAndGet();
            fx.p.aio_return(info.value());
            countdown.decrementAndGet();
        }, SA_RESTART));
        MemorySegment[] reqs = new MemorySegment[8];
        int[] pair = fx.setupAio(reqs);
        for (MemorySegment r : reqs) {
            MemorySegment sev = FreeBsdAiocb.sigevent(r);
            FreeBsdSigevent.setNotify(sev, 0, SIGEV_SIGNAL);
            FreeBsdSigevent.setSigno(sev, 0, SIGRTMIN + 1);
            FreeBsdSigevent.setValue(sev, 0, r.address());
            assertEquals(0, fx.p.aio_write(r.address()));
        }
        assertNotEquals(-1, fx.p.aio_cancel(pair[0], 0));
        long end = System.nanoTime() + 10_000_000_000L;
        while (countdown.get() > 0 && System.nanoTime() < end) Fbsd.sleep(10);
        assertEquals(0, countdown.get(), "notifications missing");
        assertTrue(cancelled.get() > 0);
    }

    @Test
    @DisplayName("posix aio_cancel/4-1: a cancelled write reports ECANCELED and aio_return -1")
    void cancel_4_1() {
        int[] pair = new int[2];
        MemorySegment[] reqs = queuedSocketWrites(4, pair);
        assertEquals(AIO_CANCELED, fx.p.aio_cancel(pair[0], reqs[3].address()));
        assertEquals(ECANCELED, fx.p.aio_error(reqs[3].address()));
        assertEquals(-1, fx.p.aio_return(reqs[3].address()));
        assertEquals(ECANCELED, fx.p.errno());
    }

    @Test
    @DisplayName("posix aio_cancel/5-1: aiocbs not cancelled are not modified (FreeBSD cancels the blocked write: "
            + "AIO_CANCELED where the suite expects AIO_NOTCANCELED)")
    void cancel_5_1() {
        int[] pair = new int[2];
        MemorySegment[] reqs = queuedSocketWrites(4, pair);
        long buf0 = reqs[0].get(java.lang.foreign.ValueLayout.JAVA_LONG, 16);
        assertEquals(AIO_CANCELED, fx.p.aio_cancel(pair[0], 0));
        assertEquals(0, fx.p.aio_error(reqs[0].address()));
        assertEquals(pair[0], reqs[0].get(java.lang.foreign.ValueLayout.JAVA_INT, 0));
        assertEquals(buf0, reqs[0].get(java.lang.foreign.ValueLayout.JAVA_LONG, 16));
        assertEquals(0, reqs[0].get(java.lang.foreign.ValueLayout.JAVA_LONG, 8));
        assertEquals(SIGEV_NONE, FreeBsdSigevent.read(FreeBsdAiocb.sigevent(reqs[0]), 0).sigevNotify());
        assertEquals(ECANCELED, fx.p.aio_error(reqs[2].address()));
    }

    @Test
    @DisplayName("posix aio_cancel/6-1: cancelling one not-started write gives AIO_CANCELED; it is ECANCELED, the others still EINPROGRESS")
    void cancel_6_1() {
        int[] pair = new int[2];
        MemorySegment[] reqs = queuedSocketWrites(5, pair);
        assertEquals(AIO_CANCELED, fx.p.aio_cancel(pair[0], reqs[4].address()));
        assertEquals(ECANCELED, fx.p.aio_error(reqs[4].address()));
        for (int i = 2; i < 4; i++) assertEquals(EINPROGRESS, fx.p.aio_error(reqs[i].address()), "write " + i);
    }

    @Test
    @DisplayName("posix aio_cancel/7-1: cancel all on the socket (FreeBSD: AIO_CANCELED and the blocked 3rd write ECANCELED, "
            + "where the suite expects AIO_NOTCANCELED and EINPROGRESS for it)")
    void cancel_7_1() {
        int[] pair = new int[2];
        MemorySegment[] reqs = queuedSocketWrites(6, pair);
        assertEquals(AIO_CANCELED, fx.p.aio_cancel(pair[0], 0));
        assertEquals(ECANCELED, fx.p.aio_error(reqs[2].address()));
        for (int i = 3; i < 6; i++) assertEquals(ECANCELED, fx.p.aio_error(reqs[i].address()));
    }

    @Test
    @DisplayName("posix aio_cancel/8-1: cancelling a completed write gives AIO_ALLDONE")
    void cancel_8_1() {
        int fd = fx.file("f");
        MemorySegment cb = fx.aiocb(fd, fx.buffer(512), 0);
        assertEquals(0, fx.p.aio_write(cb.address()));
        assertEquals(0, fx.awaitDone(cb));
        assertEquals(AIO_ALLDONE, fx.p.aio_cancel(fd, cb.address()));
    }

    @Test
    @DisplayName("posix aio_cancel/9-1: aio_cancel(-1, NULL) fails with an errno")
    void cancel_9_1() {
        assertEquals(-1, fx.p.aio_cancel(-1, 0));
        assertNotEquals(0, fx.p.errno());
    }

    @Test
    @DisplayName("posix aio_cancel/10-1: aio_cancel on a bad descriptor is EBADF")
    void cancel_10_1() {
        assertEquals(-1, fx.p.aio_cancel(-1, 0));
        assertEquals(EBADF, fx.p.errno());
        assertEquals(-1, fx.p.aio_cancel(Fbsd.closedFd(), fx.aiocb().address()));
        assertEquals(EBADF, fx.p.errno());
    }
}

package org.aioemu.conformance.freebsd;

import static org.aioemu.conformance.freebsd.Fbsd.EBADF;
import static org.aioemu.conformance.freebsd.Fbsd.ECANCELED;
import static org.aioemu.conformance.freebsd.Fbsd.EINTR;
import static org.aioemu.conformance.freebsd.Fbsd.EINVAL;
import static org.aioemu.freebsd.FreeBsdAioConstants.AIO_CANCELED;
import static org.aioemu.freebsd.FreeBsdAioConstants.EVFILT_AIO;
import static org.aioemu.freebsd.FreeBsdAioConstants.EVFILT_LIO;
import static org.aioemu.freebsd.FreeBsdAioConstants.EV_ADD;
import static org.aioemu.freebsd.FreeBsdAioConstants.EV_CLEAR;
import static org.aioemu.freebsd.FreeBsdAioConstants.EV_DELETE;
import static org.aioemu.freebsd.FreeBsdAioConstants.EV_DISPATCH;
import static org.aioemu.freebsd.FreeBsdAioConstants.EV_ENABLE;
import static org.aioemu.freebsd.FreeBsdAioConstants.EV_EOF;
import static org.aioemu.freebsd.FreeBsdAioConstants.EV_ERROR;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_NOWAIT;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_WRITE;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_KEVENT;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGUSR1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.aioemu.core.host.HostConstants;
import org.aioemu.freebsd.FreeBsdAiocb;
import org.aioemu.freebsd.FreeBsdErrno;
import org.aioemu.freebsd.FreeBsdKevent;
import org.aioemu.freebsd.FreeBsdSigevent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emulated kqueue's AIO filters beyond what the suites check: an EVFILT_AIO event without
 * flags persists until the job is reaped, EV_CLEAR and EV_DISPATCH report once (EV_ENABLE re-arms
 * a dispatched one), data is the job's error, a program cannot attach AIO knotes itself, EVFILT_LIO
 * persists until the batch's last entry is reaped, and kevent is interrupted by a signal.
 */
@Timeout(60)
class FreeBsdKeventTest {
    @TempDir Path dir;
    private Fbsd fx;
    private int kq;

    @BeforeEach
    void start() {
        fx = new Fbsd(dir);
        kq = fx.p.kqueue();
        assertTrue(kq >= 0);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private MemorySegment finishedWrite(int evflags) {
        MemorySegment cb = fx.aiocb(fx.file("f"), fx.randomBuffer(128), 0);
        Fbsd.keventOnCompletion(cb, kq, 0x1234, evflags);
        assertEquals(0, fx.p.aio_write(cb.address()));
        assertEquals(0, fx.awaitDone(cb));
        return cb;
    }

    private int poll(MemorySegment ev) {
        return fx.p.kevent(kq, 0, 0, ev.address(), (int) (ev.byteSize() / FreeBsdKevent.SIZE), fx.timespec(0, 0).address());
    }

    @Test
    @DisplayName("aioemu freebsd kevent: without flags the EVFILT_AIO event is reported by every kevent until aio_return")
    void persistsUntilReaped() {
        MemorySegment cb = finishedWrite(0);
        MemorySegment ev = fx.kevents(2);
        for (int i = 0; i < 3; i++) {
            assertEquals(1, poll(ev), "call " + i);
            FreeBsdKevent.Value e = FreeBsdKevent.read(ev, 0);
            assertEquals(cb.address(), e.ident());
            assertEquals(EV_EOF, e.flags());
        }
        assertEquals(128, fx.p.aio_return(cb.address()));
        assertEquals(0, poll(ev));
    }

    @Test
    @DisplayName("aioemu freebsd kevent: EV_CLEAR reports once, with EV_CLEAR|EV_EOF")
    void clearReportsOnce() {
        MemorySegment cb = finishedWrite(EV_CLEAR);
        MemorySegment ev = fx.kevents(1);
        assertEquals(1, poll(ev));
        assertEquals(EV_CLEAR | EV_EOF, FreeBsdKevent.read(ev, 0).flags());
        assertEquals(0, poll(ev));
        assertEquals(128, fx.p.aio_return(cb.address()));
    }

    @Test
    @DisplayName("aioemu freebsd kevent: EV_DISPATCH reports once, then disables; EV_ENABLE reports it again")
    void dispatchAndReenable() {
        MemorySegment cb = finishedWrite(EV_DISPATCH);
        MemorySegment ev = fx.kevents(1);
        assertEquals(1, poll(ev));
        assertEquals(0, poll(ev));
        MemorySegment change = fx.kevents(1);
        FreeBsdKevent.write(change, 0, new FreeBsdKevent.Value(cb.address(), EVFILT_AIO, EV_ENABLE, 0, 0, 0));
        assertEquals(1, fx.p.kevent(kq, change.address(), 1, ev.address(), 1, fx.timespec(0, 0).address()));
        assertEquals(cb.address(), FreeBsdKevent.read(ev, 0).ident());
        assertEquals(128, fx.p.aio_return(cb.address()));
    }

    @Test
    @DisplayName("aioemu freebsd kevent: data carries the job's error: a cancelled read reports ECANCELED with EV_EOF")
    void dataIsTheError() {
        int[] s = fx.socketpair(HostConstants.SOCK_STREAM);
        MemorySegment cb = fx.aiocb(s[0], fx.buffer(4), 0);
        Fbsd.keventOnCompletion(cb, kq, 9, 0);
        assertEquals(0, fx.p.aio_read(cb.address()));
        assertEquals(0, poll(fx.kevents(1)), "nothing before completion");
        assertEquals(AIO_CANCELED, fx.p.aio_cancel(s[0], cb.address()));
        MemorySegment ev = fx.kevents(1);
        assertEquals(1, poll(ev));
        FreeBsdKevent.Value e = FreeBsdKevent.read(ev, 0);
        assertEquals(ECANCELED, e.data());
        assertEquals(EV_EOF, e.flags());
        assertEquals(9, e.udata());
    }

    @Test
    @DisplayName("aioemu freebsd kevent: a program cannot add EVFILT_AIO itself (EPERM, as EV_ERROR or as the call's error); "
            + "EV_DELETE removes the job's knote")
    void userRegistrationAndDelete() {
        MemorySegment change = fx.kevents(1);
        MemorySegment ev = fx.kevents(1);
        FreeBsdKevent.write(change, 0, new FreeBsdKevent.Value(0x1000, EVFILT_AIO, EV_ADD, 0, 0, 0));
        assertEquals(1, fx.p.kevent(kq, change.address(), 1, ev.address(), 1, fx.timespec(0, 0).address()));
        assertEquals(EV_ERROR, FreeBsdKevent.read(ev, 0).flags());
        assertEquals(FreeBsdErrno.EPERM, FreeBsdKevent.read(ev, 0).data());
        assertEquals(-1, fx.p.kevent(kq, change.address(), 1, 0, 0, 0));
        assertEquals(FreeBsdErrno.EPERM, fx.p.errno());

        MemorySegment cb = finishedWrite(0);
        FreeBsdKevent.write(change, 0, new FreeBsdKevent.Value(cb.address(), EVFILT_AIO, EV_DELETE, 0, 0, 0));
        assertEquals(0, fx.p.kevent(kq, change.address(), 1, 0, 0, 0));
        assertEquals(0, poll(ev));
        assertEquals(-1, fx.p.kevent(kq, change.address(), 1, 0, 0, 0));
        assertEquals(FreeBsdErrno.ENOENT, fx.p.errno());
        assertEquals(128, fx.p.aio_return(cb.address()));
    }

    @Test
    @DisplayName("aioemu freebsd kevent: the EVFILT_LIO event persists until the batch's last entry is reaped")
    void lioEventPersists() {
        int fd = fx.file("f");
        MemorySegment[] cbs = new MemorySegment[3];
        for (int i = 0; i < 3; i++) {
            cbs[i] = fx.aiocb(fd, fx.randomBuffer(64), 64L * i);
            FreeBsdAiocb.setLioOpcode(cbs[i], LIO_WRITE);
        }
        MemorySegment list = fx.list(cbs);
        MemorySegment sig = fx.sigevent();
        FreeBsdSigevent.setNotify(sig, 0, SIGEV_KEVENT);
        FreeBsdSigevent.setKqueue(sig, 0, kq);
        FreeBsdSigevent.setValue(sig, 0, 77);
        assertEquals(0, fx.p.lio_listio(LIO_NOWAIT, list.address(), 3, sig.address()));
        MemorySegment ev = fx.kevents(1);
        assertEquals(1, fx.p.kevent(kq, 0, 0, ev.address(), 1, fx.timespec(5, 0).address()));
        FreeBsdKevent.Value e = FreeBsdKevent.read(ev, 0);
        assertEquals(list.address(), e.ident());
        assertEquals(EVFILT_LIO, e.filter());
        assertEquals(77, e.udata());
        assertEquals(64, fx.p.aio_return(cbs[0].address()));
        assertEquals(64, fx.p.aio_return(cbs[1].address()));
        assertEquals(1, poll(ev), "still there with one entry unreaped");
        assertEquals(64, fx.p.aio_return(cbs[2].address()));
        assertEquals(0, poll(ev));
    }

    @Test
    @DisplayName("aioemu freebsd kevent: a bad sigev_notify_kqueue is EBADF and bad kevent flags EINVAL at submission")
    void submissionChecks() {
        MemorySegment cb = fx.aiocb(fx.file("f"), fx.randomBuffer(8), 0);
        Fbsd.keventOnCompletion(cb, fx.file("not-a-kqueue"), 0, 0);
        assertEquals(-1, fx.p.aio_write(cb.address()));
        assertEquals(EBADF, fx.p.errno());
        Fbsd.keventOnCompletion(cb, kq, 0, EV_ADD);
        assertEquals(-1, fx.p.aio_write(cb.address()));
        assertEquals(EINVAL, fx.p.errno());
    }

    @Test
    @DisplayName("aioemu freebsd kevent: a signal interrupts a waiting kevent with EINTR (never restarted)")
    void interruptedBySignal() throws Exception {
        assertEquals(0, fx.p.sigaction(SIGUSR1, info -> { }, org.aioemu.freebsd.FreeBsdAioConstants.SA_RESTART));
        CompletableFuture<Integer> wait = CompletableFuture.supplyAsync(() -> {
            int n = fx.p.kevent(kq, 0, 0, fx.kevents(1).address(), 1, 0);
            return n == -1 ? -fx.p.errno() : n;
        });
        Fbsd.sleep(200);
        assertFalse(wait.isDone());
        assertEquals(0, fx.p.kill(SIGUSR1));
        assertEquals(-EINTR, wait.get(5, TimeUnit.SECONDS));
    }
}

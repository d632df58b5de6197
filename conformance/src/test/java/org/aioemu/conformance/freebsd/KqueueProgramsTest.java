package org.aioemu.conformance.freebsd;

import static org.aioemu.freebsd.FreeBsdAioConstants.AIO_CANCELED;
import static org.aioemu.freebsd.FreeBsdAioConstants.EVFILT_AIO;
import static org.aioemu.freebsd.FreeBsdAioConstants.EVFILT_LIO;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_NOWAIT;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_WRITE;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_KEVENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Random;

import org.aioemu.freebsd.FreeBsdAiocb;
import org.aioemu.freebsd.FreeBsdKevent;
import org.aioemu.freebsd.FreeBsdSigevent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * FreeBSD tests/sys/aio/aio_kqueue_test.c and lio_kqueue_test.c (plain programs): full queues of
 * 32 KiB writes notified through a kqueue, drained with 1 ns kevent polls. The originals make 300
 * runs; 5 keep the suite's time budget while covering the same paths every run.
 */
@Timeout(60)
class KqueueProgramsTest {
    private static final int RUNS = 5;
    private static final int SIZE = 32768;

    @TempDir Path dir;
    private Fbsd fx;

    @BeforeEach
    void start() {
        fx = new Fbsd(dir);
        fx.sysctl("vfs.aio.enable_unsafe", 1);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    /** kevent with a 1 ns timeout until an event with non-zero udata arrives (the originals' inner loop). */
    private FreeBsdKevent.Value nextEvent(int kq) {
        MemorySegment ev = fx.kevents(1);
        MemorySegment ts = fx.timespec(0, 1);
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            ev.fill((byte) 0);
            int n = fx.p.kevent(kq, 0, 0, ev.address(), 1, ts.address());
            assertTrue(n >= 0, () -> "kevent errno " + fx.p.errno());
            FreeBsdKevent.Value e = FreeBsdKevent.read(ev, 0);
            if (e.udata() != 0) return e;
        }
        return fail("no event within 10 s");
    }

    @Test
    @DisplayName("freebsd aio_kqueue_test.c: max_aio_queue_per_proc 32 KiB aio_writes per run with EVFILT_AIO, ~1/64 cancelled; every other one returns 32768")
    void aio_kqueue_test() {
        int max = (int) fx.sysctl("vfs.aio.max_aio_queue_per_proc");
        int kq = fx.p.kqueue();
        int fd = fx.file("aio.kq");
        MemorySegment buffer = fx.randomBuffer(SIZE);
        Random rand = new Random(42);
        int failed = 0;
        for (int run = 0; run < RUNS; run++) {
            MemorySegment[] iocb = new MemorySegment[max];
            int pending = 0;
            for (int i = 0; i < max; i++) {
                pending++;
                iocb[i] = fx.aiocb(fd, buffer, (long) SIZE * i * run);
                Fbsd.keventOnCompletion(iocb[i], kq, iocb[i].address(), 0);
                assertEquals(0, fx.p.aio_write(iocb[i].address()), "aio_write " + i);
                int r = rand.nextInt();
                if (r >= 0 && r < Integer.MAX_VALUE / 32 && r > Integer.MAX_VALUE / 64) {
                    if (fx.p.aio_cancel(fd, iocb[i].address()) == AIO_CANCELED) {
                        fx.p.aio_return(iocb[i].address());
                        iocb[i] = null;
                        pending--;
                    }
                }
            }
            while (pending > 0) {
                FreeBsdKevent.Value e = nextEvent(kq);
                assertEquals(EVFILT_AIO, e.filter());
                assertEquals(e.ident(), e.udata());
                int j = 0;
                while (j < max && (iocb[j] == null || iocb[j].address() != e.udata())) j++;
                assertTrue(j < max, "event for an unknown aiocb");
                if (fx.p.aio_return(e.udata()) != SIZE) failed++;
                iocb[j] = null;
                pending--;
            }
            assertEquals(0, fx.p.aioJobCount(), "every job reaped in run " + run);
        }
        assertEquals(0, failed);
    }

    @Test
    @DisplayName("freebsd lio_kqueue_test.c: 5 LIO_NOWAIT lists per run with EVFILT_LIO; on each list's event every entry returns 32768")
    void lio_kqueue_test() {
        int max = (int) fx.sysctl("vfs.aio.max_aio_queue_per_proc");
        int perLio = max / 5;
        int kq = fx.p.kqueue();
        int fd = fx.file("lio.kq");
        MemorySegment buffer = fx.randomBuffer(SIZE);
        for (int run = 0; run < RUNS; run++) {
            MemorySegment[][] cbs = new MemorySegment[5][perLio];
            MemorySegment[] lists = new MemorySegment[5];
            for (int j = 0; j < 5; j++) {
                for (int i = 0; i < perLio; i++) {
                    int k = perLio * j + i;
                    cbs[j][i] = fx.aiocb(fd, buffer, (long) SIZE * k * (run + 1));
                    FreeBsdAiocb.setLioOpcode(cbs[j][i], LIO_WRITE);
                }
                lists[j] = fx.list(cbs[j]);
                MemorySegment sig = fx.sigevent();
                FreeBsdSigevent.setNotify(sig, 0, SIGEV_KEVENT);
                FreeBsdSigevent.setKqueue(sig, 0, kq);
                FreeBsdSigevent.setValue(sig, 0, lists[j].address());
                assertEquals(0, fx.p.lio_listio(LIO_NOWAIT, lists[j].address(), perLio, sig.address()),
                        () -> "errno " + fx.p.errno());
            }
            for (int n = 0; n < 5; n++) {
                FreeBsdKevent.Value e = nextEvent(kq);
                assertEquals(EVFILT_LIO, e.filter());
                assertEquals(e.ident(), e.udata());
                int j = 0;
                while (j < 5 && (lists[j] == null || lists[j].address() != e.udata())) j++;
                assertTrue(j < 5, "event for an unknown list");
                for (int i = 0; i < perLio; i++) assertEquals(SIZE, fx.p.aio_return(cbs[j][i].address()));
                lists[j] = null;
            }
            assertEquals(0, fx.p.aioJobCount());
        }
    }
}

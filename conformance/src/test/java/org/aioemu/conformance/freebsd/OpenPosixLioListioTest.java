package org.aioemu.conformance.freebsd;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.aioemu.conformance.freebsd.Fbsd.EBADF;
import static org.aioemu.conformance.freebsd.Fbsd.EINPROGRESS;
import static org.aioemu.conformance.freebsd.Fbsd.EINVAL;
import static org.aioemu.conformance.freebsd.Fbsd.EIO;
import static org.aioemu.freebsd.FreeBsdAioConstants.AIO_LISTIO_MAX;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_NOP;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_NOWAIT;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_READ;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_WAIT;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_WRITE;
import static org.aioemu.freebsd.FreeBsdAioConstants.SA_RESTART;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_SIGNAL;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGRTMIN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.aioemu.core.host.HostIo;
import org.aioemu.freebsd.FreeBsdAiocb;
import org.aioemu.freebsd.FreeBsdSigevent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Open POSIX test suite conformance/interfaces/lio_listio. */
@Timeout(60)
class OpenPosixLioListioTest {
    @TempDir Path dir;
    private Fbsd fx;
    private final AtomicInteger perOp = new AtomicInteger();
    private final AtomicInteger listDone = new AtomicInteger();

    @BeforeEach
    void start() {
        fx = new Fbsd(dir);
        assertEquals(0, fx.p.sigaction(SIGRTMIN + 1, info -> perOp.incrementAndGet(), SA_RESTART));
        assertEquals(0, fx.p.sigaction(SIGRTMIN + 2, info -> listDone.incrementAndGet(), SA_RESTART));
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private MemorySegment listSignal() {
        MemorySegment sev = fx.sigevent();
        FreeBsdSigevent.setNotify(sev, 0, SIGEV_SIGNAL);
        FreeBsdSigevent.setSigno(sev, 0, SIGRTMIN + 2);
        return sev;
    }

    private static void signalEach(MemorySegment cb) {
        MemorySegment sev = FreeBsdAiocb.sigevent(cb);
        FreeBsdSigevent.setNotify(sev, 0, SIGEV_SIGNAL);
        FreeBsdSigevent.setSigno(sev, 0, SIGRTMIN + 1);
        FreeBsdSigevent.setValue(sev, 0, cb.address());
    }

    private MemorySegment[] writes(int fd, int n, int size) {
        MemorySegment[] cbs = new MemorySegment[n];
        for (int i = 0; i < n; i++) {
            cbs[i] = fx.aiocb(fd, fx.randomBuffer(size), (long) i * size);
            FreeBsdAiocb.setLioOpcode(cbs[i], LIO_WRITE);
        }
        return cbs;
    }

    private static void awaitCount(AtomicInteger c, int n) {
        long end = System.nanoTime() + 10_000_000_000L;
        while (c.get() < n && System.nanoTime() < end) Fbsd.sleep(5);
        assertEquals(n, c.get());
    }

    @Test
    @DisplayName("posix lio_listio/1-1: LIO_WAIT returns with every entry done and ignores the list sigevent")
    void lio_1_1() {
        MemorySegment[] cbs = writes(fx.file("f"), 8, 1024);
        assertEquals(0, fx.p.lio_listio(LIO_WAIT, fx.list(cbs).address(), 8, listSignal().address()));
        for (MemorySegment cb : cbs) assertEquals(0, fx.p.aio_error(cb.address()));
        Fbsd.sleep(100);
        assertEquals(0, listDone.get());
    }

    @Test
    @DisplayName("posix lio_listio/2-1: LIO_NOWAIT on a full socket returns before the writes finish; the list signal comes once they have")
    void lio_2_1() {
        MemorySegment[] reqs = new MemorySegment[4];
        int[] pair = fx.setupAio(reqs);
        for (MemorySegment r : reqs) FreeBsdAiocb.setLioOpcode(r, LIO_WRITE);
        assertEquals(0, fx.p.lio_listio(LIO_NOWAIT, fx.list(reqs).address(), 4, listSignal().address()));
        assertEquals(EINPROGRESS, fx.p.aio_error(reqs[3].address()));
        Fbsd.sleep(50);
        assertEquals(0, listDone.get());
        long size = Fbsd.bufferOf(reqs[0]).byteSize();
        MemorySegment drain = fx.buffer(size);
        for (int i = 0; i < 4; i++) assertEquals(size, HostIo.read(pair[1], drain, size));
        awaitCount(listDone, 1);
        for (MemorySegment r : reqs) assertEquals(0, fx.awaitDone(r));
    }

    @Test
    @DisplayName("posix lio_listio/3-1: LIO_NOWAIT delivers each entry's SIGRTMIN+1 and the list's SIGRTMIN+2")
    void lio_3_1() {
        MemorySegment[] cbs = writes(fx.file("f"), 10, 512);
        for (MemorySegment cb : cbs) signalEach(cb);
        assertEquals(0, fx.p.lio_listio(LIO_NOWAIT, fx.list(cbs).address(), 10, listSignal().address()));
        awaitCount(perOp, 10);
        awaitCount(listDone, 1);
    }

    @Test
    @DisplayName("posix lio_listio/4-1: NULL entries in the list are ignored")
    void lio_4_1() {
        MemorySegment[] cbs = writes(fx.file("f"), 3, 256);
        MemorySegment list = fx.list(MemorySegment.NULL, cbs[0], MemorySegment.NULL, cbs[1], cbs[2], MemorySegment.NULL);
        assertEquals(0, fx.p.lio_listio(LIO_WAIT, list.address(), 6, 0));
        for (MemorySegment cb : cbs) assertEquals(256, fx.p.aio_return(cb.address()));
    }

    @Test
    @DisplayName("posix lio_listio/5-1: LIO_READ/LIO_WRITE/LIO_NOP are accepted; an opcode of -1 makes the call -1/EIO")
    void lio_5_1() throws Exception {
        Files.write(fx.path("r"), new byte[256]);
        int rfd = fx.open("r", org.aioemu.core.host.HostConstants.O_RDONLY);
        MemorySegment read = fx.aiocb(rfd, fx.buffer(256), 0);
        FreeBsdAiocb.setLioOpcode(read, LIO_READ);
        MemorySegment write = writes(fx.file("w"), 1, 256)[0];
        MemorySegment nop = fx.aiocb(rfd, fx.buffer(1), 0);
        FreeBsdAiocb.setLioOpcode(nop, LIO_NOP);
        assertEquals(0, fx.p.lio_listio(LIO_WAIT, fx.list(read, write, nop).address(), 3, 0));
        MemorySegment bad = writes(fx.file("b"), 1, 16)[0];
        FreeBsdAiocb.setLioOpcode(bad, -1);
        assertEquals(-1, fx.p.lio_listio(LIO_WAIT, fx.list(bad).address(), 1, 0));
        assertEquals(EIO, fx.p.errno());
        assertEquals(EINVAL, fx.p.aio_error(bad.address()));
    }

    @Test
    @DisplayName("posix lio_listio/6-1: the LIO_* values are defined (FreeBSD's), and AIO_LISTIO_MAX is not what the kernel enforces")
    void lio_6_1() {
        Set<Integer> modes = new HashSet<>(Set.of(LIO_WAIT, LIO_NOWAIT));
        Set<Integer> ops = new HashSet<>(Set.of(LIO_READ, LIO_WRITE, LIO_NOP));
        assertEquals(2, modes.size());
        assertEquals(3, ops.size());
        assertEquals(2, LIO_READ);
        assertEquals(1, LIO_WRITE);
        assertEquals(1, LIO_WAIT);
        MemorySegment[] cbs = writes(fx.file("f"), AIO_LISTIO_MAX + 1, 16);
        assertEquals(0, fx.p.lio_listio(LIO_WAIT, fx.list(cbs).address(), cbs.length, 0));
    }

    @Test
    @DisplayName("posix lio_listio/7-1: LIO_NOP entries queue nothing and notify nothing: exactly NUM-2 per-entry signals")
    void lio_7_1() {
        MemorySegment[] cbs = writes(fx.file("f"), 10, 128);
        for (MemorySegment cb : cbs) signalEach(cb);
        FreeBsdAiocb.setLioOpcode(cbs[2], LIO_NOP);
        FreeBsdAiocb.setLioOpcode(cbs[7], LIO_NOP);
        assertEquals(0, fx.p.lio_listio(LIO_NOWAIT, fx.list(cbs).address(), 10, listSignal().address()));
        awaitCount(listDone, 1);
        awaitCount(perOp, 8);
        Fbsd.sleep(50);
        assertEquals(8, perOp.get());
        assertEquals(0, fx.p.aio_error(cbs[2].address()));
        assertEquals(-1, fx.p.aio_return(cbs[2].address()));
    }

    @Test
    @DisplayName("posix lio_listio/8-1: a LIO_READ entry reads as aio_read does")
    void lio_8_1() throws Exception {
        byte[] data = new byte[300];
        new java.util.Random(8).nextBytes(data);
        Files.write(fx.path("f"), data);
        int fd = fx.open("f", org.aioemu.core.host.HostConstants.O_RDONLY);
        MemorySegment buf = fx.buffer(300);
        MemorySegment cb = fx.aiocb(fd, buf, 0);
        FreeBsdAiocb.setLioOpcode(cb, LIO_READ);
        assertEquals(0, fx.p.lio_listio(LIO_WAIT, fx.list(cb).address(), 1, 0));
        assertEquals(300, fx.p.aio_return(cb.address()));
        assertArrayEquals(data, buf.toArray(JAVA_BYTE));
    }

    @Test
    @DisplayName("posix lio_listio/9-1: a LIO_WRITE entry writes as aio_write does")
    void lio_9_1() throws Exception {
        int fd = fx.file("f");
        MemorySegment cb = writes(fd, 1, 400)[0];
        assertEquals(0, fx.p.lio_listio(LIO_WAIT, fx.list(cb).address(), 1, 0));
        assertEquals(400, fx.p.aio_return(cb.address()));
        assertArrayEquals(Fbsd.bufferOf(cb).toArray(JAVA_BYTE), Files.readAllBytes(fx.path("f")));
    }

    @Test
    @DisplayName("posix lio_listio/10-1: LIO_NOWAIT returns 0 and the entries complete")
    void lio_10_1() {
        MemorySegment[] cbs = writes(fx.file("f"), 5, 2048);
        assertEquals(0, fx.p.lio_listio(LIO_NOWAIT, fx.list(cbs).address(), 5, 0));
        for (MemorySegment cb : cbs) {
            assertEquals(0, fx.awaitDone(cb));
            assertEquals(2048, fx.p.aio_return(cb.address()));
        }
    }

    @Test
    @DisplayName("posix lio_listio/12-1: LIO_WAIT returns 0 when every entry succeeded")
    void lio_12_1() {
        MemorySegment[] cbs = writes(fx.file("f"), 5, 100);
        assertEquals(0, fx.p.lio_listio(LIO_WAIT, fx.list(cbs).address(), 5, 0));
        for (MemorySegment cb : cbs) assertEquals(100, fx.p.aio_return(cb.address()));
    }

    @Test
    @DisplayName("posix lio_listio/13-1: LIO_WAIT with entries of opcode -1 is -1/EIO; the valid entries still run")
    void lio_13_1() {
        MemorySegment[] cbs = writes(fx.file("f"), 4, 64);
        FreeBsdAiocb.setLioOpcode(cbs[1], -1);
        FreeBsdAiocb.setLioOpcode(cbs[3], -1);
        assertEquals(-1, fx.p.lio_listio(LIO_WAIT, fx.list(cbs).address(), 4, 0));
        assertEquals(EIO, fx.p.errno());
        assertEquals(64, fx.p.aio_return(cbs[0].address()));
        assertEquals(64, fx.p.aio_return(cbs[2].address()));
        assertEquals(EINVAL, fx.p.aio_error(cbs[1].address()));
    }

    @Test
    @DisplayName("posix lio_listio/14-1: LIO_NOWAIT with one fd=-1 entry: FreeBSD returns -1/EIO and signals the other 9 "
            + "(the suite expects 0 and 10 signals)")
    void lio_14_1() {
        MemorySegment[] cbs = writes(fx.file("f"), 10, 64);
        for (MemorySegment cb : cbs) signalEach(cb);
        FreeBsdAiocb.setFildes(cbs[4], -1);
        assertEquals(-1, fx.p.lio_listio(LIO_NOWAIT, fx.list(cbs).address(), 10, listSignal().address()));
        assertEquals(EIO, fx.p.errno());
        assertEquals(EBADF, fx.p.aio_error(cbs[4].address()));
        awaitCount(perOp, 9);
        awaitCount(listDone, 1);
        Fbsd.sleep(50);
        assertEquals(9, perOp.get());
    }

    @Test
    @DisplayName("posix lio_listio/15-1: a LIO_WAIT mix of reads and writes reports consistent statuses")
    void lio_15_1() {
        int fd = fx.file("f");
        assertEquals(1024, HostIo.pwrite(fd, fx.randomBuffer(1024), 1024, 0));
        MemorySegment[] cbs = new MemorySegment[6];
        for (int i = 0; i < 6; i++) {
            cbs[i] = fx.aiocb(fd, i % 2 == 0 ? fx.buffer(128) : fx.randomBuffer(128), 1024L + i * 128);
            FreeBsdAiocb.setLioOpcode(cbs[i], i % 2 == 0 ? LIO_READ : LIO_WRITE);
            if (i % 2 == 0) FreeBsdAiocb.setOffset(cbs[i], i * 128L);
        }
        assertEquals(0, fx.p.lio_listio(LIO_WAIT, fx.list(cbs).address(), 6, 0));
        for (MemorySegment cb : cbs) {
            assertEquals(0, fx.p.aio_error(cb.address()));
            assertEquals(128, fx.p.aio_return(cb.address()));
        }
        MemorySegment back = fx.buffer(128);
        assertEquals(128, HostIo.pread(fd, back, 128, 1024 + 128));
        assertArrayEquals(Fbsd.bufferOf(cbs[1]).toArray(JAVA_BYTE), back.toArray(JAVA_BYTE));
    }

    @Test
    @DisplayName("posix lio_listio/18-1: mode -1 is -1/EINVAL")
    void lio_18_1() {
        MemorySegment[] cbs = writes(fx.file("f"), 1, 16);
        assertEquals(-1, fx.p.lio_listio(-1, fx.list(cbs).address(), 1, 0));
        assertEquals(EINVAL, fx.p.errno());
        assertEquals(0, fx.p.aioJobCount());
    }
}

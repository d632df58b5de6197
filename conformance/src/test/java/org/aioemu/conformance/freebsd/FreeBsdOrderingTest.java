package org.aioemu.conformance.freebsd;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.aioemu.conformance.freebsd.Fbsd.EAGAIN;
import static org.aioemu.conformance.freebsd.Fbsd.ECANCELED;
import static org.aioemu.conformance.freebsd.Fbsd.EINPROGRESS;
import static org.aioemu.freebsd.FreeBsdAioConstants.AIO_CANCELED;
import static org.aioemu.freebsd.FreeBsdAioConstants.O_SYNC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.aioemu.freebsd.FreeBsdAiocb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ordering FreeBSD promises: aio_fsync waits for the writes queued before it on the same file (and
 * only those), and is cancellable while it waits; socket jobs complete in submission order per
 * direction, reads and writes independently. And the per-file-type write and read rules: a
 * blocking pipe write completes in full, a non-blocking socket write with the partial count, a
 * read on a non-blocking pipe with nothing in it fails EAGAIN (an aiod's one fo_read).
 */
@Timeout(60)
class FreeBsdOrderingTest {
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

    private List<Long> reapAll(int n) {
        List<Long> order = new ArrayList<>();
        MemorySegment pp = fx.pointer();
        for (int i = 0; i < n; i++) {
            assertTrue(fx.p.aio_waitcomplete(pp.address(), fx.timespec(10, 0).address()) >= 0, () -> "errno " + fx.p.errno());
            order.add(pp.get(JAVA_LONG, 0));
        }
        return order;
    }

    @Test
    @DisplayName("aioemu freebsd fsync ordering: a deferred aio_fsync completes after the write queued before it")
    void fsyncAfterEarlierWrite() {
        fx.sysctl("vfs.aio.max_aio_per_proc", 1);
        Fbsd.Blocker busy = fx.new Blocker();
        int fd = fx.file("f");
        MemorySegment w1 = fx.aiocb(fd, fx.randomBuffer(4096), 0);
        assertEquals(0, fx.p.aio_write(w1.address()));
        MemorySegment sync = fx.aiocb();
        FreeBsdAiocb.setFildes(sync, fd);
        assertEquals(0, fx.p.aio_fsync(O_SYNC, sync.address()));
        MemorySegment w2 = fx.aiocb(fd, fx.randomBuffer(4096), 4096);
        assertEquals(0, fx.p.aio_write(w2.address()));
        busy.release();
        List<Long> order = reapAll(3);
        assertTrue(order.indexOf(sync.address()) > order.indexOf(w1.address()), "fsync before the earlier write: " + order);
    }

    @Test
    @DisplayName("aioemu freebsd fsync ordering: a later write on the file does not hold a deferred fsync back")
    void laterWriteDoesNotDelayFsync() {
        fx.sysctl("vfs.aio.max_aio_per_proc", 1);
        Fbsd.Blocker busy = fx.new Blocker();
        int fd = fx.file("f");
        MemorySegment w1 = fx.aiocb(fd, fx.randomBuffer(512), 0);
        assertEquals(0, fx.p.aio_write(w1.address()));
        MemorySegment sync = fx.aiocb();
        FreeBsdAiocb.setFildes(sync, fd);
        assertEquals(0, fx.p.aio_fsync(O_SYNC, sync.address()));
        int[] s = fx.socketpair(HostConstants.SOCK_STREAM);
        MemorySegment never = fx.aiocb(s[0], fx.buffer(4), 0);            // unrelated, never finishes
        assertEquals(0, fx.p.aio_read(never.address()));
        busy.release();
        assertEquals(0, fx.awaitDone(w1));
        assertEquals(0, fx.awaitDone(sync));
        assertEquals(EINPROGRESS, fx.p.aio_error(never.address()));
    }

    @Test
    @DisplayName("aioemu freebsd fsync ordering: an fsync deferred behind a write is cancelled by aio_cancel (AIO_CANCELED, ECANCELED)")
    void deferredFsyncIsCancellable() {
        fx.sysctl("vfs.aio.max_aio_per_proc", 1);
        Fbsd.Blocker busy = fx.new Blocker();
        int fd = fx.file("f");
        MemorySegment w = fx.aiocb(fd, fx.randomBuffer(512), 0);
        assertEquals(0, fx.p.aio_write(w.address()));
        MemorySegment sync = fx.aiocb();
        FreeBsdAiocb.setFildes(sync, fd);
        assertEquals(0, fx.p.aio_fsync(O_SYNC, sync.address()));
        assertEquals(AIO_CANCELED, fx.p.aio_cancel(fd, sync.address()));
        assertEquals(ECANCELED, fx.p.aio_error(sync.address()));
        assertEquals(EINPROGRESS, fx.p.aio_error(w.address()));
        busy.release();
        assertEquals(0, fx.awaitDone(w));
    }

    @Test
    @DisplayName("aioemu freebsd sockets: reads queued on one socket complete in submission order, one per arriving message")
    void socketReadsInOrder() {
        int[] s = fx.socketpair(HostConstants.SOCK_STREAM);
        MemorySegment[] cbs = new MemorySegment[3];
        for (int i = 0; i < 3; i++) {
            cbs[i] = fx.aiocb(s[0], fx.buffer(16), 0);
            assertEquals(0, fx.p.aio_read(cbs[i].address()));
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(1, HostIo.write(s[1], fx.text(String.valueOf((char) ('a' + i))), 1));
            assertEquals(0, fx.awaitDone(cbs[i]), "read " + i);
            for (int j = i + 1; j < 3; j++) assertEquals(EINPROGRESS, fx.p.aio_error(cbs[j].address()));
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(1, fx.p.aio_return(cbs[i].address()));
            assertEquals(String.valueOf((char) ('a' + i)), Fbsd.string(Fbsd.bufferOf(cbs[i]).asSlice(0, 1)));
        }
    }

    @Test
    @DisplayName("aioemu freebsd sockets: a write blocked on a full socket does not hold back a read on the same socket")
    void directionsAreIndependent() {
        int[] s = fx.socketpair(HostConstants.SOCK_STREAM);
        int big = 4 * Fbsd.sockopt(s[0], HostConstants.SO_SNDBUF);
        MemorySegment w = fx.aiocb(s[0], fx.randomBuffer(big), 0);
        assertEquals(0, fx.p.aio_write(w.address()));
        MemorySegment r = fx.aiocb(s[0], fx.buffer(8), 0);
        assertEquals(0, fx.p.aio_read(r.address()));
        assertEquals(4, HostIo.write(s[1], fx.text("pong"), 4));
        assertEquals(0, fx.awaitDone(r));
        assertEquals(4, fx.p.aio_return(r.address()));
        assertEquals(EINPROGRESS, fx.p.aio_error(w.address()));
    }

    @Test
    @DisplayName("aioemu freebsd sockets: on a non-blocking socket a large write completes with the partial count")
    void nonBlockingSocketWriteIsPartial() {
        int[] s = fx.socketpair(HostConstants.SOCK_STREAM);
        assertEquals(0, HostIo.setNonBlocking(s[1], true));
        int big = 4 * Math.max(Fbsd.sockopt(s[1], HostConstants.SO_SNDBUF), Fbsd.sockopt(s[0], HostConstants.SO_RCVBUF));
        MemorySegment w = fx.aiocb(s[1], fx.randomBuffer(big), 0);
        assertEquals(0, fx.p.aio_write(w.address()));
        assertEquals(0, fx.awaitDone(w));
        long n = fx.p.aio_return(w.address());
        assertTrue(n > 0 && n < big, "partial count " + n);
    }

    @Test
    @DisplayName("aioemu freebsd pipes (unsafe): a blocking pipe write larger than the pipe completes only when all of it is written")
    void blockingPipeWriteCompletesInFull() {
        fx.sysctl("vfs.aio.enable_unsafe", 1);
        int[] p = fx.pipe(0);
        int size = 256 * 1024;
        MemorySegment w = fx.aiocb(p[1], fx.randomBuffer(size), 0);
        assertEquals(0, fx.p.aio_write(w.address()));
        MemorySegment sink = fx.buffer(size);
        long got = 0;
        while (got < size) {
            if (got < size / 2) assertEquals(EINPROGRESS, fx.p.aio_error(w.address()), "the pipe holds far less than half");
            long n = HostIo.read(p[0], sink.asSlice(got), size - got);
            assertTrue(n > 0);
            got += n;
        }
        assertEquals(0, fx.awaitDone(w));
        assertEquals(size, fx.p.aio_return(w.address()));
    }

    @Test
    @DisplayName("aioemu freebsd pipes (unsafe): a read on an empty O_NONBLOCK pipe fails EAGAIN (the aiod's one read), not waits")
    void nonBlockingPipeReadFails() {
        fx.sysctl("vfs.aio.enable_unsafe", 1);
        int[] p = fx.pipe(HostConstants.O_NONBLOCK);
        MemorySegment r = fx.aiocb(p[0], fx.buffer(8), 0);
        assertEquals(0, fx.p.aio_read(r.address()));
        assertEquals(EAGAIN, fx.awaitDone(r));
        assertEquals(-1, fx.p.aio_return(r.address()));
        assertEquals(EAGAIN, fx.p.errno());
    }
}

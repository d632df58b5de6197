package org.aioemu.core.host;

import static org.aioemu.core.host.HostConstants.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jnr.constants.platform.linux.Errno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostIoTest {
    private static final int EBADF = Errno.EBADF.intValue();
    private static final int ESPIPE = Errno.ESPIPE.intValue();
    private static final int ENOSPC = Errno.ENOSPC.intValue();
    private static final int EAGAIN = Errno.EAGAIN.intValue();
    private static final int ENOENT = Errno.ENOENT.intValue();
    private static final int EEXIST = Errno.EEXIST.intValue();
    private static final int EINVAL = Errno.EINVAL.intValue();

    @TempDir Path dir;
    private final Arena arena = Arena.ofShared(); // shared: one test reads from a timeout thread
    private final Fds fds = new Fds();

    @AfterEach
    void cleanUp() {
        fds.close();
        arena.close();
    }

    private MemorySegment text(String s) {
        return arena.allocateFrom(s).asSlice(0, s.length());
    }

    private static String string(MemorySegment seg, long len) {
        return new String(seg.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII);
    }

    private int tempFile(String name) {
        return fds.open(dir.resolve(name).toString(), O_RDWR | O_CREAT | O_EXCL);
    }

    @Test
    void pwriteThenPreadRoundTrips() {
        int fd = tempFile("f");
        assertEquals(5, HostIo.pwrite(fd, text("hello"), 5, 100));
        MemorySegment buf = arena.allocate(16);
        assertEquals(5, HostIo.pread(fd, buf, 16, 100));
        assertEquals("hello", string(buf, 5));
        assertEquals(0, HostIo.pread(fd, buf, 16, 105), "at EOF");
    }

    @Test
    void preadOnClosedFdIsEbadf() {
        int fd = tempFile("f");
        fds.closeNow(fd);
        assertEquals(-EBADF, HostIo.pread(fd, arena.allocate(8), 8, 0));
        assertEquals(-EBADF, HostIo.close(fd));
    }

    @Test
    void preadOnPipeIsEspipe() {
        int[] p = fds.pipe(0);
        assertEquals(-ESPIPE, HostIo.pread(p[0], arena.allocate(8), 8, 0));
    }

    @Test
    void writeToDevFullIsEnospc() {
        int fd = fds.open("/dev/full", O_WRONLY);
        assertEquals(-ENOSPC, HostIo.write(fd, text("x"), 1));
    }

    @Test
    void openReportsErrnos() {
        assertEquals(-ENOENT, HostIo.open(dir.resolve("missing").toString(), O_RDONLY, 0));
        tempFile("f");
        assertEquals(-EEXIST, HostIo.open(dir.resolve("f").toString(), O_RDWR | O_CREAT | O_EXCL, 0600));
    }

    @Test
    void preadv2NowaitOnCachedFileReturnsBytes() {
        int fd = tempFile("f");
        assertEquals(4, HostIo.pwrite(fd, text("data"), 4, 0)); // just written, so in the page cache
        MemorySegment buf = arena.allocate(4);
        MemorySegment iov = IoVec.allocate(arena, buf);
        assertEquals(4, HostIo.preadv2(fd, iov, 1, 0, RWF_NOWAIT));
        assertEquals("data", string(buf, 4));
    }

    @Test
    void preadv2NowaitOnEmptyBlockingPipeIsEagain() {
        int[] p = fds.pipe(0);
        MemorySegment iov = IoVec.allocate(arena, arena.allocate(8));
        // A pipe has no offset: only -1 ("current position") is accepted.
        assertEquals(-ESPIPE, HostIo.preadv2(p[0], iov, 1, 0, RWF_NOWAIT));
        // If the kernel ignored RWF_NOWAIT this would block forever; the timeout turns that into a failure.
        long rc = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> HostIo.preadv2(p[0], iov, 1, -1, RWF_NOWAIT));
        assertEquals(-EAGAIN, rc);
        assertEquals(0, HostIo.fcntl(p[0], F_GETFL, 0) & O_NONBLOCK, "the fd itself stays blocking");
    }

    @Test
    void pwritev2NowaitOnPipeWithRoomWrites() {
        int[] p = fds.pipe(0);
        MemorySegment iov = IoVec.allocate(arena, text("abc"), text("de"));
        assertEquals(5, HostIo.pwritev2(p[1], iov, 2, -1, RWF_NOWAIT));
        MemorySegment buf = arena.allocate(8);
        assertEquals(5, HostIo.read(p[0], buf, 8));
        assertEquals("abcde", string(buf, 5));
    }

    @Test
    void pwritev2NowaitOnFullPipeIsEagain() {
        int[] p = fds.pipe(0);
        MemorySegment chunk = arena.allocate(4096);
        MemorySegment iov = IoVec.allocate(arena, chunk);
        long rc;
        int writes = 0;
        while ((rc = HostIo.pwritev2(p[1], iov, 1, -1, RWF_NOWAIT)) > 0) {
            assertTrue(++writes < 100_000, "pipe never filled");
        }
        assertEquals(-EAGAIN, rc);
    }

    @Test
    void readvAndWritevUseThreeIovecs() {
        int[] p = fds.pipe(0);
        MemorySegment out = IoVec.allocate(arena, text("one"), text("-two"), text("-three"));
        assertEquals(13, IoVec.totalLength(out, 3));
        assertEquals(13, HostIo.writev(p[1], out, 3));

        MemorySegment a = arena.allocate(2);
        MemorySegment b = arena.allocate(5);
        MemorySegment c = arena.allocate(10);
        assertEquals(13, HostIo.readv(p[0], IoVec.allocate(arena, a, b, c), 3));
        assertEquals("on", string(a, 2));
        assertEquals("e-two", string(b, 5));
        assertEquals("-three", string(c, 6));
    }

    @Test
    void preadvAndPwritevUseOffsets() {
        int fd = tempFile("f");
        assertEquals(6, HostIo.pwritev(fd, IoVec.allocate(arena, text("abc"), text("def")), 2, 10));
        MemorySegment a = arena.allocate(2);
        MemorySegment b = arena.allocate(2);
        assertEquals(4, HostIo.preadv(fd, IoVec.allocate(arena, a, b), 2, 11));
        assertEquals("bc", string(a, 2));
        assertEquals("de", string(b, 2));
    }

    @Test
    void recvDontwaitOnEmptySocketpairIsEagain() {
        int[] s = fds.socketpair();
        assertEquals(-EAGAIN, HostIo.recv(s[0], arena.allocate(8), 8, MSG_DONTWAIT));
    }

    @Test
    void sendThenRecvRoundTrips() {
        int[] s = fds.socketpair();
        assertEquals(4, HostIo.send(s[0], text("ping"), 4, MSG_NOSIGNAL));
        MemorySegment buf = arena.allocate(8);
        assertEquals(4, HostIo.recv(s[1], buf, 8, MSG_PEEK));
        assertEquals(4, HostIo.recv(s[1], buf, 8, 0));
        assertEquals("ping", string(buf, 4));
    }

    @Test
    void shutdownWriteGivesPeerEof() {
        int[] s = fds.socketpair();
        assertEquals(0, HostIo.shutdown(s[0], SHUT_WR));
        assertEquals(0, HostIo.recv(s[1], arena.allocate(8), 8, MSG_DONTWAIT));
    }

    @Test
    void epollReportsEpollinAfterSend() {
        int[] s = fds.socketpair();
        int ep = fds.track(HostIo.epollCreate1(EPOLL_CLOEXEC));
        assertEquals(0, HostIo.epollCtl(ep, EPOLL_CTL_ADD, s[1], EPOLLIN | EPOLLRDHUP, 0x1234_5678_9abc_def0L));

        MemorySegment events = arena.allocate(EpollEvent.LAYOUT, 4);
        assertEquals(0, HostIo.epollWait(ep, events, 4, 0), "nothing to read yet");

        assertEquals(1, HostIo.send(s[0], text("x"), 1, MSG_NOSIGNAL));
        assertEquals(1, HostIo.epollWait(ep, events, 4, 1000));
        assertEquals(EPOLLIN, EpollEvent.events(events, 0));
        assertEquals(0x1234_5678_9abc_def0L, EpollEvent.data(events, 0));

        assertEquals(0, HostIo.epollCtl(ep, EPOLL_CTL_DEL, s[1], 0, 0));
        assertEquals(0, HostIo.epollWait(ep, events, 4, 0));
    }

    @Test
    void pollOneSeesData() {
        int[] p = fds.pipe(0);
        assertEquals(0, HostIo.pollOne(p[0], (short) POLLIN, 0), "timeout: empty pipe");
        assertEquals(POLLOUT, HostIo.pollOne(p[1], (short) POLLOUT, 0));
        assertEquals(1, HostIo.write(p[1], text("x"), 1));
        assertEquals(POLLIN, HostIo.pollOne(p[0], (short) POLLIN, 1000));
        fds.closeNow(p[1]);
        assertEquals(POLLIN | POLLHUP, HostIo.pollOne(p[0], (short) POLLIN, 0));
    }

    @Test
    void pollReportsInvalidFdInRevents() {
        MemorySegment pfds = arena.allocate(PollFd.LAYOUT, 1);
        int fd = tempFile("f");
        fds.closeNow(fd);
        PollFd.set(pfds, 0, fd, (short) POLLIN);
        assertEquals(1, HostIo.poll(pfds, 1, 0));
        assertEquals(POLLNVAL, PollFd.revents(pfds, 0));
    }

    @Test
    void eventfdCountsWrites() {
        int efd = fds.track(HostIo.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
        assertEquals(-EAGAIN, HostIo.readEventfd(efd), "counter is zero");
        assertEquals(0, HostIo.writeEventfd(efd, 3));
        assertEquals(0, HostIo.writeEventfd(efd, 4));
        assertEquals(7, HostIo.readEventfd(efd));
        assertEquals(-EAGAIN, HostIo.readEventfd(efd), "read resets the counter");
    }

    @Test
    void setNonBlockingTogglesONonblock() {
        int[] p = fds.pipe(0);
        assertEquals(0, HostIo.setNonBlocking(p[0], true));
        assertEquals(O_NONBLOCK, HostIo.fcntl(p[0], F_GETFL, 0) & O_NONBLOCK);
        assertEquals(-EAGAIN, HostIo.read(p[0], arena.allocate(1), 1));
        assertEquals(0, HostIo.setNonBlocking(p[0], false));
        assertEquals(0, HostIo.fcntl(p[0], F_GETFL, 0) & O_NONBLOCK);
        assertEquals(-EBADF, HostIo.setNonBlocking(-1, true));
    }

    @Test
    void syncTruncateAndDup() {
        int fd = tempFile("f");
        assertEquals(0, HostIo.ftruncate(fd, 12345));
        assertEquals(0, HostIo.fsync(fd));
        assertEquals(0, HostIo.fdatasync(fd));
        int copy = fds.track(HostIo.dup(fd));
        MemorySegment st = arena.allocate(Stat.LAYOUT);
        assertEquals(0, HostIo.fstat(copy, st));
        assertEquals(12345, Stat.size(st));
        assertEquals(-EINVAL, HostIo.fsync(fds.pipe(0)[0]), "a pipe cannot be synced");
    }

    @Test
    void fallocateExtendsUnlessKeepSizeAndUnlinkRmdirRemove() throws Exception {
        int fd = tempFile("f");
        MemorySegment st = arena.allocate(Stat.LAYOUT);
        assertEquals(0, HostIo.fallocate(fd, 0, 0, 8192));
        assertEquals(0, HostIo.fstat(fd, st));
        assertEquals(8192, Stat.size(st));
        assertEquals(0, HostIo.fallocate(fd, 1 /* FALLOC_FL_KEEP_SIZE */, 8192, 8192));
        assertEquals(0, HostIo.fstat(fd, st));
        assertEquals(8192, Stat.size(st), "KEEP_SIZE allocates without growing the file");
        assertEquals(-EBADF, HostIo.fallocate(-1, 0, 0, 1));
        assertEquals(0, HostIo.unlink(dir.resolve("f").toString()));
        assertEquals(-ENOENT, HostIo.unlink(dir.resolve("f").toString()));
        Files.createDirectory(dir.resolve("d"));
        assertEquals(0, HostIo.rmdir(dir.resolve("d").toString()));
        assertTrue(Files.notExists(dir.resolve("d")));
    }

    @Test
    void fstatMatchesJavaView() throws Exception {
        int fd = tempFile("f");
        assertEquals(3, HostIo.pwrite(fd, text("abc"), 3, 0));
        MemorySegment st = arena.allocate(Stat.LAYOUT);
        assertEquals(0, HostIo.fstat(fd, st));
        Path f = dir.resolve("f");
        assertEquals(((Number) Files.getAttribute(f, "unix:ino")).longValue(), Stat.ino(st));
        assertEquals(((Number) Files.getAttribute(f, "unix:dev")).longValue(), Stat.dev(st));
        assertEquals(((Number) Files.getAttribute(f, "unix:mode")).intValue(), Stat.mode(st));
        assertEquals(3, Stat.size(st));
        assertTrue(Stat.blksize(st) > 0);

        int devNull = fds.open("/dev/null", O_RDONLY);
        assertEquals(0, HostIo.fstat(devNull, st));
        assertEquals(((Number) Files.getAttribute(Path.of("/dev/null"), "unix:rdev")).longValue(), Stat.rdev(st));
        assertEquals(-EBADF, HostIo.fstat(-1, st));
    }

    @Test
    void rlimitNofileReadsBack() {
        long[] lim = new long[2];
        assertEquals(0, HostIo.getrlimitNofile(lim));
        assertTrue(lim[0] > 0 && (lim[1] == -1 || Long.compareUnsigned(lim[0], lim[1]) <= 0));
        assertEquals(0, HostIo.setrlimitNofile(lim[0], lim[1]));
        assertEquals(-EINVAL, HostIo.setrlimitNofile(2, 1), "soft above hard");
    }

    @Test
    void getpidIsThisProcess() {
        assertEquals(ProcessHandle.current().pid(), HostIo.getpid());
    }

    @Test
    void syscall6ReachesTheKernelAndReportsErrno() {
        // x86_64 <asm/unistd_64.h>: close 3, getpid 39
        assertEquals(HostIo.getpid(), HostIo.syscall6(39, 0, 0, 0, 0, 0, 0));
        assertEquals(-EBADF, HostIo.syscall6(3, -1, 0, 0, 0, 0, 0));
    }

    @Test
    void countBeyondTheSegmentIsRejected() {
        MemorySegment small = arena.allocate(4);
        assertThrows(IndexOutOfBoundsException.class, () -> HostIo.read(0, small, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> HostIo.readv(0, small, 1));
    }

    @Test
    void errnoIsCapturedPerThread() throws Exception {
        int[] p = fds.pipe(0);
        int iterations = 10_000;
        CyclicBarrier start = new CyclicBarrier(2); // make the two loops overlap
        Callable<Integer> badFd = () -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment buf = a.allocate(8);
                start.await();
                for (int i = 0; i < iterations; i++) {
                    long rc = HostIo.pread(-1, buf, 8, 0);
                    if (rc != -EBADF) throw new AssertionError("iteration " + i + ": " + rc);
                }
            }
            return iterations;
        };
        Callable<Integer> onPipe = () -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment buf = a.allocate(8);
                start.await();
                for (int i = 0; i < iterations; i++) {
                    long rc = HostIo.pread(p[0], buf, 8, 0);
                    if (rc != -ESPIPE) throw new AssertionError("iteration " + i + ": " + rc);
                }
            }
            return iterations;
        };
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<Integer> a = pool.submit(badFd);
            Future<Integer> b = pool.submit(onPipe);
            assertArrayEquals(new int[] {iterations, iterations}, new int[] {a.get(), b.get()});
        }
    }

    @Test
    void loopbackTcpConnectsAndLingerZeroResets() {
        int listener = fds.track(HostIo.socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        assertEquals(0, HostIo.bind(listener, SockaddrIn.loopback(arena, 0)));
        assertEquals(0, HostIo.listen(listener, 4));
        MemorySegment bound = arena.allocate(SockaddrIn.LAYOUT);
        assertEquals(0, HostIo.getsockname(listener, bound));
        int port = SockaddrIn.port(bound);
        assertTrue(port > 0, "bind chose a port");
        assertEquals(SockaddrIn.INADDR_LOOPBACK, SockaddrIn.address(bound));

        int client = fds.track(HostIo.socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        assertEquals(0, HostIo.connect(client, SockaddrIn.loopback(arena, port)));
        int server = fds.track(HostIo.accept4(listener, SOCK_CLOEXEC));
        assertEquals(5, HostIo.write(client, text("hello"), 5));
        MemorySegment buf = arena.allocate(16);
        assertEquals(5, HostIo.read(server, buf, 16));
        assertEquals("hello", string(buf, 5));

        assertEquals(0, HostIo.setsockopt(server, SOL_SOCKET, SO_LINGER, Linger.of(arena, true, 0)));
        fds.closeNow(server);
        assertEquals(-Errno.ECONNRESET.intValue(), HostIo.read(client, buf, 16), "linger 0 sends a reset");
    }

    @Test
    void connectToAClosedPortIsRefused() {
        int probe = fds.track(HostIo.socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        assertEquals(0, HostIo.bind(probe, SockaddrIn.loopback(arena, 0)));
        MemorySegment bound = arena.allocate(SockaddrIn.LAYOUT);
        assertEquals(0, HostIo.getsockname(probe, bound));
        int client = fds.track(HostIo.socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        // bound but not listening: nobody accepts on that port
        assertEquals(-Errno.ECONNREFUSED.intValue(), HostIo.connect(client, SockaddrIn.loopback(arena, SockaddrIn.port(bound))));
    }
}

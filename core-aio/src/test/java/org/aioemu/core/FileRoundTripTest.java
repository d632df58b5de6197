package org.aioemu.core;

import static org.aioemu.core.Harness.refused;
import static org.aioemu.core.Harness.string;
import static org.aioemu.core.host.HostConstants.O_CREAT;
import static org.aioemu.core.host.HostConstants.O_DIRECT;
import static org.aioemu.core.host.HostConstants.O_RDONLY;
import static org.aioemu.core.host.HostConstants.O_RDWR;
import static org.aioemu.core.host.HostConstants.O_WRONLY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.aioemu.core.host.FdInfo;
import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.aioemu.core.host.IoVec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Reads and writes on regular files and a device, through every file path of the core. */
@Timeout(20)
class FileRoundTripTest {
    @TempDir Path dir;
    private Harness h;
    private RecordingSink sink;
    private AioContext ctx;

    @BeforeEach
    void setUp() throws AioException {
        h = Harness.start();
        sink = new RecordingSink();
        ctx = h.process("files").newContext(64, sink);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private Request run(Request r) throws Exception {
        int before = sink.total();
        ctx.submit(r);
        sink.awaitTotal(before + 1);
        assertEquals(1, sink.calls(r));
        return r;
    }

    @Test
    void writeThenReadRoundTripsAtAnOffset() throws Exception {
        int fd = h.open(dir.resolve("f"), O_RDWR | O_CREAT);
        Request w = run(Request.write(fd, h.text("hello aio"), 100));
        assertNull(w.error());
        assertEquals(9, w.result());
        assertEquals(109, FdInfo.probe(fd).size());

        MemorySegment buf = h.arena.allocate(64);
        Request r = run(Request.read(fd, buf, 100));
        assertNull(r.error());
        assertEquals(9, r.result(), "a read past the end is short");
        assertEquals("hello aio", string(buf, 9));
        assertEquals(0, buf.get(ValueLayout.JAVA_BYTE, 9), "nothing written past the count");
    }

    @Test
    void writevThenReadvRoundTrip() throws Exception {
        int fd = h.open(dir.resolve("f"), O_RDWR | O_CREAT);
        MemorySegment out = IoVec.allocate(h.arena, h.text("abc"), h.arena.allocate(0), h.text("defgh"));
        Request w = run(Request.writev(fd, out, 3, 10));
        assertEquals(8, w.result());

        MemorySegment a = h.arena.allocate(4);
        MemorySegment b = h.arena.allocate(10);
        Request r = run(Request.readv(fd, IoVec.allocate(h.arena, a, b), 2, 10));
        assertEquals(8, r.result());
        assertEquals("abcd", string(a, 4));
        assertEquals("efgh", string(b, 4));
        byte[] onDisk = Files.readAllBytes(dir.resolve("f"));
        assertEquals(18, onDisk.length);
        assertEquals("abcdefgh", new String(onDisk, 10, 8, StandardCharsets.US_ASCII));
    }

    @Test
    void pageCachedReadCompletesOnTheFastPath() throws Exception {
        Path f = dir.resolve("cached");
        Files.writeString(f, "in the page cache");   // just written: its pages are cached
        int fd = h.open(f, O_RDONLY);
        long fast = h.sys.stats().fastPathHits();
        long worker = h.sys.stats().workerRuns();
        MemorySegment buf = h.arena.allocate(32);
        Request r = Request.read(fd, buf, 7);
        ctx.submit(r);
        assertEquals(1, sink.total(), "completed before submit returned");
        assertSame(Thread.currentThread(), sink.thread(r));
        assertEquals(CompletionPath.INLINE, r.path());
        assertEquals(10, r.result());
        assertEquals("page cache", string(buf, 10));
        assertEquals(fast + 1, h.sys.stats().fastPathHits());
        assertEquals(worker, h.sys.stats().workerRuns());
    }

    @Test
    void directReadGoesToAWorker() throws Exception {
        Path f = dir.resolve("direct");
        byte[] data = new byte[8192];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i / 4096 + 'A');
        Files.write(f, data);
        int fd = HostIo.open(f.toString(), O_RDONLY | O_DIRECT | HostConstants.O_CLOEXEC, 0);
        Assumptions.assumeTrue(fd >= 0, "O_DIRECT is not supported on the temp file system");
        h.track(fd);
        long worker = h.sys.stats().workerRuns();
        MemorySegment buf = h.arena.allocate(4096, 4096);
        Request r = run(Request.read(fd, buf, 4096));
        assertNull(r.error(), () -> "aligned O_DIRECT read: " + r);
        assertEquals(4096, r.result());
        assertEquals(CompletionPath.WORKER, r.path());
        assertTrue(sink.thread(r).getName().startsWith("aioemu-worker-"), sink.thread(r).getName());
        assertEquals(worker + 1, h.sys.stats().workerRuns());
        byte[] expected = new byte[4096];
        Arrays.fill(expected, (byte) 'B');
        assertArrayEquals(expected, buf.toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void readAtOrPastEndOfFileIsZero() throws Exception {
        Path f = dir.resolve("ten");
        Files.writeString(f, "0123456789");
        int fd = h.open(f, O_RDONLY);
        MemorySegment buf = h.arena.allocate(64);
        assertEquals(6, run(Request.read(fd, buf, 4)).result(), "short read at the end");
        assertEquals("456789", string(buf, 6));
        for (long off : List.of(10L, 11L, 1L << 40)) {
            Request r = run(Request.read(fd, buf, off));
            assertNull(r.error());
            assertEquals(0, r.result(), "read at " + off);
        }
    }

    @Test
    void submitOnAClosedFdIsRefusedWithEbadf() throws Exception {
        int fd = h.open(dir.resolve("f"), O_RDWR | O_CREAT);
        h.closeNow(fd);
        Request r = Request.read(fd, h.arena.allocate(8), 0);
        AioException e = refused(AioError.EBADF, () -> ctx.submit(r));
        assertTrue(e.getMessage().contains("fd " + fd), e.getMessage());
        assertEquals(0, ctx.inUse(), "nothing admitted");
        assertEquals(Request.State.NEW, r.state());
        assertEquals(0, sink.total());
        refused(AioError.EBADF, () -> ctx.submit(Request.fsync(-1)));
    }

    @Test
    void writeToDevFullIsEnospc() throws Exception {
        int fd = h.open(Path.of("/dev/full"), O_WRONLY);
        Request w = run(Request.write(fd, h.text("no room"), Request.NO_OFFSET));
        assertEquals(AioError.ENOSPC, w.error());
        assertEquals(0, w.result());
    }

    @Test
    void runOnCallerBlocksTheSubmitterInsteadOfAWorker() throws Exception {
        int fd = h.open(dir.resolve("f"), O_RDWR | O_CREAT);
        Request w = Request.write(fd, h.text("caller"), 0).withOptions(Request.Option.RUN_ON_CALLER);
        ctx.submit(w);
        assertEquals(CompletionPath.CALLER, w.path());
        assertSame(Thread.currentThread(), sink.thread(w));
        assertEquals(6, w.result());
        assertEquals("caller", Files.readString(dir.resolve("f")));
    }

    @Test
    void fsyncAndFdatasyncRunOnWorkers() throws Exception {
        int fd = h.open(dir.resolve("f"), O_RDWR | O_CREAT);
        run(Request.write(fd, h.text("durable"), 0));
        for (Request s : List.of(Request.fsync(fd), Request.fdatasync(fd))) {
            run(s);
            assertNull(s.error(), s::toString);
            assertEquals(0, s.result());
            assertEquals(CompletionPath.WORKER, s.path());
        }
    }
}

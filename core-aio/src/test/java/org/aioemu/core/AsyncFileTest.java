package org.aioemu.core;

import static org.aioemu.core.Harness.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostErrno;
import org.aioemu.core.host.HostIo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Java face of the core: positional reads, writes and fsync answered by futures. */
@Timeout(20)
class AsyncFileTest {
    @TempDir Path dir;
    private Harness h;

    @BeforeEach
    void setUp() {
        h = Harness.start(AioConfig.defaults().withWorkers(1, 1));
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private static <T> T get(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static IOException failure(java.util.concurrent.CompletionStage<?> stage) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> get(stage));
        return assertInstanceOf(IOException.class, e.getCause());
    }

    @Test
    void writeReadAndFsyncCompleteWithCounts() throws Exception {
        Path f = dir.resolve("f");
        try (AsyncFile file = AsyncFile.open(h.sys, f, HostConstants.O_RDWR | HostConstants.O_CREAT)) {
            assertEquals(11, get(file.write(h.text("hello async"), 3)));
            assertEquals(0, get(file.fsync()));
            MemorySegment buf = h.arena.allocate(32);
            var read = file.read(buf, 9);
            assertTrue(read.toCompletableFuture().isDone(), "a page-cached read completes before read() returns");
            assertEquals(5, get(read));
            assertEquals("async", string(buf, 5));
            assertEquals(0, get(file.read(buf, 14)), "at the end of the file");
        }
        assertEquals("hello async", Files.readString(f).substring(3));
    }

    @Test
    void aBadFdFailsTheFutureWithEbadf() throws Exception {
        int fd = h.open(dir.resolve("f"), HostConstants.O_RDWR | HostConstants.O_CREAT);
        h.closeNow(fd);
        try (AsyncFile file = AsyncFile.of(h.sys, fd)) {
            IOException e = failure(file.read(h.arena.allocate(8), 0));
            assertTrue(e.getMessage().contains("EBADF"), e.getMessage());
        }
    }

    @Test
    void anErrorAtCompletionFailsTheFuture() throws Exception {
        int full = h.open(Path.of("/dev/full"), HostConstants.O_WRONLY);
        try (AsyncFile file = AsyncFile.of(h.sys, full)) {
            IOException e = failure(file.write(h.text("x"), 0));
            assertTrue(e.getMessage().contains("ENOSPC"), e.getMessage());
        }
    }

    @Test
    void closeWaitsForRequestsInFlightThenClosesItsFd() throws Exception {
        PtyBlocker blocker = h.blocker();   // another process holds the only worker
        Request held = blocker.read();
        h.process("holder").newContext(1, new RecordingSink()).submit(held);
        Harness.awaitState(held, Request.State.RUNNING);

        AsyncFile file = AsyncFile.open(h.sys, dir.resolve("owned"), HostConstants.O_RDWR | HostConstants.O_CREAT);
        int fd = file.fd();
        CompletableFuture<Long> pending = file.fsync().toCompletableFuture();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(file::close);
        Thread.sleep(100);
        assertFalse(pending.isDone(), "the fsync waits for a worker");
        assertFalse(closing.isDone(), "close waits for the fsync");
        assertTrue(HostIo.fcntl(fd, HostConstants.F_GETFL, 0) >= 0, "the fd stays open meanwhile");

        blocker.release();
        closing.get(5, TimeUnit.SECONDS);
        assertEquals(0, pending.get());
        assertEquals("EBADF", HostErrno.name(-HostIo.fcntl(fd, HostConstants.F_GETFL, 0)), "open(): closed with the file");
    }

    @Test
    void closeLeavesAnFdItDidNotOpen() throws Exception {
        int fd = h.open(dir.resolve("f"), HostConstants.O_RDWR | HostConstants.O_CREAT);
        AsyncFile file = AsyncFile.of(h.sys, fd);
        assertEquals(1, get(file.write(h.text("x"), 0)));
        file.close();
        assertTrue(HostIo.fcntl(fd, HostConstants.F_GETFL, 0) >= 0, "of(): the caller's fd stays open");
    }
}

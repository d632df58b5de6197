package org.aioemu.core;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
    @TempDir Path dir;

    @Test
    void fileAndPipe() throws Exception {
        try (AioSystem aio = AioSystem.start(); Arena arena = Arena.ofConfined()) {
            AioProcess p = aio.newProcess("t", ExitPolicy.DRAIN);
            CompletionQueue q = new CompletionQueue();
            AioContext ctx = p.newContext(64, q);
            Path f = dir.resolve("f");
            Files.write(f, "hello world".getBytes());
            int fd = HostIo.open(f.toString(), HostConstants.O_RDWR, 0);
            MemorySegment buf = arena.allocate(64);
            ctx.submit(Request.read(fd, buf, 6));
            List<Request> out = new ArrayList<>();
            assertEquals(1, q.take(out, 1, 1, Duration.ofSeconds(5)));
            assertEquals(5, out.get(0).result(), out.get(0).toString());
            int[] pfd = new int[2];
            HostIo.pipe2(pfd, 0);
            Request rd = Request.read(pfd[0], buf, Request.NO_OFFSET);
            ctx.submit(rd);
            assertEquals(Request.State.WAITING, rd.state());
            MemorySegment src = arena.allocateFrom("abc");
            HostIo.write(pfd[1], src, 3);
            out.clear();
            assertEquals(1, q.take(out, 1, 1, Duration.ofSeconds(5)));
            assertEquals(3, out.get(0).result(), out.get(0).toString());
            assertEquals(CompletionPath.CONTINUATION, out.get(0).path());
            Request fs = Request.fsync(fd);
            ctx.submit(fs);
            out.clear();
            assertEquals(1, q.take(out, 1, 1, Duration.ofSeconds(5)));
            assertEquals(CompletionPath.WORKER, out.get(0).path(), out.get(0).toString());
            System.out.println(aio.stats());
        }
    }
}

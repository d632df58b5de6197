package org.aioemu.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Named FIFOs refuse RWF_NOWAIT; reads and writes on them still take the non-blocking path and wait without a thread. */
class FifoTest {
    @TempDir Path dir;

    @Test
    void readWaitsForAWriteOnAFifo() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        int r = HostIo.open(fifo.toString(), HostConstants.O_RDONLY | HostConstants.O_NONBLOCK, 0);
        int w = HostIo.open(fifo.toString(), HostConstants.O_WRONLY, 0);
        assertTrue(r >= 0 && w >= 0);
        try (AioSystem aio = AioSystem.start(); Arena arena = Arena.ofConfined()) {
            AioContext ctx = aio.newProcess("t", ExitPolicy.DRAIN).newContext(8, new CompletionQueue());
            CompletionQueue q = (CompletionQueue) ctx.sink();
            MemorySegment in = arena.allocate(16);
            Request rd = Request.read(r, in, Request.NO_OFFSET);
            ctx.submit(rd);
            assertEquals(Request.State.WAITING, rd.state());
            Request wr = Request.write(w, arena.allocateFrom("fifo!").asSlice(0, 5), Request.NO_OFFSET);
            ctx.submit(wr);
            List<Request> out = new ArrayList<>();
            assertEquals(2, q.take(out, 2, 2, Duration.ofSeconds(5)));
            for (Request x : out) {
                assertNull(x.error(), x.toString());
                assertEquals(5, x.result(), x.toString());
            }
            assertEquals("fifo!", in.getString(0).substring(0, 5));
        } finally {
            HostIo.close(r);
            HostIo.close(w);
        }
    }
}

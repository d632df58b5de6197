package org.aioemu.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.junit.jupiter.api.Test;

/**
 * A cancel that lands while the poller is retrying a waiting write (state RUNNING for the length
 * of one non-blocking send) must not be lost: the request either completes on its own or is
 * cancelled, and never keeps waiting after the cancel said it was not cancelled.
 */
class ContinuationCancelRaceTest {
    @Test
    void cancelDuringARetryIsNotLost() throws Exception {
        try (AioSystem aio = AioSystem.start(); Arena arena = Arena.ofShared()) {
            CompletionQueue q = new CompletionQueue();
            // DETACH: a lost request must fail the test, not hang the exit
            AioContext ctx = aio.newProcess("race", ExitPolicy.DETACH).newContext(4, q);
            for (int round = 0; round < 30; round++) {
                int[] s = new int[2];
                assertEquals(0, HostIo.socketpair(HostConstants.AF_UNIX, HostConstants.SOCK_STREAM, 0, s));
                int size = 1 << 20;
                MemorySegment out = arena.allocate(size);
                Request w = Request.write(s[1], out, Request.NO_OFFSET).withOptions(Request.Option.WRITE_ALL);
                ctx.submit(w);
                AtomicBoolean stop = new AtomicBoolean();
                Thread reader = Thread.ofPlatform().start(() -> {
                    MemorySegment in = arena.allocate(4096);
                    while (!stop.get()) HostIo.recv(s[0], in, 4096, HostConstants.MSG_DONTWAIT);
                });
                long end = System.nanoTime() + 200_000_000L;   // aim at the retry: cancel while the poller runs it
                while (w.state() != Request.State.RUNNING && !w.isFinished() && System.nanoTime() < end) Thread.onSpinWait();
                CancelOutcome o = ctx.cancel(w);
                stop.set(true);
                reader.join();
                List<Request> done = new ArrayList<>();
                assertEquals(1, q.take(done, 1, 1, Duration.ofSeconds(5)), "round " + round + ": " + o + " " + w);
                if (o == CancelOutcome.CANCELED) assertEquals(AioError.ECANCELED, w.error());
                else assertNotEquals(AioError.ECANCELED, w.error());
                HostIo.close(s[0]);
                HostIo.close(s[1]);
            }
        }
    }
}

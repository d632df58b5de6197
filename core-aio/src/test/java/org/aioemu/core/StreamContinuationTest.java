package org.aioemu.core;

import static org.aioemu.core.Harness.awaitState;
import static org.aioemu.core.Harness.string;
import static org.aioemu.core.host.HostConstants.MSG_DONTWAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.aioemu.core.Request.Option;
import org.aioemu.core.Request.State;
import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Requests on streams that would block wait as continuations on the poller: no thread held,
 * first-in first-out per direction, re-armed when a wakeup leaves them still blocked, and immune
 * to the program closing its fd (the core holds its own reference).
 */
@Timeout(20)
class StreamContinuationTest {
    private Harness h;
    private RecordingSink sink;
    private AioContext ctx;

    @BeforeEach
    void setUp() throws AioException {
        h = Harness.start();
        sink = new RecordingSink();
        ctx = h.process("continuations").newContext(256, sink);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private Request submitRead(int fd, MemorySegment buf) throws AioException {
        Request r = Request.read(fd, buf, Request.NO_OFFSET);
        ctx.submit(r);
        return r;
    }

    @Test
    void aReadThatWouldBlockWaitsWithoutAThreadAndResumesOnData() throws Exception {
        int[] s = h.socketpair();
        long parked = h.sys.stats().parked();
        MemorySegment buf = h.arena.allocate(16);
        Request r = submitRead(s[0], buf);
        assertEquals(State.WAITING, r.state());
        assertNull(r.path());
        assertEquals(1, h.sys.waitingForReadiness());
        assertEquals(parked + 1, h.sys.stats().parked());
        assertEquals(0, h.sys.workers().queued(), "no worker involved");

        h.put(s[1], "wake");
        sink.awaitTotal(1);
        assertEquals(4, r.result());
        assertEquals("wake", string(buf, 4));
        assertEquals(CompletionPath.CONTINUATION, r.path());
        assertEquals("aioemu-poller", sink.thread(r).getName());
        assertEquals(0, h.sys.waitingForReadiness());
    }

    @Test
    void readsOnOneSocketCompleteInSubmitOrderWithTheDataInOrder() throws Exception {
        int[] s = h.socketpair();
        List<Request> reads = new ArrayList<>();
        List<MemorySegment> bufs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            MemorySegment b = h.arena.allocate(4);
            bufs.add(b);
            reads.add(submitRead(s[0], b));
        }
        assertEquals(8, h.sys.waitingForReadiness());
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 8; i++) data.append(String.valueOf(i).repeat(4));
        h.put(s[1], data.toString());
        sink.awaitTotal(8);
        assertEquals(reads, sink.order(), "completion order is submit order");
        for (int i = 0; i < 8; i++) {
            assertEquals(4, reads.get(i).result());
            assertEquals(String.valueOf(i).repeat(4), string(bufs.get(i), 4), "read " + i);
        }
    }

    @Test
    void aLaterReadNeverOvertakesAWaitingOne() throws Exception {
        for (int i = 0; i < 200; i++) {
            int[] s = h.socketpair();
            MemorySegment first = h.arena.allocate(4);
            MemorySegment second = h.arena.allocate(4);
            Request r1 = submitRead(s[0], first);
            h.put(s[1], "AAAABBBB");
            Request r2 = submitRead(s[0], second);   // races the poller resuming r1
            sink.awaitTotal(2 * (i + 1));
            assertEquals("AAAA", string(first, r1.result()), "iteration " + i + ": " + r1 + " / " + r2);
            assertEquals("BBBB", string(second, r2.result()), "iteration " + i);
            h.closeNow(s[0]);
            h.closeNow(s[1]);
        }
    }

    @Test
    void aWakeupThatLeavesARequestBlockedReArmsIt() throws Exception {
        int[] s = h.socketpair();
        MemorySegment b1 = h.arena.allocate(8);
        MemorySegment b2 = h.arena.allocate(8);
        Request r1 = submitRead(s[0], b1);
        Request r2 = submitRead(s[0], b2);
        h.put(s[1], "1");                 // one wakeup, enough for one read only
        sink.awaitTotal(1);
        assertEquals(1, r1.result());
        assertEquals("1", string(b1, 1));
        Thread.sleep(50);                 // let a wrongly re-run r2 show itself
        assertEquals(State.WAITING, r2.state(), "the second read still waits");
        assertEquals(1, h.sys.waitingForReadiness());
        h.put(s[1], "2");
        sink.awaitTotal(2);
        assertEquals(1, r2.result());
        assertEquals("2", string(b2, 1));
        assertEquals(1, sink.calls(r1));
        assertEquals(1, sink.calls(r2));
    }

    @Test
    void closingTheProgramsFdDoesNotBreakAWaitingRead() throws Exception {
        int[] p = h.pipe();
        MemorySegment buf = h.arena.allocate(16);
        Request r = submitRead(p[0], buf);
        assertEquals(State.WAITING, r.state());
        int closed = p[0];
        h.closeNow(closed);
        int[] reuse = h.pipe();            // likely takes the freed number: the wait must not follow it
        h.put(reuse[1], "new file");
        h.put(p[1], "old file");
        sink.awaitTotal(1);
        assertNull(r.error());
        assertEquals("old file", string(buf, r.result()));
        assertEquals("new file", h.get(reuse[0], 16), "the other pipe's data is untouched");
    }

    /** Bytes a socketpair end takes before a non-blocking send would block. */
    private long sendCapacity() {
        int[] s = h.socketpair();
        MemorySegment chunk = h.arena.allocate(4096);
        long total = 0;
        for (long n; (n = HostIo.send(s[0], chunk, chunk.byteSize(), MSG_DONTWAIT)) > 0; ) total += n;
        h.closeNow(s[0]);
        h.closeNow(s[1]);
        return total;
    }

    private static MemorySegment pattern(Harness h, int size) {
        MemorySegment seg = h.arena.allocate(size);
        for (int i = 0; i < size; i++) seg.set(ValueLayout.JAVA_BYTE, i, (byte) (i % 251));
        return seg;
    }

    @Test
    void withoutWriteAllABigSocketWriteIsShort() throws Exception {
        int[] s = h.socketpair();
        int size = 4 << 20;
        Request w = Request.write(s[0], pattern(h, size), Request.NO_OFFSET);
        ctx.submit(w);
        assertEquals(CompletionPath.INLINE, w.path());
        assertTrue(w.result() > 0 && w.result() < size, w::toString);
    }

    @Test
    void writeAllCompletesOnlyWhenThePeerHasDrainedAlmostEverything() throws Exception {
        long capacity = sendCapacity();
        int[] s = h.socketpair();
        int size = 4 << 20;
        assertTrue(size > 4 * capacity, "the write must be many buffers long: capacity " + capacity);
        AtomicLong drained = new AtomicLong();
        CompletableFuture<Long> drainedAtCompletion = new CompletableFuture<>();
        AioContext own = ctx.process().newContext(4, r -> drainedAtCompletion.complete(drained.get()));
        Request w = Request.write(s[0], pattern(h, size), Request.NO_OFFSET).withOptions(Option.WRITE_ALL);
        own.submit(w);
        Thread.sleep(100);
        assertEquals(State.WAITING, w.state(), "nobody reads: the write waits");
        assertTrue(!drainedAtCompletion.isDone());

        CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
            MemorySegment buf = h.arena.allocate(65536);
            long got = 0;
            while (got < size) {
                long n = HostIo.read(s[1], buf, buf.byteSize());
                if (n <= 0) throw new AssertionError("read " + n + " after " + got);
                for (long i = 0; i < n; i++) {
                    if (buf.get(ValueLayout.JAVA_BYTE, i) != (byte) ((got + i) % 251)) throw new AssertionError("byte " + (got + i));
                }
                got += n;
                drained.set(got);
            }
            return got;
        });
        long atCompletion = drainedAtCompletion.get(5, TimeUnit.SECONDS);
        assertEquals(size, reader.get(5, TimeUnit.SECONDS), "every byte arrived, in order");
        assertNull(w.error());
        assertEquals(size, w.result(), "the whole buffer, not a short count");
        assertEquals(CompletionPath.CONTINUATION, w.path());
        assertTrue(atCompletion >= size - 2 * capacity,
                "completed after the peer drained " + atCompletion + " of " + size + " (capacity " + capacity + ")");
    }

    @Test
    void writesOnOneSocketGoOutInSubmitOrder() throws Exception {
        int[] s = h.socketpair();
        int size = 256 << 10;
        List<Request> writes = new ArrayList<>();
        for (char c = 'a'; c <= 'd'; c++) {
            Request w = Request.write(s[0], h.filled(size, c), Request.NO_OFFSET).withOptions(Option.WRITE_ALL);
            ctx.submit(w);
            writes.add(w);
        }
        awaitState(writes.get(3), State.WAITING);
        MemorySegment buf = h.arena.allocate(65536);
        long got = 0;
        while (got < 4L * size) {
            long n = HostIo.read(s[1], buf, buf.byteSize());
            assertTrue(n > 0, "read " + n);
            for (long i = 0; i < n; i++) {
                long at = got + i;
                byte expected = (byte) ('a' + at / size);
                if (buf.get(ValueLayout.JAVA_BYTE, i) != expected) {
                    throw new AssertionError("byte " + at + " is " + (char) buf.get(ValueLayout.JAVA_BYTE, i) + ", expected " + (char) expected);
                }
            }
            got += n;
        }
        sink.awaitTotal(4);
        assertEquals(writes, sink.order());
        for (Request w : writes) assertEquals(size, w.result());
    }

    @Test
    void anEventfdReadWaitsLikeAStream() throws Exception {
        int efd = h.track(HostIo.eventfd(0, HostConstants.EFD_CLOEXEC));
        MemorySegment counter = h.arena.allocate(8);
        Request r = submitRead(efd, counter);
        assertEquals(State.WAITING, r.state(), "an empty eventfd would block");
        assertEquals(0, HostIo.writeEventfd(efd, 42));
        sink.awaitTotal(1);
        assertEquals(8, r.result());
        assertEquals(42, counter.get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
        assertEquals(CompletionPath.CONTINUATION, r.path());
    }

    @Test
    void aNowaitWriteAllAnswersItsOneTryInsteadOfParking() throws Exception {
        int[] s = h.socketpair();
        int size = 4 << 20;   // far more than a socket buffer takes at once
        Request w = Request.write(s[0], h.filled(size, 'n'), Request.NO_OFFSET)
                .withOptions(Option.WRITE_ALL).withRwFlags(HostConstants.RWF_NOWAIT);
        ctx.submit(w);
        assertEquals(State.DONE, w.state(), "RWF_NOWAIT: one try, never parked");
        assertEquals(CompletionPath.INLINE, w.path());
        assertNull(w.error());
        assertTrue(w.result() > 0 && w.result() < size, "the part that fitted: " + w.result());
        Request full = Request.write(s[0], h.filled(size, 'm'), Request.NO_OFFSET)
                .withOptions(Option.WRITE_ALL).withRwFlags(HostConstants.RWF_NOWAIT);
        ctx.submit(full);
        assertEquals(AioError.EAGAIN, full.error(), "no room at all: EAGAIN, not a wait");
    }

    @Test
    void aNowaitReadBehindAWaitingReadIsEagain() throws Exception {
        int[] s = h.socketpair();
        Request first = submitRead(s[0], h.arena.allocate(8));
        assertEquals(State.WAITING, first.state());
        Request nowait = Request.read(s[0], h.arena.allocate(8), Request.NO_OFFSET).withRwFlags(HostConstants.RWF_NOWAIT);
        ctx.submit(nowait);
        assertEquals(AioError.EAGAIN, nowait.error(), "the data that comes is the waiting read's, first come first served");
        h.put(s[1], "x");
        sink.awaitTotal(2);
        assertEquals(1, first.result());
    }
}

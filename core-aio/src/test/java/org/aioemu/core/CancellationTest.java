package org.aioemu.core;

import static org.aioemu.core.Harness.awaitState;
import static org.aioemu.core.Harness.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.FutureTask;

import org.aioemu.core.Request.Option;
import org.aioemu.core.Request.State;
import org.aioemu.core.host.FdInfo;
import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cancel by request, by fd and by process: queued and waiting requests are cancelled (CANCELED,
 * ECANCELED, delivered once), running ones are not (NOT_CANCELED, they complete normally),
 * finished ones report ALL_DONE; and a cancel racing a completion gives exactly one of the two.
 */
@Timeout(30)
class CancellationTest {
    @TempDir Path dir;
    private Harness h;
    private RecordingSink sink;
    private AioProcess proc;
    private AioContext ctx;

    @BeforeEach
    void setUp() throws AioException {
        h = Harness.start(AioConfig.defaults().withWorkers(1, 1));   // one worker: a blocker makes the rest queue
        sink = new RecordingSink();
        proc = h.process("canceller");
        ctx = proc.newContext(64, sink);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private Request parkedRead(int fd, MemorySegment buf) throws AioException {
        Request r = Request.read(fd, buf, Request.NO_OFFSET);
        ctx.submit(r);
        assertEquals(State.WAITING, r.state());
        return r;
    }

    private static void assertCancelled(Request r) {
        assertEquals(State.CANCELLED, r.state());
        assertEquals(AioError.ECANCELED, r.error());
        assertEquals(0, r.result());
        assertEquals(CompletionPath.CANCELLED, r.path());
    }

    @Test
    void aWaitingReadIsCancelledAndItsDataStaysForTheNextReader() throws Exception {
        int[] s = h.socketpair();
        Request r = parkedRead(s[0], h.arena.allocate(8));
        assertEquals(CancelOutcome.CANCELED, ctx.cancel(r));
        assertCancelled(r);
        assertEquals(1, sink.calls(r), "delivered at once, on the cancelling thread");
        assertEquals(0, h.sys.waitingForReadiness());
        h.put(s[1], "kept");
        Thread.sleep(20);
        assertEquals(1, sink.calls(r));
        assertEquals("kept", h.get(s[0], 8));
        assertEquals(CancelOutcome.ALL_DONE, ctx.cancel(r), "a second cancel finds it done");
    }

    @Test
    void cancellingAMiddleReadLetsTheNextOneMoveUp() throws Exception {
        int[] s = h.socketpair();
        MemorySegment b1 = h.arena.allocate(2), b2 = h.arena.allocate(2), b3 = h.arena.allocate(2);
        Request r1 = parkedRead(s[0], b1);
        Request r2 = parkedRead(s[0], b2);
        Request r3 = parkedRead(s[0], b3);
        assertEquals(CancelOutcome.CANCELED, ctx.cancel(r2));
        h.put(s[1], "1133");
        sink.awaitTotal(3);
        assertCancelled(r2);
        assertEquals("11", string(b1, r1.result()));
        assertEquals("33", string(b3, r3.result()));
        assertEquals(List.of(r2, r1, r3), sink.order());
    }

    @Test
    void aQueuedRequestIsCancelledButARunningOneIsNot() throws Exception {
        PtyBlocker blocker = h.blocker();
        Request running = blocker.read();
        ctx.submit(running);
        awaitState(running, State.RUNNING);
        int fd = h.open(dir.resolve("f"), HostConstants.O_RDWR | HostConstants.O_CREAT);
        Request queued = Request.write(fd, h.text("never"), 0).withOptions(Option.NO_FAST_PATH);
        ctx.submit(queued);
        assertEquals(State.QUEUED, queued.state(), "the only worker is busy");

        assertEquals(CancelOutcome.CANCELED, ctx.cancel(queued));
        assertCancelled(queued);
        assertEquals(CancelOutcome.NOT_CANCELED, ctx.cancel(running));
        assertEquals(State.RUNNING, running.state(), "a running request cannot be stopped");
        assertEquals(0, sink.calls(running));

        blocker.release();
        sink.awaitTotal(2);
        assertNull(running.error());
        assertEquals(1, running.result(), "it completed normally, with the echoed byte");
        assertEquals(CompletionPath.WORKER, running.path());
        assertEquals(0, Files.size(dir.resolve("f")), "the cancelled write never ran");
        sink.assertEachDeliveredOnce(List.of(running, queued));
    }

    @Test
    void cancelFdCancelsEverythingOnThatFdAndNothingElse() throws Exception {
        int[] s = h.socketpair();
        int[] t = h.socketpair();
        List<Request> onS = new ArrayList<>();
        for (int i = 0; i < 3; i++) onS.add(parkedRead(s[0], h.arena.allocate(4)));
        Request onT = parkedRead(t[0], h.arena.allocate(4));

        assertEquals(CancelOutcome.CANCELED, proc.cancelFd(s[0]));
        onS.forEach(CancellationTest::assertCancelled);
        assertEquals(State.WAITING, onT.state());
        assertEquals(1, h.sys.waitingForReadiness());
        assertEquals(CancelOutcome.ALL_DONE, proc.cancelFd(s[0]), "nothing left on it");
        assertEquals(CancelOutcome.ALL_DONE, proc.cancelFd(t[1]), "nothing ever on the peer");

        h.put(t[1], "t");
        sink.awaitTotal(4);
        assertEquals(1, onT.result());
    }

    @Test
    void cancelFdWithOneRequestRunningIsNotCanceled() throws Exception {
        PtyBlocker blocker = h.blocker();
        Request running = blocker.read();
        ctx.submit(running);
        awaitState(running, State.RUNNING);
        Request queued = blocker.read();
        ctx.submit(queued);
        assertEquals(State.QUEUED, queued.state());

        assertEquals(CancelOutcome.NOT_CANCELED, proc.cancelFd(blocker.master));
        assertCancelled(queued);
        blocker.release();
        sink.awaitTotal(2);
        assertEquals(1, running.result());
        sink.assertEachDeliveredOnce(List.of(running, queued));
    }

    @Test
    void cancelAllTakesEveryWaitingAndQueuedRequestOfTheProcessOnly() throws Exception {
        AioProcess other = h.process("other");
        RecordingSink otherSink = new RecordingSink();
        AioContext otherCtx = other.newContext(4, otherSink);
        PtyBlocker blocker = h.blocker();
        Request othersRunning = blocker.read();
        otherCtx.submit(othersRunning);
        awaitState(othersRunning, State.RUNNING);
        int[] s = h.socketpair();
        Request otherWaiting = Request.read(s[0], h.arena.allocate(4), Request.NO_OFFSET);
        otherCtx.submit(otherWaiting);

        List<Request> mine = new ArrayList<>();
        mine.add(parkedRead(s[0], h.arena.allocate(4)));
        mine.add(parkedRead(h.socketpair()[0], h.arena.allocate(4)));
        int fd = h.open(dir.resolve("f"), HostConstants.O_RDWR | HostConstants.O_CREAT);
        Request queued = Request.fsync(fd);
        ctx.submit(queued);
        assertEquals(State.QUEUED, queued.state());
        mine.add(queued);

        assertEquals(CancelOutcome.CANCELED, proc.cancelAll());
        mine.forEach(CancellationTest::assertCancelled);
        sink.assertEachDeliveredOnce(mine);
        assertEquals(State.RUNNING, othersRunning.state());
        assertEquals(State.WAITING, otherWaiting.state());
        assertEquals(0, otherSink.total());

        blocker.release();
        h.put(s[1], "o");
        otherSink.awaitTotal(2);
        assertEquals(1, otherWaiting.result(), "the other process's read got the data, not a cancelled one");
        assertEquals(CancelOutcome.ALL_DONE, proc.cancelAll());
    }

    @Test
    void cancelAfterCompletionIsAllDone() throws Exception {
        Request n = Request.noop();
        ctx.submit(n);
        assertEquals(1, sink.calls(n));
        assertEquals(CancelOutcome.ALL_DONE, ctx.cancel(n));
        assertEquals(CancelOutcome.ALL_DONE, proc.cancelAll());
        assertNull(n.error());
    }

    @Test
    void aCancelRacingAWakeupGivesExactlyOneOutcome() throws Exception {
        int iterations = 2000;
        int[] s = h.socketpair();
        MemorySegment one = h.text("!");
        CyclicBarrier go = new CyclicBarrier(2);
        CyclicBarrier done = new CyclicBarrier(2);
        FutureTask<Void> writer = new FutureTask<>(() -> {
            for (int i = 0; i < iterations; i++) {
                go.await();
                if (HostIo.write(s[1], one, 1) != 1) throw new AssertionError("write");
                done.await();
            }
            return null;
        });
        Thread.ofPlatform().daemon().start(writer);
        Map<CancelOutcome, Integer> seen = new EnumMap<>(CancelOutcome.class);
        List<Request> all = new ArrayList<>();
        MemorySegment buf = h.arena.allocate(1);
        for (int i = 0; i < iterations; i++) {
            Request r = parkedRead(s[0], buf);
            all.add(r);
            go.await();
            CancelOutcome outcome = ctx.cancel(r);
            done.await();
            sink.awaitTotal(i + 1);
            seen.merge(outcome, 1, Integer::sum);
            String at = "iteration " + i + ": " + outcome + " " + r;
            if (outcome == CancelOutcome.CANCELED) {
                assertEquals(AioError.ECANCELED, r.error(), at);
                assertEquals("!", h.get(s[0], 1), at + ": the byte was not consumed by the cancelled read");
            } else {
                assertNull(r.error(), at);
                assertEquals(1, r.result(), at);
            }
            assertEquals(1, sink.calls(r), at);
        }
        writer.get();
        sink.assertEachDeliveredOnce(all);
        System.out.println("cancel race outcomes over " + iterations + " iterations: " + seen);
    }

    @Test
    void aQueuedReadThatAlreadyMovedBytesIsCompletedWithThemNotCancelled() throws Exception {
        PtyBlocker blocker = h.blocker();
        Request running = blocker.read();
        ctx.submit(running);
        awaitState(running, State.RUNNING);
        Path f = dir.resolve("growing");
        Files.writeString(f, "0123456789");
        int fd = h.open(f, HostConstants.O_RDONLY);
        // The program saw the file at 1000 bytes: the 10 cached bytes are a part, and the rest
        // goes to a worker, which is busy. (FdInfo is what an ABI hands over from its own fstat.)
        FdInfo seen = FdInfo.probe(fd);
        FdInfo larger = new FdInfo(fd, seen.kind(), seen.dev(), seen.ino(), 1000, seen.statusFlags());
        MemorySegment buf = h.arena.allocate(100);
        Request partial = Request.read(fd, buf, 0).withFdInfo(larger);
        ctx.submit(partial);
        assertEquals(State.QUEUED, partial.state());

        assertEquals(CancelOutcome.NOT_CANCELED, ctx.cancel(partial), "bytes already moved are reported, not cancelled");
        assertEquals(State.DONE, partial.state());
        assertNull(partial.error());
        assertEquals(10, partial.result());
        assertEquals("0123456789", string(buf, 10));
        assertEquals(1, sink.calls(partial));
        blocker.release();
        sink.awaitTotal(2);
    }

    @Test
    void cancellingAWriteAllThatSentPartCompletesItWithThePartAndTheNextWriteFollows() throws Exception {
        int[] s = h.socketpair();
        int size = 4 << 20;
        Request big = Request.write(s[0], h.filled(size, 'b'), Request.NO_OFFSET).withOptions(Option.WRITE_ALL);
        Request next = Request.write(s[0], h.text("NEXT"), Request.NO_OFFSET).withOptions(Option.WRITE_ALL);
        ctx.submit(big);
        ctx.submit(next);
        assertEquals(State.WAITING, big.state(), "the socket buffer took only part");
        assertEquals(State.WAITING, next.state());

        assertEquals(CancelOutcome.NOT_CANCELED, ctx.cancel(big), "bytes already sent cannot be taken back");
        assertEquals(State.DONE, big.state());
        assertNull(big.error());
        long sent = big.result();
        assertTrue(sent > 0 && sent < size, big::toString);

        MemorySegment buf = h.arena.allocate(65536);
        long got = 0;
        StringBuilder tail = new StringBuilder();
        while (got < sent + 4) {
            long n = HostIo.read(s[1], buf, buf.byteSize());
            assertTrue(n > 0);
            for (long i = 0; i < n; i++) {
                byte b = buf.get(ValueLayout.JAVA_BYTE, i);
                if (got + i < sent) assertEquals('b', b, "byte " + (got + i));
                else tail.append((char) b);
            }
            got += n;
        }
        assertEquals("NEXT", tail.toString(), "the next write follows the part exactly");
        sink.awaitTotal(2);
        assertEquals(4, next.result());
    }
}

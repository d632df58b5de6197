package org.aioemu.core;

import static org.aioemu.core.Harness.awaitState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.aioemu.core.Request.Option;
import org.aioemu.core.Request.State;
import org.aioemu.core.host.HostConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * FreeBSD's aio_fsync ordering: with {@link AioProcess#setSyncOrdering} on, an fsync submitted
 * with ORDERED_SYNC completes only after every request its process submitted earlier on the same
 * file; later requests and other processes' requests do not hold it. Workers are plenty here,
 * so only the barrier can make an fsync wait.
 */
@Timeout(20)
class SyncOrderingTest {
    @TempDir Path dir;
    private Harness h;
    private RecordingSink sink;
    private AioProcess proc;
    private AioContext ctx;

    @BeforeEach
    void setUp() throws AioException {
        h = Harness.start(AioConfig.defaults().withWorkers(4, 8));
        sink = new RecordingSink();
        proc = h.process("bsd");
        proc.setSyncOrdering(true);
        ctx = proc.newContext(64, sink);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private static Request orderedFsync(int fd) {
        return Request.fsync(fd).withOptions(Option.ORDERED_SYNC);
    }

    @Test
    void anOrderedFsyncWaitsForAnEarlierRunningRequestOnTheSameFile() throws Exception {
        PtyBlocker blocker = h.blocker();
        Request running = blocker.read();
        ctx.submit(running);
        awaitState(running, State.RUNNING);
        Request fsync = orderedFsync(blocker.master);
        ctx.submit(fsync);
        assertEquals(State.WAITING, fsync.state(), "deferred, holding no worker");
        Thread.sleep(100);
        assertEquals(State.WAITING, fsync.state(), "idle workers, yet it waits");

        blocker.release();
        sink.awaitTotal(2);
        assertEquals(List.of(running, fsync), sink.order());
        assertEquals(CompletionPath.WORKER, fsync.path());
    }

    @Test
    void withoutOrderingTheSameFsyncDoesNotWait() throws Exception {
        proc.setSyncOrdering(false);
        PtyBlocker blocker = h.blocker();
        Request running = blocker.read();
        ctx.submit(running);
        awaitState(running, State.RUNNING);
        Request fsync = orderedFsync(blocker.master);
        ctx.submit(fsync);
        sink.awaitTotal(1);
        assertEquals(List.of(fsync), sink.order(), "it overtook the running read");
        blocker.release();
        sink.awaitTotal(2);
    }

    @Test
    void anFsyncAfterQueuedWritesCompletesAfterAllOfThem() throws Exception {
        int fd = h.open(dir.resolve("f"), HostConstants.O_RDWR | HostConstants.O_CREAT);
        List<Request> writes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            writes.add(Request.write(fd, h.filled(1 << 20, 'a' + i), (long) i << 20).withOptions(Option.NO_FAST_PATH));
        }
        Request fsync = orderedFsync(fd);
        List<Request> batch = new ArrayList<>(writes);
        batch.add(fsync);
        ctx.submitAll(batch);
        sink.awaitTotal(21);
        assertEquals(fsync, sink.order().get(20), "the fsync came last: " + sink.order().indexOf(fsync));
        assertNull(fsync.error());
        for (Request w : writes) assertEquals(1 << 20, w.result());
    }

    @Test
    void requestsSubmittedAfterTheFsyncDoNotHoldIt() throws Exception {
        int fd = h.open(dir.resolve("f"), HostConstants.O_RDWR | HostConstants.O_CREAT);
        Request fsync = orderedFsync(fd);
        Request later = Request.write(fd, h.text("later"), 0).withOptions(Option.NO_FAST_PATH);
        ctx.submitAll(List.of(fsync, later));   // one batch: the write is admitted before the fsync starts
        sink.awaitTotal(2);
        assertNull(fsync.error());
        assertEquals(5, later.result());
    }

    @Test
    void anotherProcesssRequestsDoNotHoldIt() throws Exception {
        PtyBlocker blocker = h.blocker();
        AioProcess other = h.process("other");
        other.setSyncOrdering(true);
        RecordingSink otherSink = new RecordingSink();
        Request othersRead = blocker.read();
        other.newContext(4, otherSink).submit(othersRead);
        awaitState(othersRead, State.RUNNING);
        Request fsync = orderedFsync(blocker.master);
        ctx.submit(fsync);
        sink.awaitTotal(1);
        assertEquals(State.RUNNING, othersRead.state());
        blocker.release();
        otherSink.awaitTotal(1);
    }

    @Test
    void aDeferredFsyncCanBeCancelled() throws Exception {
        PtyBlocker blocker = h.blocker();
        Request running = blocker.read();
        ctx.submit(running);
        awaitState(running, State.RUNNING);
        Request fsync = orderedFsync(blocker.master);
        ctx.submit(fsync);
        assertEquals(State.WAITING, fsync.state());

        assertEquals(CancelOutcome.CANCELED, ctx.cancel(fsync));
        assertEquals(AioError.ECANCELED, fsync.error());
        assertEquals(CompletionPath.CANCELLED, fsync.path());
        blocker.release();
        sink.awaitTotal(2);
        Thread.sleep(50);
        sink.assertEachDeliveredOnce(List.of(running, fsync));
        assertTrue(sink.order().indexOf(fsync) < sink.order().indexOf(running));
    }

    @Test
    void switchingOrderingOffWhileARequestRunsStrandsNoLaterFsync() throws Exception {
        PtyBlocker blocker = h.blocker();
        Request running = blocker.read();
        ctx.submit(running);
        awaitState(running, State.RUNNING);
        proc.setSyncOrdering(false);
        blocker.release();
        sink.awaitTotal(1);
        proc.setSyncOrdering(true);
        Request fsync = orderedFsync(blocker.master);
        ctx.submit(fsync);
        sink.awaitTotal(2);   // nothing earlier is in flight: it must not wait
        assertEquals(CompletionPath.WORKER, fsync.path());
    }
}

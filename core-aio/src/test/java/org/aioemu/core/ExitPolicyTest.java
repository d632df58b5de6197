package org.aioemu.core;

import static org.aioemu.core.Harness.awaitState;
import static org.aioemu.core.Harness.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.aioemu.core.Request.Option;
import org.aioemu.core.Request.State;
import org.aioemu.core.host.HostConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process exits with writes in flight, under each policy. Whatever the policy, every write is
 * afterwards either wholly in the file or reported cancelled with nothing of it in the file,
 * never torn, and every request is delivered exactly once.
 *
 * <p>The scene is the same for each policy: one worker; five writes run to the end, then a pty
 * read of the same process blocks that worker (it is RUNNING and cannot be cancelled), and 35
 * writes wait QUEUED behind it.
 */
@Timeout(30)
class ExitPolicyTest {
    private static final int REGION = 64 << 10;
    private static final int DONE_BEFORE = 5;
    private static final int WRITES = 40;

    @TempDir Path dir;
    private Harness h;
    private RecordingSink sink;
    private AioProcess proc;
    private AioContext ctx;
    private Path file;
    private int fd;
    private final List<Request> writes = new ArrayList<>();
    private PtyBlocker blocker;
    private Request running;

    @BeforeEach
    void setUp() throws AioException {
        h = Harness.start(AioConfig.defaults().withWorkers(1, 1));
        sink = new RecordingSink();
        file = dir.resolve("regions");
        fd = h.open(file, HostConstants.O_RDWR | HostConstants.O_CREAT);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private Request write(int i) {
        MemorySegment data = h.filled(REGION, i + 1);   // region i holds byte i+1, so zero means "not written"
        return Request.write(fd, data, (long) i * REGION).withOptions(Option.NO_FAST_PATH);
    }

    /** Five writes done, one pty read RUNNING on the only worker, the rest QUEUED behind it. */
    private void scene(ExitPolicy policy) throws Exception {
        proc = h.sys.newProcess("exiting", policy);
        ctx = proc.newContext(WRITES + 1, sink);
        for (int i = 0; i < DONE_BEFORE; i++) writes.add(write(i));
        ctx.submitAll(writes);
        blocker = h.blocker();
        running = blocker.read();
        ctx.submit(running);
        for (int i = DONE_BEFORE; i < WRITES; i++) {
            Request w = write(i);
            ctx.submit(w);
            writes.add(w);
        }
        sink.awaitTotal(DONE_BEFORE);
        awaitState(running, State.RUNNING);
        for (Request w : writes.subList(DONE_BEFORE, WRITES)) assertEquals(State.QUEUED, w.state());
    }

    private List<Request> all() {
        List<Request> all = new ArrayList<>(writes);
        all.add(running);
        return all;
    }

    /** Each write is whole in the file or cancelled and absent; returns how many were cancelled. */
    private int assertNoWriteTorn(List<Request> ws) throws Exception {
        byte[] content = Files.readAllBytes(file);
        int cancelled = 0;
        for (int i = 0; i < ws.size(); i++) {
            Request w = ws.get(i);
            boolean done = w.error() == null;
            if (done) {
                assertEquals(REGION, w.result(), w::toString);
            } else {
                assertEquals(AioError.ECANCELED, w.error(), w::toString);
                cancelled++;
            }
            byte expected = done ? (byte) (i + 1) : 0;
            long start = (long) i * REGION;
            for (long b = start; b < start + REGION; b++) {
                byte got = b < content.length ? content[(int) b] : 0;
                if (got != expected) throw new AssertionError("write " + i + " (" + w + ") torn at byte " + b + ": " + got);
            }
        }
        return cancelled;
    }

    private void assertSubmitsRefused() {
        refused(AioError.EINVAL, () -> ctx.submit(Request.noop()));
        refused(AioError.EINVAL, () -> proc.newContext(4, sink));
    }

    private CompletableFuture<Boolean> exitInBackground(ExitPolicy policy) {
        return CompletableFuture.supplyAsync(() -> proc.exit(policy, null));
    }

    @Test
    void drainWaitsForEveryRequestAndCancelsNothing() throws Exception {
        scene(ExitPolicy.DRAIN);
        CompletableFuture<Boolean> exit = exitInBackground(ExitPolicy.DRAIN);
        Thread.sleep(200);
        assertFalse(exit.isDone(), "the exit waits for the blocked read");
        assertTrue(proc.inRundown());
        assertSubmitsRefused();
        assertEquals(DONE_BEFORE, sink.total(), "nothing was cancelled");

        blocker.release();
        assertTrue(exit.get(5, TimeUnit.SECONDS));
        assertEquals(0, assertNoWriteTorn(writes));
        assertEquals(1, running.result());
        sink.assertEachDeliveredOnce(all());
        assertEquals(0, proc.outstanding());
        assertFalse(h.sys.processes().contains(proc));
    }

    @Test
    void cancelThenDrainCancelsTheQueuedAndWaitsForTheRunning() throws Exception {
        scene(ExitPolicy.CANCEL_THEN_DRAIN);
        CompletableFuture<Boolean> exit = exitInBackground(ExitPolicy.CANCEL_THEN_DRAIN);
        Harness.eventually("the queued writes are cancelled", () -> writes.get(WRITES - 1).isFinished());
        Thread.sleep(100);
        assertFalse(exit.isDone(), "the exit still waits for the running read");
        assertEquals(State.RUNNING, running.state());
        assertSubmitsRefused();

        blocker.release();
        assertTrue(exit.get(5, TimeUnit.SECONDS));
        assertEquals(WRITES - DONE_BEFORE, assertNoWriteTorn(writes));
        for (Request w : writes.subList(0, DONE_BEFORE)) assertNull(w.error());
        assertNull(running.error());
        assertEquals(1, running.result(), "the running read completed normally");
        sink.assertEachDeliveredOnce(all());
    }

    @Test
    void detachReturnsAtOnceAndTheRestCompleteInRundown() throws Exception {
        scene(ExitPolicy.DETACH);
        long t0 = System.nanoTime();
        assertTrue(proc.exit(ExitPolicy.DETACH, null));
        long tookMillis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(tookMillis < 1000, "exit took " + tookMillis + " ms with a read blocked");
        assertTrue(proc.inRundown());
        assertSubmitsRefused();
        assertEquals(State.RUNNING, running.state());
        assertEquals(State.QUEUED, writes.get(WRITES - 1).state(), "nothing was cancelled");

        blocker.release();
        assertTrue(proc.awaitQuiescent(Harness.WAIT));
        assertEquals(0, assertNoWriteTorn(writes));
        sink.assertEachDeliveredOnce(all());
        for (Request r : writes.subList(0, DONE_BEFORE)) assertFalse(sink.sawRundown(r), "completed before the exit");
        for (Request r : writes.subList(DONE_BEFORE, WRITES)) assertTrue(sink.sawRundown(r), r::toString);
        assertTrue(sink.sawRundown(running));
    }

    @Test
    void aDrainWithADeadlineGivesUpAndTheRequestStillCompletesOnce() throws Exception {
        scene(ExitPolicy.DRAIN);
        assertFalse(proc.exit(ExitPolicy.DRAIN, Duration.ofMillis(100)), "the deadline passed");
        assertTrue(proc.inRundown());
        blocker.release();
        assertTrue(proc.awaitQuiescent(Harness.WAIT));
        assertEquals(0, assertNoWriteTorn(writes));
        sink.assertEachDeliveredOnce(all());
    }

    @Test
    void anExitRacingRunningWritesNeverTearsOne() throws Exception {
        proc = h.sys.newProcess("racing", ExitPolicy.CANCEL_THEN_DRAIN);
        ctx = proc.newContext(1000, sink);
        for (int i = 0; i < 200; i++) writes.add(write(i));
        ctx.submitAll(writes);
        assertTrue(proc.exit(ExitPolicy.CANCEL_THEN_DRAIN, Harness.WAIT));   // while the worker is mid-queue
        int cancelled = assertNoWriteTorn(writes);
        sink.assertEachDeliveredOnce(writes);
        System.out.println("exit racing 200 queued writes: " + cancelled + " cancelled, " + (200 - cancelled) + " written");
    }

    @Test
    void everyPolicyRefusesSubmitsAfterExit() throws Exception {
        for (ExitPolicy policy : ExitPolicy.values()) {
            AioProcess p = h.sys.newProcess("short-lived-" + policy, policy);
            AioContext c = p.newContext(4, sink);
            p.exit();
            assertTrue(p.inRundown());
            refused(AioError.EINVAL, () -> c.submit(Request.noop()));
            refused(AioError.EINVAL, () -> p.newContext(4, sink));
        }
        assertEquals(0, sink.total());
    }

    @Test
    void detachGivesEverySlotBackOnceItsRequestsFinish() throws Exception {
        sink = new RecordingSink(false);   // an exited program reaps nothing
        scene(ExitPolicy.DETACH);
        assertEquals(WRITES + 1, proc.queued());
        assertTrue(proc.exit(ExitPolicy.DETACH, null));
        blocker.release();
        assertTrue(proc.awaitQuiescent(Harness.WAIT));
        assertEquals(0, proc.queued(), "slots of a process that is gone");
        assertEquals(0, h.sys.limits().queuedSystem(), "the system-wide count does not leak");
    }
}

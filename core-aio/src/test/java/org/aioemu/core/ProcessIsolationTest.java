package org.aioemu.core;

import static org.aioemu.core.Harness.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.aioemu.core.Request.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two emulated processes share one core and one socket, and still cannot touch each other's requests. */
@Timeout(20)
class ProcessIsolationTest {
    private Harness h;
    private AioProcess a;
    private AioProcess b;
    private RecordingSink sinkA;
    private RecordingSink sinkB;
    private AioContext ctxA;
    private AioContext ctxB;
    private int[] shared;

    @BeforeEach
    void setUp() throws AioException {
        h = Harness.start();
        a = h.process("a");
        b = h.process("b");
        sinkA = new RecordingSink();
        sinkB = new RecordingSink();
        ctxA = a.newContext(8, sinkA);
        ctxB = b.newContext(8, sinkB);
        shared = h.socketpair();   // both processes wait on the same socket
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private Request waitingRead(AioContext ctx) throws AioException {
        Request r = Request.read(shared[0], h.arena.allocate(4), Request.NO_OFFSET);
        ctx.submit(r);
        assertEquals(State.WAITING, r.state());
        return r;
    }

    @Test
    void aProcessCannotCancelOrReleaseAnothersRequest() throws Exception {
        Request mine = waitingRead(ctxB);
        assertThrows(IllegalArgumentException.class, () -> ctxA.cancel(mine));
        assertEquals(State.WAITING, mine.state());
        assertEquals(CancelOutcome.ALL_DONE, a.cancelFd(shared[0]), "a has nothing on the fd: b's request is not a's to cancel");
        assertEquals(CancelOutcome.ALL_DONE, a.cancelAll());
        assertEquals(State.WAITING, mine.state());
        h.put(shared[1], "b's!");
        sinkB.awaitTotal(1);
        assertThrows(IllegalArgumentException.class, () -> ctxA.release(mine));
        assertEquals(4, mine.result());
        assertEquals(0, sinkA.total());
    }

    @Test
    void theExitOfOneProcessLeavesTheOthersRequestsAlone() throws Exception {
        Request a1 = waitingRead(ctxA);
        Request b1 = waitingRead(ctxB);
        Request a2 = waitingRead(ctxA);
        assertTrue(a.exit(ExitPolicy.CANCEL_THEN_DRAIN, Duration.ofSeconds(1)));
        assertEquals(AioError.ECANCELED, a1.error());
        assertEquals(AioError.ECANCELED, a2.error());
        assertEquals(State.WAITING, b1.state());
        assertTrue(!b.inRundown());
        h.put(shared[1], "data");
        sinkB.awaitTotal(1);
        assertEquals(4, b1.result(), "b's read got the data that a's cancelled reads were queued for");
        ctxB.submit(Request.noop());   // b still submits
        sinkA.assertEachDeliveredOnce(List.of(a1, a2));
        assertTrue(!h.sys.processes().contains(a), "a is gone");
        assertTrue(h.sys.processes().contains(b), "b lives on");
    }

    @Test
    void thePerProcessLimitCountsEachProcessSeparately() throws Exception {
        h.sys.limits().setMaxQueuedPerProcess(2);
        waitingRead(ctxA);
        waitingRead(ctxA);
        refused(AioError.EAGAIN, () -> ctxA.submit(Request.noop()));
        waitingRead(ctxB);
        waitingRead(ctxB);
        refused(AioError.EAGAIN, () -> ctxB.submit(Request.noop()));
        assertEquals(2, a.queued());
        assertEquals(2, b.queued());
        assertEquals(4, h.sys.limits().queuedSystem());
    }
}

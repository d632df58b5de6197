package org.aioemu.core;

import static org.aioemu.core.Harness.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.aioemu.core.Request.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Limits checked at submit, at three levels: the context's capacity, the process's and the
 * system's. A refusal is EAGAIN naming the limit, admits nothing (not even part of a batch), and
 * a slot stays taken until the completed request is released (reaped).
 */
@Timeout(20)
class AdmissionLimitsTest {
    private Harness h;
    private RecordingSink unreaped;   // keeps every slot: nothing is released unless a test does it

    @BeforeEach
    void setUp() {
        h = Harness.start();
        unreaped = new RecordingSink(false);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private Request waitingRead(AioContext ctx, int fd) throws AioException {
        Request r = Request.read(fd, h.arena.allocate(1), Request.NO_OFFSET);
        ctx.submit(r);
        return r;
    }

    private static void assertNotAdmitted(Request r) {
        assertEquals(State.NEW, r.state());
        assertNull(r.context(), "a refused request belongs to no context");
    }

    @Test
    void contextCapacityRefusesWithEagainNamingTheContext() throws Exception {
        AioContext ctx = h.process("p").newContext(2, unreaped);
        int fd = h.socketpair()[0];
        waitingRead(ctx, fd);
        waitingRead(ctx, fd);
        long refusedBefore = h.sys.stats().refused();
        Request third = Request.read(fd, h.arena.allocate(1), Request.NO_OFFSET);
        AioException e = refused(AioError.EAGAIN, () -> ctx.submit(third));
        assertTrue(e.getMessage().contains("context limit"), e.getMessage());
        assertNotAdmitted(third);
        assertEquals(2, ctx.inUse());
        assertEquals(2, ctx.process().queued());
        assertEquals(2, h.sys.limits().queuedSystem());
        assertEquals(refusedBefore + 1, h.sys.stats().refused());
        assertEquals(2, h.sys.waitingForReadiness());
    }

    @Test
    void aCompletedRequestHoldsItsSlotUntilReleased() throws Exception {
        AioContext ctx = h.process("p").newContext(1, unreaped);
        Request first = Request.noop();
        ctx.submit(first);
        assertTrue(first.isFinished());
        refused(AioError.EAGAIN, () -> ctx.submit(Request.noop()));

        ctx.release(first);
        assertEquals(0, ctx.inUse());
        Request second = Request.noop();
        ctx.submit(second);   // the released slot is free again
        ctx.release(first);   // releasing twice gives nothing back twice
        refused(AioError.EAGAIN, () -> ctx.submit(Request.noop()));
        assertEquals(1, ctx.inUse());
        assertEquals(1, h.sys.limits().queuedSystem());
    }

    @Test
    void aRequestInFlightCannotBeReleased() throws Exception {
        AioContext ctx = h.process("p").newContext(4, unreaped);
        Request r = waitingRead(ctx, h.socketpair()[0]);
        assertThrows(IllegalStateException.class, () -> ctx.release(r));
        assertEquals(1, ctx.inUse());
    }

    @Test
    void perProcessLimitCountsEveryContextOfTheProcess() throws Exception {
        h.sys.limits().setMaxQueuedPerProcess(3);
        AioProcess p = h.process("p");
        AioContext a = p.newContext(10, unreaped);
        AioContext b = p.newContext(10, unreaped);
        int fd = h.socketpair()[0];
        waitingRead(a, fd);
        waitingRead(a, fd);
        waitingRead(b, fd);
        Request fourth = Request.noop();
        AioException e = refused(AioError.EAGAIN, () -> b.submit(fourth));
        assertTrue(e.getMessage().contains("per-process limit"), e.getMessage());
        assertNotAdmitted(fourth);
        assertEquals(1, b.inUse(), "the context's slot taken for the check was given back");
        assertEquals(3, p.queued());
        assertEquals(3, h.sys.limits().queuedSystem());

        AioContext other = h.process("q").newContext(10, unreaped);
        for (int i = 0; i < 3; i++) other.submit(Request.noop());   // another process has its own count
        assertEquals(3, other.process().queued());
    }

    @Test
    void systemLimitCountsEveryProcess() throws Exception {
        h.sys.limits().setMaxQueuedSystem(3);
        AioContext a = h.process("a").newContext(10, unreaped);
        AioContext b = h.process("b").newContext(10, unreaped);
        a.submit(Request.noop());
        a.submit(Request.noop());
        b.submit(Request.noop());
        Request over = Request.noop();
        AioException e = refused(AioError.EAGAIN, () -> b.submit(over));
        assertTrue(e.getMessage().contains("system limit"), e.getMessage());
        assertNotAdmitted(over);
        assertEquals(1, b.inUse());
        assertEquals(1, b.process().queued(), "the process's slot taken for the check was given back");
        assertEquals(3, h.sys.limits().queuedSystem());

        Request reaped = unreaped.order().get(0);
        reaped.context().release(reaped);
        b.submit(Request.noop());   // a slot anywhere in the system frees one for everyone
        assertEquals(3, h.sys.limits().queuedSystem());
    }

    @Test
    void submitAllOverALimitAdmitsNone() throws Exception {
        AioContext ctx = h.process("p").newContext(4, unreaped);
        int fd = h.socketpair()[0];
        waitingRead(ctx, fd);
        waitingRead(ctx, fd);
        List<Request> batch = new ArrayList<>();
        for (int i = 0; i < 3; i++) batch.add(Request.read(fd, h.arena.allocate(1), Request.NO_OFFSET));
        refused(AioError.EAGAIN, () -> ctx.submitAll(batch));
        batch.forEach(AdmissionLimitsTest::assertNotAdmitted);
        assertEquals(2, ctx.inUse());
        assertEquals(2, h.sys.waitingForReadiness());
        ctx.submitAll(batch.subList(0, 2));   // two fit
        assertEquals(4, ctx.inUse());
    }

    @Test
    void submitAllWithABadFdAdmitsNone() throws Exception {
        AioContext ctx = h.process("p").newContext(8, unreaped);
        int[] p = h.pipe();
        h.put(p[1], "ab");
        int closed = h.socketpair()[0];
        h.closeNow(closed);
        List<Request> batch = List.of(
                Request.read(p[0], h.arena.allocate(1), Request.NO_OFFSET),
                Request.read(closed, h.arena.allocate(1), Request.NO_OFFSET),
                Request.read(p[0], h.arena.allocate(1), Request.NO_OFFSET));
        refused(AioError.EBADF, () -> ctx.submitAll(batch));
        batch.forEach(AdmissionLimitsTest::assertNotAdmitted);
        assertEquals(0, ctx.inUse());
        assertEquals(0, unreaped.total());
        assertEquals("ab", h.get(p[0], 8), "the good requests of the batch read nothing");
    }

    @Test
    void completionQueueTakeGivesTheSlotsBack() throws Exception {
        CompletionQueue q = new CompletionQueue();
        AioContext ctx = h.process("p").newContext(2, q);
        ctx.submit(Request.noop());
        ctx.submit(Request.noop());
        refused(AioError.EAGAIN, () -> ctx.submit(Request.noop()));
        List<Request> out = new ArrayList<>();
        assertEquals(1, q.take(out, 1, 1, Duration.ofSeconds(1)));
        ctx.submit(Request.noop());
        assertEquals(2, ctx.inUse());
    }

    @Test
    void aDestroyedContextRefusesWithEinvalAndGivesItsSlotsBack() throws Exception {
        AioProcess p = h.process("p");
        AioContext ctx = p.newContext(4, unreaped);
        ctx.submit(Request.noop());
        ctx.submit(Request.noop());
        assertEquals(2, p.queued());
        assertTrue(ctx.destroy(ExitPolicy.CANCEL_THEN_DRAIN, Duration.ofSeconds(1)));
        refused(AioError.EINVAL, () -> ctx.submit(Request.noop()));
        assertEquals(0, p.queued(), "unreaped completions are dropped with the context");
        assertEquals(0, h.sys.limits().queuedSystem());
    }

    @Test
    void aDestroyedContextCancelsItsWaitersAndTheirSlotsComeBack() throws Exception {
        AioProcess p = h.process("p");
        AioContext ctx = p.newContext(4, unreaped);
        Request r = waitingRead(ctx, h.socketpair()[0]);
        assertTrue(ctx.destroy(ExitPolicy.CANCEL_THEN_DRAIN, Duration.ofSeconds(1)));
        assertEquals(AioError.ECANCELED, r.error());
        assertEquals(1, unreaped.calls(r));
        assertEquals(0, p.queued());
        assertEquals(0, h.sys.limits().queuedSystem());
    }

    @Test
    void aRequestTwiceInOneBatchIsRefusedAndNothingIsAdmitted() throws Exception {
        AioContext ctx = h.process("p").newContext(8, unreaped);
        Request twice = Request.noop();
        Request other = Request.noop();
        assertThrows(IllegalStateException.class, () -> ctx.submitAll(List.of(other, twice, twice)));
        assertEquals(0, unreaped.total(), "no completion, let alone two for one request");
        assertEquals(0, ctx.inUse());
        assertNotAdmitted(twice);
        assertNotAdmitted(other);
        ctx.submit(twice);
        assertThrows(IllegalStateException.class, () -> ctx.submit(twice), "and once submitted, never again");
        assertEquals(1, unreaped.calls(twice));
    }
}

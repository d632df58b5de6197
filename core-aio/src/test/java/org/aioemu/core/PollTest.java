package org.aioemu.core;

import static org.aioemu.core.host.HostConstants.POLLHUP;
import static org.aioemu.core.host.HostConstants.POLLIN;
import static org.aioemu.core.host.HostConstants.POLLOUT;
import static org.aioemu.core.host.HostConstants.POLLPRI;
import static org.aioemu.core.host.HostConstants.POLLRDBAND;
import static org.aioemu.core.host.HostConstants.POLLRDNORM;
import static org.aioemu.core.host.HostConstants.POLLWRNORM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;

import org.aioemu.core.Request.State;
import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One-shot readiness polls, against what the probes of the host kernel saw (linux-aio.md
 * LNX-54..57): ready at submit gives ready ∩ asked, a later wakeup gives the wakeup's mask, which
 * may hold bits not asked for, and a waiting poll can be cancelled.
 */
@Timeout(20)
class PollTest {
    @TempDir Path dir;
    private Harness h;
    private RecordingSink sink;
    private AioContext ctx;

    @BeforeEach
    void setUp() throws AioException {
        h = Harness.start();
        sink = new RecordingSink();
        ctx = h.process("polls").newContext(16, sink);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private Request poll(int fd, int events) throws AioException {
        Request r = Request.poll(fd, events);
        ctx.submit(r);
        return r;
    }

    @Test
    void readyAtSubmitGivesReadyIntersectAsked() throws Exception {
        int[] s = h.socketpair();
        h.put(s[1], "x");   // s[0] is now readable and, as always, writable
        Request in = poll(s[0], POLLIN);
        assertEquals(CompletionPath.INLINE, in.path());
        assertEquals(POLLIN, in.result(), "POLLOUT is ready too, but was not asked");
        Request both = poll(s[0], POLLIN | POLLOUT);
        assertEquals(POLLIN | POLLOUT, both.result());
        assertEquals("x", h.get(s[0], 4), "a poll consumes nothing");
    }

    @Test
    void pipeReadEndAskedInRdnormOutGivesInRdnorm() throws Exception {
        int[] p = h.pipe();
        h.put(p[1], "y");
        Request r = poll(p[0], POLLIN | POLLRDNORM | POLLOUT);
        assertEquals(POLLIN | POLLRDNORM, r.result(), "0x41, as the host kernel answered (LNX-54)");
    }

    @Test
    void aLaterWakeupGivesTheWakeupMask() throws Exception {
        int[] p = h.pipe();
        Request r = poll(p[0], POLLIN);
        assertEquals(State.WAITING, r.state());
        assertEquals(1, h.sys.waitingForReadiness());
        h.put(p[1], "y");
        sink.awaitTotal(1);
        assertNull(r.error());
        assertEquals(CompletionPath.CONTINUATION, r.path());
        assertEquals(POLLIN | POLLRDNORM, r.result(), "0x41 for POLLIN after a pipe write, as on the host (LNX-55)");
    }

    @Test
    void aPipeWriteOnTheCallerWakesReadEndPollsBeforeItReturns() throws Exception {
        int[] p = h.pipe();
        Request r = poll(p[0], POLLIN);
        Request w = Request.write(p[1], h.arena.allocateFrom("data"), Request.NO_OFFSET).withOptions(Request.Option.RUN_ON_CALLER);
        ctx.submit(w);
        assertEquals(State.DONE, r.state(), "woken inside the write, as pipe_write does, not later by the poller");
        assertEquals(POLLIN | POLLRDNORM, r.result());
        assertEquals("data", h.get(p[0], 4), "a later read that takes the bytes cannot un-wake it");
    }

    @Test
    void aSocketWriteOnTheCallerWakesThePeersPollsBeforeItReturns() throws Exception {
        int[] s = h.socketpair();
        Request r = poll(s[0], POLLIN);
        Request w = Request.write(s[1], h.arena.allocateFrom("data"), Request.NO_OFFSET).withOptions(Request.Option.RUN_ON_CALLER);
        ctx.submit(w);
        assertEquals(State.DONE, r.state(), "woken inside the write, as sock_def_readable does, not later by the poller");
        assertEquals(POLLIN | POLLPRI | POLLRDNORM | POLLRDBAND, r.result());
    }

    @Test
    void aWriteEndWaitingForRoomWakesWithOutAndWrnorm() throws Exception {
        int[] p = h.pipe();
        long cap = 0;
        var chunk = h.arena.allocate(4096);
        HostIo.setNonBlocking(p[1], true);
        for (long n; (n = HostIo.write(p[1], chunk, 4096)) > 0; ) cap += n;
        HostIo.setNonBlocking(p[1], false);
        Request r = poll(p[1], POLLOUT);
        assertEquals(State.WAITING, r.state(), "a full pipe has no room");
        var drain = h.arena.allocate(cap);
        for (long got = 0; got < cap; ) got += HostIo.read(p[0], drain, cap - got);
        sink.awaitTotal(1);
        assertEquals(POLLOUT | POLLWRNORM, r.result());
    }

    @Test
    void eventsZeroWakesOnHangup() throws Exception {
        int[] p = h.pipe();
        Request r = poll(p[0], 0);
        assertEquals(State.WAITING, r.state());
        h.closeNow(p[1]);
        sink.awaitTotal(1);
        assertEquals(POLLHUP, r.result(), "POLLHUP is always asked for (LNX-53, LNX-55)");
    }

    @Test
    void aSocketWriteWakesWithTheSocketKeyEvenAPollAskingPriOnly() throws Exception {
        int[] s = h.socketpair();
        Request in = poll(s[0], POLLIN);
        Request pri = poll(s[0], POLLPRI);
        assertEquals(State.WAITING, in.state());
        assertEquals(State.WAITING, pri.state());
        h.put(s[1], "z");
        sink.awaitTotal(2);
        int key = POLLIN | POLLPRI | POLLRDNORM | POLLRDBAND;
        assertEquals(key, in.result(), "0xc3: sock_def_readable's key, as the host kernel gave (probed)");
        assertEquals(key, pri.result(), "the key is not masked with what was asked (probed: 0xc3 for POLLPRI)");
    }

    @Test
    void aSocketPeerCloseWakesWithReadinessMasked() throws Exception {
        int[] s = h.socketpair();
        Request r = poll(s[0], POLLIN);
        assertEquals(State.WAITING, r.state());
        h.closeNow(s[1]);
        sink.awaitTotal(1);
        assertEquals(POLLIN | POLLHUP, r.result(), "a close wakes without a key: readiness & (asked|ERR|HUP), 0x11 on the host");
    }

    @Test
    void aPipeWriterCloseWakesAPriPollWithHupOnlyThoughDataIsQueued() throws Exception {
        int[] p = h.pipe();
        Request r = poll(p[0], POLLPRI);
        h.put(p[1], "w");   // key IN|RDNORM shares no bit with PRI|ERR|HUP: ignored, as on the host
        assertEquals(State.WAITING, r.state());
        h.closeNow(p[1]);
        sink.awaitTotal(1);
        assertEquals(POLLHUP, r.result(), "0x10, as the host kernel gave");
    }

    @Test
    void aSocketPollAskingPriWithDataAlreadyQueuedKeepsWaiting() throws Exception {
        int[] s = h.socketpair();
        h.put(s[1], "q");
        Request r = poll(s[0], POLLPRI);
        assertEquals(State.WAITING, r.state(), "queued data is not priority data");
        Thread.sleep(50);
        assertEquals(State.WAITING, r.state(), "data that was already there wakes nobody");
        assertEquals(CancelOutcome.CANCELED, ctx.cancel(r));
    }

    @Test
    void aRegularFileIsAlwaysReady() throws Exception {
        Path f = dir.resolve("f");
        Files.writeString(f, "abc");
        Request r = poll(h.open(f, HostConstants.O_RDONLY), POLLIN);
        assertEquals(CompletionPath.INLINE, r.path());
        assertEquals(POLLIN, r.result());
    }

    @Test
    void anEventfdWakesWithPollinOnly() throws Exception {
        int efd = h.track(HostIo.eventfd(0, HostConstants.EFD_CLOEXEC));
        Request r = poll(efd, POLLIN);
        assertEquals(State.WAITING, r.state());
        assertEquals(0, HostIo.writeEventfd(efd, 1));
        sink.awaitTotal(1);
        assertEquals(POLLIN, r.result(), "an eventfd reports no RDNORM (LNX-56 probe: res=1)");
    }

    @Test
    void twoEventfdsWaitApartThoughTheyShareOneInode() throws Exception {
        int a = h.track(HostIo.eventfd(0, HostConstants.EFD_CLOEXEC));
        int b = h.track(HostIo.eventfd(0, HostConstants.EFD_CLOEXEC));
        Request onA = poll(a, POLLIN);
        Request onB = poll(b, POLLIN);
        assertEquals(0, HostIo.writeEventfd(b, 1));
        sink.awaitTotal(1);
        assertEquals(POLLIN, onB.result());
        Thread.sleep(30);
        assertEquals(State.WAITING, onA.state(), "b's counter is not a's: a poll on a keeps waiting");
        assertEquals(CancelOutcome.CANCELED, ctx.cancel(onA));
    }

    @Test
    void aWaitingPollCanBeCancelled() throws Exception {
        int[] s = h.socketpair();
        Request r = poll(s[0], POLLIN);
        assertEquals(State.WAITING, r.state());
        assertEquals(CancelOutcome.CANCELED, ctx.cancel(r));
        sink.awaitTotal(1);
        assertEquals(AioError.ECANCELED, r.error());
        assertEquals(CompletionPath.CANCELLED, r.path());
        assertEquals(0, h.sys.waitingForReadiness());
        h.put(s[1], "late");
        Thread.sleep(50);
        assertEquals(1, sink.calls(r), "a cancelled poll is not delivered again by a later wakeup");
        assertEquals(CancelOutcome.ALL_DONE, ctx.cancel(r));
    }

    @Test
    void pollsAndReadsOnOneFdWaitSideBySide() throws Exception {
        int[] s = h.socketpair();
        Request p = poll(s[0], POLLIN);
        var buf = h.arena.allocate(8);
        Request rd = Request.read(s[0], buf, Request.NO_OFFSET);
        ctx.submit(rd);
        assertEquals(2, h.sys.waitingForReadiness());
        h.put(s[1], "z");
        sink.awaitTotal(2);
        assertEquals(1, rd.result());
        assertEquals(1, sink.calls(p));
        assertEquals(POLLIN, p.result() & POLLIN, () -> "poll saw the data: " + p);
    }
}

package org.aioemu.core;

import static org.aioemu.core.Harness.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;

import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.aioemu.core.host.IoVec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Data and errors on pipes, socketpairs and loopback TCP, as the host kernel reports them. */
@Timeout(20)
class StreamRoundTripTest {
    private Harness h;
    private RecordingSink sink;
    private AioContext ctx;

    @BeforeEach
    void setUp() throws AioException {
        h = Harness.start();
        sink = new RecordingSink();
        ctx = h.process("streams").newContext(64, sink);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private Request run(Request r) throws Exception {
        int before = sink.total();
        ctx.submit(r);
        sink.awaitTotal(before + 1);
        assertEquals(1, sink.calls(r));
        return r;
    }

    private static Request read(int fd, MemorySegment buf) {
        return Request.read(fd, buf, Request.NO_OFFSET);
    }

    private static Request write(int fd, MemorySegment buf) {
        return Request.write(fd, buf, Request.NO_OFFSET);
    }

    @Test
    void pipeRoundTrip() throws Exception {
        int[] p = h.pipe();
        Request w = run(write(p[1], h.text("ping")));
        assertEquals(4, w.result());
        assertEquals(CompletionPath.INLINE, w.path(), "a pipe with room takes the write at once");
        MemorySegment buf = h.arena.allocate(16);
        Request r = run(read(p[0], buf));
        assertEquals(4, r.result());
        assertEquals(CompletionPath.INLINE, r.path());
        assertEquals("ping", string(buf, 4));
    }

    @Test
    void positionalIoOnAPipeIsEspipe() throws Exception {
        int[] p = h.pipe();
        h.put(p[1], "data");
        Request r = run(Request.read(p[0], h.arena.allocate(8), 0));
        assertEquals(AioError.ESPIPE, r.error());
        Request w = run(Request.write(p[1], h.text("x"), 5));
        assertEquals(AioError.ESPIPE, w.error());
        assertEquals("data", h.get(p[0], 16), "the failed read took nothing");
    }

    @Test
    void pipeWithItsWriterClosedReadsZero() throws Exception {
        int[] p = h.pipe();
        MemorySegment buf = h.arena.allocate(8);
        Request parked = read(p[0], buf);
        ctx.submit(parked);
        assertEquals(Request.State.WAITING, parked.state());
        h.closeNow(p[1]);
        sink.awaitTotal(1);
        assertNull(parked.error());
        assertEquals(0, parked.result(), "end of file for a waiting read");
        Request after = run(read(p[0], buf));
        assertEquals(0, after.result(), "end of file at submit");
        assertEquals(CompletionPath.INLINE, after.path());
    }

    @Test
    void pipeWithItsReaderClosedIsEpipeWithoutKillingTheJvm() throws Exception {
        int[] p = h.pipe();
        h.closeNow(p[0]);
        Request w = run(write(p[1], h.text("lost")));
        assertEquals(AioError.EPIPE, w.error());
        assertEquals(0, w.result());
    }

    @Test
    void socketpairRoundTripsBothWays() throws Exception {
        int[] s = h.socketpair();
        MemorySegment buf = h.arena.allocate(16);
        assertEquals(5, run(write(s[0], h.text("there"))).result());
        assertEquals(5, run(read(s[1], buf)).result());
        assertEquals("there", string(buf, 5));
        assertEquals(4, run(write(s[1], h.text("back"))).result());
        assertEquals(4, run(read(s[0], buf)).result());
        assertEquals("back", string(buf, 4));
    }

    @Test
    void vectoredIoOnASocket() throws Exception {
        int[] s = h.socketpair();
        MemorySegment out = IoVec.allocate(h.arena, h.text("gather"), h.text("-"), h.text("write"));
        assertEquals(12, run(Request.writev(s[0], out, 3, Request.NO_OFFSET)).result());
        MemorySegment a = h.arena.allocate(7);
        MemorySegment b = h.arena.allocate(64);
        Request r = run(Request.readv(s[1], IoVec.allocate(h.arena, a, b), 2, Request.NO_OFFSET));
        assertEquals(12, r.result());
        assertEquals("gather-", string(a, 7));
        assertEquals("write", string(b, 5));
    }

    @Test
    void socketWriteAfterThePeerClosedIsEpipe() throws Exception {
        int[] s = h.socketpair();
        h.closeNow(s[1]);
        Request w = run(write(s[0], h.text("nobody")));
        assertEquals(AioError.EPIPE, w.error(), w::toString);
        Request wv = run(Request.writev(s[0], IoVec.allocate(h.arena, h.text("nobody")), 1, Request.NO_OFFSET));
        assertEquals(AioError.EPIPE, wv.error(), "writev has no MSG_NOSIGNAL; the JVM ignores SIGPIPE");
        Request r = run(read(s[0], h.arena.allocate(8)));
        assertEquals(0, r.result(), "and reading sees the end of the stream");
    }

    @Test
    void loopbackTcpRoundTrip() throws Exception {
        int[] t = h.tcpPair();
        MemorySegment buf = h.arena.allocate(64);
        Request parked = read(t[0], buf);
        ctx.submit(parked);
        assertEquals(Request.State.WAITING, parked.state());
        assertEquals(7, run(write(t[1], h.text("over IP"))).result());
        sink.awaitTotal(2);
        assertEquals(7, parked.result());
        assertEquals(CompletionPath.CONTINUATION, parked.path());
        assertEquals("over IP", string(buf, 7));
        assertEquals(5, run(write(t[0], h.text("reply"))).result());
        assertEquals("reply", h.get(t[1], 64));
    }

    @Test
    void tcpResetByALingerZeroCloseIsEconnreset() throws Exception {
        int[] t = h.tcpPair();
        Request parked = read(t[0], h.arena.allocate(16));
        ctx.submit(parked);
        assertEquals(Request.State.WAITING, parked.state());
        h.lingerZero(t[1]);
        h.closeNow(t[1]);
        sink.awaitTotal(1);
        assertEquals(AioError.ECONNRESET, parked.error(), parked::toString);
        assertEquals(CompletionPath.CONTINUATION, parked.path());
    }

    @Test
    void tcpPeerClosingWithUnreadDataResets() throws Exception {
        int[] t = h.tcpPair();
        h.put(t[0], "never read");
        // The data must have arrived before the close, or the close would be an orderly FIN.
        Harness.eventually("the data reached the peer", () -> HostIo.pollOne(t[1], (short) HostConstants.POLLIN, 0) == HostConstants.POLLIN);
        h.closeNow(t[1]);
        Request r = Request.read(t[0], h.arena.allocate(16), Request.NO_OFFSET);
        ctx.submit(r);
        sink.awaitTotal(1);
        assertEquals(AioError.ECONNRESET, r.error(), r::toString);
        assertTrue(r.path() == CompletionPath.INLINE || r.path() == CompletionPath.CONTINUATION);
    }
}

package org.aioemu.core;

import static org.aioemu.core.host.HostConstants.AF_INET;
import static org.aioemu.core.host.HostConstants.SOCK_CLOEXEC;
import static org.aioemu.core.host.HostConstants.SOCK_DGRAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.aioemu.core.Request.State;
import org.aioemu.core.host.HostErrno;
import org.aioemu.core.host.HostIo;
import org.aioemu.core.host.SockaddrIn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scale test: 10,000 socket reads wait at once and the JVM's thread count does not
 * grow with them (they are continuations on one poller), then one byte to each peer completes
 * every one of them with its own byte.
 *
 * <p>Each waiting read costs the core one fd (its dup of the socket). With a socketpair per read
 * the test needs 3 × 10,000 fds, more than a process may open here without CAP_SYS_RESOURCE
 * (the hard limit is 20,000), so that form raises the limit or is skipped. The UDP form fits:
 * 10,000 loopback UDP sockets, each closed by the program once its read is submitted (the core's
 * dup keeps the socket and its bound port alive), and one sender that writes to every port.
 */
@Timeout(60)
class PendingSocketsBoundedThreadsTest {
    private static final int N = 10_000;
    private static final int WORKER_MIN = 4;
    private static final long JVM_FDS = 2_000;   // the JVM's own, with room to spare

    private final long[] savedLimit = new long[2];
    private Harness h;
    private ThreadMXBean threads;
    private int bound;
    private MemorySegment bufs;

    @BeforeEach
    void setUp() {
        assertEquals(0, HostIo.getrlimitNofile(savedLimit));
        threads = ManagementFactory.getThreadMXBean();
        int baseline = threads.getThreadCount();
        bound = baseline + WORKER_MIN + 1 /* poller */ + 4 /* slack for the JVM's own */;
        h = Harness.start(AioConfig.defaults().withWorkers(WORKER_MIN, 32));
        threads.resetPeakThreadCount();
        bufs = h.arena.allocate(N);
    }

    @AfterEach
    void tearDown() {
        h.close();
        HostIo.setrlimitNofile(savedLimit[0], savedLimit[1]);
    }

    private void needFds(long n) {
        if (savedLimit[0] < 0 || savedLimit[0] >= n) return;   // -1: RLIM_INFINITY
        long want = Math.max(n, 65_536);
        long hard = savedLimit[1] >= 0 && savedLimit[1] < want ? want : savedLimit[1];
        int rc = HostIo.setrlimitNofile(want, hard);
        Assumptions.assumeTrue(rc == 0, "needs " + n + " fds; RLIMIT_NOFILE is " + savedLimit[0] + "/" + savedLimit[1]
                + " and raising it failed with " + HostErrno.name(-rc) + " (no CAP_SYS_RESOURCE?)");
    }

    private Request submitRead(AioContext ctx, int fd, int i) throws AioException {
        Request r = Request.read(fd, bufs.asSlice(i, 1), Request.NO_OFFSET);
        ctx.submit(r);
        return r;
    }

    @FunctionalInterface
    private interface Poke {
        void writeOneByte(int i, MemorySegment oneByte);
    }

    /** All N wait holding no thread; one byte to each peer completes each with its own byte. */
    private void assertBoundedThenAllComplete(String what, List<Request> reads, RecordingSink sink, long parkedMillis, Poke poke)
            throws InterruptedException {
        assertEquals(N, h.sys.waitingForReadiness());
        for (Request r : reads) assertEquals(State.WAITING, r.state());
        assertEquals(0, sink.total());
        assertTrue(threads.getThreadCount() <= bound, "threads with " + N + " parked: " + threads.getThreadCount() + " > " + bound);

        MemorySegment bytes = h.arena.allocate(256);
        for (int b = 0; b < 256; b++) bytes.set(ValueLayout.JAVA_BYTE, b, (byte) b);
        long t0 = System.nanoTime();
        for (int i = 0; i < N; i++) poke.writeOneByte(i, bytes.asSlice(i % 256, 1));
        assertTrue(sink.await(N, Duration.ofSeconds(20)), "completed " + sink.total() + " of " + N);
        long completedMillis = (System.nanoTime() - t0) / 1_000_000;

        for (int i = 0; i < N; i++) {
            Request r = reads.get(i);
            assertNull(r.error(), r::toString);
            assertEquals(1, r.result());
            assertEquals(CompletionPath.CONTINUATION, r.path());
            assertEquals((byte) (i % 256), bufs.get(ValueLayout.JAVA_BYTE, i), "read " + i + " got its own socket's byte");
        }
        sink.assertEachDeliveredOnce(reads);
        assertEquals(0, h.sys.waitingForReadiness());
        int peak = threads.getPeakThreadCount();
        assertTrue(peak <= bound, "peak threads " + peak + " > " + bound);
        System.out.printf("%s: %d reads parked in %d ms, completed in %d ms; peak threads %d (bound %d)%n",
                what, N, parkedMillis, completedMillis, peak, bound);
    }

    @Test
    void tenThousandReadsOnSocketpairs() throws Exception {
        needFds(3L * N + JVM_FDS);
        RecordingSink sink = new RecordingSink();
        AioContext ctx = h.process("c10k-pairs").newContext(N, sink);
        int[] peers = new int[N];
        List<Request> reads = new ArrayList<>(N);
        long t0 = System.nanoTime();
        for (int i = 0; i < N; i++) {
            int[] s = h.socketpair();
            peers[i] = s[1];
            reads.add(submitRead(ctx, s[0], i));
        }
        long parkedMillis = (System.nanoTime() - t0) / 1_000_000;
        assertBoundedThenAllComplete("socketpairs", reads, sink, parkedMillis,
                (i, b) -> assertEquals(1, HostIo.write(peers[i], b, 1)));
    }

    @Test
    void tenThousandReadsOnLoopbackUdpSocketsHeldOnlyByTheCore() throws Exception {
        needFds(N + JVM_FDS);
        RecordingSink sink = new RecordingSink();
        AioContext ctx = h.process("c10k-udp").newContext(N, sink);
        int[] ports = new int[N];
        MemorySegment addr = h.arena.allocate(SockaddrIn.LAYOUT);
        List<Request> reads = new ArrayList<>(N);
        long t0 = System.nanoTime();
        for (int i = 0; i < N; i++) {
            int fd = h.track(HostIo.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
            assertEquals(0, HostIo.bind(fd, SockaddrIn.loopback(h.arena, 0)));
            assertEquals(0, HostIo.getsockname(fd, addr));
            ports[i] = SockaddrIn.port(addr);
            reads.add(submitRead(ctx, fd, i));
            h.closeNow(fd);   // from here on only the core's reference keeps the socket
        }
        long parkedMillis = (System.nanoTime() - t0) / 1_000_000;
        int sender = h.track(HostIo.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        assertBoundedThenAllComplete("udp", reads, sink, parkedMillis, (i, b) -> {
            assertEquals(0, HostIo.connect(sender, SockaddrIn.loopback(h.arena, ports[i])));
            assertEquals(1, HostIo.write(sender, b, 1));
        });
    }
}

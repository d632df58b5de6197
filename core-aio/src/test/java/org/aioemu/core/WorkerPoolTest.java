package org.aioemu.core;

import static org.aioemu.core.Harness.awaitState;
import static org.aioemu.core.Harness.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.aioemu.core.Request.Option;
import org.aioemu.core.Request.State;
import org.aioemu.core.host.HostConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker pool's sizing (FreeBSD's aiod pool): min threads up front, growth under blocking load
 * up to max and no further, idle threads above min leaving after the idle lifetime, at most
 * maxActivePerProcess requests of one process running, and never a thread per request. Threads
 * are counted by name among the JVM's live threads, not only by the pool's own count.
 */
@Timeout(30)
class WorkerPoolTest {
    @TempDir Path dir;
    private Set<Thread> before;
    private Harness h;
    private RecordingSink sink;

    @BeforeEach
    void snapshot() {
        before = workerThreads();
        sink = new RecordingSink();
    }

    @AfterEach
    void tearDown() {
        if (h != null) h.close();
    }

    private static Set<Thread> workerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("aioemu-worker-"))
                .collect(Collectors.toSet());
    }

    /** Worker threads alive now that were not before this test's system started. */
    private int ourWorkers() {
        Set<Thread> now = workerThreads();
        now.removeAll(before);
        return now.size();
    }

    private List<PtyBlocker> blockers(int n) {
        List<PtyBlocker> list = new ArrayList<>();
        for (int i = 0; i < n; i++) list.add(h.blocker());
        return list;
    }

    /**
     * How many of {@code rs} are RUNNING at one instant, or -1 if they moved while we looked. A
     * state only moves forward (QUEUED, RUNNING, DONE), so two equal scans in a row saw a moment
     * in which all of them held those states at once.
     */
    private static int runningInASnapshot(List<Request> rs) {
        State[] first = new State[rs.size()];
        for (int i = 0; i < first.length; i++) first[i] = rs.get(i).state();
        int running = 0;
        for (int i = 0; i < first.length; i++) {
            State again = rs.get(i).state();
            if (again != first[i]) return -1;
            if (again == State.RUNNING) running++;
        }
        return running;
    }

    private static long count(List<Request> rs, State s) {
        return rs.stream().filter(r -> r.state() == s).count();
    }

    @Test
    void theMinimumIsStartedUpFront() {
        h = Harness.start(AioConfig.defaults().withWorkers(3, 8));
        assertEquals(3, h.sys.workers().threads());
        assertEquals(3, ourWorkers());
    }

    @Test
    void itGrowsToTheMaximumUnderBlockingLoadAndNoFurther() throws Exception {
        h = Harness.start(AioConfig.defaults().withWorkers(1, 4));
        AioContext ctx = h.process("load").newContext(16, sink);
        List<PtyBlocker> bs = blockers(5);
        List<Request> rs = new ArrayList<>();
        for (PtyBlocker b : bs) rs.add(b.read());
        ctx.submitAll(rs);   // one burst: the pool must grow though its one thread looks idle
        eventually("four requests run", () -> count(rs, State.RUNNING) == 4);
        Thread.sleep(100);
        assertEquals(4, count(rs, State.RUNNING));
        assertEquals(State.QUEUED, rs.get(4).state(), "the fifth waits: the pool is at its maximum");
        assertEquals(4, h.sys.workers().threads());
        assertEquals(4, ourWorkers());

        bs.get(0).release();
        awaitState(rs.get(4), State.RUNNING);
        bs.forEach(PtyBlocker::release);
        sink.awaitTotal(5);
        for (Request r : rs) assertEquals(1, r.result(), r::toString);
    }

    @Test
    void idleThreadsAboveTheMinimumLeaveAfterTheIdleLifetime() throws Exception {
        Duration idle = Duration.ofMillis(200);
        h = Harness.start(AioConfig.defaults().withWorkers(1, 4).withWorkerIdle(idle));
        AioContext ctx = h.process("burst").newContext(16, sink);
        List<PtyBlocker> bs = blockers(4);
        List<Request> rs = new ArrayList<>();
        for (PtyBlocker b : bs) {
            Request r = b.read();
            ctx.submit(r);
            rs.add(r);
        }
        eventually("four requests run", () -> count(rs, State.RUNNING) == 4);
        assertEquals(4, ourWorkers());
        bs.forEach(PtyBlocker::release);
        sink.awaitTotal(4);
        long idleSince = System.nanoTime();
        eventually("the pool shrinks to its minimum", () -> h.sys.workers().threads() == 1);
        long tookMillis = (System.nanoTime() - idleSince) / 1_000_000;
        assertTrue(tookMillis >= idle.toMillis() - 50, "threads left after " + tookMillis + " ms, before their idle lifetime");
        eventually("the threads are gone", () -> ourWorkers() == 1);
        Thread.sleep(2 * idle.toMillis());
        assertEquals(1, h.sys.workers().threads(), "the minimum stays however idle");
    }

    @Test
    void aProcessNeverHasMoreThanMaxActivePerProcessRunning() throws Exception {
        h = Harness.start(AioConfig.defaults().withWorkers(2, 8));
        h.sys.limits().setMaxActivePerProcess(2);
        AioContext busy = h.process("busy").newContext(16, sink);
        AioContext other = h.process("other").newContext(16, sink);
        List<PtyBlocker> bs = blockers(6);
        List<Request> rs = new ArrayList<>();
        for (PtyBlocker b : bs) rs.add(b.read());
        AtomicInteger peak = new AtomicInteger();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (sampling.get()) {
                int running = runningInASnapshot(rs);
                if (running >= 0) peak.accumulateAndGet(running, Math::max);
            }
        });
        busy.submitAll(rs);
        eventually("two run", () -> count(rs, State.RUNNING) == 2);
        List<PtyBlocker> otherBs = blockers(2);
        List<Request> others = List.of(otherBs.get(0).read(), otherBs.get(1).read());
        other.submitAll(others);
        eventually("the other process runs both of its own", () -> count(others, State.RUNNING) == 2);
        Thread.sleep(100);
        assertEquals(2, count(rs, State.RUNNING), "free workers, but the busy process is at its limit");
        assertEquals(4, count(rs, State.QUEUED));

        for (PtyBlocker b : bs) {   // release one at a time: the next one of the busy process moves up
            b.release();
            Thread.sleep(20);
        }
        otherBs.forEach(PtyBlocker::release);
        sink.awaitTotal(8);
        sampling.set(false);
        sampler.join();
        assertEquals(2, peak.get(), "the most of the busy process's requests ever seen running at once");
    }

    @Test
    void aThousandRequestsUseNoMoreThanMaxThreads() throws Exception {
        h = Harness.start(AioConfig.defaults().withWorkers(1, 4));
        Path f = dir.resolve("f");
        Files.write(f, new byte[4096]);
        int fd = h.open(f, HostConstants.O_RDONLY);
        AioContext ctx = h.process("many").newContext(1000, sink);
        List<Request> rs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            MemorySegment buf = h.arena.allocate(512);
            rs.add(Request.read(fd, buf, (i % 8) * 512L).withOptions(Option.NO_FAST_PATH));
        }
        int peak = 0;
        ctx.submitAll(rs);
        while (!sink.await(1000, Duration.ofMillis(1))) peak = Math.max(peak, ourWorkers());
        for (Request r : rs) {
            assertNull(r.error());
            assertEquals(CompletionPath.WORKER, r.path());
        }
        Set<Thread> ran = new HashSet<>(sink.threads());
        assertTrue(ran.size() <= 4, "completions came from " + ran.size() + " threads");
        assertTrue(peak <= 4, "peak worker threads " + peak);
        assertTrue(h.sys.workers().threads() <= 4);
        sink.assertEachDeliveredOnce(rs);
    }

    @Test
    void resizeStartsThreadsUpToTheNewMinimum() {
        h = Harness.start(AioConfig.defaults().withWorkers(1, 2));
        assertEquals(1, ourWorkers());
        h.sys.workers().resize(3, 5, Duration.ofSeconds(30));
        assertEquals(3, h.sys.workers().threads());
        assertEquals(3, ourWorkers());
        assertEquals(5, h.sys.workers().max());
    }
}

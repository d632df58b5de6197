package org.aioemu.cli.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;

/**
 * The design the core replaces: one platform thread per pending read, blocked in read(2) on its
 * connection until the peer writes. Threads get small stacks; if the host refuses a thread, the
 * run goes on with the connections that got one and says so.
 */
final class ThreadPerRequestWaits implements SocketWaitLoad {
    private static final int BUF = 16;
    private static final long STACK = 64 * 1024;
    private final Duration timeout;

    ThreadPerRequestWaits(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "thread-per-request";
    }

    @Override
    public WaitResult run(LoopbackPairs pairs) throws Exception {
        int n = pairs.size();
        ProcessStatus before = ProcessStatus.now();
        List<Thread> threads = new ArrayList<>(n);
        AtomicInteger blocked = new AtomicInteger();
        AtomicInteger wrong = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(n);
        String note = null;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment buffers = arena.allocate((long) BUF * n);
            int started = 0;
            try {
                for (; started < n; started++) {
                    int i = started;
                    threads.add(Thread.ofPlatform().daemon().stackSize(STACK).name("bench-reader-" + i).start(() -> {
                        MemorySegment buf = buffers.asSlice((long) BUF * i, BUF);
                        blocked.incrementAndGet();
                        long rc = HostIo.read(pairs.servers[i], buf, BUF);
                        if (rc != 1 || buf.get(ValueLayout.JAVA_BYTE, 0) != LoopbackPairs.expected(i)) wrong.incrementAndGet();
                        done.countDown();
                    }));
                }
            } catch (OutOfMemoryError e) {   // the host ran out of threads: measure what we have
                note = "the host refused thread " + (started + 1) + " (" + e.getMessage() + "); ran with " + started;
                for (int i = started; i < n; i++) done.countDown();
            }
            long waitStart = System.nanoTime();
            while (blocked.get() < started && System.nanoTime() - waitStart < timeout.toNanos()) Thread.sleep(5);
            Thread.sleep(100);   // let the last ones reach read(2)
            ProcessStatus pending = ProcessStatus.now();

            long t0 = System.nanoTime();
            pairs.writeFromPeers();
            boolean all = done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
            double millis = (System.nanoTime() - t0) / 1e6;
            int completed = (int) (n - done.getCount()) - (n - started) - wrong.get();
            if (!all) {
                note = (note == null ? "" : note + "; ") + "only " + completed + " completed within " + timeout.toSeconds() + " s";
            }
            if (wrong.get() > 0) throw new IllegalStateException("thread-per-request: " + wrong.get() + " reads got the wrong data");
            release(pairs, threads);
            return new WaitResult(name(), started, before, pending, completed, millis, note);
        } catch (Throwable t) {
            release(pairs, threads);
            throw t;
        }
    }

    /** Ends every reader: a shut-down read end makes a blocked read return 0 at once. */
    private static void release(LoopbackPairs pairs, List<Thread> threads) throws InterruptedException {
        for (int i = 0; i < threads.size(); i++) {
            if (threads.get(i).isAlive()) HostIo.shutdown(pairs.servers[i], HostConstants.SHUT_RD);
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Thread t : threads) t.join(Math.max(1, (end - System.nanoTime()) / 1_000_000));
    }
}

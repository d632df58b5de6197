package org.aioemu.cli.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.aioemu.core.AioContext;
import org.aioemu.core.AioProcess;
import org.aioemu.core.AioSystem;
import org.aioemu.core.CompletionPath;
import org.aioemu.core.CompletionQueue;
import org.aioemu.core.ExitPolicy;
import org.aioemu.core.Request;

/**
 * A read per connection submitted to the AIO core: each would block, so it parks as a
 * continuation on the core's epoll set (holding a dup of the fd, no thread) until the peer's byte
 * arrives and the poller completes it into a {@link CompletionQueue}.
 */
final class CoreSocketWaits implements SocketWaitLoad {
    private final Duration timeout;

    CoreSocketWaits(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "core";
    }

    @Override
    public WaitResult run(LoopbackPairs pairs) throws Exception {
        ProcessStatus before = ProcessStatus.now();
        try (Engine e = new Engine(pairs.size()); Arena arena = Arena.ofShared()) {
            return PendingReads.run(name(), e, arena.allocate((long) PendingReads.BUF * pairs.size()), pairs, timeout, before);
        }
    }

    private static final class Engine implements PendingReads.Engine {
        private final AioSystem system = AioSystem.start();
        private final AioProcess process = system.newProcess("bench-sockets", ExitPolicy.CANCEL_THEN_DRAIN);
        private final CompletionQueue queue = new CompletionQueue();
        private final AioContext context;
        private final List<Request> done = new ArrayList<>();

        Engine(int n) throws Exception {
            context = process.newContext(n, queue);
        }

        @Override
        public void submit(int i, int fd, MemorySegment buf) throws Exception {
            Request r = Request.read(fd, buf, Request.NO_OFFSET).withCookie(i);
            context.submit(r);
            if (r.state() != Request.State.WAITING) throw new IllegalStateException("core: read " + i + " did not wait: " + r);
        }

        @Override
        public long waiting() {
            return system.waitingForReadiness();
        }

        @Override
        public int reap(int[] tags, long[] results, Duration timeout) throws Exception {
            done.clear();
            int n = queue.take(done, 1, tags.length, timeout);
            for (int k = 0; k < n; k++) {
                Request r = done.get(k);
                if (r.error() != null || r.path() != CompletionPath.CONTINUATION) {
                    throw new IllegalStateException("core: read completed wrongly: " + r);
                }
                tags[k] = (int) r.cookie();
                results[k] = r.result();
            }
            return n;
        }

        @Override
        public void close() {
            process.exit(ExitPolicy.CANCEL_THEN_DRAIN, Duration.ofSeconds(5));
            system.close();
        }
    }
}

package org.aioemu.cli.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
import org.aioemu.core.host.HostIo;

/**
 * A read per connection submitted to the AIO core: each would block, so it parks as a
 * continuation on the core's epoll set (holding a dup of the fd, no thread) until the peer's byte
 * arrives and the poller completes it into a {@link CompletionQueue}. The program closes its own
 * fd right after the submit, which the core allows (the wait holds its own reference); that keeps
 * one fd per waiting read in this process instead of two.
 */
final class CoreSocketWaits implements SocketWaitLoad {
    private static final int BUF = 16;
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
        int n = pairs.size();
        ProcessStatus before = ProcessStatus.now();
        try (AioSystem system = AioSystem.start(); Arena arena = Arena.ofShared()) {
            AioProcess process = system.newProcess("bench-sockets", ExitPolicy.CANCEL_THEN_DRAIN);
            CompletionQueue queue = new CompletionQueue();
            AioContext context = process.newContext(n, queue);
            MemorySegment buffers = arena.allocate((long) BUF * n);
            for (int i = 0; i < n; i++) {
                Request r = Request.read(pairs.servers[i], buffers.asSlice((long) BUF * i, BUF), Request.NO_OFFSET).withCookie(i);
                context.submit(r);
                if (r.state() != Request.State.WAITING) throw new IllegalStateException("core: read " + i + " did not wait: " + r);
                HostIo.close(pairs.servers[i]);   // the parked read holds the core's own reference, as io_submit's fget does
                pairs.closedServer(i);
            }
            if (system.waitingForReadiness() != n) {
                throw new IllegalStateException("core: " + system.waitingForReadiness() + " reads wait, not " + n);
            }
            ProcessStatus pending = ProcessStatus.now();

            long t0 = System.nanoTime();
            pairs.writeFromPeers();
            int completed = 0;
            List<Request> done = new ArrayList<>();
            long deadline = t0 + timeout.toNanos();
            while (completed < n) {
                long left = deadline - System.nanoTime();
                done.clear();
                if (left <= 0 || queue.take(done, 1, 4096, Duration.ofNanos(left)) == 0) break;
                for (Request r : done) {
                    int i = (int) r.cookie();
                    if (r.error() != null || r.result() != 1 || r.path() != CompletionPath.CONTINUATION
                            || buffers.get(ValueLayout.JAVA_BYTE, (long) BUF * i) != LoopbackPairs.expected(i)) {
                        throw new IllegalStateException("core: connection " + i + " completed wrongly: " + r);
                    }
                    completed++;
                }
            }
            double millis = (System.nanoTime() - t0) / 1e6;
            process.exit(ExitPolicy.CANCEL_THEN_DRAIN, Duration.ofSeconds(5));
            String note = completed < n ? "only " + completed + " of " + n + " completed within " + timeout.toSeconds() + " s" : null;
            return new WaitResult(name(), n, before, pending, completed, millis, note);
        }
    }
}

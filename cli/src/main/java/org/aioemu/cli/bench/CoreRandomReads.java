package org.aioemu.cli.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.HdrHistogram.Histogram;
import org.aioemu.core.AioContext;
import org.aioemu.core.AioProcess;
import org.aioemu.core.AioSystem;
import org.aioemu.core.CompletionQueue;
import org.aioemu.core.ExitPolicy;
import org.aioemu.core.Request;
import org.aioemu.core.host.FdInfo;
import org.aioemu.core.host.HostIo;

/**
 * Random reads through the AIO core, the way an ABI drives it: one thread submits {@code depth}
 * reads into a context, reaps completions from a {@link CompletionQueue} and submits a new read
 * for each one reaped. Latency runs from just before submit to the reap. With {@code supplyFdInfo}
 * the caller hands the core the file's probe once (as an ABI that already knows the file may),
 * sparing the core an fstat and an fcntl per submit.
 */
final class CoreRandomReads implements RandomReadLoad {
    private static final Duration STUCK = Duration.ofSeconds(10);

    private final int depth;
    private final long seed;
    private final boolean supplyFdInfo;

    CoreRandomReads(int depth, long seed, boolean supplyFdInfo) {
        this.depth = depth;
        this.seed = seed;
        this.supplyFdInfo = supplyFdInfo;
    }

    @Override
    public String name() {
        return supplyFdInfo ? "core" : "core-probe";
    }

    @Override
    public LoadResult run(BenchFile file, Window window) throws Exception {
        int fd = file.openFd();
        try (AioSystem system = AioSystem.start(); Arena arena = Arena.ofShared()) {
            AioProcess process = system.newProcess("bench-files", ExitPolicy.CANCEL_THEN_DRAIN);
            CompletionQueue queue = new CompletionQueue();
            AioContext context = process.newContext(depth, queue);
            FdInfo info = supplyFdInfo ? FdInfo.probe(fd) : null;
            MemorySegment buffers = arena.allocate((long) BLOCK * depth, BLOCK);
            SplittableRandom random = new SplittableRandom(seed);
            long[] issued = new long[depth];
            Histogram latency = new Histogram(3);
            List<Request> done = new ArrayList<>(depth);

            for (int slot = 0; slot < depth; slot++) {
                issued[slot] = System.nanoTime();
                context.submit(read(fd, info, buffers, slot, file.randomOffset(random)));
            }
            int inFlight = depth;
            boolean measuring = false;
            long start = 0, stop = 0;
            while (inFlight > 0) {
                done.clear();
                if (queue.take(done, 1, depth, STUCK) == 0) {
                    throw new IllegalStateException("core: no completion for " + STUCK.toSeconds() + " s (" + inFlight + " in flight)");
                }
                long now = System.nanoTime();
                if (!measuring && now >= window.warmupEnd()) {
                    latency.reset();
                    measuring = true;
                    start = now;
                }
                boolean more = now < window.measureEnd();
                if (measuring && more) stop = now;
                for (Request r : done) {
                    int slot = (int) r.cookie();
                    if (r.error() != null || r.result() != BLOCK) {
                        throw new IllegalStateException("core: read of 4 KiB at " + r.offset() + " gave "
                                + (r.error() != null ? r.error() : r.result() + " bytes"));
                    }
                    if (more) {
                        latency.recordValue(now - issued[slot]);
                        issued[slot] = System.nanoTime();
                        context.submit(read(fd, info, buffers, slot, file.randomOffset(random)));
                    } else {
                        inFlight--;
                    }
                }
            }
            process.exit();
            return LoadResult.of(name(), latency, stop - start);
        } finally {
            HostIo.close(fd);
        }
    }

    private static Request read(int fd, FdInfo info, MemorySegment buffers, int slot, long offset) {
        Request r = Request.read(fd, buffers.asSlice((long) slot * BLOCK, BLOCK), offset).withCookie(slot);
        return info == null ? r : r.withFdInfo(info);
    }
}

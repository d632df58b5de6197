package org.aioemu.cli.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

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
 * for each one reaped. With {@code supplyFdInfo} the caller hands the core the file's probe once
 * (as an ABI that already knows the file may), sparing the core an fstat and an fcntl per submit.
 */
final class CoreRandomReads {
    private CoreRandomReads() {}

    static RandomReadLoad load(int depth, long seed, boolean supplyFdInfo) {
        return new SlotReads.Load(supplyFdInfo ? "core" : "core-probe", depth, seed, (fd, d) -> new Engine(fd, d, supplyFdInfo));
    }

    private static final class Engine implements SlotReads.Engine {
        private final int fd;
        private final AioSystem system = AioSystem.start();
        private final Arena arena = Arena.ofShared();
        private final AioProcess process;
        private final CompletionQueue queue = new CompletionQueue();
        private final AioContext context;
        private final FdInfo info;
        private final MemorySegment buffers;
        private final List<Request> done;

        Engine(int fd, int depth, boolean supplyFdInfo) throws Exception {
            this.fd = fd;
            process = system.newProcess("bench-files", ExitPolicy.CANCEL_THEN_DRAIN);
            context = process.newContext(depth, queue);
            info = supplyFdInfo ? FdInfo.probe(fd) : null;
            buffers = arena.allocate((long) RandomReadLoad.BLOCK * depth, RandomReadLoad.BLOCK);
            done = new ArrayList<>(depth);
        }

        @Override
        public void submit(int slot, long offset) throws Exception {
            Request r = Request.read(fd, buffers.asSlice((long) slot * RandomReadLoad.BLOCK, RandomReadLoad.BLOCK), offset).withCookie(slot);
            context.submit(info == null ? r : r.withFdInfo(info));
        }

        @Override
        public int reap(int[] slots) throws InterruptedException {
            done.clear();
            int n = queue.take(done, 1, slots.length, SlotReads.STUCK);
            for (int i = 0; i < n; i++) {
                Request r = done.get(i);
                if (r.error() != null || r.result() != RandomReadLoad.BLOCK) {
                    throw new IllegalStateException("core: read of 4 KiB at " + r.offset() + " gave "
                            + (r.error() != null ? r.error() : r.result() + " bytes"));
                }
                slots[i] = (int) r.cookie();
            }
            return n;
        }

        @Override
        public void close() {
            process.exit();
            system.close();
            arena.close();
            HostIo.close(fd);
        }
    }
}

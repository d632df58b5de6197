package org.aioemu.cli.bench;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.aioemu.core.host.HostIo;
import org.aioemu.freebsd.FreeBsdAioProcess;
import org.aioemu.freebsd.FreeBsdAioSystem;
import org.aioemu.freebsd.FreeBsdAiocb;
import org.aioemu.freebsd.FreeBsdErrno;
import org.aioemu.freebsd.FreeBsdTimespec;

/**
 * Random reads through the emulated FreeBSD ABI, as a FreeBSD program would make them: one
 * {@code struct aiocb} per slot in raw memory (SIGEV_NONE), {@code aio_read} to submit and
 * {@code aio_waitcomplete} to reap (one finished job per call, which is that call's shape), on
 * the same core as the core-only variant.
 */
final class FreeBsdAbiRandomReads {
    private FreeBsdAbiRandomReads() {}

    static RandomReadLoad load(int depth, long seed) {
        return new SlotReads.Load("freebsd-abi", depth, seed, Engine::new);
    }

    private static final class Engine implements SlotReads.Engine {
        private final int fd;
        private final FreeBsdAioSystem system = FreeBsdAioSystem.start();
        private final FreeBsdAioProcess process;
        private final Arena arena = Arena.ofShared();
        private final MemorySegment aiocbs, done, timeout, buffers;

        Engine(int fd, int depth) {
            this.fd = fd;
            process = system.newProcess("bench-files");
            aiocbs = arena.allocate(FreeBsdAiocb.LAYOUT, depth);   // zeroed: aio_sigevent is SIGEV_NONE
            done = arena.allocate(JAVA_LONG);
            timeout = arena.allocate(FreeBsdTimespec.LAYOUT);
            timeout.set(JAVA_LONG, 0, SlotReads.STUCK.toSeconds());
            buffers = arena.allocate((long) RandomReadLoad.BLOCK * depth, RandomReadLoad.BLOCK);
            for (int slot = 0; slot < depth; slot++) {
                MemorySegment cb = aiocb(slot);
                FreeBsdAiocb.setFildes(cb, fd);
                FreeBsdAiocb.setBuf(cb, buffers.address() + (long) slot * RandomReadLoad.BLOCK);
                FreeBsdAiocb.setNbytes(cb, RandomReadLoad.BLOCK);
            }
        }

        private MemorySegment aiocb(int slot) {
            return aiocbs.asSlice(slot * FreeBsdAiocb.SIZE, FreeBsdAiocb.SIZE);
        }

        @Override
        public void submit(int slot, long offset) {
            MemorySegment cb = aiocb(slot);
            FreeBsdAiocb.setOffset(cb, offset);
            if (process.aio_read(cb.address()) != 0) throw new IllegalStateException("freebsd-abi: aio_read failed with errno " + process.errno());
        }

        @Override
        public int reap(int[] slots) {
            long r = process.aio_waitcomplete(done.address(), timeout.address());
            if (r < 0 && process.errno() == FreeBsdErrno.EWOULDBLOCK) return 0;   // the timeout passed
            if (r != RandomReadLoad.BLOCK) throw new IllegalStateException("freebsd-abi: aio_waitcomplete returned " + r + " (errno " + process.errno() + ")");
            slots[0] = (int) ((done.get(JAVA_LONG, 0) - aiocbs.address()) / FreeBsdAiocb.SIZE);
            return 1;
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

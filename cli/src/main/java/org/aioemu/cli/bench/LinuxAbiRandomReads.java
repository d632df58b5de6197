package org.aioemu.cli.bench;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.aioemu.core.host.HostIo;
import org.aioemu.linux.IoEvent;
import org.aioemu.linux.Iocb;
import org.aioemu.linux.LinuxAioConstants;
import org.aioemu.linux.LinuxAioProcess;
import org.aioemu.linux.LinuxAioSystem;
import org.aioemu.linux.LinuxSubmitMode;

/**
 * Random reads through the emulated Linux ABI, as a C program would make them: iocbs, the
 * pointer array, io_events and the timeout live in raw memory whose addresses go to
 * io_setup/io_submit/io_getevents, which validate and decode them and drive the same core. ASYNC
 * submission mode, so that a read takes the same path as in the core-only variant (a
 * non-blocking attempt, then a worker) and the difference is the translation.
 */
final class LinuxAbiRandomReads {
    private LinuxAbiRandomReads() {}

    static RandomReadLoad load(int depth, long seed) {
        return new SlotReads.Load("linux-abi", depth, seed, Engine::new);
    }

    private static final class Engine implements SlotReads.Engine {
        private final int fd;
        private final LinuxAioSystem system = LinuxAioSystem.start();
        private final LinuxAioProcess process;
        private final Arena arena = Arena.ofShared();
        private final long ctx;
        private final MemorySegment iocbs, ptr, events, timeout, buffers;

        Engine(int fd, int depth) {
            this.fd = fd;
            process = system.newProcess("bench-files", LinuxSubmitMode.ASYNC);
            MemorySegment ctxp = arena.allocate(JAVA_LONG);
            check("io_setup", process.ioSetup(depth, ctxp.address()));
            ctx = ctxp.get(JAVA_LONG, 0);
            iocbs = arena.allocate(Iocb.LAYOUT, depth);
            ptr = arena.allocate(JAVA_LONG);
            events = arena.allocate(IoEvent.LAYOUT, depth);
            timeout = arena.allocate(16, 8);   // struct timespec {tv_sec, tv_nsec}
            timeout.set(JAVA_LONG, 0, SlotReads.STUCK.toSeconds());
            buffers = arena.allocate((long) RandomReadLoad.BLOCK * depth, RandomReadLoad.BLOCK);
            for (int slot = 0; slot < depth; slot++) {
                MemorySegment cb = iocb(slot);
                Iocb.aio_lio_opcode(cb, LinuxAioConstants.IOCB_CMD_PREAD);
                Iocb.aio_fildes(cb, fd);
                Iocb.aio_buf(cb, buffers.address() + (long) slot * RandomReadLoad.BLOCK);
                Iocb.aio_nbytes(cb, RandomReadLoad.BLOCK);
                Iocb.aio_data(cb, slot);
            }
        }

        private MemorySegment iocb(int slot) {
            return iocbs.asSlice(slot * Iocb.SIZE, Iocb.SIZE);
        }

        @Override
        public void submit(int slot, long offset) {
            MemorySegment cb = iocb(slot);
            Iocb.aio_offset(cb, offset);
            ptr.set(JAVA_LONG, 0, cb.address());
            long r = process.ioSubmit(ctx, 1, ptr.address());
            if (r != 1) throw new IllegalStateException("linux-abi: io_submit returned " + r);
        }

        @Override
        public int reap(int[] slots) {
            long n = check("io_getevents", process.ioGetevents(ctx, 1, slots.length, events.address(), timeout.address()));
            for (int i = 0; i < n; i++) {
                long res = IoEvent.res(events, i);
                if (res != RandomReadLoad.BLOCK) throw new IllegalStateException("linux-abi: read of 4 KiB gave " + res);
                slots[i] = (int) IoEvent.data(events, i);
            }
            return (int) n;
        }

        private static long check(String call, long r) {
            if (r < 0) throw new IllegalStateException("linux-abi: " + call + " failed with errno " + -r);
            return r;
        }

        @Override
        public void close() {
            process.close();
            system.close();
            arena.close();
            HostIo.close(fd);
        }
    }
}

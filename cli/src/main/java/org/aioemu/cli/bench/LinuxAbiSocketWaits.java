package org.aioemu.cli.bench;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;

import org.aioemu.linux.IoEvent;
import org.aioemu.linux.Iocb;
import org.aioemu.linux.LinuxAioConstants;
import org.aioemu.linux.LinuxAioProcess;
import org.aioemu.linux.LinuxAioSystem;
import org.aioemu.linux.LinuxSubmitMode;
import org.aioemu.linux.LinuxTimespec;

/**
 * A read per connection through the emulated Linux ABI: an IOCB_CMD_PREAD iocb in raw memory per
 * connection, io_submit, then io_getevents; ASYNC mode, so that a read on an empty socket parks
 * as in the core-only variant instead of blocking io_submit as Linux's own would.
 */
final class LinuxAbiSocketWaits {
    private LinuxAbiSocketWaits() {}

    static SocketWaitLoad load(Duration timeout) {
        return new EngineSocketWaits("linux-abi", timeout, Engine::new);
    }

    private static final class Engine implements PendingReads.Engine {
        private final LinuxAioSystem system = LinuxAioSystem.start();
        private final LinuxAioProcess process = system.newProcess("bench-sockets", LinuxSubmitMode.ASYNC);
        private final long ctx;
        private final MemorySegment iocbs, ptr, events, ts;

        Engine(int n, Arena arena) {
            MemorySegment ctxp = arena.allocate(JAVA_LONG);
            long r = process.ioSetup(n, ctxp.address());
            if (r < 0) throw new IllegalStateException("linux-abi: io_setup(" + n + ") failed with errno " + -r);
            ctx = ctxp.get(JAVA_LONG, 0);
            iocbs = arena.allocate(Iocb.LAYOUT, n);
            ptr = arena.allocate(JAVA_LONG);
            events = arena.allocate(IoEvent.LAYOUT, 4096);
            ts = arena.allocate(LinuxTimespec.LAYOUT);
        }

        @Override
        public void submit(int i, int fd, MemorySegment buf) {
            MemorySegment cb = iocbs.asSlice(i * Iocb.SIZE, Iocb.SIZE);
            Iocb.aio_lio_opcode(cb, LinuxAioConstants.IOCB_CMD_PREAD);
            Iocb.aio_fildes(cb, fd);
            Iocb.aio_buf(cb, buf.address());
            Iocb.aio_nbytes(cb, PendingReads.BUF);
            Iocb.aio_data(cb, i);
            ptr.set(JAVA_LONG, 0, cb.address());
            long r = process.ioSubmit(ctx, 1, ptr.address());
            if (r != 1) throw new IllegalStateException("linux-abi: io_submit of read " + i + " returned " + r);
        }

        @Override
        public long waiting() {
            return system.core().waitingForReadiness();
        }

        @Override
        public int reap(int[] tags, long[] results, Duration timeout) {
            LinuxTimespec.set(ts, timeout.toNanos());
            long n = process.ioGetevents(ctx, 1, Math.min(tags.length, 4096), events.address(), ts.address());
            if (n < 0) throw new IllegalStateException("linux-abi: io_getevents failed with errno " + -n);
            for (int k = 0; k < n; k++) {
                tags[k] = (int) IoEvent.data(events, k);
                results[k] = IoEvent.res(events, k);
            }
            return (int) n;
        }

        @Override
        public void close() {
            process.close();
            system.close();
        }
    }
}

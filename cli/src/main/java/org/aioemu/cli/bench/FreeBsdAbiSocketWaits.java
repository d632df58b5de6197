package org.aioemu.cli.bench;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;

import org.aioemu.freebsd.FreeBsdAioProcess;
import org.aioemu.freebsd.FreeBsdAioSystem;
import org.aioemu.freebsd.FreeBsdAiocb;
import org.aioemu.freebsd.FreeBsdErrno;
import org.aioemu.freebsd.FreeBsdTimespec;

/**
 * A read per connection through the emulated FreeBSD ABI: an aiocb per connection (SIGEV_NONE),
 * aio_read, then aio_waitcomplete one job at a time. vfs.aio.max_aio_queue_per_proc is raised to
 * the connection count, as a FreeBSD server holding that many reads would have to.
 */
final class FreeBsdAbiSocketWaits {
    private FreeBsdAbiSocketWaits() {}

    static SocketWaitLoad load(Duration timeout) {
        return new EngineSocketWaits("freebsd-abi", timeout, Engine::new);
    }

    private static final class Engine implements PendingReads.Engine {
        private final FreeBsdAioSystem system = FreeBsdAioSystem.start();
        private final FreeBsdAioProcess process;
        private final MemorySegment aiocbs, done, ts;

        Engine(int n, Arena arena) throws Exception {
            system.sysctl().set("vfs.aio.max_aio_queue_per_proc", Math.max(n, 256));
            system.sysctl().set("vfs.aio.max_aio_queue", Math.max(n, 1024));
            process = system.newProcess("bench-sockets");
            aiocbs = arena.allocate(FreeBsdAiocb.LAYOUT, n);
            done = arena.allocate(JAVA_LONG);
            ts = arena.allocate(FreeBsdTimespec.LAYOUT);
        }

        @Override
        public void submit(int i, int fd, MemorySegment buf) {
            MemorySegment cb = aiocbs.asSlice(i * FreeBsdAiocb.SIZE, FreeBsdAiocb.SIZE);
            FreeBsdAiocb.setFildes(cb, fd);
            FreeBsdAiocb.setBuf(cb, buf.address());
            FreeBsdAiocb.setNbytes(cb, PendingReads.BUF);
            if (process.aio_read(cb.address()) != 0) {
                throw new IllegalStateException("freebsd-abi: aio_read " + i + " failed with errno " + process.errno());
            }
        }

        @Override
        public long waiting() {
            return system.core().waitingForReadiness();
        }

        @Override
        public int reap(int[] tags, long[] results, Duration timeout) {
            FreeBsdTimespec.set(ts, timeout.toNanos() / 1_000_000_000L, timeout.toNanos() % 1_000_000_000L);
            long r = process.aio_waitcomplete(done.address(), ts.address());
            long at = done.get(JAVA_LONG, 0);
            if (at == 0) {
                if (process.errno() == FreeBsdErrno.EWOULDBLOCK) return 0;
                throw new IllegalStateException("freebsd-abi: aio_waitcomplete failed with errno " + process.errno());
            }
            tags[0] = (int) ((at - aiocbs.address()) / FreeBsdAiocb.SIZE);
            results[0] = r;
            return 1;
        }

        @Override
        public void close() {
            process.exit();
            system.close();
        }
    }
}

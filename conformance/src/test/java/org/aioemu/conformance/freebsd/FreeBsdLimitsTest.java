package org.aioemu.conformance.freebsd;

import static org.aioemu.conformance.freebsd.Fbsd.EAGAIN;
import static org.aioemu.conformance.freebsd.Fbsd.EINPROGRESS;
import static org.aioemu.conformance.freebsd.Fbsd.EINVAL;
import static org.aioemu.conformance.freebsd.Fbsd.EOPNOTSUPP;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_NOWAIT;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Map;

import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.aioemu.freebsd.FreeBsdAioProcess;
import org.aioemu.freebsd.FreeBsdAiocb;
import org.aioemu.freebsd.FreeBsdErrno;
import org.aioemu.freebsd.FreeBsdSysctl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vfs.aio tunables (defaults and effects) and the limits they set: max_aio_per_proc throttles
 * how many of a process's jobs the aiods run at once without ever refusing one;
 * max_aio_queue_per_proc and max_aio_queue refuse with EAGAIN, counting finished-but-unreaped
 * jobs, before anything else is checked; enable_unsafe gates pipes and ptys; IOSIZE_MAX follows
 * debug.iosize_max_clamp.
 */
@Timeout(60)
class FreeBsdLimitsTest {
    @TempDir Path dir;
    private Fbsd fx;

    @BeforeEach
    void start() {
        fx = new Fbsd(dir);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    @DisplayName("aioemu freebsd sysctl: FreeBSD's defaults; read-only oids refuse writes (EPERM), unknown names are ENOENT")
    void defaults() {
        Map<String, Long> all = fx.sys.sysctl().all();
        assertEquals(1024L, all.get("vfs.aio.max_aio_queue"));
        assertEquals(256L, all.get("vfs.aio.max_aio_queue_per_proc"));
        assertEquals(32L, all.get("vfs.aio.max_aio_per_proc"));
        assertEquals(16L, all.get("vfs.aio.max_buf_aio"));
        assertEquals(32L, all.get("vfs.aio.max_aio_procs"));
        assertEquals(4L, all.get("vfs.aio.target_aio_procs"));
        assertEquals(30_000L, all.get("vfs.aio.aiod_lifetime"));
        assertEquals(0L, all.get("vfs.aio.enable_unsafe"));
        assertEquals(1L, all.get("vfs.aio.unsafe_warningcnt"));
        assertEquals(32L, all.get("kern.ipc.aio.max_procs"));
        assertEquals(256L, all.get("p1003_1b.aio_listio_max"));
        assertEquals(1024L, all.get("p1003_1b.aio_max"));
        try {
            assertTrue(fx.sys.sysctl().describe("vfs.aio.enable_unsafe").contains("known-safe types"));
        } catch (FreeBsdSysctl.SysctlException e) {
            throw new AssertionError(e);
        }
        FreeBsdSysctl.SysctlException ro = assertThrows(FreeBsdSysctl.SysctlException.class,
                () -> fx.sys.sysctl().set("vfs.aio.num_queue_count", 5));
        assertEquals(FreeBsdErrno.EPERM, ro.errno());
        FreeBsdSysctl.SysctlException none = assertThrows(FreeBsdSysctl.SysctlException.class,
                () -> fx.sys.sysctl().get("vfs.aio.no_such_thing"));
        assertEquals(FreeBsdErrno.ENOENT, none.errno());
        FreeBsdSysctl.SysctlException big = assertThrows(FreeBsdSysctl.SysctlException.class,
                () -> fx.sys.sysctl().set("vfs.aio.max_aio_queue", 1L << 40));
        assertEquals(EINVAL, big.errno());
    }

    @Test
    @DisplayName("aioemu freebsd sysctl: the aiod pool tunables resize the core's worker pool; queue tunables set its limits")
    void tunablesDriveTheCore() {
        fx.sysctl("vfs.aio.max_aio_procs", 6);
        fx.sysctl("vfs.aio.target_aio_procs", 2);
        fx.sysctl("vfs.aio.aiod_lifetime", 500);
        assertEquals(6, fx.sys.core().workers().max());
        assertEquals(2, fx.sys.core().workers().min());
        assertEquals(500, fx.sys.core().workers().idleLifetime().toMillis());
        assertTrue(fx.sysctl("vfs.aio.num_aio_procs") >= 2);
        fx.sysctl("vfs.aio.max_aio_queue_per_proc", 7);
        fx.sysctl("vfs.aio.max_aio_queue", 9);
        fx.sysctl("vfs.aio.max_aio_per_proc", 3);
        assertEquals(7, fx.sys.core().limits().maxQueuedPerProcess());
        assertEquals(9, fx.sys.core().limits().maxQueuedSystem());
        assertEquals(3, fx.sys.core().limits().maxActivePerProcess());
        assertEquals(7, fx.sysctl("p1003_1b.aio_listio_max"));
    }

    @Test
    @DisplayName("aioemu freebsd max_aio_per_proc: with 1, a second worker job waits (never refused) though its data is there, "
            + "until the first finishes")
    void maxAioPerProcThrottles() {
        fx.sysctl("vfs.aio.max_aio_per_proc", 1);
        Fbsd.Blocker first = fx.new Blocker();
        Fbsd.Blocker second = fx.new Blocker();
        second.unblock();
        Fbsd.sleep(200);
        assertEquals(EINPROGRESS, fx.p.aio_error(second.cb.address()), "throttled, not run");
        assertEquals(EINPROGRESS, fx.p.aio_error(first.cb.address()));
        first.release();
        assertEquals(0, fx.awaitDone(second.cb));
        assertEquals(1, fx.p.aio_return(second.cb.address()));
    }

    @Test
    @DisplayName("aioemu freebsd max_aio_per_proc: the limit is per process: another process's job runs meanwhile")
    void throttleIsPerProcess() {
        fx.sysctl("vfs.aio.max_aio_per_proc", 1);
        Fbsd.Blocker busy = fx.new Blocker();
        FreeBsdAioProcess other = fx.sys.newProcess("other");
        int[] t = fx.pty();
        MemorySegment cb = fx.aiocb(t[0], fx.buffer(1), 0);
        assertEquals(0, other.aio_read(cb.address()));
        assertEquals(1, HostIo.write(t[1], fx.text("y"), 1));
        long end = System.nanoTime() + 10_000_000_000L;
        while (other.aio_error(cb.address()) == EINPROGRESS && System.nanoTime() < end) Fbsd.sleep(5);
        assertEquals(1, other.aio_return(cb.address()));
        busy.release();
        other.exit();
    }

    @Test
    @DisplayName("aioemu freebsd max_aio_queue_per_proc: finished but unreaped jobs count; reaping one makes room")
    void perProcessQueueCountsUnreaped() {
        fx.sysctl("vfs.aio.max_aio_queue_per_proc", 4);
        int fd = fx.file("f");
        MemorySegment[] cbs = new MemorySegment[4];
        for (int i = 0; i < 4; i++) {
            cbs[i] = fx.aiocb(fd, fx.randomBuffer(8), 8L * i);
            assertEquals(0, fx.p.aio_write(cbs[i].address()));
        }
        for (MemorySegment cb : cbs) assertEquals(0, fx.awaitDone(cb));
        MemorySegment extra = fx.aiocb(fd, fx.randomBuffer(8), 64);
        assertEquals(-1, fx.p.aio_write(extra.address()));
        assertEquals(EAGAIN, fx.p.errno());
        assertEquals(EAGAIN, fx.p.aio_error(extra.address()));
        assertEquals(8, fx.p.aio_return(cbs[0].address()));
        assertEquals(0, fx.p.aio_write(extra.address()));
    }

    @Test
    @DisplayName("aioemu freebsd max_aio_queue: the system-wide limit spans processes")
    void systemQueueSpansProcesses() {
        fx.sysctl("vfs.aio.max_aio_queue", 3);
        FreeBsdAioProcess other = fx.sys.newProcess("other");
        int fd = fx.file("f");
        for (int i = 0; i < 2; i++) assertEquals(0, fx.p.aio_write(fx.aiocb(fd, fx.randomBuffer(8), 8L * i).address()));
        assertEquals(0, other.aio_write(fx.aiocb(fd, fx.randomBuffer(8), 64).address()));
        assertEquals(-1, other.aio_write(fx.aiocb(fd, fx.randomBuffer(8), 72).address()));
        assertEquals(EAGAIN, other.errno());
        assertEquals(3, fx.sysctl("vfs.aio.num_queue_count"));
        other.exit();
        assertEquals(2, fx.sysctl("vfs.aio.num_queue_count"), "an exit frees its process's jobs");
    }

    @Test
    @DisplayName("aioemu freebsd validation order: a full queue answers EAGAIN before a bad descriptor or a bad aiocb is looked at")
    void eagainComesFirst() {
        fx.sysctl("vfs.aio.max_aio_queue_per_proc", 1);
        int fd = fx.file("f");
        assertEquals(0, fx.p.aio_write(fx.aiocb(fd, fx.randomBuffer(8), 0).address()));
        MemorySegment bad = fx.aiocb(-1, fx.buffer(8), -5);
        assertEquals(-1, fx.p.aio_read(bad.address()));
        assertEquals(EAGAIN, fx.p.errno());
        assertEquals(-1, FreeBsdAiocb.status(bad));
        assertEquals(EAGAIN, FreeBsdAiocb.error(bad));
    }

    @Test
    @DisplayName("aioemu freebsd enable_unsafe: pipes are refused with EOPNOTSUPP (counted against unsafe_warningcnt) until it is set")
    void unsafeGate() {
        int[] p = fx.pipe(0);
        MemorySegment cb = fx.aiocb(p[0], fx.buffer(8), 0);
        assertEquals(-1, fx.p.aio_read(cb.address()));
        assertEquals(EOPNOTSUPP, fx.p.errno());
        assertEquals(EOPNOTSUPP, fx.p.aio_error(cb.address()));
        assertEquals(0, fx.sysctl("vfs.aio.unsafe_warningcnt"));
        int[] s = fx.socketpair(HostConstants.SOCK_STREAM);
        assertEquals(0, fx.p.aio_read(fx.aiocb(s[0], fx.buffer(8), 0).address()), "sockets are always safe");
        fx.sysctl("vfs.aio.enable_unsafe", 1);
        assertEquals(0, fx.p.aio_read(cb.address()));
        assertEquals(2, HostIo.write(p[1], fx.text("ok"), 2));
        assertEquals(0, fx.awaitDone(cb));
        assertEquals(2, fx.p.aio_return(cb.address()));
    }

    @Test
    @DisplayName("aioemu freebsd IOSIZE_MAX: with debug.iosize_max_clamp set, aio_nbytes over INT_MAX is EINVAL")
    void iosizeClamp() {
        int fd = fx.file("f");
        fx.sysctl("debug.iosize_max_clamp", 1);
        MemorySegment cb = fx.aiocb();
        FreeBsdAiocb.setFildes(cb, fd);
        FreeBsdAiocb.setNbytes(cb, Integer.MAX_VALUE + 1L);
        assertEquals(-1, fx.p.aio_read(cb.address()));
        assertEquals(EINVAL, fx.p.errno());
        FreeBsdAiocb.setNbytes(cb, Integer.MAX_VALUE);
        assertEquals(0, fx.p.aio_read(cb.address()));
        assertEquals(0, fx.awaitDone(cb));
        assertEquals(0, fx.p.aio_return(cb.address()), "nothing to read in an empty file");
    }

    @Test
    @DisplayName("aioemu freebsd limits: lio_listio and aio_suspend take up to max_aio_queue_per_proc entries, not AIO_LISTIO_MAX")
    void listLengths() {
        fx.sysctl("vfs.aio.max_aio_queue_per_proc", 20);
        int fd = fx.file("f");
        MemorySegment[] cbs = new MemorySegment[21];
        for (int i = 0; i < 21; i++) {
            cbs[i] = fx.aiocb(fd, fx.randomBuffer(4), 4L * i);
            FreeBsdAiocb.setLioOpcode(cbs[i], LIO_WRITE);
        }
        MemorySegment list = fx.list(cbs);
        assertEquals(-1, fx.p.lio_listio(LIO_NOWAIT, list.address(), 21, 0));
        assertEquals(EINVAL, fx.p.errno());
        assertEquals(-1, fx.p.aio_suspend(list.address(), 21, 0));
        assertEquals(EINVAL, fx.p.errno());
        assertEquals(0, fx.p.lio_listio(LIO_NOWAIT, list.address(), 20, 0));
        assertEquals(0, fx.p.aio_suspend(list.address(), 20, 0));
    }
}

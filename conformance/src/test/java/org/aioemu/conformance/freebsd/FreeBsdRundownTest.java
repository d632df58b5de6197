package org.aioemu.conformance.freebsd;

import static org.aioemu.conformance.freebsd.Fbsd.EINPROGRESS;
import static org.aioemu.conformance.freebsd.Fbsd.EINVAL;
import static org.aioemu.freebsd.FreeBsdAioConstants.O_SYNC;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_SIGNAL;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGUSR1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.aioemu.core.ExitPolicy;
import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.aioemu.freebsd.FreeBsdAiocb;
import org.aioemu.freebsd.FreeBsdSigevent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Process exit and exec with AIO in every state (no suite tests these; FreeBSD's aio_proc_rundown):
 * waiting jobs are cancelled (queued for an aiod, parked on a socket buffer, an fsync deferred
 * behind earlier writes), the exit blocks until running ones finish, no completion notifies, and
 * nothing is written back into the program's aiocbs. The core's other exit policies are
 * selectable: DRAIN waits for everything, DETACH returns at once.
 */
@Timeout(60)
class FreeBsdRundownTest {
    private static final long[] SUBMITTED = {-1, EINPROGRESS};

    @TempDir Path dir;
    private Fbsd fx;
    private final AtomicInteger signals = new AtomicInteger();

    @BeforeEach
    void start() {
        fx = new Fbsd(dir);
        assertEquals(0, fx.p.sigaction(SIGUSR1, info -> signals.incrementAndGet(), 0));
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private static MemorySegment signalled(MemorySegment cb) {
        MemorySegment sev = FreeBsdAiocb.sigevent(cb);
        FreeBsdSigevent.setNotify(sev, 0, SIGEV_SIGNAL);
        FreeBsdSigevent.setSigno(sev, 0, SIGUSR1);
        return cb;
    }

    private static void eventually(BooleanSupplier c, String what) {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!c.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, what);
            Fbsd.sleep(5);
        }
    }

    @Test
    @DisplayName("aioemu freebsd rundown: exit cancels queued, socket-waiting, partly written and deferred-fsync jobs, "
            + "blocks until the running job ends, notifies nothing, writes nothing back")
    void exitRunsEveryStateDown() throws Exception {
        fx.sysctl("vfs.aio.max_aio_per_proc", 1);
        Fbsd.Blocker running = fx.new Blocker().awaitRunning();                     // running on the process's one aiod
        signalled(running.cb);
        int fd = fx.file("f");
        MemorySegment queued = signalled(fx.aiocb(fd, fx.randomBuffer(4096), 0));  // waits for an aiod
        assertEquals(0, fx.p.aio_write(queued.address()));
        MemorySegment fsync = signalled(fx.aiocb());                                 // deferred behind the queued write
        FreeBsdAiocb.setFildes(fsync, fd);
        assertEquals(0, fx.p.aio_fsync(O_SYNC, fsync.address()));
        int[] s = fx.socketpair(HostConstants.SOCK_STREAM);
        MemorySegment sockRead = signalled(fx.aiocb(s[0], fx.buffer(64), 0));       // parked on the socket buffer
        assertEquals(0, fx.p.aio_read(sockRead.address()));
        int[] t = fx.socketpair(HostConstants.SOCK_STREAM);
        int sb = Math.max(Fbsd.sockopt(t[0], HostConstants.SO_RCVBUF), Fbsd.sockopt(t[1], HostConstants.SO_SNDBUF));
        MemorySegment partial = signalled(fx.aiocb(t[1], fx.randomBuffer(3 * sb), 0));   // partly sent, rest waiting
        assertEquals(0, fx.p.aio_write(partial.address()));
        Fbsd.sleep(50);
        assertEquals(EINPROGRESS, fx.p.aio_error(queued.address()));
        assertEquals(EINPROGRESS, fx.p.aio_error(fsync.address()));
        assertEquals(EINPROGRESS, fx.p.aio_error(partial.address()));

        CompletableFuture<Boolean> exit = CompletableFuture.supplyAsync(fx.p::exit);
        Fbsd.sleep(300);
        assertFalse(exit.isDone(), "exit must wait for the running job");
        running.unblock();
        assertTrue(exit.get(10, TimeUnit.SECONDS));

        assertEquals(0, signals.get(), "no notification during rundown");
        for (MemorySegment cb : List.of(running.cb, queued, fsync, sockRead, partial)) {
            assertArrayEquals(SUBMITTED, Fbsd.privateFields(cb), "nothing written back");
        }
        MemorySegment late = fx.text("late");
        assertEquals(4, HostIo.write(s[1], late, 4));
        MemorySegment got = fx.buffer(4);
        assertEquals(4, HostIo.recv(s[0], got, 4, HostConstants.MSG_DONTWAIT), "the cancelled read took nothing");
        assertEquals(0, HostIo.pread(fd, fx.buffer(16), 16, 0), "the cancelled write wrote nothing");
        assertFalse(fx.p.hasAioState());
    }

    @Test
    @DisplayName("aioemu freebsd rundown: exec runs AIO down the same way; afterwards aio_error sees no AIO state (EINVAL), "
            + "then the stored EINPROGRESS (nothing was written back); caught signals are back to their default")
    void execRunsDownAndStartsClean() {
        fx.sysctl("vfs.aio.max_aio_per_proc", 1);
        Fbsd.Blocker running = fx.new Blocker().awaitRunning();
        int fd = fx.file("f");
        MemorySegment queued = signalled(fx.aiocb(fd, fx.randomBuffer(512), 0));
        assertEquals(0, fx.p.aio_write(queued.address()));
        CompletableFuture<Boolean> exec = CompletableFuture.supplyAsync(fx.p::exec);
        Fbsd.sleep(200);
        assertFalse(exec.isDone());
        running.unblock();
        assertTrue(exec.join());
        assertFalse(fx.p.hasAioState());
        assertEquals(0, signals.get());
        assertEquals(EINVAL, fx.p.aio_error(queued.address()));
        MemorySegment fresh = fx.aiocb(fd, fx.randomBuffer(16), 0);
        assertEquals(0, fx.p.aio_write(fresh.address()));
        assertEquals(EINPROGRESS, fx.p.aio_error(queued.address()), "status -1: the stored error is reported");
        assertEquals(0, fx.awaitDone(fresh));

        MemorySegment killer = signalled(fx.aiocb(fd, fx.randomBuffer(16), 0));
        assertEquals(0, fx.p.aio_write(killer.address()));
        eventually(fx.p::exited, "SIGUSR1 with its default action ends the process");
        assertEquals(SIGUSR1, fx.p.killedBySignal());
        assertEquals(0, signals.get());
    }

    @Test
    @DisplayName("aioemu freebsd rundown: exec drops the knotes of cancelled jobs; the kqueue reports nothing for them")
    void execDropsKnotes() {
        int kq = fx.p.kqueue();
        int[] s = fx.socketpair(HostConstants.SOCK_STREAM);
        MemorySegment cb = fx.aiocb(s[0], fx.buffer(8), 0);
        Fbsd.keventOnCompletion(cb, kq, 7, 0);
        assertEquals(0, fx.p.aio_read(cb.address()));
        assertTrue(fx.p.exec());
        assertEquals(0, fx.p.kevent(kq, 0, 0, fx.kevents(4).address(), 4, fx.timespec(0, 0).address()));
    }

    @Test
    @DisplayName("aioemu freebsd rundown: with ExitPolicy.DRAIN exit waits for a socket read to complete, and still notifies nothing")
    void drainPolicyWaitsForEverything() throws Exception {
        fx.p.setExitPolicy(ExitPolicy.DRAIN, null);
        int[] s = fx.socketpair(HostConstants.SOCK_STREAM);
        MemorySegment cb = signalled(fx.aiocb(s[0], fx.buffer(8), 0));
        assertEquals(0, fx.p.aio_read(cb.address()));
        CompletableFuture<Boolean> exit = CompletableFuture.supplyAsync(fx.p::exit);
        Fbsd.sleep(200);
        assertFalse(exit.isDone());
        assertEquals(3, HostIo.write(s[1], fx.text("abc"), 3));
        assertTrue(exit.get(10, TimeUnit.SECONDS));
        assertEquals("abc", Fbsd.string(Fbsd.bufferOf(cb).asSlice(0, 3)), "the read ran to its end");
        assertEquals(0, signals.get());
    }

    @Test
    @DisplayName("aioemu freebsd rundown: with ExitPolicy.DETACH exit returns at once; the read finishes later, unseen")
    void detachPolicyReturnsAtOnce() {
        fx.p.setExitPolicy(ExitPolicy.DETACH, null);
        int[] s = fx.socketpair(HostConstants.SOCK_STREAM);
        MemorySegment cb = signalled(fx.aiocb(s[0], fx.buffer(8), 0));
        assertEquals(0, fx.p.aio_read(cb.address()));
        assertTrue(fx.p.exit());
        assertEquals(3, HostIo.write(s[1], fx.text("xyz"), 3));
        eventually(() -> Fbsd.string(Fbsd.bufferOf(cb).asSlice(0, 3)).equals("xyz"), "the detached read completes");
        assertEquals(0, signals.get());
        assertArrayEquals(SUBMITTED, Fbsd.privateFields(cb));
    }

    @Test
    @DisplayName("aioemu freebsd rundown: a deadline on CANCEL_THEN_DRAIN gives up on a job that never ends (FreeBSD would hang)")
    void deadlineGivesUp() {
        fx.p.setExitPolicy(ExitPolicy.CANCEL_THEN_DRAIN, Duration.ofMillis(200));
        Fbsd.Blocker forever = fx.new Blocker().awaitRunning();
        long t0 = System.nanoTime();
        assertFalse(fx.p.exit());
        assertTrue(System.nanoTime() - t0 >= 150_000_000L);
        forever.unblock();
        assertTrue(fx.p.exited());
    }
}

package org.aioemu.conformance.freebsd;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.aioemu.conformance.freebsd.Fbsd.EINTR;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_WAIT;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_READ;
import static org.aioemu.freebsd.FreeBsdAioConstants.SA_RESTART;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_SIGNAL;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_THREAD;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_THREAD_ID;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGUSR1;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGUSR2;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIG_BLOCK;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIG_UNBLOCK;
import static org.aioemu.freebsd.FreeBsdAioConstants.SI_ASYNCIO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.aioemu.freebsd.FreeBsdAiocb;
import org.aioemu.freebsd.FreeBsdSigInfo;
import org.aioemu.freebsd.FreeBsdSigevent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Emulated signals as AIO uses them: queued with si_code SI_ASYNCIO and si_value, aimed at a
 * thread with SIGEV_THREAD_ID, at most one pending per job and taken back when the job is reaped,
 * and interrupting the AIO sleeps: aio_suspend and lio_listio(LIO_WAIT) with EINTR, even for the
 * awaited job's own signal; aio_waitcomplete restarts under SA_RESTART when it has no timeout.
 */
@Timeout(60)
class FreeBsdSignalsTest {
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

    private static void sigevent(MemorySegment cb, int notify, int signo, long value, int lwpid) {
        MemorySegment sev = FreeBsdAiocb.sigevent(cb);
        FreeBsdSigevent.setNotify(sev, 0, notify);
        FreeBsdSigevent.setSigno(sev, 0, signo);
        FreeBsdSigevent.setValue(sev, 0, value);
        FreeBsdSigevent.setThreadId(sev, 0, lwpid);
    }

    @Test
    @DisplayName("aioemu freebsd signals: SIGEV_SIGNAL queues the signal with si_code SI_ASYNCIO and si_value = sigev_value")
    void siginfo() {
        AtomicReference<FreeBsdSigInfo> got = new AtomicReference<>();
        Semaphore sem = new Semaphore(0);
        assertEquals(0, fx.p.sigaction(SIGUSR2, info -> { got.set(info); sem.release(); }, 0));
        MemorySegment cb = fx.aiocb(fx.file("f"), fx.randomBuffer(32), 0);
        sigevent(cb, SIGEV_SIGNAL, SIGUSR2, 0xfeedL, 0);
        assertEquals(0, fx.p.aio_write(cb.address()));
        assertTrue(Fbsd.acquire(sem));
        assertEquals(SIGUSR2, got.get().signo());
        assertEquals(SI_ASYNCIO, got.get().code());
        assertEquals(0xfeedL, got.get().value());
        assertEquals(0, got.get().targetLwpid());
    }

    @Test
    @DisplayName("aioemu freebsd signals: the awaited job's own SIGEV_SIGNAL interrupts aio_suspend (EINTR), handler on the sleeping thread")
    void ownSignalInterruptsSuspend() {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        assertEquals(0, fx.p.sigaction(SIGUSR1, info -> ranOn.set(Thread.currentThread()), 0));
        int[] s = fx.socketpair(HostConstants.SOCK_STREAM);
        MemorySegment cb = fx.aiocb(s[0], fx.buffer(8), 0);
        sigevent(cb, SIGEV_SIGNAL, SIGUSR1, 0, 0);
        assertEquals(0, fx.p.aio_read(cb.address()));
        CompletableFuture.runAsync(() -> {
            Fbsd.sleep(200);
            HostIo.write(s[1], fx.text("z"), 1);
        });
        assertEquals(-1, fx.p.aio_suspend(fx.list(cb).address(), 1, 0));
        assertEquals(EINTR, fx.p.errno());
        assertSame(Thread.currentThread(), ranOn.get(), "the handler ran before aio_suspend returned, on its thread");
        assertEquals(0, fx.p.aio_error(cb.address()), "the job itself finished");
    }

    @Test
    @DisplayName("aioemu freebsd signals: SIGEV_THREAD_ID reaches the named thread asleep in aio_suspend; a gone thread's signal is dropped")
    void threadIdTargets() throws Exception {
        AtomicReference<FreeBsdSigInfo> got = new AtomicReference<>();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        assertEquals(0, fx.p.sigaction(SIGUSR1, info -> { got.set(info); ranOn.set(Thread.currentThread()); }, 0));
        int[] s = fx.socketpair(HostConstants.SOCK_STREAM);
        MemorySegment never = fx.aiocb(s[0], fx.buffer(8), 0);
        assertEquals(0, fx.p.aio_read(never.address()));
        int me = fx.p.thr_self();
        MemorySegment cb = fx.aiocb(fx.file("f"), fx.randomBuffer(16), 0);
        sigevent(cb, SIGEV_THREAD_ID, SIGUSR1, 5, me);
        CompletableFuture.runAsync(() -> {
            Fbsd.sleep(200);
            fx.p.aio_write(cb.address());
        });
        assertEquals(-1, fx.p.aio_suspend(fx.list(never).address(), 1, fx.timespec(10, 0).address()));
        assertEquals(EINTR, fx.p.errno());
        assertSame(Thread.currentThread(), ranOn.get());
        assertEquals(me, got.get().targetLwpid());

        int[] goneId = new int[1];
        Thread gone = new Thread(() -> goneId[0] = fx.p.thr_self());
        gone.start();
        gone.join();
        got.set(null);
        MemorySegment cb2 = fx.aiocb(fx.file("g"), fx.randomBuffer(16), 0);
        sigevent(cb2, SIGEV_THREAD_ID, SIGUSR1, 6, goneId[0]);
        assertEquals(0, fx.p.aio_write(cb2.address()));
        assertEquals(0, fx.awaitDone(cb2));
        Fbsd.sleep(100);
        assertEquals(null, got.get(), "no thread to take it");
    }

    @Test
    @DisplayName("aioemu freebsd signals: a blocked job signal stays pending once; aio_return withdraws it, so unblocking delivers nothing")
    void pendingWithdrawnOnReap() {
        AtomicInteger handled = new AtomicInteger();
        assertEquals(0, fx.p.sigaction(SIGUSR1, info -> handled.incrementAndGet(), 0));
        assertEquals(0, fx.p.sigprocmask(SIG_BLOCK, SIGUSR1));
        MemorySegment cb = fx.aiocb(fx.file("f"), fx.randomBuffer(16), 0);
        sigevent(cb, SIGEV_SIGNAL, SIGUSR1, 42, 0);
        assertEquals(0, fx.p.aio_write(cb.address()));
        assertEquals(0, fx.awaitDone(cb));
        List<FreeBsdSigInfo> pending = fx.p.pendingSignals();
        assertEquals(1, pending.size());
        assertEquals(42, pending.get(0).value());
        assertEquals(16, fx.p.aio_return(cb.address()));
        assertTrue(fx.p.pendingSignals().isEmpty());
        assertEquals(0, fx.p.sigprocmask(SIG_UNBLOCK, SIGUSR1));
        Fbsd.sleep(100);
        assertEquals(0, handled.get());
    }

    @Test
    @DisplayName("aioemu freebsd signals: unblocking delivers a job signal still pending")
    void unblockDelivers() {
        Semaphore sem = new Semaphore(0);
        assertEquals(0, fx.p.sigaction(SIGUSR1, info -> sem.release(), 0));
        assertEquals(0, fx.p.sigprocmask(SIG_BLOCK, SIGUSR1));
        MemorySegment cb = fx.aiocb(fx.file("f"), fx.randomBuffer(16), 0);
        sigevent(cb, SIGEV_SIGNAL, SIGUSR1, 1, 0);
        assertEquals(0, fx.p.aio_write(cb.address()));
        assertEquals(0, fx.awaitDone(cb));
        assertFalse(sem.tryAcquire());
        assertEquals(0, fx.p.sigprocmask(SIG_UNBLOCK, SIGUSR1));
        assertTrue(Fbsd.acquire(sem));
    }

    @Test
    @DisplayName("aioemu freebsd signals: aio_waitcomplete with no timeout restarts after an SA_RESTART handler, else fails EINTR")
    void waitcompleteRestart() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        assertEquals(0, fx.p.sigaction(SIGUSR1, info -> handled.incrementAndGet(), SA_RESTART));
        assertEquals(0, fx.p.sigaction(SIGUSR2, info -> handled.incrementAndGet(), 0));
        int[] s = fx.socketpair(HostConstants.SOCK_STREAM);
        MemorySegment cb = fx.aiocb(s[0], fx.buffer(8), 0);
        assertEquals(0, fx.p.aio_read(cb.address()));
        MemorySegment pp = fx.pointer();
        CompletableFuture<Long> wait = CompletableFuture.supplyAsync(() -> fx.p.aio_waitcomplete(pp.address(), 0));
        Fbsd.sleep(150);
        assertEquals(0, fx.p.kill(SIGUSR1));
        Fbsd.sleep(150);
        assertFalse(wait.isDone(), "restarted, still waiting");
        assertEquals(1, handled.get());
        assertEquals(2, HostIo.write(s[1], fx.text("ok"), 2));
        assertEquals(2L, wait.get(5, TimeUnit.SECONDS));
        assertEquals(cb.address(), pp.get(JAVA_LONG, 0));

        CompletableFuture<Integer> wait2 = CompletableFuture.supplyAsync(() ->
                fx.p.aio_waitcomplete(pp.address(), 0) == -1 ? fx.p.errno() : 0);
        Fbsd.sleep(150);
        assertEquals(0, fx.p.kill(SIGUSR2));
        assertEquals(EINTR, wait2.get(5, TimeUnit.SECONDS));
    }

    @Test
    @DisplayName("aioemu freebsd signals: lio_listio(LIO_WAIT) is interrupted by a signal (EINTR); its entries still complete")
    void lioWaitInterrupted() throws Exception {
        assertEquals(0, fx.p.sigaction(SIGUSR1, info -> { }, SA_RESTART));
        int[] s = fx.socketpair(HostConstants.SOCK_STREAM);
        MemorySegment cb = fx.aiocb(s[0], fx.buffer(8), 0);
        FreeBsdAiocb.setLioOpcode(cb, LIO_READ);
        CompletableFuture<Integer> lio = CompletableFuture.supplyAsync(() ->
                fx.p.lio_listio(LIO_WAIT, fx.list(cb).address(), 1, 0) == -1 ? fx.p.errno() : 0);
        Fbsd.sleep(200);
        assertFalse(lio.isDone());
        assertEquals(0, fx.p.kill(SIGUSR1));
        assertEquals(EINTR, lio.get(5, TimeUnit.SECONDS));
        assertEquals(1, HostIo.write(s[1], fx.text("q"), 1));
        assertEquals(0, fx.awaitDone(cb));
        assertEquals(1, fx.p.aio_return(cb.address()));
    }

    @Test
    @DisplayName("aioemu freebsd signals: SIGEV_THREAD with a function pointer that is not code is dropped, not a crash; the job completes")
    void badThreadFunctionDropped() {
        MemorySegment cb = fx.aiocb(fx.file("f"), fx.randomBuffer(16), 0);
        MemorySegment sev = FreeBsdAiocb.sigevent(cb);
        FreeBsdSigevent.setNotify(sev, 0, SIGEV_THREAD);
        FreeBsdSigevent.setFunction(sev, 0, Fbsd.unmapped());
        assertEquals(0, fx.p.aio_write(cb.address()));
        assertEquals(0, fx.awaitDone(cb));
        long end = System.nanoTime() + 5_000_000_000L;
        while (fx.p.sigevThreadDrops() == 0 && System.nanoTime() < end) Fbsd.sleep(5);
        assertEquals(1, fx.p.sigevThreadDrops());
        assertEquals(16, fx.p.aio_return(cb.address()));
    }

    @Test
    @DisplayName("aioemu freebsd signals: SIGEV_THREAD calls the function with sigev_value on librt's service thread")
    void threadFunctionGetsValue() {
        AtomicReference<Long> value = new AtomicReference<>();
        Semaphore sem = new Semaphore(0);
        MemorySegment cb = fx.aiocb(fx.file("f"), fx.randomBuffer(16), 0);
        MemorySegment sev = FreeBsdAiocb.sigevent(cb);
        FreeBsdSigevent.setNotify(sev, 0, SIGEV_THREAD);
        FreeBsdSigevent.setFunction(sev, 0, fx.callback(v -> { value.set(v); sem.release(); }));
        FreeBsdSigevent.setValue(sev, 0, 0xabcdefL);
        assertEquals(0, fx.p.aio_write(cb.address()));
        assertTrue(Fbsd.acquire(sem));
        assertEquals(0xabcdefL, value.get());
        long end = System.nanoTime() + 5_000_000_000L;   // counted once the function has returned
        while (fx.p.sigevThreadCalls() == 0 && System.nanoTime() < end) Fbsd.sleep(1);
        assertEquals(1, fx.p.sigevThreadCalls());
    }
}

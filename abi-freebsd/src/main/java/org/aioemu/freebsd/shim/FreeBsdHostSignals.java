package org.aioemu.freebsd.shim;

import java.lang.invoke.MethodHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.aioemu.core.bridge.HostSignalSleep;
import org.aioemu.core.bridge.HostSignals;
import org.aioemu.freebsd.FreeBsdAioConstants;
import org.aioemu.freebsd.FreeBsdErrno;
import org.aioemu.freebsd.FreeBsdSigInfo;
import org.aioemu.freebsd.FreeBsdSignalTarget;

/**
 * A C program's AIO signals as real host signals, the way FreeBSD's aio_sendsig sends them: a
 * queued signal (rt_sigqueueinfo, or rt_tgsigqueueinfo for SIGEV_THREAD_ID) with the host's
 * si_code SI_ASYNCIO and si_value = sigev_value, one per job (its token), taken back from the
 * pending queue if the job is reaped before it was delivered. The numbers are the host's: the
 * program took SIGUSR1 or SIGRTMIN from glibc's &lt;signal.h&gt;. The C side sends and withdraws;
 * this class keeps which token was sent as what. A host signal is blocked while a thread sleeps
 * in an emulated call (see libaioemu_freebsd.c), so the sleep watches a signalfd of the signals
 * the program's mask lets through and asks whether one of them would do something
 * ({@link HostSignalSleep}, {@link HostSignals}, shared with the Linux shim): FreeBSD's EINTR.
 */
final class FreeBsdHostSignals implements FreeBsdSignalTarget {
    private static final int KIND_ASYNCIO = 0;
    private static final int KIND_SIGPIPE = 1;

    private record Sent(int signo, long value) {}

    private final MethodHandle sigqueue;   // (int signo, int kind, long value, int tid) int
    private final MethodHandle withdraw;   // (int signo, long value) int
    private final HostSignals host;   // a pending signal that ends this thread's sleep
    private final int maxSignal;
    private final Map<Object, Sent> sent = new ConcurrentHashMap<>();

    FreeBsdHostSignals(MethodHandle sigqueue, MethodHandle withdraw, HostSignals host, int maxSignal) {
        this.sigqueue = sigqueue;
        this.withdraw = withdraw;
        this.host = host;
        this.maxSignal = maxSignal;
    }

    /** The host kernel's valid_signal(): 1 to _NSIG - 1 (64 here). */
    @Override
    public boolean valid(int signo) {
        return signo > 0 && signo <= maxSignal;
    }

    /**
     * An AIO completion (si_code SI_ASYNCIO), or the SIGPIPE of a socket write that found the
     * pipe broken (the host's own write would have sent it; the core writes with MSG_NOSIGNAL).
     */
    @Override
    public boolean post(FreeBsdSigInfo info, Object token) {
        int kind = info.code() == FreeBsdAioConstants.SI_ASYNCIO ? KIND_ASYNCIO : KIND_SIGPIPE;
        if (token != null && sent.putIfAbsent(token, new Sent(info.signo(), info.value())) != null) return false;
        int rc;
        try {
            rc = (int) sigqueue.invokeExact(info.signo(), kind, info.value(), info.targetLwpid());
        } catch (Throwable t) {
            throw new IllegalStateException("sigqueue", t);
        }
        if (rc != 0 && token != null) sent.remove(token);   // ESRCH: the thread is gone; FreeBSD drops it too
        return rc == 0;
    }

    /** A host signal ends the sleep at once (its handler runs when the call returns). */
    @Override
    public HostSignalSleep openSleep() {
        return HostSignalSleep.open(host);
    }

    /** Where the sleep cannot watch a signalfd, it notices a host signal within this. */
    @Override
    public long interruptPollNanos() {
        return HostSignals.POLL_NANOS;
    }

    /** Asked on the sleeping program thread: the C side compares the pending signals with its own mask. */
    @Override
    public int interruption() {
        return host.pending() > 0 ? FreeBsdErrno.EINTR : 0;
    }

    @Override
    public void withdraw(Object token) {
        Sent s = sent.remove(token);
        if (s == null) return;
        try {
            int unused = (int) withdraw.invokeExact(s.signo(), s.value());
        } catch (Throwable t) {
            throw new IllegalStateException("withdraw", t);
        }
    }
}

package org.aioemu.freebsd;

import org.aioemu.core.bridge.HostSignalSleep;

/**
 * Where a process's AIO signals go (aio_sendsig's ksiginfo, and the SIGPIPE of a broken socket
 * write): the emulated signals of {@link FreeBsdSignals} (the Java conformance suite's processes),
 * or the host's real signals when a C program runs on the emulation through the shim. Signal
 * numbers are the target's own: FreeBSD's for the emulated signals, the host's for real ones.
 */
public interface FreeBsdSignalTarget {
    /** True if {@code signo} may be named in a sigevent (FreeBSD's _SIG_VALID, or the host's range). */
    boolean valid(int signo);

    /**
     * Queues a signal to the process (targetLwpid 0) or one of its threads under {@code token}
     * (the job's or batch's own ksiginfo; null for a fresh one). Returns false if it was not queued.
     */
    boolean post(FreeBsdSigInfo info, Object token);

    /** Takes back the signal queued under {@code token} if it is still undelivered (its job was reaped). */
    void withdraw(Object token);

    /**
     * How often an interruptible sleep asks {@link #interruption()}, in nanoseconds; 0 if never
     * (emulated signals come to the sleeper themselves). Host signals cannot wake a sleeping
     * upcall, so their target is asked at this interval.
     */
    default long interruptPollNanos() {
        return 0;
    }

    /** FreeBSD's EINTR if a signal pending for the calling thread ends its interruptible sleep, else 0. */
    default int interruption() {
        return 0;
    }

    /**
     * For host signals: a sleep of the calling thread that such a signal ends at once (closed by
     * the caller), or null to sleep as usual, asking every {@link #interruptPollNanos()}.
     */
    default HostSignalSleep openSleep() {
        return null;
    }
}

package org.aioemu.core.bridge;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.LockSupport;

import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.aioemu.core.host.HostTimespec;
import org.aioemu.core.host.PollFd;

/**
 * The sleeps of one emulated call that a program's signal must end at once, as it ends the
 * kernel's: the thread sleeps in the host's {@code ppoll} on an eventfd that a completion writes
 * ({@link #wake}) and on a signalfd of the signals the call lets through (aioemu_jvm.h,
 * {@code aioemu_wait_signalfd}), with those signals still blocked, so nothing runs a handler while
 * the JVM is on the stack. When the signalfd turns readable the caller asks
 * {@link HostSignals#pending()}: a signal that would do nothing (ignored, or a default that does
 * not end the process) is dropped from the signalfd so that it does not wake the sleep again.
 *
 * <p>Made per call on the calling thread (two fds for the call's duration), only once the call
 * is about to sleep. Where the fds cannot be had the caller sleeps as before, asking every
 * {@link HostSignals#POLL_NANOS}.
 */
public final class HostSignalSleep implements AutoCloseable {
    /**
     * Even with the signalfd a sleep asks again this often (milliseconds; the system property
     * {@code aioemu.signalRecheckMillis}): a safety net, not how signals are noticed.
     */
    public static final long RECHECK_NANOS = Long.getLong("aioemu.signalRecheckMillis", 1_000L) * 1_000_000L;

    private static final int WAKE = 0, SIGNAL = 1;

    private final HostSignals signals;
    private final int wakeFd;
    private int signalFd;
    private boolean closed;   // guarded by this
    private boolean lost;     // guarded by this: the program closed one of the two fds (see sleep)
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment fds = arena.allocate(PollFd.LAYOUT, 2);
    private final MemorySegment timeout = arena.allocate(HostTimespec.LAYOUT);

    private HostSignalSleep(HostSignals signals, int wakeFd, int signalFd) {
        this.signals = signals;
        this.wakeFd = wakeFd;
        this.signalFd = signalFd;
        PollFd.set(fds, WAKE, wakeFd, (short) HostConstants.POLLIN);
        PollFd.set(fds, SIGNAL, signalFd, (short) HostConstants.POLLIN);
    }

    /** On the thread of a call that blocked the program's signals; null if the fds cannot be had. */
    public static HostSignalSleep open(HostSignals signals) {
        int wake = HostIo.eventfd(0, HostConstants.EFD_NONBLOCK | HostConstants.EFD_CLOEXEC);
        if (wake < 0) return null;
        int sfd = signals.waitSignalfd(-1);
        if (sfd < 0) {
            HostIo.close(wake);
            return null;
        }
        return new HostSignalSleep(signals, wake, sfd);
    }

    /**
     * Ends the sleep (now or, if it has not begun, the next one); any thread. After close, nothing:
     * a late waker must not write into an fd number the program may have been given since.
     */
    public synchronized void wake() {
        if (!closed && !lost) HostIo.writeEventfd(wakeFd, 1);
    }

    /**
     * Sleeps until {@link #wake}, a signal that would do something is pending, or {@code nanos}
     * (at most {@link #RECHECK_NANOS}) pass; the caller then looks at what it waits for and asks
     * {@link HostSignals#pending()} as it did before sleeping.
     */
    public void sleep(long nanos) {
        if (lost) {   // no wake-ups reach it any more: a slice, then the caller looks again
            LockSupport.parkNanos(Math.max(0, Math.min(nanos, HostSignals.POLL_NANOS)));
            return;
        }
        HostTimespec.set(timeout, Math.max(0, Math.min(nanos, RECHECK_NANOS)));
        int n = HostIo.ppoll(fds, 2, timeout);
        if (n <= 0) return;   // timeout, or EINTR from a JVM-internal signal: the caller looks again
        if (((PollFd.revents(fds, WAKE) | PollFd.revents(fds, SIGNAL)) & HostConstants.POLLNVAL) != 0) {
            // The program closed an fd it did not open: its number may be the program's next file,
            // so this sleep never writes, reads or closes either number again (ppoll would answer
            // POLLNVAL at once, over and over).
            synchronized (this) {
                lost = true;
            }
            return;
        }
        if (PollFd.revents(fds, WAKE) != 0) HostIo.readEventfd(wakeFd);
        if (PollFd.revents(fds, SIGNAL) != 0 && signals.pending() == 0) {
            int narrowed = signals.waitSignalfd(signalFd);   // pending, but nothing would happen: stop counting it
            if (narrowed >= 0) signalFd = narrowed;
        }
    }

    @Override
    public void close() {
        boolean ours;
        synchronized (this) {
            if (closed) return;
            closed = true;
            ours = !lost;
            if (ours) HostIo.close(wakeFd);
        }
        if (ours) HostIo.close(signalFd);   // only the sleeping thread uses it
        arena.close();
    }
}

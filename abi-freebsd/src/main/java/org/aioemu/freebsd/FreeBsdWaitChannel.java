package org.aioemu.freebsd;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.aioemu.core.bridge.HostSignalSleep;

/**
 * A sleep address and the kernel's msleep()/wakeup() on it. FreeBSD's AIO has one per process
 * ({@code &p->p_aioinfo}): aio_suspend, aio_waitcomplete and lio_listio(LIO_WAIT) all sleep there
 * and every completion wakes them all to rescan; each kqueue has its own.
 */
final class FreeBsdWaitChannel {
    /** msleep() results besides 0 and the errno values; ERESTART means "restart the call" (SA_RESTART). */
    static final int ERESTART = -1;

    private final Set<FreeBsdSleeper> sleepers = ConcurrentHashMap.newKeySet();

    /** Wakes every thread asleep here (they rescan; most go back to sleep). */
    void wakeup() {
        for (FreeBsdSleeper s : sleepers) s.wake();
    }

    /**
     * Sleeps on this channel, releasing {@code lock} (held once by the caller) while asleep and
     * taking it back before returning: 0 after a wakeup, EWOULDBLOCK after {@code timeoutNanos}
     * (0 or less: no timeout), and, when {@code signals} is given (PCATCH), EINTR or ERESTART if a
     * signal was given to this thread. A pending signal ends the sleep before it starts.
     */
    int msleep(ReentrantLock lock, FreeBsdSignals signals, long timeoutNanos) {
        FreeBsdSignalTarget target = signals == null ? null : signals.owner().signalTarget();
        HostSignalSleep hostSleep = target == null ? null : target.openSleep();   // a host signal ends it at once
        FreeBsdSleeper s = new FreeBsdSleeper(signals == null ? 0 : signals.owner().currentLwpid(), hostSleep);
        long poll = target == null ? 0 : target.interruptPollNanos();
        sleepers.add(s);
        if (signals != null) signals.sleeping(s);
        lock.unlock();
        boolean interrupted = false;
        int hostSignal = 0;
        try {
            long end = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : Long.MAX_VALUE;
            while (!s.woken() && s.signal() == null) {
                // A Java interrupt (a test's timeout, a shutdown; nothing FreeBSD knows) ends the
                // sleep as an uncaught signal would: EINTR, the interrupt left set for the caller.
                if (Thread.currentThread().isInterrupted()) {
                    interrupted = true;
                    break;
                }
                if (poll > 0 && (hostSignal = target.interruption()) != 0) break;
                long left = end - System.nanoTime();
                if (left <= 0) break;
                if (hostSleep != null) hostSleep.sleep(left);
                else if (poll > 0) LockSupport.parkNanos(this, Math.min(left, poll));
                else if (end == Long.MAX_VALUE) LockSupport.park(this);
                else LockSupport.parkNanos(this, left);
            }
        } finally {
            sleepers.remove(s);
            if (signals != null) signals.awake(s);
            if (hostSleep != null) hostSleep.close();
            lock.lock();
        }
        if (hostSignal != 0 && !s.woken()) return hostSignal;
        FreeBsdSignals.Delivery d = s.signal();
        if (d != null) {
            signals.claim(d);
            return d.restarts() ? ERESTART : FreeBsdErrno.EINTR;
        }
        if (interrupted) return FreeBsdErrno.EINTR;
        return s.woken() ? 0 : FreeBsdErrno.EWOULDBLOCK;
    }
}

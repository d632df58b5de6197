package org.aioemu.freebsd;

import java.util.concurrent.locks.LockSupport;

import org.aioemu.core.bridge.HostSignalSleep;

/**
 * A thread asleep inside an emulated call. It is woken by a wakeup on its channel, by its timeout,
 * or, if the sleep catches signals, by a signal given to it ({@link FreeBsdSignals} picks a
 * sleeping thread the way the kernel aborts an interruptible sleep); the handler then runs on this
 * thread before the call returns, as it would on the way back to user mode.
 */
final class FreeBsdSleeper {
    final Thread thread = Thread.currentThread();
    final int lwpid;
    private volatile boolean woken;
    private volatile FreeBsdSignals.Delivery signal;
    private final HostSignalSleep hostSleep;   // the thread sleeps there instead of parking (host signals)

    FreeBsdSleeper(int lwpid, HostSignalSleep hostSleep) {
        this.lwpid = lwpid;
        this.hostSleep = hostSleep;
    }

    void wake() {
        woken = true;
        unpark();
    }

    /** Gives this sleeper a signal to take; called once, by {@link FreeBsdSignals} under its lock. */
    void interrupt(FreeBsdSignals.Delivery d) {
        signal = d;
        unpark();
    }

    private void unpark() {
        if (hostSleep != null) hostSleep.wake();
        else LockSupport.unpark(thread);
    }

    boolean woken() {
        return woken;
    }

    FreeBsdSignals.Delivery signal() {
        return signal;
    }
}

package org.aioemu.freebsd;

import java.util.concurrent.locks.LockSupport;

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

    FreeBsdSleeper(int lwpid) {
        this.lwpid = lwpid;
    }

    void wake() {
        woken = true;
        LockSupport.unpark(thread);
    }

    /** Gives this sleeper a signal to take; called once, by {@link FreeBsdSignals} under its lock. */
    void interrupt(FreeBsdSignals.Delivery d) {
        signal = d;
        LockSupport.unpark(thread);
    }

    boolean woken() {
        return woken;
    }

    FreeBsdSignals.Delivery signal() {
        return signal;
    }
}

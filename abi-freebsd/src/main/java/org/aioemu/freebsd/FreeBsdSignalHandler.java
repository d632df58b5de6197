package org.aioemu.freebsd;

/**
 * An emulated process's handler for one signal, installed with
 * {@link FreeBsdAioProcess#sigaction}. It runs on a thread of the process: the thread the signal
 * interrupted (one asleep in aio_suspend, aio_waitcomplete, lio_listio or kevent), or the
 * process's signal thread when none was asleep.
 */
@FunctionalInterface
public interface FreeBsdSignalHandler {
    void handle(FreeBsdSigInfo info);
}

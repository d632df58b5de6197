package org.aioemu.core.bridge;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The program's real signals, for an emulated call that sleeps inside the JVM. A host signal
 * cannot end such a sleep by itself (a Java park resumes after the handler ran), so a shim
 * calls in with the program's signals blocked (aioemu_jvm.h, {@code aioemu_signals_block}); the
 * sleep watches a signalfd of the signals its call lets through ({@link HostSignalSleep}), or,
 * where it cannot, asks {@link #pending()} at least every {@link #POLL_NANOS}. A nonzero answer
 * ends it with the ABI's EINTR, and the signal's handler runs when the shim restores the mask,
 * before the call returns to the program. ABI-neutral: which errno and whether the call starts
 * over are the ABI's.
 */
public final class HostSignals {
    /**
     * A sleeping call that cannot watch a signalfd (a sleep at the device, or no fds to be had)
     * notices a host signal within this (milliseconds: the system property
     * {@code aioemu.signalPollMillis}, default 10).
     */
    public static final long POLL_NANOS = Long.getLong("aioemu.signalPollMillis", 10L) * 1_000_000L;

    private final MethodHandle interrupting;   // int (void)
    private final MethodHandle waitSignalfd;   // int (int fd)

    HostSignals(MemorySegment interrupting, MemorySegment waitSignalfd) {
        this.interrupting = Linker.nativeLinker().downcallHandle(interrupting, FunctionDescriptor.of(JAVA_INT));
        this.waitSignalfd = Linker.nativeLinker().downcallHandle(waitSignalfd, FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    /**
     * Asked on the sleeping thread: with {@code fd} -1 a new signalfd (non-blocking) that turns
     * readable when a signal the call lets through is pending; with an fd from here, that one
     * stops counting the signals pending now. The fd, or -errno (EINVAL outside a call that
     * blocked the program's signals).
     */
    int waitSignalfd(int fd) {
        try {
            return (int) waitSignalfd.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("wait_signalfd", t);
        }
    }

    /**
     * Asked on the sleeping thread: the number of a pending signal (the thread's or the
     * process's) that the call's wait mask lets through and that would do something (a handler,
     * or a default action that ends the process), or 0. Always 0 outside a call that blocked
     * the program's signals.
     */
    public int pending() {
        try {
            return (int) interrupting.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("interrupting", t);
        }
    }
}

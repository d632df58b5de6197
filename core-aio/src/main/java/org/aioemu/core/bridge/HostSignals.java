package org.aioemu.core.bridge;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The program's real signals, for an emulated call that sleeps inside the JVM. A host signal
 * cannot end such a sleep by itself (a Java park resumes after the handler ran), so a shim
 * calls in with the program's signals blocked (aioemu_jvm.h, {@code aioemu_signals_block}) and
 * the sleep asks {@link #pending()} at least every {@link #POLL_NANOS}; a nonzero answer ends
 * it with the ABI's EINTR, and the signal's handler runs when the shim restores the mask, before
 * the call returns to the program. ABI-neutral: which errno and whether the call starts over
 * are the ABI's.
 */
public final class HostSignals {
    /** A sleeping call notices a host signal within this. */
    public static final long POLL_NANOS = 10_000_000L;

    private final MethodHandle interrupting;   // int (void)

    HostSignals(MemorySegment interrupting) {
        this.interrupting = Linker.nativeLinker().downcallHandle(interrupting, FunctionDescriptor.of(JAVA_INT));
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

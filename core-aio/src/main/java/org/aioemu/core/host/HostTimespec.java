package org.aioemu.core.host;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * <pre>
 * struct timespec {     // the host's (x86_64): the timeouts the core passes to the host kernel
 *     time_t tv_sec;    //  0
 *     long   tv_nsec;   //  8
 * };                    // 16 bytes
 * </pre>
 */
public final class HostTimespec {
    private HostTimespec() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"),
            JAVA_LONG.withName("tv_nsec")).withName("timespec");

    private static final VarHandle SEC = LAYOUT.varHandle(groupElement("tv_sec"));
    private static final VarHandle NSEC = LAYOUT.varHandle(groupElement("tv_nsec"));

    /** Writes a non-negative duration in nanoseconds as seconds and nanoseconds. */
    public static void set(MemorySegment ts, long nanos) {
        SEC.set(ts, 0L, nanos / 1_000_000_000L);
        NSEC.set(ts, 0L, nanos % 1_000_000_000L);
    }
}

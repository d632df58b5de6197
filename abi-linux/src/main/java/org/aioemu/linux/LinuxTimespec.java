package org.aioemu.linux;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * <pre>
 * struct timespec {     // x86_64: __kernel_timespec, io_getevents' timeout
 *     time_t tv_sec;    //  0
 *     long   tv_nsec;   //  8
 * };                    // 16 bytes
 * </pre>
 */
public final class LinuxTimespec {
    private LinuxTimespec() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"),
            JAVA_LONG.withName("tv_nsec")).withName("timespec");

    public static final long SIZE = LAYOUT.byteSize();

    private static final VarHandle SEC = LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("tv_sec"));
    private static final VarHandle NSEC = LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("tv_nsec"));

    /** Writes a non-negative duration in nanoseconds as seconds and nanoseconds. */
    public static void set(MemorySegment ts, long nanos) {
        SEC.set(ts, 0L, nanos / 1_000_000_000L);
        NSEC.set(ts, 0L, nanos % 1_000_000_000L);
    }
}

package org.aioemu.linux;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import org.aioemu.core.host.HostTimespec;

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

    /** The guest's timespec is the host's (x86_64 Linux both): one layout, the core's. */
    public static final StructLayout LAYOUT = HostTimespec.LAYOUT;

    public static final long SIZE = LAYOUT.byteSize();

    private static final VarHandle SEC = LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("tv_sec"));
    private static final VarHandle NSEC = LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("tv_nsec"));

    public static long tv_sec(MemorySegment ts) { return (long) SEC.get(ts, 0L); }
    public static long tv_nsec(MemorySegment ts) { return (long) NSEC.get(ts, 0L); }

    public static void set(MemorySegment ts, long sec, long nsec) {
        SEC.set(ts, 0L, sec);
        NSEC.set(ts, 0L, nsec);
    }

    /** Writes a non-negative duration in nanoseconds as seconds and nanoseconds. */
    public static void set(MemorySegment ts, long nanos) {
        HostTimespec.set(ts, nanos);
    }
}

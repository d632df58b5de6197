package org.aioemu.freebsd;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/** FreeBSD amd64 {@code struct timespec}, and how the AIO calls turn one into a sleep. */
public final class FreeBsdTimespec {
    /*
     * struct timespec {     // sys/sys/_timespec.h
     *     time_t tv_sec;    // 0
     *     long   tv_nsec;   // 8
     * };                    // 16
     */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"),
            JAVA_LONG.withName("tv_nsec"));

    public static final long SIZE = LAYOUT.byteSize();

    private static final VarHandle SEC = LAYOUT.varHandle(groupElement("tv_sec"));
    private static final VarHandle NSEC = LAYOUT.varHandle(groupElement("tv_nsec"));

    private static final long NANOS_PER_TICK = 1_000_000_000L / FreeBsdAioConstants.HZ;

    private FreeBsdTimespec() {}

    public record Value(long sec, long nsec) {
        public boolean isZero() {
            return sec == 0 && nsec == 0;
        }

        /** itimerfix() plus the tv_nsec range check every caller makes first. */
        public boolean valid() {
            return sec >= 0 && nsec >= 0 && nsec < 1_000_000_000L;
        }

        /**
         * The sleep tvtohz() gives for it, as nanoseconds: whole ticks, rounded up, plus one
         * tick (the current one may be nearly over), so even {0, 0} sleeps one tick.
         */
        public long sleepNanos() {
            long secTicks = sec > Long.MAX_VALUE / FreeBsdAioConstants.HZ / 2 ? Long.MAX_VALUE / 4 / NANOS_PER_TICK
                    : sec * FreeBsdAioConstants.HZ;
            long ticks = secTicks + (nsec + NANOS_PER_TICK - 1) / NANOS_PER_TICK + 1;
            return Math.multiplyHigh(ticks, NANOS_PER_TICK) != 0 ? Long.MAX_VALUE / 4 : ticks * NANOS_PER_TICK;
        }

        /** The exact interval (kevent uses it as a deadline, not in ticks). */
        public long nanos() {
            return sec > (Long.MAX_VALUE / 4) / 1_000_000_000L ? Long.MAX_VALUE / 4 : sec * 1_000_000_000L + nsec;
        }
    }

    public static Value read(MemorySegment s) {
        return new Value((long) SEC.get(s, 0L), (long) NSEC.get(s, 0L));
    }

    public static void set(MemorySegment s, long sec, long nsec) {
        SEC.set(s, 0L, sec);
        NSEC.set(s, 0L, nsec);
    }
}

package org.aioemu.conformance.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import org.aioemu.linux.AioRingHeader;
import org.aioemu.linux.IoEvent;
import org.aioemu.linux.LinuxAioConstants;
import org.aioemu.linux.LinuxAioProcess;

/**
 * The program's own view of a context's struct aio_ring, which lives at the context id (LNX-6,
 * LNX-8), and the two ways real programs read it without a system call: the libaio harness's
 * user_getevents (17.t, 19.t) and libaio's io_getevents shortcut (LNX-78). Only valid while the
 * ring is mapped: reading it after io_destroy would fault, as it would in C.
 */
final class UserRing {
    private final MemorySegment ring;

    UserRing(long ctx) {
        MemorySegment header = MemorySegment.ofAddress(ctx).reinterpret(AioRingHeader.SIZE);
        this.ring = MemorySegment.ofAddress(ctx).reinterpret(AioRingHeader.SIZE + IoEvent.SIZE * (long) AioRingHeader.nr(header));
    }

    int id() { return AioRingHeader.id(ring); }
    int nr() { return AioRingHeader.nr(ring); }
    int magic() { return AioRingHeader.magic(ring); }
    int head() { return AioRingHeader.headAcquire(ring); }
    int tail() { return AioRingHeader.tailAcquire(ring); }

    /** Bytes the ring occupies, in whole pages (LNX-7: nr was chosen to fill the last page). */
    long mappedBytes() {
        return (ring.byteSize() + EmulatedProgram.PAGE - 1) / EmulatedProgram.PAGE * EmulatedProgram.PAGE;
    }

    /**
     * user_getevents: while fewer than {@code max} were taken and head != tail, copy
     * io_events[head] out and store head = (head + 1) % nr (LNX-14).
     */
    int reap(int max, MemorySegment events) {
        int n = 0;
        MemorySegment slots = ring.asSlice(AioRingHeader.SIZE);
        while (n < max) {
            int head = head();
            if (head == tail()) break;
            MemorySegment.copy(slots, head * IoEvent.SIZE, events, n * IoEvent.SIZE, IoEvent.SIZE);
            VarHandle.releaseFence();
            AioRingHeader.headRelease(ring, (head + 1) % nr());
            n++;
        }
        return n;
    }

    /**
     * libaio's io_getevents (src/io_getevents.c): with a {0,0} timeout, a ring that shows
     * AIO_RING_MAGIC and head == tail answers 0 without entering the kernel; everything else is
     * the system call. A NULL ctx is never read.
     */
    static long libaioGetevents(LinuxAioProcess os, long ctx, long min, long nr, long events, long timeout) {
        if (ctx != 0 && timeout != 0) {
            MemorySegment ts = MemorySegment.ofAddress(timeout).reinterpret(16);
            if (ts.get(ValueLayout.JAVA_LONG, 0) == 0 && ts.get(ValueLayout.JAVA_LONG, 8) == 0) {
                UserRing r = new UserRing(ctx);
                if (r.magic() == LinuxAioConstants.AIO_RING_MAGIC && r.head() == r.tail()) return 0;
            }
        }
        return os.ioGetevents(ctx, min, nr, events, timeout);
    }
}

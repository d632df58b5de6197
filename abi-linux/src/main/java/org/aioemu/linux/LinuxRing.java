package org.aioemu.linux;

import java.lang.foreign.MemorySegment;
import java.util.List;

import org.aioemu.core.Request;
import org.aioemu.core.host.ForeignMemory;
import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;

/**
 * A context's completion ring, live in the program's memory: the context id is its address, the
 * header carries AIO_RING_MAGIC, and every completion is written at tail before tail moves (with
 * release ordering), so a program that reaps by itself, as libaio does for a zero timeout, sees
 * exactly what io_getevents would return.
 *
 * <p>The same pages are mapped twice, as the kernel has its own mapping of a ring: the program's
 * view (whose address is the context id; the program may mprotect or unmap it) and ours, which
 * only we touch, so a completion never faults whatever the program did to its view.
 */
final class LinuxRing implements AutoCloseable {
    private static final long PAGE = 4096;

    final long userAddress;
    final int nr;
    private final long bytes;
    private final MemorySegment view;
    private final Request[] behind;   // the core request behind each filled slot, released on reap
    private int released;             // slots before this index have been given back to the core
    private boolean closed;           // guarded by this: our view is unmapped

    private LinuxRing(long userAddress, MemorySegment view, long bytes, int nr) {
        this.userAddress = userAddress;
        this.view = view;
        this.bytes = bytes;
        this.nr = nr;
        this.behind = new Request[nr];
    }

    /** Ring events for io_setup's doubled count (LNX-7): whole pages, header included. */
    static int eventsFor(long doubled) {
        long pages = (AioRingHeader.SIZE + IoEvent.SIZE * (doubled + 2) + PAGE - 1) / PAGE;
        return (int) ((pages * PAGE - AioRingHeader.SIZE) / IoEvent.SIZE);
    }

    /** Maps a ring of {@code nr} events; the negative errno if the host refuses. */
    static Object create(int id, int nr) {
        long bytes = (AioRingHeader.SIZE + IoEvent.SIZE * (long) nr + PAGE - 1) / PAGE * PAGE;
        int memfd = HostIo.memfdCreate("[aio]", HostConstants.MFD_CLOEXEC);
        if (memfd < 0) return memfd;
        try {
            int rc = HostIo.ftruncate(memfd, bytes);
            if (rc < 0) return rc;
            int prot = HostConstants.PROT_READ | HostConstants.PROT_WRITE;
            long user = HostIo.mmap(0, bytes, prot, HostConstants.MAP_SHARED, memfd, 0);
            if (user < 0) return (int) user;
            long ours = HostIo.mmap(0, bytes, prot, HostConstants.MAP_SHARED, memfd, 0);
            if (ours < 0) {
                HostIo.munmap(user, bytes);
                return (int) ours;
            }
            MemorySegment view = MemorySegment.ofAddress(ours).reinterpret(bytes);
            AioRingHeader.init(view, id, nr);
            return new LinuxRing(user, view, bytes, nr);
        } finally {
            HostIo.close(memfd);
        }
    }

    /** Writes one event at tail, then publishes it. Callers serialize on the ring. */
    synchronized void publish(long data, long obj, long res, Request r) {
        if (closed) return;
        int tail = AioRingHeader.tailAcquire(view);
        MemorySegment events = view.asSlice(AioRingHeader.SIZE);
        IoEvent.set(events, tail, data, obj, res, 0);
        behind[tail] = r;
        AioRingHeader.tailRelease(view, (tail + 1) % nr);
    }

    /** Events waiting between head and tail; head is the program's to move too, so it is taken modulo nr (LNX-14). */
    synchronized int available() {
        if (closed) return 0;
        int head = Integer.remainderUnsigned(AioRingHeader.headAcquire(view), nr);
        int tail = AioRingHeader.tailAcquire(view);
        return (tail - head + nr) % nr;
    }

    /**
     * Copies up to {@code max} events from head to the program's array at {@code dst} and moves
     * head past them; the requests behind them go to {@code reaped}. If the copy faults, nothing
     * moves and the events stay for the next call (LNX-63). Returns the count or -EFAULT.
     */
    synchronized int reap(long dst, int max, List<Request> reaped) {
        if (closed) return 0;
        int head = Integer.remainderUnsigned(AioRingHeader.headAcquire(view), nr);
        int tail = AioRingHeader.tailAcquire(view);
        int avail = (tail - head + nr) % nr;
        int n = Math.min(avail, max);
        if (n == 0) return 0;
        int first = Math.min(n, nr - head);
        MemorySegment events = view.asSlice(AioRingHeader.SIZE);
        if (ForeignMemory.copyOut(events.asSlice(head * IoEvent.SIZE), dst, first * IoEvent.SIZE) < 0) return -LinuxErrno.EFAULT;
        if (n > first && ForeignMemory.copyOut(events, dst + first * IoEvent.SIZE, (n - first) * IoEvent.SIZE) < 0) {
            return -LinuxErrno.EFAULT;
        }
        int newHead = (head + n) % nr;
        AioRingHeader.headRelease(view, newHead);
        collectReaped(newHead, reaped);
        return n;
    }

    /** The requests whose events the program took by itself, moving head without a call. */
    synchronized void collectUserReaped(List<Request> reaped) {
        if (closed) return;
        collectReaped(Integer.remainderUnsigned(AioRingHeader.headAcquire(view), nr), reaped);
    }

    private void collectReaped(int head, List<Request> reaped) {
        while (released != head) {
            Request r = behind[released];
            if (r != null) {
                reaped.add(r);
                behind[released] = null;
            }
            released = (released + 1) % nr;
        }
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        HostIo.munmap(view.address(), bytes);
        HostIo.munmap(userAddress, bytes);
    }
}

package org.aioemu.cli.replay;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;

/**
 * Memory the replay hands to the executor: buffers, iocbs, iovec and pointer arrays. A buffer
 * keeps the recorded address's offset within its page, so O_DIRECT alignment (and misalignment)
 * replays as recorded. Blocks are whole pages, recycled by size.
 */
final class BufferPool implements AutoCloseable {
    static final long PAGE = 4096;

    private final Arena arena = Arena.ofShared();
    private final Map<Long, ArrayDeque<MemorySegment>> free = new HashMap<>();
    private long faultPage;

    /** A buffer inside a pooled block; give it back with {@link #release}. */
    record Lease(MemorySegment block, MemorySegment buffer) {
        long address() {
            return buffer.address();
        }
    }

    /** {@code len} bytes starting {@code pageOffset} bytes into a fresh page-aligned block. */
    Lease lease(long pageOffset, long len) {
        long pages = Math.max(1, (pageOffset + len + PAGE - 1) / PAGE);
        ArrayDeque<MemorySegment> q = free.get(pages);
        MemorySegment block = q != null && !q.isEmpty() ? q.pop() : arena.allocate(pages * PAGE, PAGE);
        return new Lease(block, block.asSlice(pageOffset, len));
    }

    /** A zeroed small struct or array. */
    Lease zeroed(long len) {
        Lease l = lease(0, len);
        l.buffer().fill((byte) 0);
        return l;
    }

    void release(Lease l) {
        if (l != null) free.computeIfAbsent(l.block().byteSize() / PAGE, k -> new ArrayDeque<>()).push(l.block());
    }

    /** An address of an inaccessible page: a buffer the trace's kernel answered EFAULT for. */
    long faultAddress() {
        if (faultPage == 0) {
            long p = HostIo.mmap(0, PAGE, HostConstants.PROT_NONE,
                    HostConstants.MAP_PRIVATE | HostConstants.MAP_ANONYMOUS, -1, 0);
            if (p < 0) throw new IllegalStateException("mmap of a PROT_NONE page failed: errno " + -p);
            faultPage = p;
        }
        return faultPage;
    }

    @Override
    public void close() {
        if (faultPage != 0) HostIo.munmap(faultPage, PAGE);
        arena.close();
    }
}

package org.aioemu.conformance.linux.differential;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.aioemu.conformance.linux.KernelLinuxAioLayouts.*;
import static org.aioemu.linux.LinuxAioConstants.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.aioemu.core.host.ForeignMemory;

/**
 * Reads a context's {@code aio_ring} the way libaio's user-space reaping does, without trusting
 * the address: every copy goes through {@link ForeignMemory}, so a ctx that is not a readable
 * ring gives null instead of a crash.
 */
final class RingView {
    private final MemorySegment header = Arena.ofAuto().allocate(AIO_RING);
    private static final int CHUNK = 256;
    private final MemorySegment events = Arena.ofAuto().allocate(IO_EVENT, CHUNK);
    private final MemorySegment word = Arena.ofAuto().allocate(4);
    private static final long HEAD_OFFSET = AIO_RING.byteOffset(groupElement("head"));

    /** The header fields, or null if unreadable. */
    record Header(int id, int nr, int head, int tail, int magic, int compat, int incompat, int length) {
        boolean live() {
            return magic == AIO_RING_MAGIC && nr > 0 && Integer.compareUnsigned(head, nr) < 0
                    && Integer.compareUnsigned(tail, nr) < 0;
        }

        int available() {
            return Math.floorMod(tail - head, nr);
        }

        // id, the slot in the process's context table (LNX-8), depends on what else the process has
        // open, and sequences run side by side: left out of the comparable form
        @Override public String toString() {
            return "nr=" + nr + " head=" + head + " tail=" + tail + " magic=0x" + Integer.toHexString(magic)
                    + " compat=" + compat + " incompat=" + incompat + " header_length=" + length;
        }
    }

    Header header(long ctx) {
        if (ForeignMemory.copyIn(ctx, header, AIO_RING.byteSize()) != 0) return null;
        return new Header((int) RING_ID.get(header, 0L), (int) RING_NR.get(header, 0L), (int) RING_HEAD.get(header, 0L),
                (int) RING_TAIL.get(header, 0L), (int) RING_MAGIC.get(header, 0L), (int) RING_COMPAT.get(header, 0L),
                (int) RING_INCOMPAT.get(header, 0L), (int) RING_HEADER_LENGTH.get(header, 0L));
    }

    /** The raw events from head, at most {@code max}; null if unreadable. */
    List<long[]> events(long ctx, Header h, int max) {
        int n = Math.min(max, h.available());
        List<long[]> out = new ArrayList<>(n);
        int at = h.head();
        while (out.size() < n) {
            // the ring is contiguous; copy up to its end, then wrap to slot 0
            int chunk = Math.min(n - out.size(), Math.min(h.nr() - at, CHUNK));
            long from = ctx + AIO_RING.byteSize() + IO_EVENT.byteSize() * at;
            if (ForeignMemory.copyIn(from, events, chunk * IO_EVENT.byteSize()) != 0) return null;
            for (int i = 0; i < chunk; i++) {
                long off = i * IO_EVENT.byteSize();
                out.add(new long[] {(long) EVENT_DATA.get(events, off), (long) EVENT_OBJ.get(events, off),
                        (long) EVENT_RES.get(events, off), (long) EVENT_RES2.get(events, off)});
            }
            at = (at + chunk) % h.nr();
        }
        return out;
    }

    /** Stores a new head, as a user-space reaper does after copying events out. */
    boolean storeHead(long ctx, int head) {
        word.set(JAVA_INT, 0, head);
        return ForeignMemory.copyOut(word, ctx + HEAD_OFFSET, 4) == 0;
    }
}

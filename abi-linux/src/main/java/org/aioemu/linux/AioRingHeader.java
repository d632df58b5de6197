package org.aioemu.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * <pre>
 * struct aio_ring {                 // fs/aio.c; at the address that is the context id
 *     unsigned id;                  //  0  the context's slot in the process's table
 *     unsigned nr;                  //  4  events the ring holds
 *     unsigned head;                //  8  consumer index (io_getevents, or the program itself)
 *     unsigned tail;                // 12  producer index (completions)
 *     unsigned magic;               // 16  AIO_RING_MAGIC
 *     unsigned compat_features;     // 20  1
 *     unsigned incompat_features;   // 24  0
 *     unsigned header_length;       // 28  32
 *     struct io_event io_events[];  // 32
 * };
 * </pre>
 * head and tail are shared with user space (libaio reaps from the ring when the timeout is zero),
 * so they are read with acquire and written with release ordering.
 */
public final class AioRingHeader {
    private AioRingHeader() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("id"),
            JAVA_INT.withName("nr"),
            JAVA_INT.withName("head"),
            JAVA_INT.withName("tail"),
            JAVA_INT.withName("magic"),
            JAVA_INT.withName("compat_features"),
            JAVA_INT.withName("incompat_features"),
            JAVA_INT.withName("header_length")).withName("aio_ring");

    public static final long SIZE = LAYOUT.byteSize();

    private static final VarHandle ID = handle("id");
    private static final VarHandle NR = handle("nr");
    private static final VarHandle HEAD = handle("head");
    private static final VarHandle TAIL = handle("tail");
    private static final VarHandle MAGIC = handle("magic");
    private static final VarHandle COMPAT = handle("compat_features");
    private static final VarHandle INCOMPAT = handle("incompat_features");
    private static final VarHandle HEADER_LENGTH = handle("header_length");

    private static VarHandle handle(String name) {
        return LAYOUT.varHandle(MemoryLayout.PathElement.groupElement(name));
    }

    public static int id(MemorySegment ring) { return (int) ID.get(ring, 0L); }
    public static int nr(MemorySegment ring) { return (int) NR.get(ring, 0L); }
    public static int magic(MemorySegment ring) { return (int) MAGIC.get(ring, 0L); }
    public static int headAcquire(MemorySegment ring) { return (int) HEAD.getAcquire(ring, 0L); }
    public static int tailAcquire(MemorySegment ring) { return (int) TAIL.getAcquire(ring, 0L); }
    public static void headRelease(MemorySegment ring, int v) { HEAD.setRelease(ring, 0L, v); }
    public static void tailRelease(MemorySegment ring, int v) { TAIL.setRelease(ring, 0L, v); }

    static void init(MemorySegment ring, int id, int nr) {
        ID.set(ring, 0L, id);
        NR.set(ring, 0L, nr);
        HEAD.set(ring, 0L, 0);
        TAIL.set(ring, 0L, 0);
        MAGIC.set(ring, 0L, LinuxAioConstants.AIO_RING_MAGIC);
        COMPAT.set(ring, 0L, LinuxAioConstants.AIO_RING_COMPAT_FEATURES);
        INCOMPAT.set(ring, 0L, LinuxAioConstants.AIO_RING_INCOMPAT_FEATURES);
        HEADER_LENGTH.set(ring, 0L, (int) SIZE);
    }
}

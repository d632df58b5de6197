package org.aioemu.core.host;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * A host {@code struct iovec} array. The base is a plain long rather than an ADDRESS so that a
 * guest's iovec, already in host layout, can be used as is, with no segment made per entry.
 */
public final class IoVec {
    /*
     * struct iovec {
     *     void  *iov_base;   // 0
     *     size_t iov_len;    // 8
     * };                     // 16
     */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("iov_base"),
            JAVA_LONG.withName("iov_len"));

    private static final VarHandle BASE = LAYOUT.arrayElementVarHandle(groupElement("iov_base"));
    private static final VarHandle LEN = LAYOUT.arrayElementVarHandle(groupElement("iov_len"));

    private IoVec() {}

    public static long base(MemorySegment iovArray, long index) {
        return (long) BASE.get(iovArray, 0L, index);
    }

    public static long len(MemorySegment iovArray, long index) {
        return (long) LEN.get(iovArray, 0L, index);
    }

    public static void set(MemorySegment iovArray, long index, long base, long len) {
        BASE.set(iovArray, 0L, index, base);
        LEN.set(iovArray, 0L, index, len);
    }

    /**
     * An iovec array covering {@code buffers} whole, in order. It holds raw addresses: the
     * buffers' arenas must outlive every call that uses it.
     */
    public static MemorySegment allocate(SegmentAllocator a, MemorySegment... buffers) {
        MemorySegment iov = a.allocate(LAYOUT, buffers.length);
        for (int i = 0; i < buffers.length; i++) {
            // A heap segment's address() is an offset into a Java array, meaningless to the kernel.
            if (!buffers[i].isNative()) throw new IllegalArgumentException("buffer " + i + " is not native");
            set(iov, i, buffers[i].address(), buffers[i].byteSize());
        }
        return iov;
    }

    /** Sum of the first {@code iovcnt} lengths (the most one vectored call can move). */
    public static long totalLength(MemorySegment iovArray, int iovcnt) {
        long total = 0;
        for (int i = 0; i < iovcnt; i++) total += len(iovArray, i);
        return total;
    }
}

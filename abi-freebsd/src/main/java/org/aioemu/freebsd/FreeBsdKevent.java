package org.aioemu.freebsd;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/** FreeBSD amd64 {@code struct kevent} (64 bytes since FreeBSD 12, with {@code ext[4]}). */
public final class FreeBsdKevent {
    /*
     * struct kevent {                    // sys/sys/event.h
     *     __uintptr_t ident;             //  0
     *     short       filter;            //  8
     *     unsigned short flags;          // 10
     *     unsigned int fflags;           // 12
     *     __int64_t   data;              // 16
     *     void       *udata;             // 24
     *     __uint64_t  ext[4];            // 32
     * };                                 // 64
     */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("ident"),
            JAVA_SHORT.withName("filter"),
            JAVA_SHORT.withName("flags"),
            JAVA_INT.withName("fflags"),
            JAVA_LONG.withName("data"),
            JAVA_LONG.withName("udata"),
            MemoryLayout.sequenceLayout(4, JAVA_LONG).withName("ext"));

    public static final long SIZE = LAYOUT.byteSize();

    private static final VarHandle IDENT = LAYOUT.arrayElementVarHandle(groupElement("ident"));
    private static final VarHandle FILTER = LAYOUT.arrayElementVarHandle(groupElement("filter"));
    private static final VarHandle FLAGS = LAYOUT.arrayElementVarHandle(groupElement("flags"));
    private static final VarHandle FFLAGS = LAYOUT.arrayElementVarHandle(groupElement("fflags"));
    private static final VarHandle DATA = LAYOUT.arrayElementVarHandle(groupElement("data"));
    private static final VarHandle UDATA = LAYOUT.arrayElementVarHandle(groupElement("udata"));

    private FreeBsdKevent() {}

    public record Value(long ident, short filter, int flags, int fflags, long data, long udata) {}

    /** Element {@code i} of a kevent array already copied in from the program. */
    public static Value read(MemorySegment array, long i) {
        return new Value((long) IDENT.get(array, 0L, i), (short) FILTER.get(array, 0L, i),
                Short.toUnsignedInt((short) FLAGS.get(array, 0L, i)), (int) FFLAGS.get(array, 0L, i),
                (long) DATA.get(array, 0L, i), (long) UDATA.get(array, 0L, i));
    }

    /** Fills element {@code i} (ext[] zeroed). */
    public static void write(MemorySegment array, long i, Value v) {
        array.asSlice(i * SIZE, SIZE).fill((byte) 0);
        IDENT.set(array, 0L, i, v.ident());
        FILTER.set(array, 0L, i, v.filter());
        FLAGS.set(array, 0L, i, (short) v.flags());
        FFLAGS.set(array, 0L, i, v.fflags());
        DATA.set(array, 0L, i, v.data());
        UDATA.set(array, 0L, i, v.udata());
    }
}

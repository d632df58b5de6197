package org.aioemu.core.host;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * A host {@code struct epoll_event} array. On x86_64 the struct is packed (so that 32- and 64-bit
 * processes share one layout): data sits at offset 4, unaligned, and entries are 12 bytes apart.
 */
public final class EpollEvent {
    /*
     * typedef union epoll_data { void *ptr; int fd; uint32_t u32; uint64_t u64; } epoll_data_t;
     *
     * struct epoll_event {
     *     uint32_t     events;   // 0
     *     epoll_data_t data;     // 4
     * } __attribute__ ((__packed__));   // 12
     */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("events"),
            JAVA_LONG_UNALIGNED.withName("data"));

    private static final VarHandle EVENTS = LAYOUT.arrayElementVarHandle(groupElement("events"));
    private static final VarHandle DATA = LAYOUT.arrayElementVarHandle(groupElement("data"));

    private EpollEvent() {}

    public static int events(MemorySegment events, long index) {
        return (int) EVENTS.get(events, 0L, index);
    }

    public static long data(MemorySegment events, long index) {
        return (long) DATA.get(events, 0L, index);
    }

    public static void set(MemorySegment events, long index, int eventMask, long data) {
        EVENTS.set(events, 0L, index, eventMask);
        DATA.set(events, 0L, index, data);
    }
}

package org.aioemu.core.host;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/** A host {@code struct pollfd} array, for {@link HostIo#poll}. */
public final class PollFd {
    /*
     * struct pollfd {
     *     int   fd;        // 0
     *     short events;    // 4
     *     short revents;   // 6
     * };                   // 8
     */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("fd"),
            JAVA_SHORT.withName("events"),
            JAVA_SHORT.withName("revents"));

    private static final VarHandle FD = LAYOUT.arrayElementVarHandle(groupElement("fd"));
    private static final VarHandle EVENTS = LAYOUT.arrayElementVarHandle(groupElement("events"));
    private static final VarHandle REVENTS = LAYOUT.arrayElementVarHandle(groupElement("revents"));

    private PollFd() {}

    public static int fd(MemorySegment pollfds, long index) {
        return (int) FD.get(pollfds, 0L, index);
    }

    public static short events(MemorySegment pollfds, long index) {
        return (short) EVENTS.get(pollfds, 0L, index);
    }

    public static short revents(MemorySegment pollfds, long index) {
        return (short) REVENTS.get(pollfds, 0L, index);
    }

    /** Fills one entry and clears its revents, so a reused array reports only this poll's events. */
    public static void set(MemorySegment pollfds, long index, int fd, short events) {
        FD.set(pollfds, 0L, index, fd);
        EVENTS.set(pollfds, 0L, index, events);
        REVENTS.set(pollfds, 0L, index, (short) 0);
    }
}
